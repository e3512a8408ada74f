// Windows versions of the platform's environment, file and naming functions.

#include <windows.h>

#include <filesystem>

#include "common/platform.hpp"
#include "win32/win32_util.hpp"

namespace vtsubmit::platform {

namespace {

bool has_extension(const std::string& name) {
  const auto slash = name.find_last_of("\\/");
  const auto dot = name.rfind('.');
  return dot != std::string::npos && (slash == std::string::npos || dot > slash);
}

bool is_regular_file(const std::string& path) {
  const DWORD attributes = GetFileAttributesW(win32::widen(path).c_str());
  return attributes != INVALID_FILE_ATTRIBUTES && (attributes & FILE_ATTRIBUTE_DIRECTORY) == 0;
}

}  // namespace

Environment current_environment() {
  Environment environment(true);
  wchar_t* block = GetEnvironmentStringsW();
  if (block == nullptr) {
    return environment;
  }
  std::vector<std::string> entries;
  for (const wchar_t* entry = block; *entry != L'\0'; entry += wcslen(entry) + 1) {
    entries.push_back(win32::narrow(entry));
  }
  FreeEnvironmentStringsW(block);
  return Environment::from_entries(entries, true);
}

std::string default_init_file() {
  return "${TOM_ADMIN}\\vtom_init.bat";
}

std::vector<std::string> default_inline_prefix() {
  // Empty: plan_script runs an inline TOM_SCRIPT with the system cmd.exe /d /e:ON /v:OFF /s /c.
  return {};
}

// "<directory>\<name>.exe"; when that file does not exist but <name>.bat or <name>.cmd does, that
// batch file (a site may wrap tsend or vtgestlog in a script).
std::string program_path(const std::string& directory, const std::string& name) {
  std::string base = directory;
  if (!base.empty() && base.back() != '\\' && base.back() != '/') {
    base += '\\';
  }
  base += name;
  if (has_extension(name)) {
    return base;
  }
  for (const char* extension : {".exe", ".bat", ".cmd"}) {
    if (is_regular_file(base + extension)) {
      return base + extension;
    }
  }
  return base + ".exe";
}

bool is_executable_file(const std::string& path) {
  return is_regular_file(path);
}

std::error_code read_file(const std::string& path, std::string& contents, std::size_t max_bytes) {
  contents.clear();
  win32::Handle file(CreateFileW(win32::widen(path).c_str(), GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE,
                                 nullptr, OPEN_EXISTING, FILE_FLAG_SEQUENTIAL_SCAN, nullptr));
  if (!file.valid()) {
    const auto error = win32::last_error();
    // Opening a folder as a file fails with ERROR_ACCESS_DENIED, which would send the reader
    // looking for a permission problem.
    const DWORD attributes = GetFileAttributesW(win32::widen(path).c_str());
    if (attributes != INVALID_FILE_ATTRIBUTES && (attributes & FILE_ATTRIBUTE_DIRECTORY) != 0) {
      return std::make_error_code(std::errc::is_a_directory);
    }
    return error;
  }
  BY_HANDLE_FILE_INFORMATION information{};
  if (GetFileInformationByHandle(file.get(), &information) &&
      (information.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) != 0) {
    return std::make_error_code(std::errc::is_a_directory);
  }
  char buffer[65536];
  for (;;) {
    DWORD count = 0;
    if (!ReadFile(file.get(), buffer, sizeof buffer, &count, nullptr)) {
      return win32::last_error();
    }
    if (count == 0) {
      return {};
    }
    if (contents.size() + count > max_bytes) {
      return std::make_error_code(std::errc::file_too_large);
    }
    contents.append(buffer, count);
  }
}

std::string current_user_name() {
  wchar_t buffer[256];
  DWORD size = 256;
  if (GetUserNameW(buffer, &size) && size > 0) {
    return win32::narrow(std::wstring_view(buffer, size - 1));
  }
  const wchar_t* fallback = _wgetenv(L"USERNAME");
  return fallback != nullptr ? win32::narrow(fallback) : std::string();
}

std::string host_name() {
  wchar_t buffer[MAX_COMPUTERNAME_LENGTH + 1];
  DWORD size = MAX_COMPUTERNAME_LENGTH + 1;
  if (GetComputerNameW(buffer, &size)) {
    return win32::narrow(std::wstring_view(buffer, size));
  }
  return {};
}

}  // namespace vtsubmit::platform
