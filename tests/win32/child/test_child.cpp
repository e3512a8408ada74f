// Child program for the Windows tests: prints its argv, exits with a chosen code, starts a
// grandchild, floods its output, checks an inherited handle or sends Ctrl+C to a console.
// Copied as tsend.exe or vtgestlog.exe, it records its arguments instead (a stand-in for the
// Visual TOM programs). Copied as tools.exe, it is the decoy program of an unquoted path and
// leaves a marker file beside itself.

#include <windows.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

std::string utf8(const wchar_t* text) {
  const int size = WideCharToMultiByte(CP_UTF8, 0, text, -1, nullptr, 0, nullptr, nullptr);
  std::string result(static_cast<std::size_t>(size > 0 ? size - 1 : 0), '\0');
  if (size > 1) {
    WideCharToMultiByte(CP_UTF8, 0, text, -1, result.data(), size, nullptr, nullptr);
  }
  return result;
}

void write_out(const std::string& text) {
  DWORD written = 0;
  WriteFile(GetStdHandle(STD_OUTPUT_HANDLE), text.data(), static_cast<DWORD>(text.size()), &written, nullptr);
}

std::wstring module_name() {
  wchar_t path[MAX_PATH];
  const DWORD length = GetModuleFileNameW(nullptr, path, MAX_PATH);
  std::wstring name(path, length);
  const auto slash = name.find_last_of(L"\\/");
  name = slash == std::wstring::npos ? name : name.substr(slash + 1);
  for (auto& c : name) {
    c = static_cast<wchar_t>(towlower(c));
  }
  return name;
}

std::wstring variable(const wchar_t* name) {
  const wchar_t* value = _wgetenv(name);
  return value != nullptr ? value : L"";
}

void append_to_file(const std::wstring& path, const std::string& text) {
  HANDLE file = CreateFileW(path.c_str(), FILE_APPEND_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr, OPEN_ALWAYS,
                            FILE_ATTRIBUTE_NORMAL, nullptr);
  if (file != INVALID_HANDLE_VALUE) {
    DWORD written = 0;
    WriteFile(file, text.data(), static_cast<DWORD>(text.size()), &written, nullptr);
    CloseHandle(file);
  }
}

// Counts the calls of the tsend stand-in in %ABM_BIN%\tsend.count and returns this call's number.
int next_call_number(const std::wstring& bin) {
  const std::wstring path = bin + L"\\tsend.count";
  int count = 0;
  HANDLE file = CreateFileW(path.c_str(), GENERIC_READ | GENERIC_WRITE, 0, nullptr, OPEN_ALWAYS,
                            FILE_ATTRIBUTE_NORMAL, nullptr);
  if (file == INVALID_HANDLE_VALUE) {
    return 1;
  }
  char buffer[32] = {};
  DWORD read = 0;
  if (ReadFile(file, buffer, sizeof buffer - 1, &read, nullptr) && read > 0) {
    count = std::atoi(buffer);
  }
  ++count;
  const std::string text = std::to_string(count);
  SetFilePointer(file, 0, nullptr, FILE_BEGIN);
  SetEndOfFile(file);
  DWORD written = 0;
  WriteFile(file, text.data(), static_cast<DWORD>(text.size()), &written, nullptr);
  CloseHandle(file);
  return count;
}

// tsend.exe / vtgestlog.exe stand-in: appends "name<TAB>arg1<TAB>arg2…" to %ABM_BIN%\calls.log
// and exits with VTSUBMIT_TSEND_EXIT. tsend.exe also writes its pid to %ABM_BIN%\tsend.pids,
// and its first VTSUBMIT_TSEND_FAILURES calls (counted over the runs of one ABM_BIN) sleep
// VTSUBMIT_TSEND_FAIL_SLEEP milliseconds, then fail with VTSUBMIT_TSEND_FAIL_EXIT (default 1).
int record(const std::wstring& name, int argc, wchar_t** argv) {
  std::string line = utf8(name.c_str());
  for (int i = 1; i < argc; ++i) {
    line += '\t';
    line += utf8(argv[i]);
  }
  line += '\n';
  std::wstring bin = variable(L"ABM_BIN");
  if (bin.empty()) {
    bin = L".";
  }
  append_to_file(bin + L"\\calls.log", line);
  if (name == L"tsend.exe") {
    append_to_file(bin + L"\\tsend.pids", std::to_string(GetCurrentProcessId()) + "\n");
    const int failures = _wtoi(variable(L"VTSUBMIT_TSEND_FAILURES").c_str());
    if (next_call_number(bin) <= failures) {
      Sleep(static_cast<DWORD>(_wtoi(variable(L"VTSUBMIT_TSEND_FAIL_SLEEP").c_str())));
      const auto code = variable(L"VTSUBMIT_TSEND_FAIL_EXIT");
      return code.empty() ? 1 : _wtoi(code.c_str());
    }
  }
  return _wtoi(variable(L"VTSUBMIT_TSEND_EXIT").c_str());
}

