// tsend, vtgestlog and gestlog: started with vtsubmit's stdout and stderr, stdin on NUL, and
// ended with their whole tree when they run past the timeout.

#include <windows.h>

#include "common/batch_quote.hpp"
#include "common/cmdline_tail.hpp"
#include "common/platform.hpp"
#include "win32/win32_util.hpp"

namespace vtsubmit::platform {

namespace {

// A helper that is a batch file (a site's wrapper) runs through cmd.exe with escaped arguments,
// so a tsend message with & or % cannot run commands.
bool helper_command_line(const std::string& program, const std::vector<std::string>& args,
                         std::wstring& application, std::wstring& line) {
  if (batch::is_batch_file(program)) {
    const auto cmd = win32::narrow(win32::system_cmd_exe());
    const auto built = batch::make_batch_command_line(cmd, program, args);
    if (built.error != batch::CommandLineError::none) {
      return false;
    }
    application = win32::widen(cmd);
    line = win32::widen(built.command_line);
    return true;
  }
  std::string text = "\"" + program + "\"";
  for (const auto& arg : args) {
    text += ' ';
    text += cmdline::quote_crt_argument(arg);
  }
  application = win32::widen(program);
  line = win32::widen(text);
  return true;
}

}  // namespace

HelperResult run_helper(const std::string& program, const std::vector<std::string>& args,
                        const std::vector<std::string>& environment, std::chrono::seconds timeout) {
  HelperResult result;
  win32::StartRequest request;
  if (!helper_command_line(program, args, request.application, request.command_line)) {
    result.start_error = std::make_error_code(std::errc::invalid_argument);
    return result;
  }
  if (GetFileAttributesW(win32::widen(program).c_str()) == INVALID_FILE_ATTRIBUTES) {
    result.start_error = win32::last_error();
    return result;
  }

  const auto null_input = win32::open_null_input();
  const auto out = win32::inheritable_copy(GetStdHandle(STD_OUTPUT_HANDLE));
  const auto err = win32::inheritable_copy(GetStdHandle(STD_ERROR_HANDLE));
  request.environment = &environment;
  request.stdin_handle = null_input.get();
  request.stdout_handle = out.valid() ? out.get() : null_input.get();
  request.stderr_handle = err.valid() ? err.get() : null_input.get();
  request.extra_flags = CREATE_SUSPENDED | CREATE_NEW_PROCESS_GROUP;
  auto started = win32::start_process(request);
  if (!started.process.valid()) {
    result.start_error = started.error;
    return result;
  }
  result.started = true;

  // A job object, so that a timeout also ends what a batch helper started.
  win32::Handle job(CreateJobObjectW(nullptr, nullptr));
  if (job.valid()) {
    JOBOBJECT_EXTENDED_LIMIT_INFORMATION limits{};
    limits.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
    if (!SetInformationJobObject(job.get(), JobObjectExtendedLimitInformation, &limits, sizeof(limits)) ||
        !AssignProcessToJobObject(job.get(), started.process.get())) {
      job.reset();
    }
  }
  ResumeThread(started.thread.get());

  const auto milliseconds = std::chrono::duration_cast<std::chrono::milliseconds>(timeout).count();
  if (WaitForSingleObject(started.process.get(), static_cast<DWORD>(milliseconds)) != WAIT_OBJECT_0) {
    result.timed_out = true;
    if (job.valid()) {
      TerminateJobObject(job.get(), 1);
    } else {
      TerminateProcess(started.process.get(), 1);
    }
    WaitForSingleObject(started.process.get(), INFINITE);
  }
  DWORD exit_code = 0;
  GetExitCodeProcess(started.process.get(), &exit_code);
  result.exit_code = static_cast<int>(exit_code);
  return result;
}

}  // namespace vtsubmit::platform
