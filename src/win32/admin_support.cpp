// Windows side of the admin commands: the running executable, the queue program (a copy of
// vtsubmit.exe), and the redirection of stdout/stderr to the job logs for `vtsubmit simulate`.

#include <windows.h>

#include <fcntl.h>
#include <io.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>

#include "common/platform.hpp"
#include "win32/win32_util.hpp"

namespace vtsubmit::platform {

namespace {

// Points the standard handle at what CRT descriptor `fd` now holds: run_job and run_helper pass
// the standard handles, not the descriptors, to the job.
void sync_standard_handle(DWORD which, int fd) {
  const auto handle = reinterpret_cast<HANDLE>(_get_osfhandle(fd));
  if (handle != INVALID_HANDLE_VALUE) {
    SetStdHandle(which, handle);
  }
}

int open_log(const std::string& path) {
  return _wopen(win32::widen(path).c_str(), _O_WRONLY | _O_CREAT | _O_TRUNC | _O_BINARY | _O_NOINHERIT,
                _S_IREAD | _S_IWRITE);
}

}  // namespace

std::string self_executable_path() {
  std::wstring buffer(32768, L'\0');
  const DWORD length = GetModuleFileNameW(nullptr, buffer.data(), static_cast<DWORD>(buffer.size()));
  if (length == 0 || length >= buffer.size()) {
    return {};
  }
  buffer.resize(length);
  return win32::narrow(buffer);
}

std::string queue_program_file_name(const std::string& name) {
  return name + ".exe";
}

std::error_code create_program_link(const std::string& target, const std::string& link) {
  std::error_code error;
  std::filesystem::copy_file(std::filesystem::path(win32::widen(target)), std::filesystem::path(win32::widen(link)),
                             error);
  return error;
}

std::error_code redirect_output(const std::string& out_path, const std::string& err_path, SavedOutput& saved) {
  std::fflush(stdout);
  std::fflush(stderr);
  const int out = open_log(out_path);
  if (out < 0) {
    return {errno, std::generic_category()};
  }
  const int err = open_log(err_path);
  if (err < 0) {
    const int code = errno;
    _close(out);
    return {code, std::generic_category()};
  }
  saved.out = _dup(1);
  saved.err = _dup(2);
  _dup2(out, 1);
  _dup2(err, 2);
  _close(out);
  _close(err);
  sync_standard_handle(STD_OUTPUT_HANDLE, 1);
  sync_standard_handle(STD_ERROR_HANDLE, 2);
  return {};
}

void restore_output(SavedOutput& saved) {
  std::fflush(stdout);
  std::fflush(stderr);
  if (saved.out >= 0) {
    _dup2(saved.out, 1);
    _close(saved.out);
    saved.out = -1;
    sync_standard_handle(STD_OUTPUT_HANDLE, 1);
  }
  if (saved.err >= 0) {
    _dup2(saved.err, 2);
    _close(saved.err);
    saved.err = -1;
    sync_standard_handle(STD_ERROR_HANDLE, 2);
  }
}

}  // namespace vtsubmit::platform
