#include "posix/output_pump.hpp"

#include <cerrno>

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include "posix/posix_error.hpp"

namespace vtsubmit::posix {

namespace {

// 64 KiB is the default pipe capacity on Linux, so one read empties a full pipe.
constexpr std::size_t buffer_size = 64 * 1024;
// splice moves at most what the pipe contains; the limit only caps one call.
constexpr std::size_t splice_chunk_size = 1024 * 1024;

bool splice_candidate(int fd) {
  struct stat status {};
  if (fstat(fd, &status) != 0) {
    return false;
  }
  return S_ISREG(status.st_mode) || S_ISFIFO(status.st_mode);
}

}  // namespace

OutputPump::OutputPump(int pipe_fd, int output_fd) : pipe_fd_(pipe_fd), output_fd_(output_fd) {
  const int flags = fcntl(pipe_fd_, F_GETFL);
  if (flags >= 0) {
    fcntl(pipe_fd_, F_SETFL, flags | O_NONBLOCK);
  }
  use_splice_ = splice_candidate(output_fd_);
}

OutputPump::~OutputPump() {
  close();
}

int OutputPump::poll_fd() const {
  if (finished()) {
    return -1;
  }
  return waiting_for_output_ ? output_fd_ : pipe_fd_;
}

short OutputPump::poll_events() const {
  return waiting_for_output_ ? POLLOUT : POLLIN;
}

void OutputPump::transfer() {
  if (finished()) {
    return;
  }
  if (waiting_for_output_) {
    write_pending();
    return;
  }
  if (use_splice_ && !discarding_) {
    splice_chunk();
    return;
  }
  read_chunk();
}

void OutputPump::transfer_available() {
  // Bounded, because a writer that is still alive could refill the pipe forever.
  for (int round = 0; round < 64 && !finished(); ++round) {
    if (waiting_for_output_) {
      if (write_pending() != Step::moved) {
        return;
      }
      continue;
    }
    const Step step = (use_splice_ && !discarding_) ? splice_chunk() : read_chunk();
    if (step != Step::moved) {
      return;
    }
  }
}

void OutputPump::reach_eof() {
  eof_ = true;
  close();
}

void OutputPump::close() {
  if (pipe_fd_ >= 0) {
    ::close(pipe_fd_);
    pipe_fd_ = -1;
  }
}

OutputPump::Step OutputPump::splice_chunk() {
  for (;;) {
    const ssize_t moved = splice(pipe_fd_, nullptr, output_fd_, nullptr, splice_chunk_size,
                                 SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
    if (moved > 0) {
      return Step::moved;
    }
    if (moved == 0) {
      reach_eof();
      return Step::done;
    }
    const int error = errno;
    if (error == EINTR) {
      continue;
    }
    if (error == EINVAL || error == ENOSYS) {
      // The kernel refuses splice for this output (an O_APPEND file, some file systems):
      // read/write from now on.
      use_splice_ = false;
      return read_chunk();
    }
    if (error == EAGAIN) {
      // EAGAIN means either an empty input pipe or a full output pipe: ask poll which one.
      pollfd fds[2] = {{pipe_fd_, POLLIN, 0}, {output_fd_, POLLOUT, 0}};
      if (poll(fds, 2, 0) < 0 || (fds[0].revents & (POLLIN | POLLHUP)) == 0) {
        return Step::would_block;
      }
      if ((fds[1].revents & POLLOUT) == 0) {
        waiting_for_output_ = true;
        return Step::would_block;
      }
      // Both ends are ready and splice still refused: read/write cannot loop on that.
      use_splice_ = false;
      return read_chunk();
    }
    // The input is our own pipe, so any other error is an error of the output.
    fail_output(error);
    return read_chunk();
  }
}

OutputPump::Step OutputPump::read_chunk() {
  if (!buffer_) {
    buffer_ = std::make_unique<char[]>(buffer_size);
  }
  for (;;) {
    const ssize_t count = read(pipe_fd_, buffer_.get(), buffer_size);
    if (count > 0) {
      if (discarding_) {
        return Step::moved;
      }
      pending_begin_ = 0;
      pending_end_ = static_cast<std::size_t>(count);
      const Step step = write_pending();
      return step == Step::done ? Step::moved : step;
    }
    if (count == 0) {
      reach_eof();
      return Step::done;
    }
    if (errno == EINTR) {
      continue;
    }
    if (errno == EAGAIN) {
      return Step::would_block;
    }
    // An error reading our own pipe would come back at every poll, so the stream ends here
    // instead of looping.
    reach_eof();
    return Step::done;
  }
}

OutputPump::Step OutputPump::write_pending() {
  // NOTE: on a blocking output whose reader stalls (a pipe with no active reader), write() blocks vtsubmit,
  // and a stop request waits until the reader goes on. splice into a pipe is non-blocking, and a
  // regular file has no reader to wait for.
  while (pending_begin_ < pending_end_) {
    const ssize_t written = write(output_fd_, buffer_.get() + pending_begin_, pending_end_ - pending_begin_);
    if (written > 0) {
      pending_begin_ += static_cast<std::size_t>(written);
      continue;
    }
    if (written < 0 && errno == EINTR) {
      continue;
    }
    if (written < 0 && errno == EAGAIN) {
      // Only a non-blocking output gives EAGAIN: wait for POLLOUT in the main loop.
      waiting_for_output_ = true;
      return Step::would_block;
    }
    fail_output(written < 0 ? errno : EIO);
    return Step::done;
  }
  waiting_for_output_ = false;
  return Step::moved;
}

void OutputPump::fail_output(int error) {
  if (!write_error_) {
    write_error_ = errno_code(error);
  }
  discarding_ = true;
  waiting_for_output_ = false;
  pending_begin_ = pending_end_ = 0;
}

}  // namespace vtsubmit::posix
