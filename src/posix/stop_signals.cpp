// Stop requests: SIGTERM, SIGINT and SIGHUP are recorded and wake the job's poll loop, which
// stops the job. SIGQUIT keeps its default action (core dump of vtsubmit, for debugging); the
// watchdog process then stops the job as it does when vtsubmit is killed.

#include <csignal>

#include "common/platform.hpp"
#include "posix/wakeup_pipe.hpp"

namespace vtsubmit::platform {

namespace {

constexpr int stop_signals[] = {SIGTERM, SIGINT, SIGHUP};

volatile std::sig_atomic_t first_stop_signal = 0;

void record_stop_signal(int signal_number) {
  // The handler blocks the other stop signals, so this test and set cannot be interleaved.
  if (first_stop_signal == 0) {
    first_stop_signal = signal_number;
  }
  posix::notify_wakeup();
}

}  // namespace

void install_stop_handlers() {
  // The pipe must exist before a handler can write to it.
  posix::wakeup_read_fd();

  struct sigaction action {};
  action.sa_handler = record_stop_signal;
  sigemptyset(&action.sa_mask);
  for (const int signal_number : stop_signals) {
    sigaddset(&action.sa_mask, signal_number);
  }
  // SA_RESTART spares the rest of vtsubmit from EINTR; poll() in the job loop returns EINTR anyway.
  action.sa_flags = SA_RESTART;
  for (const int signal_number : stop_signals) {
    sigaction(signal_number, &action, nullptr);
  }

  // A closed log pipe must give EPIPE on write, not end vtsubmit before it reports the job.
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  sigaction(SIGPIPE, &ignore, nullptr);
}

int pending_stop_request() {
  return first_stop_signal;
}

}  // namespace vtsubmit::platform
