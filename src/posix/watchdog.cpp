#include "posix/watchdog.hpp"

#include <cerrno>
#include <climits>
#include <ctime>

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "posix/descriptors.hpp"

namespace vtsubmit::posix {

namespace {

constexpr char disarm_command = 'D';

// How often the watchdog checks whether the group is gone during the grace period.
constexpr long group_check_interval_ns = 20'000'000;

void set_disposition(int signal_number, void (*handler)(int)) {
  struct sigaction action {};
  action.sa_handler = handler;
  sigemptyset(&action.sa_mask);
  sigaction(signal_number, &action, nullptr);
}

bool group_alive(pid_t pgid) {
  return kill(-pgid, 0) == 0 || errno == EPERM;
}

// Runs in the forked child: only async-signal-safe calls, because vtsubmit could have threads.
[[noreturn]] void run_watchdog(int command_fd, pid_t pgid, std::chrono::milliseconds grace) {
  setpgid(0, 0);
  // make_pipe() keeps command_fd above 2.
  close_descriptors(3, static_cast<unsigned>(command_fd) - 1);
  close_descriptors(static_cast<unsigned>(command_fd) + 1, UINT_MAX);
  // Named after the closes, so a process named vtsubmit-watch never has a job pipe open.
  prctl(PR_SET_NAME, "vtsubmit-watch", 0, 0, 0);

  // The stop handlers inherited from vtsubmit would write to vtsubmit's wakeup pipe.
  set_disposition(SIGTERM, SIG_DFL);
  set_disposition(SIGINT, SIG_DFL);
  set_disposition(SIGCHLD, SIG_DFL);
  // A hangup of vtsubmit's session must not end the watchdog before it did its work.
  set_disposition(SIGHUP, SIG_IGN);
  set_disposition(SIGPIPE, SIG_IGN);
  sigset_t no_signals;
  sigemptyset(&no_signals);
  sigprocmask(SIG_SETMASK, &no_signals, nullptr);

  char command = 0;
  ssize_t count;
  while ((count = read(command_fd, &command, 1)) < 0 && errno == EINTR) {
  }
  if (count == 1 && command == disarm_command) {
    _exit(0);
  }

  kill(-pgid, SIGTERM);
  timespec start {};
  clock_gettime(CLOCK_MONOTONIC, &start);
  const long long grace_ns = static_cast<long long>(grace.count()) * 1'000'000;
  for (;;) {
    if (!group_alive(pgid)) {
      _exit(0);
    }
    timespec now {};
    clock_gettime(CLOCK_MONOTONIC, &now);
    const long long elapsed = (now.tv_sec - start.tv_sec) * 1'000'000'000LL + (now.tv_nsec - start.tv_nsec);
    if (elapsed >= grace_ns) {
      break;
    }
    const timespec pause {0, group_check_interval_ns};
    nanosleep(&pause, nullptr);
  }
  kill(-pgid, SIGKILL);
  _exit(0);
}

}  // namespace

Watchdog::~Watchdog() {
  disarm();
}

int Watchdog::start(pid_t pgid, std::chrono::milliseconds grace, const char** failed_call) {
  int fds[2];
  if (const int error = make_pipe(fds); error != 0) {
    *failed_call = "pipe2";
    return error;
  }
  const pid_t pid = fork();
  if (pid < 0) {
    const int error = errno;
    close(fds[0]);
    close(fds[1]);
    *failed_call = "fork";
    return error;
  }
  if (pid == 0) {
    close(fds[1]);
    run_watchdog(fds[0], pgid, grace);
  }
  close(fds[0]);
  pid_ = pid;
  command_fd_ = fds[1];
  reaped_ = false;
  return 0;
}

void Watchdog::disarm() {
  if (command_fd_ >= 0) {
    while (write(command_fd_, &disarm_command, 1) < 0 && errno == EINTR) {
    }
    close(command_fd_);
    command_fd_ = -1;
  }
  if (pid_ > 0 && !reaped_) {
    while (waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
    }
  }
  pid_ = -1;
  reaped_ = false;
}

}  // namespace vtsubmit::posix
