#include "common/tool_mode.hpp"

#include <algorithm>
#include <set>

#include <CLI/CLI.hpp>

#include "common/cmd_check.hpp"
#include "common/cmd_explain.hpp"
#include "common/cmd_install.hpp"
#include "common/cmd_simulate.hpp"
#include "common/language.hpp"
#include "common/log.hpp"
#include "common/pending_report.hpp"
#include "common/platform.hpp"
#include "vtsubmit/version.hpp"

namespace vtsubmit {

namespace {

// Exit code for a command line that vtsubmit does not understand.
constexpr int usage_error_code = 2;

// The command line of explain and simulate ends with the job parameters, which may look like
// options ("--password"). Returns the index of the queue file in `args` (after the sub-command
// word at index 0): the first word that is neither an option nor the value of one in
// `value_options`, or the word after "--". Returns args.size() when there is none.
std::size_t find_queue_file(const std::vector<std::string>& args, const std::set<std::string>& value_options) {
  for (std::size_t i = 1; i < args.size(); ++i) {
    const auto& arg = args[i];
    if (arg == "--") {
      return i + 1;
    }
    if (arg.size() > 1 && arg.front() == '-') {
      if (value_options.count(arg) != 0) {
        ++i;
      }
      continue;
    }
    return i;
  }
  return args.size();
}

// Translates CLI11's help layout words.
void translate_formatter(CLI::App& app, const Log& log) {
  auto formatter = app.get_formatter();
  formatter->label("Usage", log.text(Msg::cli_label_usage));
  formatter->label("OPTIONS", log.text(Msg::cli_label_options_upper));
  formatter->label("SUBCOMMAND", log.text(Msg::cli_label_subcommand_upper));
  formatter->label("SUBCOMMANDS", log.text(Msg::cli_label_subcommand_upper));
  formatter->label("Positionals", log.text(Msg::cli_label_positionals));
  formatter->label("REQUIRED", log.text(Msg::cli_label_required));
  formatter->label("Needs", log.text(Msg::cli_label_needs));
  formatter->label("Excludes", log.text(Msg::cli_label_excludes));
  formatter->column_width(28);
}

CLI::App* add_command(CLI::App& app, const Log& log, const std::string& name, Msg description) {
  auto* command = app.add_subcommand(name, log.text(description));
  command->set_help_flag("-h,--help", log.text(Msg::cli_help_flag));
  command->option_defaults()->group(log.text(Msg::cli_group_options));
  command->group(log.text(Msg::cli_group_commands));
  return command;
}

}  // namespace

bool is_tool_mode(const std::string& first_argument) {
  if (!first_argument.empty() && first_argument.front() == '-') {
    return true;
  }
  for (const char* word : subcommand_words) {
    if (first_argument == word) {
      return true;
    }
  }
  return false;
}

int run_tool_mode(const std::vector<std::string>& args) {
  Log log(language_from_environment(platform::current_environment()));
  if (args.empty()) {
    log.error({Msg::missing_queue_file, {}});
    return usage_error_code;
  }

  CLI::App app(log.text(Msg::usage), "vtsubmit");
  app.option_defaults()->group(log.text(Msg::cli_group_options));
  app.set_help_flag("-h,--help", log.text(Msg::cli_help_flag));
  app.set_version_flag("--version", std::string("vtsubmit ") + version, log.text(Msg::cli_version_flag));
  app.require_subcommand(0, 1);
  translate_formatter(app, log);
  // Options of the root command.
  std::vector<std::string> resend_queue_file;
  auto* resend_option = app.add_option("--resend-pending", resend_queue_file, log.text(Msg::cli_resend_pending))
                            ->expected(0, 1)
                            ->type_name(log.text(Msg::cli_type_file));

  CheckOptions check;
  auto* check_command = add_command(app, log, "check", Msg::cli_check_description);
  check_command->add_option("QUEUE_FILE", check.queue_file, log.text(Msg::cli_queue_file))->required()->type_name(log.text(Msg::cli_type_file));
  check_command->add_option("--script", check.script, log.text(Msg::cli_check_script))->type_name(log.text(Msg::cli_type_path));
  check_command->add_flag("--strict", check.strict, log.text(Msg::cli_check_strict));

  ExplainOptions explain;
  auto* explain_command = add_command(app, log, "explain", Msg::cli_explain_description);
  explain_command->add_option("QUEUE_FILE", explain.queue_file, log.text(Msg::cli_queue_file))->required()->type_name(log.text(Msg::cli_type_file));
  explain_command->footer(log.text(Msg::cli_parameters_footer));

  SimulateOptions simulate;
  auto* simulate_command = add_command(app, log, "simulate", Msg::cli_simulate_description);
  simulate_command->add_option("QUEUE_FILE", simulate.queue_file, log.text(Msg::cli_queue_file))->required()->type_name(log.text(Msg::cli_type_file));
  simulate_command->add_option("--env", simulate.env_file, log.text(Msg::cli_simulate_env))->required()->type_name(log.text(Msg::cli_type_file));
  simulate_command->add_option("--par", simulate.par_file, log.text(Msg::cli_simulate_par))->type_name(log.text(Msg::cli_type_file));
  simulate_command->add_option("--logs", simulate.logs_directory, log.text(Msg::cli_simulate_logs))->type_name(log.text(Msg::cli_type_folder));
  simulate_command->add_flag("--dmz", simulate.dmz, log.text(Msg::cli_simulate_dmz));
  simulate_command->footer(log.text(Msg::cli_parameters_footer));

  InstallOptions install;
  auto* install_command = add_command(app, log, "install-queue", Msg::cli_install_description);
  InstallOptions uninstall;
  auto* uninstall_command = add_command(app, log, "uninstall-queue", Msg::cli_uninstall_description);
  for (auto [command, options] : {std::pair{install_command, &install}, std::pair{uninstall_command, &uninstall}}) {
    command->add_option("--tom-home", options->tom_home, log.text(Msg::cli_install_tom_home))->required()->type_name(log.text(Msg::cli_type_folder));
    command->add_option("--name", options->name, log.text(Msg::cli_install_name))->required()->type_name(log.text(Msg::cli_type_name));
    command->add_option("--queue", options->queue_name, log.text(Msg::cli_install_queue))->type_name(log.text(Msg::cli_type_name));
    command->add_flag("--dry-run", options->dry_run, log.text(Msg::cli_install_dry_run));
  }
  install_command->add_option("--max-jobs", install.max_jobs, log.text(Msg::cli_install_max_jobs))->type_name("N");
  install_command->add_option("--interpreter", install.interpreter, log.text(Msg::cli_install_interpreter))
      ->type_name(log.text(Msg::cli_type_word))
      ->allow_extra_args(false);
  install_command->add_option("--vtsubmit", install.vtsubmit_path, log.text(Msg::cli_install_vtsubmit))->type_name(log.text(Msg::cli_type_path));
  install_command->add_flag("--force", install.force, log.text(Msg::cli_install_force));
  uninstall_command->add_flag("--force", uninstall.force, log.text(Msg::cli_uninstall_force));

  // explain and simulate: CLI11 reads the words up to the queue file, the rest are parameters.
  std::vector<std::string> parsed = args;
  std::vector<std::string> parameters;
  if (args.front() == "explain" || args.front() == "simulate") {
    const auto queue_file = find_queue_file(args, {"--env", "--par", "--logs"});
    if (queue_file < args.size()) {
      parameters.assign(args.begin() + static_cast<long>(queue_file) + 1, args.end());
      parsed.assign(args.begin(), args.begin() + static_cast<long>(queue_file) + 1);
    }
  }

  try {
    std::vector<std::string> reversed(parsed.rbegin(), parsed.rend());
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    const auto* target = app.get_subcommands().empty() ? &app : app.get_subcommands().front();
    log.out(target == &app ? app.help() : target->help("vtsubmit"));
    log.flush();
    return 0;
  } catch (const CLI::CallForVersion& version_request) {
    log.out(version_request.what());
    log.flush();
    return 0;
  } catch (const CLI::ParseError& error) {
    const auto command = app.get_subcommands().empty() ? std::string() : " " + app.get_subcommands().front()->get_name();
    log.error({Msg::cli_invalid_command_line, {error.what(), command}});
    return usage_error_code;
  }

  if (resend_option->count() > 0) {
    return run_resend_pending(resend_queue_file);
  }
  if (check_command->parsed()) {
    return run_check(check, log);
  }
  if (explain_command->parsed()) {
    explain.parameters = parameters;
    return run_explain(explain, log);
  }
  if (simulate_command->parsed()) {
    simulate.parameters = parameters;
    return run_simulate(simulate, log);
  }
  if (install_command->parsed()) {
    return run_install_queue(install, log);
  }
  if (uninstall_command->parsed()) {
    return run_uninstall_queue(uninstall, log);
  }
  // Options alone, without a sub-command, and no --help or --version among them.
  log.error({Msg::missing_queue_file, {}});
  return usage_error_code;
}

}  // namespace vtsubmit
