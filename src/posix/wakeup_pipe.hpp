#pragma once

// Self-pipe that signal handlers write to, so that a poll() loop wakes up for a signal that
// arrives at any point, even just before poll() is called.

namespace vtsubmit::posix {

// Returns the read end (non-blocking, close-on-exec), creating the pipe on first use in this
// process; a child created by fork() gets its own pipe. Returns -1 when pipe2 failed (errno set).
int wakeup_read_fd();

// Writes one byte to the pipe. Async-signal-safe; keeps errno.
void notify_wakeup() noexcept;

// Reads and discards the pending bytes.
void clear_wakeups() noexcept;

}  // namespace vtsubmit::posix
