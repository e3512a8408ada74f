#include "posix/descriptors.hpp"

#include <cerrno>

#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace vtsubmit::posix {

namespace {

// Returns 0 with `fd` moved to a number above 2, or an errno.
int move_above_standard_streams(int& fd) {
  if (fd > 2) {
    return 0;
  }
  const int moved = fcntl(fd, F_DUPFD_CLOEXEC, 3);
  if (moved < 0) {
    return errno;
  }
  close(fd);
  fd = moved;
  return 0;
}

}  // namespace

int make_pipe(int fds[2]) {
  if (pipe2(fds, O_CLOEXEC) != 0) {
    return errno;
  }
  int error = move_above_standard_streams(fds[0]);
  if (error == 0) {
    error = move_above_standard_streams(fds[1]);
  }
  if (error != 0) {
    close(fds[0]);
    close(fds[1]);
  }
  return error;
}

void close_descriptors(unsigned first, unsigned last) noexcept {
  if (first > last) {
    return;
  }
#ifdef SYS_close_range
  if (syscall(SYS_close_range, first, last, 0) == 0) {
    return;
  }
#endif
  // Kernels before 5.9 have no close_range: close up to the descriptor limit.
  const long limit = sysconf(_SC_OPEN_MAX);
  unsigned end = last;
  if (limit > 0 && static_cast<unsigned long>(limit) <= end) {
    end = static_cast<unsigned>(limit) - 1;
  }
  for (unsigned fd = first; fd <= end; ++fd) {
    close(static_cast<int>(fd));
  }
}

}  // namespace vtsubmit::posix
