#include "win32_test_support.hpp"

#include <catch2/catch.hpp>

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

ProcessRun run_process(const std::string& application, const std::wstring& command_line,
                       const std::vector<std::string>* environment, const TempDir& directory,
                       const ProcessOptions& options) {
  ProcessRun run;
  const auto out_path = directory.file("process.out");
  const auto err_path = directory.file("process.err");
  {
    const auto out = create_output_file(out_path);
    const auto err = create_output_file(err_path);
    const auto input = win32::open_null_input();
    win32::StartRequest request;
    request.application = win32::widen(application);
    request.command_line = command_line;
    request.environment = environment;
    request.stdin_handle = input.get();
    request.stdout_handle = options.output != nullptr ? options.output : out.get();
    request.stderr_handle = options.output != nullptr ? options.output : err.get();
    request.extra_flags = options.new_console ? CREATE_NEW_CONSOLE : 0;
    const auto started_at = GetTickCount64();
    auto started = win32::start_process(request);
    if (!started.process.valid()) {
      return run;
    }
    run.started = true;
    if (options.while_running) {
      options.while_running(started.pid, directory);
    }
    if (WaitForSingleObject(started.process.get(), options.timeout_ms) != WAIT_OBJECT_0) {
      run.timed_out = true;
      TerminateProcess(started.process.get(), 1);
      WaitForSingleObject(started.process.get(), INFINITE);
    }
    run.milliseconds = static_cast<DWORD>(GetTickCount64() - started_at);
    GetExitCodeProcess(started.process.get(), &run.exit_code);
  }
  run.out = read_all(out_path);
  run.err = read_all(err_path);
  return run;
}

ProcessRun run_process(const std::string& application, const std::string& command_line,
                       const std::vector<std::string>* environment, const TempDir& directory, DWORD timeout_ms,
                       bool new_console, WhileRunning while_running) {
  ProcessOptions options;
  options.timeout_ms = timeout_ms;
  options.new_console = new_console;
  options.while_running = std::move(while_running);
  return run_process(application, win32::widen(command_line), environment, directory, options);
}

std::vector<std::string> environment_with(const std::vector<std::string>& changes) {
  auto environment = platform::current_environment();
  for (const auto& change : changes) {
    const auto equals = change.find('=');
    if (equals == std::string::npos) {
      environment.erase(change);
    } else {
      environment.set(change.substr(0, equals), change.substr(equals + 1));
    }
  }
  return environment.entries();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) {
      end = text.size();
    }
    auto line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    lines.push_back(line);
    start = end + 1;
  }
  return lines;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

bool file_exists(const std::string& path) {
  return GetFileAttributesW(win32::widen(path).c_str()) != INVALID_FILE_ATTRIBUTES;
}

void write_file(const std::string& path, const std::string& bytes) {
  win32::Handle handle(CreateFileW(win32::widen(path).c_str(), GENERIC_WRITE, 0, nullptr, CREATE_ALWAYS,
                                   FILE_ATTRIBUTE_NORMAL, nullptr));
  DWORD written = 0;
  WriteFile(handle.get(), bytes.data(), static_cast<DWORD>(bytes.size()), &written, nullptr);
}

std::vector<std::string> pending_files(const std::string& folder) {
  std::vector<std::string> files;
  WIN32_FIND_DATAW found{};
  const HANDLE search = FindFirstFileW(win32::widen(folder + "\\*.pending").c_str(), &found);
  if (search == INVALID_HANDLE_VALUE) {
    return files;
  }
  do {
    files.push_back(folder + "\\" + win32::narrow(found.cFileName));
  } while (FindNextFileW(search, &found));
  FindClose(search);
  return files;
}

bool wait_for_file(const std::string& path, DWORD timeout_ms) {
  const auto deadline = GetTickCount64() + timeout_ms;
  while (!file_exists(path)) {
    if (GetTickCount64() >= deadline) {
      return false;
    }
    Sleep(20);
  }
  return true;
}

bool process_ends_within(DWORD pid, DWORD timeout_ms) {
  win32::Handle process(OpenProcess(SYNCHRONIZE, FALSE, pid));
  return !process.valid() || WaitForSingleObject(process.get(), timeout_ms) == WAIT_OBJECT_0;
}

