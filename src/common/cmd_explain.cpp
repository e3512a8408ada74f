#include "common/cmd_explain.hpp"

#include <filesystem>

#include "common/admin_output.hpp"
#include "common/job_flow.hpp"
#include "common/secret_mask.hpp"

namespace vtsubmit {

namespace {

std::string join_quoted(const std::vector<std::string>& arguments) {
  std::string text;
  for (const auto& argument : arguments) {
    text += text.empty() ? "" : " ";
    text += shell_quote(argument);
  }
  return text;
}

// Prints the tsend, vtgestlog and gestlog calls of the report step for one outcome.
void print_report_calls(Log& log, const Environment& environment, const std::string& outcome, bool finished,
                        const std::string& code, const std::string& message) {
  log.out("  " + outcome);
  if (!environment.has_value("ABM_BIN")) {
    log.out("    " + log.text(Msg::explain_abm_bin_unset));
    return;
  }
  const auto bin = environment.get_or("ABM_BIN");
  const auto tsend = platform::program_path(bin, "tsend");
  log.out("    " + join_quoted({tsend, finished ? "-sT" : "-sE", "-r" + code, "-m" + message}));
  std::error_code error;
  if (!std::filesystem::is_regular_file(tsend, error)) {
    log.out("    " + log.text(Msg::explain_tsend_missing, tsend));
  }
  const auto vtgestlog = platform::program_path(bin, "vtgestlog");
  if (std::filesystem::is_regular_file(vtgestlog, error)) {
    log.out("    " + shell_quote(vtgestlog));
  }
  if (log_action_requested(environment) && environment.has_value("TOM_ADMIN")) {
    const auto gestlog = platform::program_path(environment.get_or("TOM_ADMIN"), "gestlog");
    if (std::filesystem::is_regular_file(gestlog, error)) {
      log.out("    " + shell_quote(gestlog));
    }
  }
}

void print_failure(Log& log, const Environment& environment, const Message& error, Msg reason) {
  log.out(log.text(Msg::explain_would_fail, error.text(log.language())));
  log.out(log.text(Msg::explain_report_title));
  const auto code = std::to_string(submitter_error_code);
  const Message message{Msg::tsend_submitter_error, {code, reason}};
  print_report_calls(log, environment, log.text(Msg::explain_outcome_exit, code), false, code,
                     message.text(log.language()));
}

void print_command(Log& log, const platform::JobCommand& command, const std::vector<std::string>& mask) {
  log.out(log.text(Msg::explain_program, command.program));
  // The program and the script path come first; mask_parameters leaves words that are not
  // secret options or name=value pairs as they are.
  const auto shown = mask_parameters(command.argv, mask);
  for (std::size_t i = 0; i < shown.size(); ++i) {
    log.out("  argv[" + std::to_string(i) + "] = " + shown[i]);
  }
  if (!command.command_line.empty()) {
    log.out(log.text(Msg::explain_command_line, mask_command_text(command.command_line, mask)));
  }
  if (command.shell_fallback) {
    log.out(log.text(Msg::explain_shell_fallback));
  }
}

}  // namespace

int run_explain(const ExplainOptions& options, Log& log) {
  const auto agent_environment = platform::current_environment();
  QueueInvocation invocation{options.queue_file, options.parameters, ""};

  QueueConfig config;
  try {
    config = load_queue_file(options.queue_file);
  } catch (const QueueFileError& error) {
    print_failure(log, agent_environment, error.message(), Msg::reason_queue_file);
    log.flush();
    return 1;
  }
  if (config.language) {
    log.set_language(*config.language);
  }
  log.out(log.text(Msg::explain_queue_file, options.queue_file));

  InitResult init;
  try {
    init = load_init_files(config, agent_environment);
  } catch (const InitFileError& error) {
    print_failure(log, agent_environment, error.message(), Msg::reason_init_file);
    log.flush();
    return 1;
  }
  print_init_files(log, init);
  print_environment_changes(log, agent_environment, init.environment, config.mask);

  log.out(log.text(Msg::explain_context_title));
  for (const auto& line : context_block_lines(log.language(), make_context_input(config, init, invocation))) {
    log.out("  | " + line);
  }

  const Environment& environment = init.environment;
  const auto branch = select_branch(environment);
  if (branch == JobBranch::not_submitted) {
    log.out(log.text(Msg::explain_branch_not_submitted));
    log.flush();
    return 0;
  }
  if (branch == JobBranch::test_mode) {
    log.out(log.text(Msg::explain_branch_test_mode));
    log.out(log.text(Msg::explain_report_title));
    print_report_calls(log, environment, log.text(Msg::explain_outcome_always), true, "0", log.text(Msg::tsend_test_mode));
    log.flush();
    return 0;
  }

  const auto workdir = resolve_working_directory(config, environment);
  if (!workdir.ok) {
    print_failure(log, environment, workdir.error, Msg::reason_workdir);
    log.flush();
    return 1;
  }
  if (workdir.path.empty()) {
    std::error_code error;
    const auto current = std::filesystem::current_path(error);
    log.out(log.text(Msg::explain_workdir_inherited, error ? std::string("?") : current.string()));
  } else {
    log.out(log.text(Msg::explain_workdir, workdir.path));
  }

  const auto plan = platform::plan_script(make_script_request(config, environment, invocation, workdir.path));
  if (!plan.ok) {
    const auto reason = plan.exit_code == 126 ? Msg::reason_script_not_executable : Msg::reason_script_not_found;
    log.out(log.text(Msg::explain_would_fail, plan.error.text(log.language())));
    log.out(log.text(Msg::explain_report_title));
    const auto code = std::to_string(plan.exit_code);
    const Message message{Msg::tsend_submitter_error, {code, reason}};
    print_report_calls(log, environment, log.text(Msg::explain_outcome_exit, code), false, code,
                       message.text(log.language()));
    log.flush();
    return 1;
  }

  if (branch == JobBranch::resource_evaluation) {
    log.out(log.text(Msg::explain_branch_resource));
    print_command(log, plan.command, config.mask);
    log.flush();
    return 0;
  }
  log.out(log.text(Msg::explain_branch_script));
  print_command(log, plan.command, config.mask);
  log.out(log.text(Msg::explain_report_title));
  print_report_calls(log, environment, log.text(Msg::explain_outcome_exit, "0"), true, "0", log.text(Msg::tsend_finished, "0"));
  print_report_calls(log, environment, log.text(Msg::explain_outcome_exit, "n"), false, "n", log.text(Msg::tsend_in_error, "n"));
  log.flush();
  return 0;
}

}  // namespace vtsubmit
