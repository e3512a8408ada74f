#include "common/job_flow.hpp"

#include <chrono>
#include <filesystem>
#include <optional>
#include <stdexcept>

#include "common/context_block.hpp"
#include "common/expand.hpp"
#include "common/init_loader.hpp"
#include "common/language.hpp"
#include "common/log.hpp"
#include "common/platform.hpp"
#include "common/queue_file.hpp"
#include "common/report.hpp"

// The steps of one queue start, in the order of the standard ksh queue:
// queue file, init files, context block, generic resource, "not submitted by VTOM", TEST mode,
// script, result report (tsend, vtgestlog, gestlog), exit code.

namespace vtsubmit {

namespace {

struct JobRun {
  const QueueInvocation& invocation;
  Log log;
  Environment agent_environment;
  QueueConfig config;
  InitResult init;
};

void write_lines(Log& log, const std::vector<std::string>& lines) {
  for (const auto& line : lines) {
    log.out(line);
  }
}

// Reports a failure of vtsubmit itself (nothing of the job ran) and returns the exit code.
int fail_before_job(JobRun& run, const Environment& environment, int code, Msg reason) {
  const ReportSettings settings{&environment, run.config.tsend_timeout_seconds};
  const auto message = Message{Msg::tsend_submitter_error, {std::to_string(code), reason}}.text(run.log.language());
  run.log.out(tr(run.log.language(), Msg::exit_not_acknowledged, std::to_string(code)));
  report_end(run.log, settings, JobStatus::in_error, code, message);
  return code;
}

// Loads the default init file quietly, so that a broken queue file still finds ABM_BIN for tsend.
Environment best_effort_environment(const Environment& agent_environment) {
  try {
    QueueConfig defaults;
    defaults.init = {platform::default_init_file()};
    std::vector<InitDiagnostic> ignored;
    return load_init_files(defaults, agent_environment).environment;
  } catch (const std::exception&) {
    return agent_environment;
  }
}

void print_diagnostics(Log& log, const std::vector<InitDiagnostic>& diagnostics) {
  for (const auto& diagnostic : diagnostics) {
    log.warning({Msg::init_line_not_evaluated,
                 {diagnostic.file, std::to_string(diagnostic.line), diagnostic.construct, diagnostic.text}});
  }
}

platform::ScriptRequest script_request(const JobRun& run, const std::string& workdir) {
  platform::ScriptRequest request;
  request.script = run.init.environment.get_or("TOM_SCRIPT");
  request.parameters = run.invocation.parameters;
  request.raw_parameters = run.invocation.raw_parameters;
  request.interpreter = run.config.interpreter;
  request.inline_prefix = run.config.inline_prefix;
  request.inline_arg0 = run.init.environment.get_or("TOM_JOB", "vtsubmit");
  request.working_directory = workdir;
  request.environment = &run.init.environment;
  request.queue_file = run.config.path;
  request.legacy_batch_arguments = run.config.legacy_batch_arguments;
  return request;
}

platform::JobOptions job_options(const JobRun& run, const std::string& workdir) {
  platform::JobOptions options;
  options.environment = run.init.environment.entries();
  options.working_directory = workdir;
  options.stop_grace = std::chrono::seconds(run.config.stop_grace_seconds);
  options.drain_timeout = std::chrono::seconds(run.config.drain_seconds);
  options.leftovers = run.config.leftovers;
  return options;
}

// Writes what happened to the job besides its exit code: stop request, signal, lost output.
void describe_job_end(JobRun& run, const platform::JobResult& result) {
  auto& log = run.log;
  for (const auto& warning : result.warnings) {
    log.warning(warning);
  }
  if (result.killed_after_grace) {
    log.out(log.text(Msg::stop_forced, std::to_string(run.config.stop_grace_seconds)));
  }
  if (result.term_signal != 0) {
    const auto core = result.core_dumped ? log.text(Msg::core_dumped_suffix) : std::string();
    log.out(log.text(Msg::job_killed_by_signal, std::to_string(result.term_signal),
                     platform::signal_name(result.term_signal), core));
  }
  if (const auto words = platform::describe_exit_code(result.exit_code); !words.empty()) {
    log.out(log.text(Msg::exit_code_described, std::to_string(result.exit_code), words));
  }
  if (result.drain_timed_out) {
    log.out(log.text(Msg::drain_timed_out, std::to_string(run.config.drain_seconds)));
  }
  if (!result.leftovers.empty()) {
    std::string list;
    for (const auto& process : result.leftovers) {
      list += list.empty() ? "" : ", ";
      list += std::to_string(process.pid) + " (" + process.command + ")";
    }
    // A stop request kills every process of the job, whatever the leftover policy says.
    auto message = Msg::leftovers_killed;
    if (result.stop_signal == 0 && run.config.leftovers == platform::LeftoverPolicy::wait) {
      message = Msg::leftovers_waited;
    } else if (result.stop_signal == 0 && run.config.leftovers == platform::LeftoverPolicy::keep) {
      message = Msg::leftovers_kept;
    }
    log.out(log.text(message, list));
  }
}

// Resolves the working directory; returns nullopt (after reporting) when it is unusable.
std::optional<std::string> resolve_workdir(JobRun& run) {
  if (run.config.workdir.empty()) {
    return std::string();
  }
  std::string workdir;
  try {
    workdir = expand_variables(run.config.workdir, run.init.environment);
  } catch (const std::invalid_argument&) {
    run.log.error({Msg::expand_unterminated, {run.config.path, run.config.workdir}});
    return std::nullopt;
  }
  std::error_code error;
  if (!std::filesystem::is_directory(workdir, error)) {
    const auto reason = error ? error.message() : std::make_error_code(std::errc::not_a_directory).message();
    run.log.error({Msg::workdir_failed, {workdir, reason, run.config.path}});
    return std::nullopt;
  }
  return workdir;
}

// Runs the script for a generic-resource evaluation: no banner, no tsend, the exit code decides.
int evaluate_resource(JobRun& run) {
  const auto workdir = resolve_workdir(run);
  if (!workdir) {
    return submitter_error_code;
  }
  const auto plan = platform::plan_script(script_request(run, *workdir));
  if (!plan.ok) {
    run.log.error(plan.error);
    return plan.exit_code;
  }
  run.log.flush();
  const auto result = platform::run_job(plan.command, job_options(run, *workdir));
  if (!result.started) {
    run.log.error({Msg::spawn_failed, {plan.command.program, result.start_error.message()}});
    return 127;
  }
  return result.exit_code;
}

int run_test_mode(JobRun& run) {
  run.log.out(run.log.text(Msg::test_mode));
  const ReportSettings settings{&run.init.environment, run.config.tsend_timeout_seconds};
  report_end(run.log, settings, JobStatus::finished, 0, run.log.text(Msg::tsend_test_mode));
  return 0;
}

// Reports the job's end with the standard lines and tsend call, and returns its code.
int finish_job(JobRun& run, int code, const std::optional<Message>& reason) {
  auto& log = run.log;
  write_lines(log, end_banner_lines(log.language(), current_date_line(log.language())));

  const ReportSettings settings{&run.init.environment, run.config.tsend_timeout_seconds};
  if (code == 0 && !reason) {
    log.out(log.text(Msg::exit_acknowledged, std::to_string(code)));
    report_end(log, settings, JobStatus::finished, code, log.text(Msg::tsend_finished, std::to_string(code)));
  } else {
    log.out(log.text(Msg::exit_not_acknowledged, std::to_string(code)));
    const auto message = reason ? Message{Msg::tsend_submitter_error, {std::to_string(code), reason->text(log.language())}}.text(log.language())
                                : log.text(Msg::tsend_in_error, std::to_string(code));
    report_end(log, settings, JobStatus::in_error, code, message);
  }
  log.flush();
  return code;
}

int run_script(JobRun& run) {
  auto& log = run.log;
  const auto workdir = resolve_workdir(run);
  if (!workdir) {
    return fail_before_job(run, run.init.environment, submitter_error_code, Msg::reason_workdir);
  }

  write_lines(log, start_banner_lines(log.language(), current_date_line(log.language())));

  const auto plan = platform::plan_script(script_request(run, *workdir));
  if (!plan.ok) {
    log.error(plan.error);
    const auto reason = plan.exit_code == 126 ? Msg::reason_script_not_executable : Msg::reason_script_not_found;
    return finish_job(run, plan.exit_code, Message{reason, {}});
  }

  if (const int signal = platform::pending_stop_request()) {
    const auto name = platform::signal_name(signal);
    log.out(log.text(Msg::stop_received, name, std::to_string(run.config.stop_grace_seconds)));
    return finish_job(run, platform::stop_exit_code(signal), Message{Msg::reason_stopped, {name}});
  }

  log.flush();
  const auto result = platform::run_job(plan.command, job_options(run, *workdir));
  if (!result.started) {
    log.error({Msg::spawn_failed, {plan.command.program, result.start_error.message()}});
    const bool denied = result.start_error == std::errc::permission_denied;
    return finish_job(run, denied ? 126 : 127,
                      Message{denied ? Msg::reason_script_not_executable : Msg::reason_start_failed, {}});
  }

  if (result.stop_signal != 0) {
    const auto name = platform::signal_name(result.stop_signal);
    log.out(log.text(Msg::stop_received, name, std::to_string(run.config.stop_grace_seconds)));
    describe_job_end(run, result);
    return finish_job(run, platform::stop_exit_code(result.stop_signal), Message{Msg::reason_stopped, {name}});
  }
  describe_job_end(run, result);
  return finish_job(run, result.exit_code, std::nullopt);
}

}  // namespace

int run_queue(const QueueInvocation& invocation) {
  JobRun run{invocation, Log(Language::english), platform::current_environment(), {}, {}};
  run.log.set_language(language_from_environment(run.agent_environment));
  run.init.environment = run.agent_environment;

  try {
    run.config = load_queue_file(invocation.queue_file);
  } catch (const QueueFileError& error) {
    run.log.error(error.message());
    return fail_before_job(run, best_effort_environment(run.agent_environment), submitter_error_code,
                           Msg::reason_queue_file);
  }
  if (run.config.language) {
    run.log.set_language(*run.config.language);
  }
  platform::set_log_codepage(run.config.log_code_page);

  try {
    run.init = load_init_files(run.config, run.agent_environment);
  } catch (const InitFileError& error) {
    run.log.error(error.message());
    return fail_before_job(run, run.agent_environment, submitter_error_code, Msg::reason_init_file);
  }
  print_diagnostics(run.log, run.init.diagnostics);

  const ContextInput context{&run.init.environment, invocation.parameters, run.init.loaded_files,
                             platform::current_user_name(), platform::host_name()};
  write_lines(run.log, context_block_lines(run.log.language(), context));

  const Environment& env = run.init.environment;
  // A resource evaluation is answered by the exit code alone, whatever TOM_JOB_ID holds, so it is
  // handled before the "not submitted by Visual TOM" test.
  if (env.get_or("TOM_RESOURCE_EVAL") == "1") {
    return evaluate_resource(run);
  }
  if (!env.has_value("TOM_JOB_ID")) {
    run.log.out(run.log.text(Msg::not_submitted_by_vtom));
    run.log.flush();
    return 0;
  }
  if (env.get_or("TOM_JOB_EXEC") == "TEST") {
    return run_test_mode(run);
  }
  return run_script(run);
}

}  // namespace vtsubmit
