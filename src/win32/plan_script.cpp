// How a TOM_SCRIPT starts on Windows:
// - a program (.exe, .com…): CreateProcessW on it with `"<script>" <raw tail>`, no cmd.exe;
// - a batch file (.bat, .cmd): the system cmd.exe with `/d /e:ON /v:OFF /s /c ""<script>" <args>"`,
//   each parameter escaped so that cmd runs nothing of it ([script] batch_args = "safe"), or the
//   old `call "<script>" <raw tail>` ("legacy");
// - an interpreter from the queue file: `"<interpreter>" <its arguments> "<script>" <raw tail>`;
// - an inline command (no such file, and blanks or cmd operators in it): cmd.exe /c runs it.

#include <windows.h>

#include <optional>

#include "common/batch_quote.hpp"
#include "common/cmdline_tail.hpp"
#include "common/platform.hpp"
#include "win32/win32_util.hpp"

namespace vtsubmit::platform {

namespace {

// CreateProcessW's limit, terminating NUL excluded.
constexpr std::size_t max_command_line = 32766;
// cmd.exe's limit for a command line, terminating NUL excluded.
constexpr std::size_t max_cmd_line = 8191;

struct Candidate {
  std::string path;
  bool is_directory = false;
};

std::optional<Candidate> existing(const std::string& path) {
  const DWORD attributes = GetFileAttributesW(win32::widen(path).c_str());
  if (attributes == INVALID_FILE_ATTRIBUTES) {
    return std::nullopt;
  }
  return Candidate{path, (attributes & FILE_ATTRIBUTE_DIRECTORY) != 0};
}

std::string full_path(const std::string& path) {
  const auto wide = win32::widen(path);
  const DWORD size = GetFullPathNameW(wide.c_str(), 0, nullptr, nullptr);
  if (size == 0) {
    return path;
  }
  std::wstring buffer(size, L'\0');
  const DWORD length = GetFullPathNameW(wide.c_str(), size, buffer.data(), nullptr);
  buffer.resize(length);
  return win32::narrow(buffer);
}

bool is_absolute(const std::string& path) {
  return (path.size() >= 3 && path[1] == ':' && (path[2] == '\\' || path[2] == '/')) ||
         (path.size() >= 2 && (path[0] == '\\' || path[0] == '/') && (path[1] == '\\' || path[1] == '/'));
}

bool has_directory(const std::string& path) {
  return path.find_first_of("\\/:") != std::string::npos;
}

bool has_extension(const std::string& path) {
  const auto slash = path.find_last_of("\\/:");
  const auto dot = path.rfind('.');
  return dot != std::string::npos && (slash == std::string::npos || dot > slash);
}

std::string join(const std::string& directory, const std::string& name) {
  if (directory.empty()) {
    return name;
  }
  const char last = directory.back();
  return (last == '\\' || last == '/') ? directory + name : directory + '\\' + name;
}

std::vector<std::string> split_list(const std::string& list) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start <= list.size()) {
    const auto end = std::min(list.find(';', start), list.size());
    if (end > start) {
      items.push_back(list.substr(start, end - start));
    }
    start = end + 1;
  }
  return items;
}

// Finds a script or program as cmd would: a path with a directory part relative to
// `base_directory`; a bare name in `base_directory`, then in PATH. A name without extension
// is tried with each PATHEXT extension.
std::optional<Candidate> find_file(const std::string& name, const std::string& base_directory,
                                   const Environment* environment) {
  std::vector<std::string> directories;
  if (is_absolute(name)) {
    directories.push_back("");
  } else {
    directories.push_back(base_directory);
    if (!has_directory(name) && environment != nullptr) {
      for (const auto& directory : split_list(environment->get_or("PATH"))) {
        directories.push_back(directory);
      }
    }
  }
  std::vector<std::string> names{name};
  if (!has_extension(name)) {
    const auto pathext = environment != nullptr ? environment->get_or("PATHEXT", ".COM;.EXE;.BAT;.CMD")
                                                : std::string(".COM;.EXE;.BAT;.CMD");
    for (const auto& extension : split_list(pathext)) {
      names.push_back(name + extension);
    }
  }
  for (const auto& directory : directories) {
    for (const auto& candidate_name : names) {
      if (auto found = existing(join(directory, candidate_name))) {
        if (!found->is_directory || candidate_name == name) {
          found->path = full_path(found->path);
          return found;
        }
      }
    }
  }
  return std::nullopt;
}

