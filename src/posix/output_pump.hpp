#pragma once

#include <memory>
#include <system_error>

namespace vtsubmit::posix {

// Copies the read end of one job output pipe to one of vtsubmit's descriptors (1 or 2) as data
// arrives, without ever holding more than one pipe's worth in memory. Uses splice(2) where the
// output is a regular file or a pipe, and read/write otherwise or when splice is refused.
// After a write error on the output (EPIPE, EIO, ENOSPC…), it keeps reading the pipe and discards
// the data, so that the job does not block on a full pipe. write_error() keeps the first error.
class OutputPump {
 public:
  // Takes ownership of `pipe_fd`, which is made non-blocking. `output_fd` is not owned.
  OutputPump(int pipe_fd, int output_fd);
  ~OutputPump();
  OutputPump(const OutputPump&) = delete;
  OutputPump& operator=(const OutputPump&) = delete;

  // Descriptor and events to poll: the pipe for input, or the output while it is full.
  // Returns -1 once the pump is finished.
  int poll_fd() const;
  short poll_events() const;

  // Moves one chunk after poll() reported the descriptor ready.
  void transfer();
  // Moves what the pipe contains now, without waiting for more; used before close().
  void transfer_available();

  // True after end-of-file or close(): the pipe is closed.
  bool finished() const { return pipe_fd_ < 0; }
  // True when every writer closed the pipe and all its data was moved.
  bool at_eof() const { return eof_; }
  void close();

  const std::error_code& write_error() const { return write_error_; }

 private:
  enum class Step { moved, would_block, done };

  Step splice_chunk();
  Step read_chunk();
  Step write_pending();
  void fail_output(int error);
  void reach_eof();

  int pipe_fd_;
  int output_fd_;
  bool use_splice_ = false;
  bool eof_ = false;
  bool discarding_ = false;
  bool waiting_for_output_ = false;
  std::unique_ptr<char[]> buffer_;
  std::size_t pending_begin_ = 0;
  std::size_t pending_end_ = 0;
  std::error_code write_error_;
};

}  // namespace vtsubmit::posix
