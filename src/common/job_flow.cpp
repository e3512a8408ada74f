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
#include "common/secret_mask.hpp"

// The steps of one queue start, in the order of the standard ksh queue:
// queue file, init files, context block, generic resource, "not submitted by VTOM", TEST mode,
// script, result report (tsend, vtgestlog, gestlog), exit code.

namespace vtsubmit {

namespace {

struct JobRun {
  const QueueInvocation& invocation;
  const RunOptions& options;
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
  const auto settings = report_settings(run.config, environment);
  const auto message = Message{Msg::tsend_submitter_error, {std::to_string(code), reason}}.text(run.log.language());
  run.log.out(tr(run.log.language(), Msg::exit_not_acknowledged, std::to_string(code)));
  run.options.report(run.log, settings, JobStatus::in_error, code, message);
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
  return make_script_request(run.config, run.init.environment, run.invocation, workdir);
}

platform::JobOptions job_options(const JobRun& run, const std::string& workdir) {
  return make_job_options(run.config, run.init.environment, workdir);
}

// Writes what happened to the job besides its exit code: stop request, signal, lost output.
void describe_job_end(JobRun& run, const platform::JobResult& result) {
  auto& log = run.log;
  for (const auto& warning : result.warnings) {
    log.warning(warning);
  }
  if (result.killed_after_grace) {
    log.out(log.text(Msg::stop_forced, std::to_string(run.config.stop_grace_seconds), platform::stop_steps().forced));
  }
  if (result.term_signal != 0) {
    const auto core = result.core_dumped ? log.text(Msg::core_dumped_suffix) : std::string();
    log.out(log.text(Msg::job_killed_by_signal, std::to_string(result.term_signal),
                     platform::signal_name(result.term_signal), core));
  }
  if (const auto words = platform::describe_exit_code(result.exit_code); !words.empty()) {
    log.out(log.text(Msg::exit_code_described, std::to_string(result.exit_code), words));
  }
  // A process ended by a signal does not flush its stdio buffers and nothing can recover them,
  // so the log states that its tail may be missing.
  if (result.term_signal != 0 || result.stop_signal != 0) {
    log.out(log.text(Msg::buffered_output_note));
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
    // A stop request kills every process of the job, whatever the leftover policy is.
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
  auto resolution = resolve_working_directory(run.config, run.init.environment);
  if (!resolution.ok) {
    run.log.error(resolution.error);
    return std::nullopt;
  }
  return std::move(resolution.path);
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
  const auto settings = report_settings(run.config, run.init.environment);
  run.options.report(run.log, settings, JobStatus::finished, 0, run.log.text(Msg::tsend_test_mode));
  return 0;
}

void log_stop_request(JobRun& run, const std::string& name) {
  const auto steps = platform::stop_steps();
  run.log.out(run.log.text(Msg::stop_received, name, steps.graceful, steps.forced,
                           std::to_string(run.config.stop_grace_seconds)));
}

// Reports the job's end with the standard lines and tsend call, and returns its code.
int finish_job(JobRun& run, int code, const std::optional<Message>& reason) {
  auto& log = run.log;
  write_lines(log, end_banner_lines(log.language(), current_date_line(log.language())));

  const auto settings = report_settings(run.config, run.init.environment);
  if (code == 0 && !reason) {
    log.out(log.text(Msg::exit_acknowledged, std::to_string(code)));
    run.options.report(log, settings, JobStatus::finished, code, log.text(Msg::tsend_finished, std::to_string(code)));
  } else {
    log.out(log.text(Msg::exit_not_acknowledged, std::to_string(code)));
    const auto message = reason ? Message{Msg::tsend_submitter_error, {std::to_string(code), reason->text(log.language())}}.text(log.language())
                                : log.text(Msg::tsend_in_error, std::to_string(code));
    run.options.report(log, settings, JobStatus::in_error, code, message);
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

  const auto plan = platform::plan_script(script_request(run, *workdir));
  if (plan.ok && !plan.command.command_line.empty()) {
    // On Windows the job splits this line itself, so the log shows it to explain how each
    // parameter arrived.
    log.out(log.text(Msg::command_line_used, mask_command_text(plan.command.command_line, run.config.mask)));
  }
  write_lines(log, start_banner_lines(log.language(), current_date_line(log.language())));

  if (!plan.ok) {
    log.error(plan.error);
    const auto reason = plan.exit_code == 126 ? Msg::reason_script_not_executable : Msg::reason_script_not_found;
    return finish_job(run, plan.exit_code, Message{reason, {}});
  }

  if (const int signal = platform::pending_stop_request()) {
    const auto name = platform::signal_name(signal);
    log_stop_request(run, name);
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
    log_stop_request(run, name);
    describe_job_end(run, result);
    return finish_job(run, platform::stop_exit_code(result.stop_signal), Message{Msg::reason_stopped, {name}});
  }
  describe_job_end(run, result);
  return finish_job(run, result.exit_code, std::nullopt);
}

}  // namespace

JobBranch select_branch(const Environment& environment) {
  // The exit code alone is the result of a resource evaluation, whatever TOM_JOB_ID contains, so it is
  // tested before "not submitted by Visual TOM".
  if (environment.get_or("TOM_RESOURCE_EVAL") == "1") {
    return JobBranch::resource_evaluation;
  }
  if (!environment.has_value("TOM_JOB_ID")) {
    return JobBranch::not_submitted;
  }
  if (environment.get_or("TOM_JOB_EXEC") == "TEST") {
    return JobBranch::test_mode;
  }
  return JobBranch::script;
}

WorkdirResolution resolve_working_directory(const QueueConfig& config, const Environment& environment) {
  WorkdirResolution resolution;
  if (config.workdir.empty()) {
    return resolution;
  }
  try {
    resolution.path = expand_variables(config.workdir, environment);
  } catch (const std::invalid_argument&) {
    resolution.ok = false;
    resolution.error = {Msg::expand_unterminated, {config.path, config.workdir}};
    return resolution;
  }
  std::error_code error;
  if (!std::filesystem::is_directory(resolution.path, error)) {
    const auto reason = error ? error.message() : std::make_error_code(std::errc::not_a_directory).message();
    resolution.ok = false;
    resolution.error = {Msg::workdir_failed, {resolution.path, reason, config.path}};
  }
  return resolution;
}

platform::ScriptRequest make_script_request(const QueueConfig& config, const Environment& environment,
                                            const QueueInvocation& invocation, const std::string& workdir) {
  platform::ScriptRequest request;
  request.script = environment.get_or("TOM_SCRIPT");
  request.parameters = invocation.parameters;
  request.raw_parameters = invocation.raw_parameters;
  request.interpreter = config.interpreter;
  request.inline_prefix = config.inline_prefix;
  request.inline_arg0 = environment.get_or("TOM_JOB", "vtsubmit");
  request.working_directory = workdir;
  request.environment = &environment;
  request.queue_file = config.path;
  request.legacy_batch_arguments = config.legacy_batch_arguments;
  return request;
}

platform::JobOptions make_job_options(const QueueConfig& config, const Environment& environment,
                                      const std::string& workdir) {
  platform::JobOptions options;
  options.environment = environment.entries();
  options.working_directory = workdir;
  options.stop_grace = std::chrono::seconds(config.stop_grace_seconds);
  options.drain_timeout = std::chrono::seconds(config.drain_seconds);
  options.leftovers = config.leftovers;
  return options;
}

ContextInput make_context_input(const QueueConfig& config, const InitResult& init, const QueueInvocation& invocation) {
  // The user and host lookups are only fallbacks: getpwuid may ask nscd and read /etc/passwd,
  // a cost not worth paying for every job when the agent sets TOM_USER and TOM_HOST.
  const Environment& env = init.environment;
  return ContextInput{&env, invocation.parameters, init.loaded_files,
                      env.has_value("TOM_USER") ? std::string() : platform::current_user_name(),
                      env.has_value("TOM_HOST") ? std::string() : platform::host_name(), config.mask};
}

int run_queue(const QueueInvocation& invocation) {
  return run_queue(invocation, RunOptions{platform::current_environment()});
}

int run_queue(const QueueInvocation& invocation, const RunOptions& options) {
  JobRun run{invocation, options, Log(Language::english), options.agent_environment, {}, {}};
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

  write_lines(run.log, context_block_lines(run.log.language(), make_context_input(run.config, run.init, invocation)));

  switch (select_branch(run.init.environment)) {
    case JobBranch::resource_evaluation:
      return evaluate_resource(run);
    case JobBranch::not_submitted:
      run.log.out(run.log.text(Msg::not_submitted_by_vtom));
      run.log.flush();
      return 0;
    case JobBranch::test_mode:
      return run_test_mode(run);
    case JobBranch::script:
      break;
  }
  return run_script(run);
}

}  // namespace vtsubmit
