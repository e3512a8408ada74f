#include "win32_test_support.hpp"

#include <atomic>
#include <filesystem>

#include "common/environment.hpp"
#include "common/platform.hpp"

namespace vtsubmit::test {

std::string windows_path(const std::string& path) {
  if (path.empty() || path.front() != '/') {
    return path;
  }
  std::string result = "Z:" + path;
  for (auto& c : result) {
    if (c == '/') {
      c = '\\';
    }
  }
  return result;
}

std::string test_child_path() {
  return windows_path(VTSUBMIT_TEST_CHILD);
}

std::string vtsubmit_path() {
  return windows_path(VTSUBMIT_EXE_PATH);
}

std::string source_path(const std::string& relative) {
  return windows_path(std::string(VTSUBMIT_SOURCE_DIR) + "/" + relative);
}

TempDir::TempDir() {
  static std::atomic<int> counter{0};
  wchar_t base[MAX_PATH];
  GetTempPathW(MAX_PATH, base);
  path_ = win32::narrow(base) + "vtsubmit-test-" + std::to_string(GetCurrentProcessId()) + "-" +
          std::to_string(counter++);
  std::error_code error;
  std::filesystem::remove_all(std::filesystem::path(win32::widen(path_)), error);
  CreateDirectoryW(win32::widen(path_).c_str(), nullptr);
}

TempDir::~TempDir() {
  std::error_code error;
  std::filesystem::remove_all(std::filesystem::path(win32::widen(path_)), error);
}

std::string TempDir::write(const std::string& name, const std::string& bytes) const {
  const auto path = file(name);
  win32::Handle handle(CreateFileW(win32::widen(path).c_str(), GENERIC_WRITE, 0, nullptr, CREATE_ALWAYS,
                                   FILE_ATTRIBUTE_NORMAL, nullptr));
  DWORD written = 0;
  WriteFile(handle.get(), bytes.data(), static_cast<DWORD>(bytes.size()), &written, nullptr);
  return path;
}

std::string read_all(const std::string& path) {
  std::string text;
  platform::read_file(path, text, 256 * 1024 * 1024);
  return text;
}

namespace {

win32::Handle create_output_file(const std::string& path) {
  SECURITY_ATTRIBUTES attributes{sizeof(attributes), nullptr, TRUE};
  return win32::Handle(CreateFileW(win32::widen(path).c_str(), GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE,
                                   &attributes, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, nullptr));
}

}  // namespace

CapturedOutput::CapturedOutput(const TempDir& directory)
    : out_path_(directory.file("captured.out")),
      err_path_(directory.file("captured.err")),
      out_file_(create_output_file(out_path_)),
      err_file_(create_output_file(err_path_)),
      saved_out_(GetStdHandle(STD_OUTPUT_HANDLE)),
      saved_err_(GetStdHandle(STD_ERROR_HANDLE)) {
  SetStdHandle(STD_OUTPUT_HANDLE, out_file_.get());
  SetStdHandle(STD_ERROR_HANDLE, err_file_.get());
}

CapturedOutput::~CapturedOutput() {
  SetStdHandle(STD_OUTPUT_HANDLE, saved_out_);
  SetStdHandle(STD_ERROR_HANDLE, saved_err_);
}

std::string CapturedOutput::out() const {
  return read_all(out_path_);
}

std::string CapturedOutput::err() const {
  return read_all(err_path_);
}

ProcessRun run_process(const std::string& application, const std::string& command_line,
                       const std::vector<std::string>* environment, const TempDir& directory, DWORD timeout_ms,
                       bool new_console, void (*while_running)(DWORD pid, const TempDir& directory)) {
  ProcessRun run;
  const auto out_path = directory.file("process.out");
  const auto err_path = directory.file("process.err");
  {
    const auto out = create_output_file(out_path);
    const auto err = create_output_file(err_path);
    const auto input = win32::open_null_input();
    win32::StartRequest request;
    request.application = win32::widen(application);
    request.command_line = win32::widen(command_line);
    request.environment = environment;
    request.stdin_handle = input.get();
    request.stdout_handle = out.get();
    request.stderr_handle = err.get();
    request.extra_flags = new_console ? CREATE_NEW_CONSOLE : 0;
    auto started = win32::start_process(request);
    if (!started.process.valid()) {
      return run;
    }
    run.started = true;
    if (while_running != nullptr) {
      while_running(started.pid, directory);
    }
    if (WaitForSingleObject(started.process.get(), timeout_ms) != WAIT_OBJECT_0) {
      run.timed_out = true;
      TerminateProcess(started.process.get(), 1);
      WaitForSingleObject(started.process.get(), INFINITE);
    }
    GetExitCodeProcess(started.process.get(), &run.exit_code);
  }
  run.out = read_all(out_path);
  run.err = read_all(err_path);
  return run;
}

std::vector<std::string> environment_with(const std::vector<std::string>& changes) {
  auto environment = platform::current_environment();
  for (const auto& change : changes) {
    const auto equals = change.find('=');
    environment.set(change.substr(0, equals), change.substr(equals + 1));
  }
  return environment.entries();
}

}  // namespace vtsubmit::test