// A TOM_SCRIPT that is not a file is run as a cmd command when it looks like one.
// A missing absolute path stays "not found" even with blanks in it.
bool looks_like_command(const std::string& script) {
  if (script.find_first_of("&|<>()") != std::string::npos) {
    return true;
  }
  return script.find_first_of(" \t") != std::string::npos && !is_absolute(script);
}

ScriptPlan failure(int code, Message message) {
  ScriptPlan plan;
  plan.ok = false;
  plan.exit_code = code;
  plan.error = std::move(message);
  return plan;
}

// The job parameters as values: from the raw tail when there is one (split as cmd numbers %1…,
// quotes removed), else the parameter list.
std::vector<std::string> parameter_values(const ScriptRequest& request) {
  if (request.raw_parameters.empty()) {
    return request.parameters;
  }
  std::vector<std::string> values;
  for (const auto& parameter : cmdline::split_batch_parameters(request.raw_parameters)) {
    values.push_back(cmdline::remove_quotes(parameter));
  }
  return values;
}

// The parameters as command-line text for a program: the raw tail unchanged, or the parameter
// list quoted by the C runtime rules when there is no tail.
std::string parameter_text(const ScriptRequest& request) {
  if (!request.raw_parameters.empty() || request.parameters.empty()) {
    return request.raw_parameters;
  }
  std::string text;
  for (const auto& parameter : request.parameters) {
    text += text.empty() ? "" : " ";
    text += cmdline::quote_crt_argument(parameter);
  }
  return text;
}

ScriptPlan batch_plan(const ScriptRequest& request, const std::string& script,
                      const std::vector<std::string>& leading_arguments) {
  const auto cmd = win32::narrow(win32::system_cmd_exe());
  batch::BatchCommandLine line;
  if (request.legacy_batch_arguments && leading_arguments.empty()) {
    line = batch::make_legacy_call_command_line(cmd, script, request.raw_parameters.empty() ? parameter_text(request)
                                                                                           : request.raw_parameters);
  } else {
    auto arguments = leading_arguments;
    for (auto& value : parameter_values(request)) {
      arguments.push_back(std::move(value));
    }
    line = batch::make_batch_command_line(cmd, script, arguments);
    if (line.error == batch::CommandLineError::argument_has_newline) {
      const auto index = line.argument_index;
      const auto number = index < leading_arguments.size() ? index + 1 : index - leading_arguments.size() + 1;
      return failure(126, {Msg::batch_argument_has_newline, {std::to_string(number)}});
    }
  }
  if (line.error == batch::CommandLineError::script_has_quote) {
    return failure(126, {Msg::script_path_has_quote, {script}});
  }
  if (line.error == batch::CommandLineError::script_ends_with_slash) {
    return failure(126, {Msg::script_path_ends_with_slash, {script}});
  }

  ScriptPlan plan;
  plan.ok = true;
  plan.command.program = cmd;
  plan.command.argv = {cmd};
  plan.command.command_line = std::move(line.command_line);
  plan.command.script_is_file = true;
  return plan;
}

ScriptPlan program_plan(const std::string& program, const std::vector<std::string>& leading_arguments,
                        const std::string& tail) {
  ScriptPlan plan;
  plan.ok = true;
  plan.command.program = program;
  plan.command.argv = {program};
  // A path cannot contain '"', so quoting the program needs no escapes.
  std::string line = "\"" + program + "\"";
  for (const auto& argument : leading_arguments) {
    line += ' ';
    line += cmdline::quote_crt_argument(argument);
    plan.command.argv.push_back(argument);
  }
  if (!tail.empty()) {
    line += ' ';
    line += tail;
  }
  plan.command.command_line = std::move(line);
  plan.command.script_is_file = true;
  return plan;
}

ScriptPlan check_length(ScriptPlan plan) {
  if (!plan.ok) {
    return plan;
  }
  const auto length = win32::widen(plan.command.command_line).size();
  const bool through_cmd = batch::is_batch_file(plan.command.program) ||
                           plan.command.program == win32::narrow(win32::system_cmd_exe());
  const auto limit = through_cmd ? max_cmd_line : max_command_line;
  if (length > limit) {
    return failure(126, {Msg::command_line_too_long,
                         {plan.command.program, std::to_string(length), std::to_string(limit)}});
  }
  return plan;
}

