#include "posix/wakeup_pipe.hpp"

#include <atomic>
#include <cerrno>

#include <fcntl.h>
#include <unistd.h>

namespace vtsubmit::posix {

namespace {

// The handlers read the write end, so it is an atomic the handler can load without a lock.
std::atomic<int> write_fd{-1};
int read_fd = -1;
pid_t owner_pid = 0;

}  // namespace

int wakeup_read_fd() {
  // After fork() the parent and the child would share one pipe, and one could read the other's
  // wake-up: each process makes its own.
  const pid_t self = getpid();
  if (read_fd >= 0 && owner_pid == self) {
    return read_fd;
  }
  int fds[2];
  if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) {
    return -1;
  }
  const int old_read = read_fd;
  const int old_write = write_fd.exchange(fds[1]);
  read_fd = fds[0];
  owner_pid = self;
  if (old_read >= 0) {
    close(old_read);
    close(old_write);
  }
  return read_fd;
}

void notify_wakeup() noexcept {
  const int saved_errno = errno;
  const int fd = write_fd.load();
  if (fd >= 0) {
    const char byte = 0;
    // A full pipe (EAGAIN) already contains a pending wake-up, so the byte can be dropped.
    [[maybe_unused]] const auto written = write(fd, &byte, 1);
  }
  errno = saved_errno;
}

void clear_wakeups() noexcept {
  if (read_fd < 0) {
    return;
  }
  char buffer[256];
  while (read(read_fd, buffer, sizeof buffer) > 0) {
  }
}

}  // namespace vtsubmit::posix
