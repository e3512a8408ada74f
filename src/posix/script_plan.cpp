// How TOM_SCRIPT becomes a command on POSIX.
//
// An existing path is a script file. It runs through the queue file's interpreter when there is
// one. Otherwise it is executed directly, with /bin/sh when the kernel cannot execute it (as
// execvp does), or read by /bin/sh when it is readable but not executable. A missing plain path
// is "not found" (127). A bare word found in PATH is a file too. Anything else is an inline
// command run by the inline prefix, "/bin/sh -c" by default.

#include <cerrno>
#include <string>
#include <string_view>
#include <vector>

#include <sys/stat.h>
#include <unistd.h>

#include "common/platform.hpp"
#include "posix/path_lookup.hpp"
#include "posix/posix_error.hpp"

namespace vtsubmit::platform {

namespace {

constexpr int exit_not_executable = 126;
constexpr int exit_not_found = 127;

// Characters that make a shell do more than run one file: blanks, operators, quoting,
// expansions and globbing.
constexpr std::string_view shell_special_characters = " \t\n\r\v\f|&;<>()$`\\\"'*?[]#~={}!";

bool has_shell_special_character(const std::string& text) {
  return text.find_first_of(shell_special_characters) != std::string::npos;
}

// "/opt/jobs/run.sh", "./run.sh": a path, not a command line.
bool looks_like_plain_path(const std::string& script) {
  return script.find('/') != std::string::npos && !has_shell_special_character(script);
}

// "backup": one word that can only be a command name.
bool is_bare_word(const std::string& script) {
  return script.find('/') == std::string::npos && !has_shell_special_character(script);
}

std::string base_name(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Shells whose "-c" takes the command and then $0, $1…: for them the job name is given as $0,
// so the parameters land in $1, $2…
bool is_posix_shell(const std::string& program) {
  static constexpr std::string_view shells[] = {"sh", "bash", "dash", "ksh", "ksh93", "mksh", "zsh"};
  const std::string name = base_name(program);
  for (const auto shell : shells) {
    if (name == shell) {
      return true;
    }
  }
  return false;
}

ScriptPlan failure(int exit_code, Msg id, std::vector<MessageArg> args) {
  ScriptPlan plan;
  plan.exit_code = exit_code;
  plan.error = Message{id, std::move(args)};
  return plan;
}

// Resolves an interpreter or inline-prefix program: through PATH without '/', else as a path.
// Returns an empty string and sets `error` when it is not an executable file.
std::string resolve_program(const std::string& program, const ScriptRequest& request, int& error) {
  if (program.find('/') == std::string::npos) {
    std::string found = posix::find_in_path(program, request.environment, request.working_directory);
    error = found.empty() ? ENOENT : 0;
    return found;
  }
  std::string path = posix::absolute_path(program, request.working_directory);
  struct stat status {};
  if (stat(path.c_str(), &status) != 0) {
    error = errno;
    return {};
  }
  if (!is_executable_file(path)) {
    error = EACCES;
    return {};
  }
  error = 0;
  return path;
}

ScriptPlan plan_file(const ScriptRequest& request, const std::string& path) {
  struct stat status {};
  if (stat(path.c_str(), &status) != 0) {
    return failure(exit_not_found, Msg::script_not_found, {request.script});
  }
  if (S_ISDIR(status.st_mode)) {
    return failure(exit_not_executable, Msg::script_is_directory, {request.script});
  }
  if (!S_ISREG(status.st_mode)) {
    // A FIFO or a device: execve refuses those with EACCES.
    return failure(exit_not_executable, Msg::script_not_executable, {request.script, posix::errno_text(EACCES)});
  }

  ScriptPlan plan;
  plan.ok = true;
  plan.command.script_is_file = true;
  auto& argv = plan.command.argv;

  if (!request.interpreter.empty()) {
    int error = 0;
    plan.command.program = resolve_program(request.interpreter.front(), request, error);
    if (plan.command.program.empty()) {
      return failure(exit_not_found, Msg::interpreter_not_found,
                     {request.interpreter.front(), request.queue_file, posix::errno_text(error)});
    }
    if (access(path.c_str(), R_OK) != 0) {
      return failure(exit_not_executable, Msg::script_not_executable, {request.script, posix::errno_text(errno)});
    }
    argv = request.interpreter;
    argv.push_back(path);
  } else if (access(path.c_str(), X_OK) == 0) {
    plan.command.program = path;
    plan.command.shell_fallback = true;
    argv.push_back(path);
  } else if (access(path.c_str(), R_OK) == 0) {
    // What "sh script" does for a script that lost its execute bit.
    plan.command.program = "/bin/sh";
    argv = {"/bin/sh", path};
  } else {
    return failure(exit_not_executable, Msg::script_not_executable, {request.script, posix::errno_text(errno)});
  }
  argv.insert(argv.end(), request.parameters.begin(), request.parameters.end());
  return plan;
}

ScriptPlan plan_inline(const ScriptRequest& request) {
  const std::vector<std::string> prefix =
      request.inline_prefix.empty() ? default_inline_prefix() : request.inline_prefix;
  int error = 0;
  const std::string program = resolve_program(prefix.front(), request, error);
  if (program.empty()) {
    return failure(exit_not_found, Msg::interpreter_not_found,
                   {prefix.front(), request.queue_file, posix::errno_text(error)});
  }

  ScriptPlan plan;
  plan.ok = true;
  plan.command.program = program;
  auto& argv = plan.command.argv;
  argv = prefix;
  argv.push_back(request.script);
  if (is_posix_shell(prefix.front()) && prefix.size() >= 2 && prefix.back() == "-c") {
    argv.push_back(request.inline_arg0.empty() ? "vtsubmit" : request.inline_arg0);
  }
  argv.insert(argv.end(), request.parameters.begin(), request.parameters.end());
  return plan;
}

}  // namespace

ScriptPlan plan_script(const ScriptRequest& request) {
  if (request.script.empty()) {
    return failure(exit_not_found, Msg::script_empty, {});
  }

  const std::string path = posix::absolute_path(request.script, request.working_directory);
  struct stat status {};
  if (stat(path.c_str(), &status) == 0) {
    return plan_file(request, path);
  }
  const int stat_error = errno;

  if (looks_like_plain_path(request.script)) {
    if (stat_error == EACCES) {
      // A directory on the way is not searchable: the file may exist, the job's user cannot reach it.
      return failure(exit_not_executable, Msg::script_not_executable, {request.script, posix::errno_text(stat_error)});
    }
    return failure(exit_not_found, Msg::script_not_found, {request.script});
  }
  if (is_bare_word(request.script)) {
    const std::string found = posix::find_in_path(request.script, request.environment, request.working_directory);
    if (!found.empty()) {
      return plan_file(request, found);
    }
  }
  return plan_inline(request);
}

}  // namespace vtsubmit::platform
