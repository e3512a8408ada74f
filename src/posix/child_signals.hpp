#pragma once

#include <signal.h>

namespace vtsubmit::posix {

// For its lifetime: SIGCHLD wakes the poll loop through the wakeup pipe (and is unblocked), and
// SIGPIPE is ignored, so a closed log pipe gives EPIPE instead of ending vtsubmit.
// The destructor restores the previous dispositions and signal mask.
class ScopedChildSignals {
 public:
  ScopedChildSignals();
  ~ScopedChildSignals();
  ScopedChildSignals(const ScopedChildSignals&) = delete;
  ScopedChildSignals& operator=(const ScopedChildSignals&) = delete;

 private:
  struct sigaction previous_child_ {};
  struct sigaction previous_pipe_ {};
  sigset_t previous_mask_ {};
};

}  // namespace vtsubmit::posix