// Decoy of an unquoted program path: proves that it ran by writing decoy.marker beside itself.
int leave_marker() {
  wchar_t self[MAX_PATH];
  std::wstring path(self, GetModuleFileNameW(nullptr, self, MAX_PATH));
  path = path.substr(0, path.find_last_of(L"\\/") + 1) + L"decoy.marker";
  append_to_file(path, "decoy ran\n");
  return 0;
}

int start_grandchild(const wchar_t* pid_file) {
  wchar_t self[MAX_PATH];
  GetModuleFileNameW(nullptr, self, MAX_PATH);
  std::wstring line = L"\"" + std::wstring(self) + L"\" sleep 60000";
  STARTUPINFOW startup{};
  startup.cb = sizeof(startup);
  PROCESS_INFORMATION info{};
  if (!CreateProcessW(self, line.data(), nullptr, nullptr, FALSE, 0, nullptr, nullptr, &startup, &info)) {
    return 90;
  }
  const std::string pid = std::to_string(info.dwProcessId);
  HANDLE file = CreateFileW(pid_file, GENERIC_WRITE, 0, nullptr, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, nullptr);
  DWORD written = 0;
  WriteFile(file, pid.data(), static_cast<DWORD>(pid.size()), &written, nullptr);
  CloseHandle(file);
  CloseHandle(info.hThread);
  CloseHandle(info.hProcess);
  return 0;
}

// Prints `count` numbered lines, one write each, then creates `ready_file` and sleeps.
int numbered_lines(int count, const wchar_t* ready_file, DWORD sleep_ms) {
  for (int i = 1; i <= count; ++i) {
    char line[32];
    std::snprintf(line, sizeof line, "line %04d\n", i);
    write_out(line);
  }
  HANDLE file = CreateFileW(ready_file, GENERIC_WRITE, 0, nullptr, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, nullptr);
  CloseHandle(file);
  Sleep(sleep_ms);
  return 0;
}

// Starts `count` copies of this program that share its stdout, each writing one line with a
// single WriteFile, and waits for all of them.
int parallel_writers(int count) {
  wchar_t self[MAX_PATH];
  GetModuleFileNameW(nullptr, self, MAX_PATH);
  std::vector<HANDLE> processes;
  for (int i = 0; i < count; ++i) {
    std::wstring line = L"\"" + std::wstring(self) + L"\" writer-line " + std::to_wstring(i);
    STARTUPINFOW startup{};
    startup.cb = sizeof(startup);
    startup.dwFlags = STARTF_USESTDHANDLES;
    startup.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
    startup.hStdOutput = GetStdHandle(STD_OUTPUT_HANDLE);
    startup.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    PROCESS_INFORMATION info{};
    if (!CreateProcessW(self, line.data(), nullptr, nullptr, TRUE, 0, nullptr, nullptr, &startup, &info)) {
      return 90;
    }
    CloseHandle(info.hThread);
    processes.push_back(info.hProcess);
  }
  for (HANDLE process : processes) {
    WaitForSingleObject(process, INFINITE);
    CloseHandle(process);
  }
  return 0;
}

int writer_line(int number) {
  char head[32];
  std::snprintf(head, sizeof head, "writer %02d ", number);
  write_out(std::string(head) + std::string(200, static_cast<char>('a' + number % 26)) + " end\n");
  return 0;
}

// Prints each argument from argv[2] on as its UTF-16 code units in hex: "[0070 D800]".
int print_utf16(int argc, wchar_t** argv) {
  for (int i = 2; i < argc; ++i) {
    std::string line = "[";
    for (const wchar_t* unit = argv[i]; *unit != L'\0'; ++unit) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "%s%04X", unit == argv[i] ? "" : " ", static_cast<unsigned>(*unit));
      line += hex;
    }
    write_out(line + "]\n");
  }
  return 0;
}

