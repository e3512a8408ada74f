// Console control events (Ctrl+C, Ctrl+Break, closing the console, logoff, shutdown) become a
// stop request, as SIGTERM and SIGINT do on POSIX.

#include "win32/stop_requests.hpp"

#include <atomic>
#include <cstdio>
#include <string>

#include "common/platform.hpp"

namespace vtsubmit::win32 {

namespace {

std::atomic<int> first_stop_request{0};
HANDLE stop_event_handle = nullptr;

BOOL WINAPI on_console_event(DWORD event) {
  // A console program started by a service gets CTRL_LOGOFF_EVENT whenever any user logs off;
  // that must not stop the job.
  if (event == CTRL_LOGOFF_EVENT) {
    return TRUE;
  }
  int expected = 0;
  first_stop_request.compare_exchange_strong(expected, stop_request_from_event(event));
  if (stop_event_handle != nullptr) {
    SetEvent(stop_event_handle);
  }
  if (event == CTRL_CLOSE_EVENT || event == CTRL_SHUTDOWN_EVENT) {
    // Windows ends the process as soon as the handler returns, so the handler waits while the
    // main thread stops the job and reports it. The system still ends the process after its
    // own timeout (about 5 s for a console close); the job object then ends the job's tree.
    Sleep(INFINITE);
  }
  return TRUE;
}

}  // namespace

HANDLE stop_event() {
  return stop_event_handle;
}

}  // namespace vtsubmit::win32

namespace vtsubmit::platform {

void install_stop_handlers() {
  if (win32::stop_event_handle == nullptr) {
    win32::stop_event_handle = CreateEventW(nullptr, TRUE, FALSE, nullptr);
  }
  SetConsoleCtrlHandler(win32::on_console_event, TRUE);
}

int pending_stop_request() {
  return win32::first_stop_request.load();
}

std::string signal_name(int signal_number) {
  switch (signal_number - 1) {
    case CTRL_C_EVENT: return "CTRL_C_EVENT";
    case CTRL_BREAK_EVENT: return "CTRL_BREAK_EVENT";
    case CTRL_CLOSE_EVENT: return "CTRL_CLOSE_EVENT";
    case CTRL_LOGOFF_EVENT: return "CTRL_LOGOFF_EVENT";
    case CTRL_SHUTDOWN_EVENT: return "CTRL_SHUTDOWN_EVENT";
    default: return "console event " + std::to_string(signal_number - 1);
  }
}

StopSteps stop_steps() {
  // The job gets Ctrl+Break in its own console process group, then its job object is ended.
  return {"CTRL_BREAK_EVENT", "TerminateJobObject"};
}

int stop_exit_code(int) {
  // STATUS_CONTROL_C_EXIT, what a console program ended by Ctrl+C returns.
  return static_cast<int>(0xC000013Au);
}

std::string describe_exit_code(int exit_code) {
  struct KnownCode {
    DWORD code;
    const char* words;
  };
  static constexpr KnownCode known_codes[] = {
      {0xC0000005u, "access violation"},
      {0xC0000006u, "in-page error"},
      {0xC000001Du, "illegal instruction"},
      {0xC0000094u, "integer division by zero"},
      {0xC0000096u, "privileged instruction"},
      {0xC00000FDu, "stack overflow"},
      {0xC0000135u, "DLL not found"},
      {0xC0000142u, "DLL initialization failed"},
      {0xC000013Au, "Ctrl+C or console closed"},
      {0xC0000374u, "heap corruption"},
      {0xC0000409u, "stack buffer overrun"},
      {0x40010004u, "ended at system shutdown or by a debugger"},
      {9009u, "command not found by cmd.exe"},
  };
  const auto code = static_cast<DWORD>(exit_code);
  char hex[16];
  std::snprintf(hex, sizeof hex, "0x%08lX", static_cast<unsigned long>(code));
  for (const auto& known : known_codes) {
    if (known.code == code) {
      return code > 0xFFFF ? std::string(hex) + " (" + known.words + ")" : std::string(known.words);
    }
  }
  if ((code & 0x80000000u) != 0) {
    return hex;
  }
  return {};
}

}  // namespace vtsubmit::platform
