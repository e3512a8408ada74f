// Pending-report files on Windows: written through a temporary file, flushed and renamed with
// MoveFileExW. The "lock" is an open handle that shares only deletion, so no other process can
// open the file for reading until the handle is closed, which Windows does when the process ends.
// A report contains the environment that tsend runs with, so its DACL gives access to its user
// alone. A report is sent again only when it belongs to the current user and no other user may
// write to it. The POSIX files have mode 0600 and the same check.

#include <windows.h>

#include <aclapi.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

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

std::vector<unsigned char> token_information(HANDLE token, TOKEN_INFORMATION_CLASS kind) {
  DWORD size = 0;
  GetTokenInformation(token, kind, nullptr, 0, &size);
  std::vector<unsigned char> buffer(size);
  if (size == 0 || !GetTokenInformation(token, kind, buffer.data(), size, &size)) {
    buffer.clear();
  }
  return buffer;
}

// The user of this process and the default owner of what it creates: the user itself, or the
// Administrators group for an elevated administrator or for LocalSystem.
class ProcessIdentity {
 public:
  static std::optional<ProcessIdentity> current() {
    HANDLE token = nullptr;
    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token)) {
      return std::nullopt;
    }
    const win32::Handle owned_token(token);
    ProcessIdentity identity;
    identity.user_ = token_information(token, TokenUser);
    identity.owner_ = token_information(token, TokenOwner);
    if (identity.user_.empty() || identity.owner_.empty()) {
      return std::nullopt;
    }
    return identity;
  }

  PSID user() const { return reinterpret_cast<const TOKEN_USER*>(user_.data())->User.Sid; }
  PSID default_owner() const { return reinterpret_cast<const TOKEN_OWNER*>(owner_.data())->Owner; }

 private:
  std::vector<unsigned char> user_;
  std::vector<unsigned char> owner_;
};

// A security descriptor whose protected DACL grants full access to one user: inherited entries,
// such as Users or Authenticated Users on the agent's folders, do not apply to the file.
class PrivateFileSecurity {
 public:
  explicit PrivateFileSecurity(PSID user) {
    const DWORD acl_size = sizeof(ACL) + sizeof(ACCESS_ALLOWED_ACE) - sizeof(DWORD) + GetLengthSid(user);
    acl_.resize(acl_size);
    auto* acl = reinterpret_cast<PACL>(acl_.data());
    valid_ = InitializeAcl(acl, acl_size, ACL_REVISION) && AddAccessAllowedAce(acl, ACL_REVISION, FILE_ALL_ACCESS, user) &&
             InitializeSecurityDescriptor(&descriptor_, SECURITY_DESCRIPTOR_REVISION) &&
             SetSecurityDescriptorDacl(&descriptor_, TRUE, acl, FALSE) &&
             SetSecurityDescriptorControl(&descriptor_, SE_DACL_PROTECTED, SE_DACL_PROTECTED);
    attributes_ = {sizeof(attributes_), &descriptor_, FALSE};
  }
  PrivateFileSecurity(const PrivateFileSecurity&) = delete;
  PrivateFileSecurity& operator=(const PrivateFileSecurity&) = delete;

  // nullptr when the descriptor could not be built: the file then gets the folder's permissions.
  SECURITY_ATTRIBUTES* attributes() { return valid_ ? &attributes_ : nullptr; }

 private:
  std::vector<unsigned char> acl_;
  SECURITY_DESCRIPTOR descriptor_{};
  SECURITY_ATTRIBUTES attributes_{};
  bool valid_ = false;
};

bool is_well_known(PSID sid, WELL_KNOWN_SID_TYPE type) {
  unsigned char buffer[SECURITY_MAX_SID_SIZE];
  DWORD size = sizeof buffer;
  return CreateWellKnownSid(type, nullptr, buffer, &size) && EqualSid(sid, buffer);
}

bool is_own(PSID sid, const ProcessIdentity& identity) {
  return EqualSid(sid, identity.user()) || EqualSid(sid, identity.default_owner());
}

// The principals besides the owner that may write a report: the system and the administrators,
// who can change any file anyway, and OWNER RIGHTS, which is the owner.
bool may_write_reports(PSID sid, const ProcessIdentity& identity) {
  return is_own(sid, identity) || is_well_known(sid, WinLocalSystemSid) ||
         is_well_known(sid, WinBuiltinAdministratorsSid) || is_well_known(sid, WinCreatorOwnerRightsSid);
}

