#pragma once

#include <chrono>
#include <optional>

#include <sys/types.h>

#include "common/platform.hpp"
#include "posix/output_pump.hpp"
#include "posix/watchdog.hpp"

namespace vtsubmit::posix {

// Event loop of one running job: streams its output, reaps its processes, turns stop requests
// into signals to its process group and applies the leftover policy. Wakes up through poll() on
// the two output pipes and the wakeup pipe, which the SIGCHLD and stop handlers write to.
// SIGCHLD is used rather than a pidfd, because a pidfd reports only the main process, while
// vtsubmit, as a child subreaper, must also reap the orphaned descendants re-parented to it.
//
// Timing, once the main process ended: output is drained until end-of-file, at most
// drain_timeout. Then processes left in the group are handled: kill sends SIGTERM and, after
// stop_grace, SIGKILL; wait has no time limit; keep returns at once. A stop request turns any
// policy into kill. So with kill, run() returns at most drain_timeout + stop_grace + 0.1 s after
// the main process ended, plus the time the kernel takes to end the processes killed by SIGKILL
// (at most 5 s more is waited for that). Descendants that left the group (setsid) and were
// re-parented to vtsubmit are handled the same way afterwards, with their own grace period.
class JobSupervisor {
 public:
  // Takes ownership of the read ends of the job's output pipes.
  JobSupervisor(pid_t job_pid, const platform::JobOptions& options, Watchdog& watchdog,
                int stdout_pipe, int stderr_pipe, platform::JobResult& result);

  void run();

 private:
  using Clock = std::chrono::steady_clock;
  using TimePoint = Clock::time_point;

  void wait_for_events(std::optional<TimePoint> deadline);
  void reap_children();
  void check_stop_request();
  void start_stopping_group();
  void enforce_grace();
  void signal_group(int signal_number);
  void drain_output();
  void handle_leftovers();
  void handle_escapees();
  void wait_for_empty_group();
  void finish_output();
  void store_exit_status();

  pid_t job_pid_;
  const platform::JobOptions& options_;
  Watchdog& watchdog_;
  platform::JobResult& result_;
  OutputPump stdout_pump_;
  OutputPump stderr_pump_;

  bool job_exited_ = false;
  bool exit_status_known_ = false;
  int wait_status_ = 0;
  bool term_sent_ = false;
  std::optional<TimePoint> kill_deadline_;       // SIGKILL to the group when reached
  std::optional<TimePoint> killed_at_;           // when SIGKILL was sent
  bool watching_group_ = false;                  // wake up regularly to see whether the group emptied
  bool poll_failure_reported_ = false;
};

}  // namespace vtsubmit::posix
