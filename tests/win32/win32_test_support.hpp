#pragma once

// Helpers for the Windows tests run under Wine or Windows: paths of the built programs, a
// temporary folder, captured standard handles, and a process runner that records its output.

#include <windows.h>

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
  std::string out;
  std::string err;
};

// Runs a command line with its stdout and stderr in files, the given environment ("NAME=value"
// entries; nullptr inherits) and an optional console of its own. `while_running` is called with
// the process id once it started.
ProcessRun run_process(const std::string& application, const std::string& command_line,
                       const std::vector<std::string>* environment, const TempDir& directory,
                       DWORD timeout_ms = 60000, bool new_console = false,
                       void (*while_running)(DWORD pid, const TempDir& directory) = nullptr);

// This process's environment with the given entries added or replaced.
std::vector<std::string> environment_with(const std::vector<std::string>& changes);

}  // namespace vtsubmit::test