// True when an entry of the DACL lets any other principal change the file's contents or
// permissions: Everyone, Users, Authenticated Users, another user…
bool grants_write_to_others(const ACL* dacl, const ProcessIdentity& identity) {
  constexpr ACCESS_MASK write_access =
      FILE_WRITE_DATA | FILE_APPEND_DATA | WRITE_DAC | WRITE_OWNER | GENERIC_WRITE | GENERIC_ALL;
  for (DWORD index = 0; index < dacl->AceCount; ++index) {
    void* entry = nullptr;
    if (!GetAce(const_cast<ACL*>(dacl), index, &entry)) {
      return true;
    }
    const auto* header = static_cast<const ACE_HEADER*>(entry);
    if ((header->AceFlags & INHERIT_ONLY_ACE) != 0) {
      continue;
    }
    // Every ACE layout has the access mask right after the header.
    const auto mask = *reinterpret_cast<const ACCESS_MASK*>(header + 1);
    switch (header->AceType) {
      case ACCESS_ALLOWED_ACE_TYPE:
      case ACCESS_ALLOWED_CALLBACK_ACE_TYPE: {
        const auto* allowed = static_cast<const ACCESS_ALLOWED_ACE*>(entry);
        const auto sid = const_cast<DWORD*>(&allowed->SidStart);
        if ((mask & write_access) != 0 && !may_write_reports(sid, identity)) {
          return true;
        }
        break;
      }
      case ACCESS_ALLOWED_COMPOUND_ACE_TYPE:
      case ACCESS_ALLOWED_OBJECT_ACE_TYPE:
      case ACCESS_ALLOWED_CALLBACK_OBJECT_ACE_TYPE:
        // Object and compound entries name a principal elsewhere, so one that allows writing
        // counts as a grant to someone else.
        if ((mask & write_access) != 0) {
          return true;
        }
        break;
      default:
        // Denials only take rights away. Audit and label entries grant nothing.
        break;
    }
  }
  return false;
}

// True when the open file belongs to this process's user (or its default owner) and no other
// principal may write to it.
bool is_private_report(HANDLE file) {
  const auto identity = ProcessIdentity::current();
  if (!identity) {
    return false;
  }
  PSID owner = nullptr;
  PACL dacl = nullptr;
  PSECURITY_DESCRIPTOR descriptor = nullptr;
  if (GetSecurityInfo(file, SE_FILE_OBJECT, OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION, &owner, nullptr,
                      &dacl, nullptr, &descriptor) != ERROR_SUCCESS) {
    return false;
  }
  // A NULL DACL grants everything to everyone.
  const bool usable = owner != nullptr && is_own(owner, *identity) && dacl != nullptr &&
                      !grants_write_to_others(dacl, *identity);
  LocalFree(descriptor);
  return usable;
}

}  // namespace

std::error_code create_pending_folder(const std::string& path) {
  std::error_code error;
  std::filesystem::create_directories(std::filesystem::path(win32::widen(path)), error);
  return error;
}

std::error_code write_pending_file(const std::string& path, std::string_view contents, PendingFileLock& lock) {
  const std::wstring temporary = win32::widen(path + ".tmp");
  const auto identity = ProcessIdentity::current();
  std::optional<PrivateFileSecurity> security;
  if (identity) {
    security.emplace(identity->user());
  }
  const HANDLE file = CreateFileW(temporary.c_str(), GENERIC_WRITE | DELETE, FILE_SHARE_DELETE,
                                  security ? security->attributes() : nullptr, CREATE_NEW, FILE_ATTRIBUTE_NORMAL,
                                  nullptr);
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
  const HANDLE file = CreateFileW(win32::widen(path).c_str(), GENERIC_READ | DELETE | READ_CONTROL,
                                  FILE_SHARE_DELETE, nullptr, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr);
  if (file == INVALID_HANDLE_VALUE) {
    return false;
  }
  // NOTE: Wine 8.0 reports the Unix owner of every file as the current user and ignores a new
  // owner, so only the DACL part of this check has run under Wine.
  LARGE_INTEGER size{};
  if (!is_private_report(file) || !GetFileSizeEx(file, &size) ||
      static_cast<unsigned long long>(size.QuadPart) > max_pending_file_bytes) {
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
