#include "posix/child_signals.hpp"

#include "posix/wakeup_pipe.hpp"

namespace vtsubmit::posix {

namespace {

void on_child_signal(int) {
  notify_wakeup();
}

}  // namespace

ScopedChildSignals::ScopedChildSignals() {
  wakeup_read_fd();

  struct sigaction child_action {};
  child_action.sa_handler = on_child_signal;
  sigemptyset(&child_action.sa_mask);
  // SA_NOCLDSTOP: a stopped or continued child is not an exit, so it need not wake the loop.
  child_action.sa_flags = SA_RESTART | SA_NOCLDSTOP;
  sigaction(SIGCHLD, &child_action, &previous_child_);

  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  sigaction(SIGPIPE, &ignore, &previous_pipe_);

  sigset_t child_only;
  sigemptyset(&child_only);
  sigaddset(&child_only, SIGCHLD);
  sigprocmask(SIG_UNBLOCK, &child_only, &previous_mask_);
}

ScopedChildSignals::~ScopedChildSignals() {
  sigprocmask(SIG_SETMASK, &previous_mask_, nullptr);
  sigaction(SIGPIPE, &previous_pipe_, nullptr);
  sigaction(SIGCHLD, &previous_child_, nullptr);
}

}  // namespace vtsubmit::posix
