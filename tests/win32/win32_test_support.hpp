#pragma once

// Helpers for the Windows tests run under Wine or Windows: paths of the built programs, a
// temporary folder, captured standard handles, and a process runner that records its output.

#include <windows.h>

#include <functional>
#include <string>
#include <vector>

#include "win32/win32_util.hpp"

namespace vtsubmit::test {

// Converts a path of the build tree to a Windows path: "/work/x" becomes "Z:\work\x" under
// Wine, whose Z: drive is the Unix root. Windows paths are returned unchanged.
std::string windows_path(const std::string& path);

std::string test_child_path();   // the vtsubmit_test_child.exe
std::string vtsubmit_path();     // the vtsubmit.exe
std::string source_path(const std::string& relative);   // a file of the source tree

// A new empty folder under %TEMP%, removed with its contents at destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "\\" + name; }
  // Writes bytes to a file of the folder and returns its path.
  std::string write(const std::string& name, const std::string& bytes) const;

 private:
  std::string path_;
};

std::string read_all(const std::string& path);

// Points this process's STD_OUTPUT_HANDLE and STD_ERROR_HANDLE at files while it exists, so a
// test can read what platform::run_job copied there.
class CapturedOutput {
 public:
  explicit CapturedOutput(const TempDir& directory);
  ~CapturedOutput();
  CapturedOutput(const CapturedOutput&) = delete;
  CapturedOutput& operator=(const CapturedOutput&) = delete;

  std::string out() const;
  std::string err() const;

 private:
  std::string out_path_;
  std::string err_path_;
  win32::Handle out_file_;
  win32::Handle err_file_;
  HANDLE saved_out_;
  HANDLE saved_err_;
};

struct ProcessRun {
  DWORD exit_code = 0;
  bool started = false;
  bool timed_out = false;
  DWORD milliseconds = 0;   // from the start to the end of the process
  std::string out;
  std::string err;
};

// Called with the process id once the process started.
using WhileRunning = std::function<void(DWORD pid, const TempDir& directory)>;

struct ProcessOptions {
  DWORD timeout_ms = 60000;
  bool new_console = false;
  WhileRunning while_running;
  // When set, the process's stdout and stderr (the run's out and err then stay empty).
  HANDLE output = nullptr;
};

// Runs a command line with its stdout and stderr in files, the given environment ("NAME=value"
// entries; nullptr inherits) and an optional console of its own.
ProcessRun run_process(const std::string& application, const std::wstring& command_line,
                       const std::vector<std::string>* environment, const TempDir& directory,
                       const ProcessOptions& options);

ProcessRun run_process(const std::string& application, const std::string& command_line,
                       const std::vector<std::string>* environment, const TempDir& directory,
                       DWORD timeout_ms = 60000, bool new_console = false, WhileRunning while_running = nullptr);

// This process's environment with the given changes: "NAME=value" adds or replaces a variable,
// "NAME" removes it.
std::vector<std::string> environment_with(const std::vector<std::string>& changes);

// Lines of a text, without their line ends (LF or CR LF).
std::vector<std::string> lines_of(const std::string& text);

bool contains(const std::string& text, const std::string& part);

bool file_exists(const std::string& path);

// Writes bytes to a file, created or truncated.
void write_file(const std::string& path, const std::string& bytes);

// Paths of the *.pending files of a folder.
std::vector<std::string> pending_files(const std::string& folder);

// Waits at most `timeout_ms` for a file to exist, and returns whether it does.
bool wait_for_file(const std::string& path, DWORD timeout_ms);

// Waits at most `timeout_ms` for process `pid` to end. True also when it is already gone.
bool process_ends_within(DWORD pid, DWORD timeout_ms);

// Sends Ctrl+C to every process on the console of process `pid`, through a one-shot sender
// process (the test child's ctrl-c mode), the only way that works under Wine.
void send_ctrl_c(DWORD pid);

// A temporary agent: TOM_ADMIN with the queue file and vtom_init.bat, ABM_BIN with tsend.exe and
// vtgestlog.exe (copies of the test child, which record their calls in %ABM_BIN%\calls.log),
// ABM_SPOOL, and the job's environment. vtsubmit.exe is started as the agent starts it.
struct Agent {
  TempDir root;
  std::string admin;
  std::string bin;
  std::string spool;
  std::vector<std::string> environment_changes;

  // `bin_name`: the folder name of ABM_BIN under the agent's root.
  explicit Agent(const std::string& bin_name = "bin");

  void write_queue_file(const std::string& text) const;
  std::string queue_file() const;
  std::string init_file() const;   // %TOM_ADMIN%\vtom_init.bat

  // Sets a variable of the job's environment, or removes it.
  void set(const std::string& name, const std::string& value);
  void unset(const std::string& name);

  // Runs `vtsubmit.exe "<queue file>" <tail>` with TOM_SCRIPT set to `script`.
  ProcessRun run(const std::string& script, const std::string& tail, bool new_console = false,
                 WhileRunning while_running = nullptr);
  // Runs vtsubmit.exe with `arguments` after its own name, which start with the queue file.
  ProcessRun run_arguments(const std::string& script, const std::wstring& arguments,
                           ProcessOptions options = {});
  // Runs `vtsubmit.exe <arguments>` as an admin command (no TOM_SCRIPT).
  ProcessRun run_tool(const std::string& arguments);

  // The tsend and vtgestlog calls, one "name<TAB>arg…" line each.
  std::vector<std::string> calls() const;
  // The tsend calls only.
  std::vector<std::string> tsend_calls() const;
  std::string pending_folder() const;   // %ABM_SPOOL%\vtsubmit-pending
};

}  // namespace vtsubmit::test
