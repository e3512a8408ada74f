// Encoding of vtsubmit's own log text. The job's output is copied as bytes and never passes
// here: a log must not mix vtsubmit's UTF-8 with the job's ANSI or OEM text.

#include <windows.h>

#include <atomic>

#include "common/platform.hpp"
#include "win32/win32_util.hpp"

namespace vtsubmit::platform {

namespace {

// CP_ACP (0) until the queue file names another: the agent's ANSI code page, which is what the
// stock queues' `chcp 1252` gives on Western European systems.
std::atomic<unsigned> log_code_page{CP_ACP};

std::string convert_to(unsigned code_page, std::string_view utf8) {
  if (code_page == CP_UTF8 || utf8.empty()) {
    return std::string(utf8);
  }
  const auto wide = win32::widen(utf8);
  const int size = WideCharToMultiByte(code_page, 0, wide.data(), static_cast<int>(wide.size()), nullptr, 0,
                                       nullptr, nullptr);
  if (size <= 0) {
    return std::string(utf8);
  }
  std::string result(static_cast<std::size_t>(size), '\0');
  WideCharToMultiByte(code_page, 0, wide.data(), static_cast<int>(wide.size()), result.data(), size, nullptr,
                      nullptr);
  return result;
}

}  // namespace

void set_log_codepage(unsigned code_page) {
  log_code_page = code_page;
}

std::string to_log_encoding(std::string_view utf8) {
  return convert_to(log_code_page, utf8);
}

std::string decode_code_page(std::string_view bytes, unsigned code_page) {
  if (code_page == 0) {
    // cmd.exe reads a batch file in the console's input code page, which starts as the OEM one.
    code_page = GetConsoleCP();
    if (code_page == 0) {
      code_page = GetOEMCP();
    }
  }
  if (code_page == CP_UTF8 || bytes.empty()) {
    return std::string(bytes);
  }
  const int size = MultiByteToWideChar(code_page, 0, bytes.data(), static_cast<int>(bytes.size()), nullptr, 0);
  if (size <= 0) {
    return std::string(bytes);
  }
  std::wstring wide(static_cast<std::size_t>(size), L'\0');
  MultiByteToWideChar(code_page, 0, bytes.data(), static_cast<int>(bytes.size()), wide.data(), size);
  return win32::narrow(wide);
}

}  // namespace vtsubmit::platform