int flood(HANDLE output, unsigned long long bytes) {
  std::string block(65536, '\0');
  for (std::size_t i = 0; i < block.size(); ++i) {
    block[i] = static_cast<char>('a' + i % 26);
  }
  while (bytes > 0) {
    const DWORD chunk = static_cast<DWORD>(bytes < block.size() ? bytes : block.size());
    DWORD written = 0;
    if (!WriteFile(output, block.data(), chunk, &written, nullptr)) {
      return 3;
    }
    bytes -= written;
  }
  return 0;
}

}  // namespace

int wmain(int argc, wchar_t** argv) {
  const auto name = module_name();
  if (name == L"tsend.exe" || name == L"vtgestlog.exe") {
    return record(name, argc, argv);
  }
  if (name == L"tools.exe") {
    return leave_marker();
  }
  if (argc < 2) {
    return 64;
  }
  const std::wstring mode = argv[1];
  if (mode == L"args") {
    for (int i = 2; i < argc; ++i) {
      write_out("[" + utf8(argv[i]) + "]\n");
    }
    return 0;
  }
  if (mode == L"exit" && argc > 2) {
    // wcstoul keeps 0xC0000005 and wraps "-1" to 0xFFFFFFFF, as ExitProcess takes a UINT.
    const auto code = static_cast<UINT>(std::wcstoul(argv[2], nullptr, 0));
    ExitProcess(code);
  }
  if (mode == L"sleep" && argc > 2) {
    Sleep(static_cast<DWORD>(_wtoi(argv[2])));
    return 0;
  }
  if (mode == L"grandchild" && argc > 2) {
    const int status = start_grandchild(argv[2]);
    if (status != 0 || argc < 4) {
      return status;
    }
    Sleep(static_cast<DWORD>(_wtoi(argv[3])));
    return 0;
  }
  if (mode == L"flood" && argc > 3) {
    const auto out_bytes = std::wcstoull(argv[2], nullptr, 10);
    const auto err_bytes = std::wcstoull(argv[3], nullptr, 10);
    const int out_status = flood(GetStdHandle(STD_OUTPUT_HANDLE), out_bytes);
    return out_status != 0 ? out_status : flood(GetStdHandle(STD_ERROR_HANDLE), err_bytes);
  }
  if (mode == L"bytes" && argc > 2) {
    std::string bytes;
    for (const wchar_t* hex = argv[2]; hex[0] != L'\0' && hex[1] != L'\0'; hex += 2) {
      const wchar_t pair[3] = {hex[0], hex[1], L'\0'};
      bytes += static_cast<char>(std::wcstoul(pair, nullptr, 16));
    }
    write_out(bytes);
    return 0;
  }
  if (mode == L"handle" && argc > 2) {
    const auto value = static_cast<std::uintptr_t>(std::wcstoull(argv[2], nullptr, 10));
    DWORD flags = 0;
    write_out(GetHandleInformation(reinterpret_cast<HANDLE>(value), &flags) ? "valid\n" : "invalid\n");
    return 0;
  }
  if (mode == L"ctrl-c" && argc > 2) {
    // One-shot sender: join the target's console and raise Ctrl+C for every process on it.
    FreeConsole();
    if (!AttachConsole(static_cast<DWORD>(_wtoi(argv[2])))) {
      return 91;
    }
    SetConsoleCtrlHandler(nullptr, TRUE);
    return GenerateConsoleCtrlEvent(CTRL_C_EVENT, 0) ? 0 : 92;
  }
  if (mode == L"lines" && argc > 4) {
    return numbered_lines(_wtoi(argv[2]), argv[3], static_cast<DWORD>(_wtoi(argv[4])));
  }
  if (mode == L"writers" && argc > 2) {
    return parallel_writers(_wtoi(argv[2]));
  }
  if (mode == L"writer-line" && argc > 2) {
    return writer_line(_wtoi(argv[2]));
  }
  if (mode == L"count") {
    write_out("count=" + std::to_string(argc - 2) + "\n");
    return 0;
  }
  if (mode == L"utf16") {
    return print_utf16(argc, argv);
  }
  if (mode == L"env" && argc > 2) {
    const wchar_t* value = _wgetenv(argv[2]);
    write_out(value != nullptr ? "[" + utf8(value) + "]\n" : "<unset>\n");
    return 0;
  }
  return 65;
}
