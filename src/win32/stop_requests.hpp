#pragma once

#include <windows.h>

namespace vtsubmit::win32 {

// Manual-reset event set when a console control event requests a stop. Valid after
// platform::install_stop_handlers(); the job and helper wait loops wait on it.
HANDLE stop_event();

// Stop-request numbers are console control event codes plus one, so that 0 means "none".
constexpr int stop_request_from_event(DWORD event) {
  return static_cast<int>(event) + 1;
}

}  // namespace vtsubmit::win32
