#pragma once

// Watchdog process: stops the job's process group when vtsubmit dies without finishing, e.g. by
// SIGKILL, which vtsubmit cannot catch.
//
// Protocol over a pipe whose write end only vtsubmit has open (close-on-exec, so the job does not
// inherit it): vtsubmit writes 'D' to disarm the watchdog, which then exits. When the pipe
// reaches end-of-file without it (vtsubmit died and the kernel closed its descriptors), the
// watchdog sends SIGTERM to the job's process group, SIGKILL after the grace period if a member
// is left, and exits.
//
// The watchdog is forked right after the job is spawned, so the job's exec runs on another CPU
// while vtsubmit forks; the job is unwatched only during that fork. The watchdog puts itself in
// its own process group, so a signal to vtsubmit's group does not end it, and closes every
// inherited descriptor except 0, 1, 2 and its pipe: it never holds the job's output pipes.
// PR_SET_PDEATHSIG is not used, because the watchdog has to outlive vtsubmit, and the job's
// descendants would not inherit it.

#include <chrono>

#include <sys/types.h>

namespace vtsubmit::posix {

class Watchdog {
 public:
  Watchdog() = default;
  ~Watchdog();
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

  // Forks the watchdog process for the job's process group `pgid`. Returns 0, or the errno of
  // the call that failed; `failed_call` then names it ("pipe2", "fork").
  int start(pid_t pgid, std::chrono::milliseconds grace, const char** failed_call);

  // Sends the disarm byte, closes the pipe and reaps the watchdog.
  void disarm();

  // The pid to recognize in a waitpid(-1) loop; -1 when there is no watchdog.
  pid_t pid() const { return pid_; }
  // Records that a waitpid(-1) loop reaped the watchdog, so disarm() does not wait for it.
  void mark_reaped() { reaped_ = true; }

 private:
  pid_t pid_ = -1;
  int command_fd_ = -1;
  bool reaped_ = false;
};

}  // namespace vtsubmit::posix
