#pragma once

// Support for the POSIX platform tests: temporary directories, and a forked "vtsubmit" process
// whose stdout and stderr are files, so that a test can read what run_job or run_helper wrote
// and can send real signals to that process.

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include <sys/types.h>

#include "common/platform.hpp"

namespace vtsubmit::posix_test {

// A directory under $TMPDIR (or /tmp), removed with its contents at the end of the scope.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

std::string read_file(const std::string& path);
void write_file(const std::string& path, const std::string& contents, mode_t mode = 0644);

// True while `pid` exists and is not a zombie.
bool process_running(pid_t pid);

// Polls `condition` every 10 ms until it holds or `timeout` passes; returns its last value.
bool wait_until(const std::function<bool()>& condition, std::chrono::milliseconds timeout);

// Waits until `path` holds a complete line and returns it as a pid; 0 after `timeout`.
pid_t wait_for_pid_file(const std::string& path, std::chrono::milliseconds timeout = std::chrono::seconds(10));

// The current environment as "NAME=value" entries.
std::vector<std::string> environment_entries();

// A forked process that runs `body` with fd 1 and fd 2 on files. `body` returns a text that
// finish() gives back, e.g. a serialized JobResult.
class CapturedProcess {
 public:
  explicit CapturedProcess(const std::function<std::string()>& body);
  ~CapturedProcess();
  CapturedProcess(const CapturedProcess&) = delete;
  CapturedProcess& operator=(const CapturedProcess&) = delete;

  pid_t pid() const { return pid_; }

  struct Outcome {
    std::string out;
    std::string err;
    std::string returned;   // what `body` returned; empty when it did not return
    int status = 0;         // wait status of the process
  };
  // Waits for the process and reads its output files.
  Outcome finish();

 private:
  TempDir directory_;
  pid_t pid_ = -1;
};

// run_job's result as seen from the test, with what the forked process observed after it.
struct JobRun {
  platform::JobResult result;
  std::vector<std::string> warnings;   // result.warnings in English
  std::string out;
  std::string err;
  int status = 0;              // wait status of the forked "vtsubmit" process
  int children_after = -1;     // children of that process after run_job returned, any state
  int zombies_after = -1;      // zombie children among them
  double seconds = 0;          // duration of run_job
};

struct VtsubmitSetup {
  bool install_stop_handlers = true;
  std::function<void()> before_run;   // runs in the forked process, just before run_job
};

// A forked process that calls install_stop_handlers and run_job, like vtsubmit does.
class VtsubmitProcess {
 public:
  VtsubmitProcess(const platform::JobCommand& command, const platform::JobOptions& options,
                  const VtsubmitSetup& setup = {});
  pid_t pid() const { return process_.pid(); }
  JobRun finish();

 private:
  CapturedProcess process_;
};

JobRun run_job_captured(const platform::JobCommand& command, const platform::JobOptions& options,
                        const VtsubmitSetup& setup = {});

// "/bin/sh -c SCRIPT job PARAMETERS…"
platform::JobCommand shell_command(const std::string& script, const std::vector<std::string>& parameters = {});

// The current environment, 1 s of stop grace and 1 s of drain timeout, leftovers killed.
platform::JobOptions test_options();

}  // namespace vtsubmit::posix_test
