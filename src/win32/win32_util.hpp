#pragma once

// Small helpers shared by the Windows platform files: UTF-8/UTF-16 conversion, Win32 error
// codes as std::error_code, and an owning HANDLE.

#include <windows.h>

#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace vtsubmit::win32 {

// UTF-8 to UTF-16 and back. A lone surrogate survives the round trip as WTF-8 bytes, and other
// invalid UTF-8 becomes U+FFFD.
std::wstring widen(std::string_view utf8);
std::string narrow(std::wstring_view utf16);

// Error category for GetLastError() values: messages come from FormatMessageW, and the common
// start errors compare equal to std::errc values (not found, permission denied, bad format).
const std::error_category& win32_category();

inline std::error_code last_error() {
  return {static_cast<int>(GetLastError()), win32_category()};
}

inline std::error_code error_from(DWORD code) {
  return {static_cast<int>(code), win32_category()};
}

// Owns one HANDLE and closes it.
class Handle {
 public:
  Handle() = default;
  explicit Handle(HANDLE handle) : handle_(handle) {}
  ~Handle() { reset(); }
  Handle(Handle&& other) noexcept : handle_(other.release()) {}
  Handle& operator=(Handle&& other) noexcept {
    if (this != &other) {
      reset(other.release());
    }
    return *this;
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;

  HANDLE get() const { return handle_; }
  bool valid() const { return handle_ != nullptr && handle_ != INVALID_HANDLE_VALUE; }
  HANDLE release() {
    HANDLE handle = handle_;
    handle_ = nullptr;
    return handle;
  }
  void reset(HANDLE handle = nullptr) {
    if (valid()) {
      CloseHandle(handle_);
    }
    handle_ = handle;
  }

 private:
  HANDLE handle_ = nullptr;
};

// Returns %SystemRoot%\System32\cmd.exe from GetSystemDirectoryW, never %COMSPEC% or a PATH search.
std::wstring system_cmd_exe();

// Builds a CREATE_UNICODE_ENVIRONMENT block from "NAME=value" entries.
std::vector<wchar_t> environment_block(const std::vector<std::string>& entries);

// Returns an inheritable duplicate of `handle`, or an invalid Handle when `handle` is unusable.
Handle inheritable_copy(HANDLE handle);

// Opens the NUL device for reading, inheritable: the stdin of every child.
Handle open_null_input();

// Child process started with only the given handles inherited (PROC_THREAD_ATTRIBUTE_HANDLE_LIST).
struct StartedProcess {
  Handle process;
  Handle thread;
  DWORD pid = 0;
  std::error_code error;   // when process is invalid
};

struct StartRequest {
  std::wstring application;         // lpApplicationName: full path, never searched
  std::wstring command_line;        // written into a writable copy, as CreateProcessW requires
  const std::vector<std::string>* environment = nullptr;
  std::wstring working_directory;   // empty: inherited
  HANDLE stdin_handle = nullptr;    // all three must be inheritable
  HANDLE stdout_handle = nullptr;
  HANDLE stderr_handle = nullptr;
  DWORD extra_flags = 0;            // CREATE_SUSPENDED, CREATE_NEW_PROCESS_GROUP…
};

StartedProcess start_process(const StartRequest& request);

}  // namespace vtsubmit::win32
