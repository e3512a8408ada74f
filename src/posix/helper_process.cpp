// Helper programs (tsend, vtgestlog, gestlog): started like the job (own process group, stdin on
// /dev/null, default signal dispositions) but writing straight to vtsubmit's stdout and stderr,
// and stopped after a timeout. A stop request does not interrupt them, because tsend is what
// reports the stopped job.

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>

#include "common/platform.hpp"
#include "posix/child_signals.hpp"
#include "posix/spawn.hpp"
#include "posix/wakeup_pipe.hpp"

namespace vtsubmit::platform {

namespace {

using Clock = std::chrono::steady_clock;

// Time between SIGTERM and SIGKILL after the timeout. The helpers end at once on SIGTERM; the
// grace only lets one finish the write it is in.
constexpr std::chrono::seconds helper_stop_grace{2};

// Waits for `pid` until `deadline`. Returns true with `status` set when it ended.
bool wait_until(pid_t pid, Clock::time_point deadline, int& status) {
  for (;;) {
    const pid_t ended = waitpid(pid, &status, WNOHANG);
    if (ended == pid) {
      return true;
    }
    if (ended < 0 && errno != EINTR) {
      status = 0;   // already reaped elsewhere: nothing more to wait for
      return true;
    }
    const auto now = Clock::now();
    if (now >= deadline) {
      return false;
    }
    const auto remaining = std::chrono::ceil<std::chrono::milliseconds>(deadline - now).count();
    pollfd wakeup{posix::wakeup_read_fd(), POLLIN, 0};
    // SIGCHLD writes to the wakeup pipe; the cap keeps the wait going if the caller blocked it.
    poll(&wakeup, 1, static_cast<int>(std::min<long long>(remaining, 1000)));
    posix::clear_wakeups();
  }
}

int exit_code_of(int status) {
  if (WIFSIGNALED(status)) {
    return 128 + WTERMSIG(status);
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 0;
}

}  // namespace

HelperResult run_helper(const std::string& program, const std::vector<std::string>& args,
                        const std::vector<std::string>& environment, std::chrono::seconds timeout) {
  HelperResult result;
  std::fflush(nullptr);
  const posix::ScopedChildSignals child_signals;

  posix::SpawnRequest request;
  request.program = program;
  request.argv.reserve(args.size() + 1);
  request.argv.push_back(program);
  request.argv.insert(request.argv.end(), args.begin(), args.end());
  request.environment = &environment;
  const posix::SpawnResult spawned = posix::spawn_process(request);
  if (spawned.pid < 0) {
    result.start_error = spawned.error;
    return result;
  }
  result.started = true;

  int status = 0;
  if (!wait_until(spawned.pid, Clock::now() + timeout, status)) {
    result.timed_out = true;
    kill(-spawned.pid, SIGTERM);
    if (!wait_until(spawned.pid, Clock::now() + helper_stop_grace, status)) {
      kill(-spawned.pid, SIGKILL);
      while (waitpid(spawned.pid, &status, 0) < 0 && errno == EINTR) {
      }
    }
  }
  result.exit_code = exit_code_of(status);
  return result;
}

}  // namespace vtsubmit::platform
