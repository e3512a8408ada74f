#include "win32/win32_util.hpp"

#include <algorithm>

namespace vtsubmit::win32 {

namespace {

class Win32Category : public std::error_category {
 public:
  const char* name() const noexcept override { return "win32"; }

  std::string message(int code) const override {
    wchar_t* buffer = nullptr;
    const DWORD length = FormatMessageW(
        FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, nullptr,
        static_cast<DWORD>(code), MAKELANGID(LANG_ENGLISH, SUBLANG_ENGLISH_US), reinterpret_cast<wchar_t*>(&buffer),
        0, nullptr);
    std::string text;
    if (length > 0 && buffer != nullptr) {
      text = narrow(std::wstring_view(buffer, length));
      LocalFree(buffer);
    }
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ' || text.back() == '.')) {
      text.pop_back();
    }
    // Some texts have an insert for the file name, such as "%1 is not a valid Win32
    // application". The messages that show them name the file themselves.
    for (auto insert = text.find("%1"); insert != std::string::npos; insert = text.find("%1", insert)) {
      text.replace(insert, 2, "the file");
    }
    if (text.empty()) {
      text = "Windows error " + std::to_string(code);
    }
    return text;
  }

  std::error_condition default_error_condition(int code) const noexcept override {
    switch (static_cast<DWORD>(code)) {
      case ERROR_FILE_NOT_FOUND:
      case ERROR_PATH_NOT_FOUND:
      case ERROR_INVALID_NAME:
      case ERROR_BAD_NETPATH:
        return std::errc::no_such_file_or_directory;
      case ERROR_ACCESS_DENIED:
      case ERROR_SHARING_VIOLATION:
        return std::errc::permission_denied;
      case ERROR_BAD_EXE_FORMAT:
      case ERROR_EXE_MACHINE_TYPE_MISMATCH:
        return std::errc::executable_format_error;
      case ERROR_FILE_TOO_LARGE:
        return std::errc::file_too_large;
      case ERROR_DIRECTORY:
        return std::errc::is_a_directory;
      default:
        return {code, *this};
    }
  }
};

}  // namespace

const std::error_category& win32_category() {
  static const Win32Category category;
  return category;
}

std::wstring system_cmd_exe() {
  wchar_t buffer[MAX_PATH];
  const UINT length = GetSystemDirectoryW(buffer, MAX_PATH);
  std::wstring directory = (length > 0 && length < MAX_PATH) ? std::wstring(buffer, length) : L"C:\\Windows\\System32";
  return directory + L"\\cmd.exe";
}

std::vector<wchar_t> environment_block(const std::vector<std::string>& entries) {
  std::vector<wchar_t> block;
  for (const auto& entry : entries) {
    const auto wide = widen(entry);
    block.insert(block.end(), wide.begin(), wide.end());
    block.push_back(L'\0');
  }
  if (block.empty()) {
    block.push_back(L'\0');
  }
  block.push_back(L'\0');
  return block;
}

Handle inheritable_copy(HANDLE handle) {
  if (handle == nullptr || handle == INVALID_HANDLE_VALUE) {
    return Handle();
  }
  HANDLE copy = nullptr;
  if (!DuplicateHandle(GetCurrentProcess(), handle, GetCurrentProcess(), &copy, 0, TRUE, DUPLICATE_SAME_ACCESS)) {
    return Handle();
  }
  return Handle(copy);
}

Handle open_null_input() {
  SECURITY_ATTRIBUTES attributes{sizeof(attributes), nullptr, TRUE};
  return Handle(CreateFileW(L"NUL", GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, &attributes, OPEN_EXISTING,
                            FILE_ATTRIBUTE_NORMAL, nullptr));
}

StartedProcess start_process(const StartRequest& request) {
  StartedProcess started;

  // Only the three standard handles reach the child, whatever else vtsubmit has open.
  std::vector<HANDLE> inherited;
  for (HANDLE handle : {request.stdin_handle, request.stdout_handle, request.stderr_handle}) {
    if (handle != nullptr && handle != INVALID_HANDLE_VALUE &&
        std::find(inherited.begin(), inherited.end(), handle) == inherited.end()) {
      inherited.push_back(handle);
    }
  }

  SIZE_T list_size = 0;
  InitializeProcThreadAttributeList(nullptr, 1, 0, &list_size);
  std::vector<unsigned char> list_storage(list_size);
  auto* attribute_list = reinterpret_cast<LPPROC_THREAD_ATTRIBUTE_LIST>(list_storage.data());
  if (!InitializeProcThreadAttributeList(attribute_list, 1, 0, &list_size)) {
    started.error = last_error();
    return started;
  }
  if (!inherited.empty() &&
      !UpdateProcThreadAttribute(attribute_list, 0, PROC_THREAD_ATTRIBUTE_HANDLE_LIST, inherited.data(),
                                 inherited.size() * sizeof(HANDLE), nullptr, nullptr)) {
    started.error = last_error();
    DeleteProcThreadAttributeList(attribute_list);
    return started;
  }

  STARTUPINFOEXW startup{};
  startup.StartupInfo.cb = sizeof(startup);
  startup.StartupInfo.dwFlags = STARTF_USESTDHANDLES;
  startup.StartupInfo.hStdInput = request.stdin_handle;
  startup.StartupInfo.hStdOutput = request.stdout_handle;
  startup.StartupInfo.hStdError = request.stderr_handle;
  startup.lpAttributeList = attribute_list;

  std::vector<wchar_t> command_line(request.command_line.begin(), request.command_line.end());
  command_line.push_back(L'\0');
  std::vector<wchar_t> environment;
  if (request.environment != nullptr) {
    environment = environment_block(*request.environment);
  }

  PROCESS_INFORMATION info{};
  const DWORD flags = CREATE_UNICODE_ENVIRONMENT | EXTENDED_STARTUPINFO_PRESENT | request.extra_flags;
  const BOOL ok = CreateProcessW(request.application.c_str(), command_line.data(), nullptr, nullptr,
                                 inherited.empty() ? FALSE : TRUE, flags,
                                 environment.empty() ? nullptr : environment.data(),
                                 request.working_directory.empty() ? nullptr : request.working_directory.c_str(),
                                 &startup.StartupInfo, &info);
  if (!ok) {
    started.error = last_error();
  } else {
    started.process.reset(info.hProcess);
    started.thread.reset(info.hThread);
    started.pid = info.dwProcessId;
  }
  DeleteProcThreadAttributeList(attribute_list);
  return started;
}

}  // namespace vtsubmit::win32
