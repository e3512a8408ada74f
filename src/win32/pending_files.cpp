// Pending-report files on Windows: written through a temporary file, flushed and renamed with
// MoveFileExW. The "lock" is an open handle that shares only deletion, so no other process can
// open the file for reading until the handle is closed, which Windows does when the process ends.

#include <windows.h>

#include <filesystem>
#include <string>

#include "common/pending_report.hpp"
#include "win32/win32_util.hpp"

namespace vtsubmit::platform {

namespace {

std::error_code last_error() {
  return {static_cast<int>(GetLastError()), std::system_category()};
}

HANDLE to_handle(const PendingFileLock& lock) {
  return reinterpret_cast<HANDLE>(lock.handle);
}

}  // namespace

std::error_code create_pending_folder(const std::string& path) {
  std::error_code error;
  std::filesystem::create_directories(std::filesystem::path(win32::widen(path)), error);
  return error;
}

std::error_code write_pending_file(const std::string& path, std::string_view contents, PendingFileLock& lock) {
  const std::wstring temporary = win32::widen(path + ".tmp");
  const HANDLE file = CreateFileW(temporary.c_str(), GENERIC_WRITE | DELETE, FILE_SHARE_DELETE, nullptr,
                                  CREATE_NEW, FILE_ATTRIBUTE_NORMAL, nullptr);
  if (file == INVALID_HANDLE_VALUE) {
    return last_error();
  }
  DWORD written = 0;
  const bool ok = WriteFile(file, contents.data(), static_cast<DWORD>(contents.size()), &written, nullptr) &&
                  written == contents.size() && FlushFileBuffers(file) &&
                  MoveFileExW(temporary.c_str(), win32::widen(path).c_str(),
                              MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH);
  if (!ok) {
    const auto error = last_error();
    CloseHandle(file);
    DeleteFileW(temporary.c_str());
    return error;
  }
  lock.handle = reinterpret_cast<std::intptr_t>(file);
  return {};
}

bool claim_pending_file(const std::string& path, PendingFileLock& lock, std::string& contents) {
  // NOTE: unlike POSIX, the owner of the file is not checked; the folder's permissions must
  // keep other users from writing reports into it.
  const HANDLE file = CreateFileW(win32::widen(path).c_str(), GENERIC_READ | DELETE, FILE_SHARE_DELETE, nullptr,
                                  OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr);
  if (file == INVALID_HANDLE_VALUE) {
    return false;
  }
  LARGE_INTEGER size{};
  if (!GetFileSizeEx(file, &size) || static_cast<unsigned long long>(size.QuadPart) > max_pending_file_bytes) {
    CloseHandle(file);
    return false;
  }
  contents.assign(static_cast<std::size_t>(size.QuadPart), '\0');
  DWORD read = 0;
  if (!contents.empty() &&
      (!ReadFile(file, contents.data(), static_cast<DWORD>(contents.size()), &read, nullptr) ||
       read != contents.size())) {
    CloseHandle(file);
    return false;
  }
  lock.handle = reinterpret_cast<std::intptr_t>(file);
  return true;
}

std::error_code remove_pending_file(const std::string& path, PendingFileLock& lock) {
  // Deleting through the held handle makes the name disappear when the handle closes, so no
  // other process can claim the file in between. Under Wine 8.0 the name stayed after the close,
  // hence DeleteFileW after it.
  FILE_DISPOSITION_INFO disposition{};
  disposition.DeleteFile = TRUE;
  SetFileInformationByHandle(to_handle(lock), FileDispositionInfo, &disposition, sizeof disposition);
  release_pending_file(lock);
  if (!DeleteFileW(win32::widen(path).c_str()) && GetLastError() != ERROR_FILE_NOT_FOUND) {
    return last_error();
  }
  return {};
}

void release_pending_file(PendingFileLock& lock) {
  if (lock.handle != -1) {
    CloseHandle(to_handle(lock));
    lock.handle = -1;
  }
}

}  // namespace vtsubmit::platform