ScriptPlan plan_with_interpreter(const ScriptRequest& request, const std::string& script) {
  const auto& interpreter = request.interpreter;
  const auto program = find_file(interpreter.front(), request.working_directory, request.environment);
  if (!program || program->is_directory) {
    return failure(127, {Msg::interpreter_not_found,
                         {interpreter.front(), request.queue_file, std::make_error_code(std::errc::no_such_file_or_directory).message()}});
  }
  std::vector<std::string> leading(interpreter.begin() + 1, interpreter.end());
  leading.push_back(script);
  if (batch::is_batch_file(program->path)) {
    return batch_plan(request, program->path, leading);
  }
  return program_plan(program->path, leading, parameter_text(request));
}

ScriptPlan plan_inline(const ScriptRequest& request) {
  if (!request.inline_prefix.empty()) {
    const auto program = find_file(request.inline_prefix.front(), request.working_directory, request.environment);
    if (!program || program->is_directory) {
      return failure(127, {Msg::interpreter_not_found,
                           {request.inline_prefix.front(), request.queue_file,
                            std::make_error_code(std::errc::no_such_file_or_directory).message()}});
    }
    std::vector<std::string> leading(request.inline_prefix.begin() + 1, request.inline_prefix.end());
    leading.push_back(request.script);
    auto plan = program_plan(program->path, leading, parameter_text(request));
    plan.command.script_is_file = false;
    return plan;
  }

  // cmd parses the command itself, as the job defines it. The parameters are added escaped, so
  // that cmd passes them on unchanged, or raw in legacy mode.
  std::string tail;
  if (request.legacy_batch_arguments) {
    tail = parameter_text(request);
  } else {
    for (const auto& value : parameter_values(request)) {
      tail += tail.empty() ? "" : " ";
      tail += batch::escape_cmd_metacharacters(cmdline::quote_crt_argument(value));
    }
  }
  const auto cmd = win32::narrow(win32::system_cmd_exe());
  ScriptPlan plan;
  plan.ok = true;
  plan.command.program = cmd;
  plan.command.argv = {cmd};
  plan.command.command_line = batch::make_inline_command_line(cmd, request.script, tail);
  plan.command.script_is_file = false;
  return plan;
}

// True when the file starts with the "MZ" header of a Windows executable, or cannot be read, in
// which case CreateProcessW reports why.
bool may_be_program(const std::string& path) {
  win32::Handle file(CreateFileW(win32::widen(path).c_str(), GENERIC_READ,
                                 FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr, OPEN_EXISTING,
                                 FILE_ATTRIBUTE_NORMAL, nullptr));
  if (!file.valid()) {
    return true;
  }
  char header[2] = {};
  DWORD read = 0;
  if (!ReadFile(file.get(), header, sizeof header, &read, nullptr)) {
    return true;
  }
  return read == sizeof header && header[0] == 'M' && header[1] == 'Z';
}

ScriptPlan plan_file(const ScriptRequest& request, const Candidate& script) {
  if (!request.interpreter.empty()) {
    return plan_with_interpreter(request, script.path);
  }
  // The extension is tested on the full path, where Windows has already dropped trailing dots
  // and spaces: "run.bat. ." is a batch file.
  if (batch::is_batch_file(script.path)) {
    return batch_plan(request, script.path, {});
  }
  // A text file or a script for another interpreter (.ps1, .py…) would fail in CreateProcessW
  // with "not a valid Win32 application" and be reported with 127, the code for "not found".
  if (!may_be_program(script.path)) {
    return failure(126, {Msg::script_not_a_program, {script.path, request.queue_file}});
  }
  return program_plan(script.path, {}, parameter_text(request));
}

}  // namespace

ScriptPlan plan_script(const ScriptRequest& request) {
  if (request.script.empty()) {
    return failure(127, {Msg::script_empty, {}});
  }
  const auto found = find_file(request.script, request.working_directory, request.environment);
  if (found && found->is_directory) {
    return failure(126, {Msg::script_is_directory, {request.script}});
  }
  if (found) {
    return check_length(plan_file(request, *found));
  }
  if (looks_like_command(request.script)) {
    return check_length(plan_inline(request));
  }
  return failure(127, {Msg::script_not_found, {request.script}});
}

}  // namespace vtsubmit::platform
