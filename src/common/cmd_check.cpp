#include "common/cmd_check.hpp"

#include <cctype>
#include <filesystem>
#include <fstream>
#include <vector>

#include "common/admin_output.hpp"
#include "common/batch_quote.hpp"
#include "common/job_flow.hpp"
#include "common/platform.hpp"

namespace vtsubmit {

namespace {

// Bytes read from the start of a script: more than any #! line (Linux reads at most 256).
constexpr std::size_t script_head_bytes = 4096;

std::filesystem::path utf8_path(const std::string& path) {
  return std::filesystem::path(std::u8string(path.begin(), path.end()));
}

bool has_suffix_ignoring_case(const std::string& text, std::string_view suffix) {
  if (text.size() < suffix.size()) {
    return false;
  }
  for (std::size_t i = 0; i < suffix.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[text.size() - suffix.size() + i]);
    if (std::tolower(c) != suffix[i]) {
      return false;
    }
  }
  return true;
}

// Windows programs and batch files have no #! line.
bool is_windows_program(const std::string& path) {
  return batch::is_batch_file(path) || has_suffix_ignoring_case(path, ".exe") || has_suffix_ignoring_case(path, ".com") ||
         has_suffix_ignoring_case(path, ".ps1");
}

struct Findings {
  std::vector<Message> problems;
  std::vector<Message> warnings;
};

// Checks the #! line of a script that runs by itself (no [script] interpreter).
void check_shebang(const std::string& path, const std::string& text, Findings& findings) {
  std::string_view content(text);
  constexpr std::string_view bom = "\xEF\xBB\xBF";
  if (content.substr(0, bom.size()) == bom) {
    findings.problems.push_back({Msg::check_script_bom, {path}});
    content.remove_prefix(bom.size());
  }
  if (content.substr(0, 2) != "#!") {
    findings.warnings.push_back({Msg::check_script_no_shebang, {path}});
    return;
  }
  auto line = content.substr(2, content.find('\n') == std::string_view::npos ? std::string_view::npos
                                                                             : content.find('\n') - 2);
  if (!line.empty() && line.back() == '\r') {
    findings.problems.push_back({Msg::check_script_crlf, {path}});
    line.remove_suffix(1);
  }
  const auto start = line.find_first_not_of(" \t");
  if (start == std::string_view::npos) {
    findings.problems.push_back({Msg::check_script_empty_shebang, {path}});
    return;
  }
  const auto end = line.find_first_of(" \t", start);
  const std::string interpreter(line.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
  if (interpreter.front() != '/') {
    findings.problems.push_back({Msg::check_shebang_not_absolute, {path, interpreter}});
  } else if (!platform::is_executable_file(interpreter)) {
    findings.problems.push_back({Msg::check_shebang_interpreter_missing, {path, interpreter}});
  }
  // NOTE: for "#!/usr/bin/env NAME" only env itself is checked, not NAME in PATH.
}

void check_script(const CheckOptions& options, const QueueConfig& config, const InitResult& init, Log& log,
                  Findings& findings) {
  log.out(log.text(Msg::check_script_title, options.script));
  const auto path = options.script;
  std::error_code error;
  const auto status = std::filesystem::status(utf8_path(path), error);
  if (error || !std::filesystem::exists(status)) {
    findings.problems.push_back({Msg::script_not_found, {path}});
    return;
  }
  if (std::filesystem::is_directory(status)) {
    findings.problems.push_back({Msg::script_is_directory, {path}});
    return;
  }

  const bool self_running = config.interpreter.empty() && !is_windows_program(path);
  if (self_running && !platform::is_executable_file(path)) {
    findings.problems.push_back({Msg::check_script_not_executable, {path}});
  }
  if (self_running) {
    std::ifstream stream(utf8_path(path), std::ios::binary);
    std::string head(script_head_bytes, '\0');
    stream.read(head.data(), static_cast<std::streamsize>(head.size()));
    if (stream.bad() || (!stream && stream.gcount() == 0 && !stream.eof())) {
      findings.problems.push_back({Msg::check_script_unreadable, {path}});
      return;
    }
    head.resize(static_cast<std::size_t>(stream.gcount()));
    check_shebang(path, head, findings);
  }

  // The same resolution as a real start: finds a missing [script] interpreter, for one.
  QueueInvocation invocation;
  const auto workdir = resolve_working_directory(config, init.environment);
  auto request = make_script_request(config, init.environment, invocation, workdir.ok ? workdir.path : "");
  request.script = path;
  const auto plan = platform::plan_script(request);
  if (!plan.ok) {
    findings.problems.push_back(plan.error);
    return;
  }
  std::string command;
  for (const auto& argument : plan.command.argv) {
    command += command.empty() ? "" : " ";
    command += shell_quote(argument);
  }
  log.out("  " + log.text(Msg::check_script_command, command));
}

}  // namespace

int run_check(const CheckOptions& options, Log& log) {
  Findings findings;
  const auto agent_environment = platform::current_environment();

  QueueConfig config;
  try {
    config = load_queue_file(options.queue_file);
    log.out(log.text(Msg::check_queue_file_valid, options.queue_file));
  } catch (const QueueFileError& error) {
    findings.problems.push_back(error.message());
  }

  if (findings.problems.empty()) {
    InitResult init;
    bool init_ok = true;
    try {
      init = load_init_files(config, agent_environment);
    } catch (const InitFileError& error) {
      findings.problems.push_back(error.message());
      init_ok = false;
    }
    if (init_ok) {
      print_init_files(log, init);
      for (const auto& diagnostic : init.diagnostics) {
        Message line{Msg::init_line_not_evaluated,
                     {diagnostic.file, std::to_string(diagnostic.line), diagnostic.construct, diagnostic.text}};
        (options.strict ? findings.problems : findings.warnings).push_back(std::move(line));
      }
      print_environment_changes(log, agent_environment, init.environment, config.mask);

      const auto workdir = resolve_working_directory(config, init.environment);
      if (!workdir.ok) {
        findings.problems.push_back(workdir.error);
      }
      if (!options.script.empty()) {
        check_script(options, config, init, log, findings);
      }
    }
  }

  if (!findings.warnings.empty()) {
    log.out(log.text(Msg::check_warnings_title, std::to_string(findings.warnings.size())));
    for (const auto& warning : findings.warnings) {
      log.out("  - " + warning.text(log.language()));
    }
  }
  if (findings.problems.empty()) {
    log.out(log.text(Msg::check_passed));
    log.flush();
    return 0;
  }
  log.out(log.text(Msg::check_problems_title, std::to_string(findings.problems.size())));
  for (const auto& problem : findings.problems) {
    log.out("  - " + problem.text(log.language()));
  }
  log.flush();
  return 1;
}

}  // namespace vtsubmit