void send_ctrl_c(DWORD pid) {
  TempDir sender_directory;
  const auto line = "\"" + test_child_path() + "\" ctrl-c " + std::to_string(pid);
  run_process(test_child_path(), line, nullptr, sender_directory, 10000);
}

Agent::Agent(const std::string& bin_name)
    : admin(root.file("admin")), bin(root.file(bin_name)), spool(root.file("spool")) {
  for (const auto& folder : {admin, bin, spool}) {
    CreateDirectoryW(win32::widen(folder).c_str(), nullptr);
  }
  for (const char* name : {"tsend.exe", "vtgestlog.exe"}) {
    CopyFileW(win32::widen(test_child_path()).c_str(), win32::widen(bin + "\\" + name).c_str(), FALSE);
  }
  write_queue_file("language = \"en\"\n");
  write_file(init_file(), "@echo off\r\nset INIT_VAR=from init\r\n");
  // ABM_SPOOL per agent: vtsubmit keeps unsent reports there, and resends them after a success.
  // The VTSUBMIT_TSEND_* variables drive the tsend stand-in (see the test child).
  environment_changes = {"TOM_ADMIN=" + admin, "ABM_BIN=" + bin, "ABM_SPOOL=" + spool,
                         "TOM_JOB_ID=42", "TOM_JOB=job1",
                         "TOM_APPLICATION=app", "TOM_ENVIRONMENT=env", "TOM_LOG_ACTION=   ",
                         "TOM_JOB_EXEC=", "VTSUBMIT_TSEND_EXIT=", "VTSUBMIT_TSEND_FAILURES=",
                         "VTSUBMIT_TSEND_FAIL_EXIT=", "VTSUBMIT_TSEND_FAIL_SLEEP="};
}

void Agent::write_queue_file(const std::string& text) const {
  write_file(queue_file(), text);
}

std::string Agent::queue_file() const {
  return admin + "\\tom_submit.test";
}

std::string Agent::init_file() const {
  return admin + "\\vtom_init.bat";
}

void Agent::set(const std::string& name, const std::string& value) {
  environment_changes.push_back(name + "=" + value);
}

void Agent::unset(const std::string& name) {
  environment_changes.push_back(name);
}

ProcessRun Agent::run(const std::string& script, const std::string& tail, bool new_console,
                      WhileRunning while_running) {
  std::string arguments = "\"" + queue_file() + "\"";
  if (!tail.empty()) {
    arguments += " " + tail;
  }
  ProcessOptions options;
  options.new_console = new_console;
  options.while_running = std::move(while_running);
  return run_arguments(script, win32::widen(arguments), options);
}

ProcessRun Agent::run_arguments(const std::string& script, const std::wstring& arguments, ProcessOptions options) {
  auto changes = environment_changes;
  changes.push_back("TOM_SCRIPT=" + script);
  const auto environment = environment_with(changes);
  const auto line = L"\"" + win32::widen(vtsubmit_path()) + L"\" " + arguments;
  auto run = run_process(vtsubmit_path(), line, &environment, root, options);
  UNSCOPED_INFO(".o log: " << run.out);
  UNSCOPED_INFO(".e log: " << run.err);
  return run;
}

ProcessRun Agent::run_tool(const std::string& arguments) {
  const auto environment = environment_with(environment_changes);
  const auto line = "\"" + vtsubmit_path() + "\" " + arguments;
  auto run = run_process(vtsubmit_path(), line, &environment, root);
  UNSCOPED_INFO("stdout: " << run.out);
  UNSCOPED_INFO("stderr: " << run.err);
  return run;
}

std::vector<std::string> Agent::calls() const {
  return lines_of(read_all(bin + "\\calls.log"));
}

std::vector<std::string> Agent::tsend_calls() const {
  std::vector<std::string> tsend;
  for (const auto& call : calls()) {
    if (call.rfind("tsend.exe\t", 0) == 0) {
      tsend.push_back(call);
    }
  }
  return tsend;
}

std::string Agent::pending_folder() const {
  return spool + "\\vtsubmit-pending";
}

}  // namespace vtsubmit::test
