#pragma once

namespace vtsubmit::posix {

// Creates a close-on-exec pipe whose two ends are above 2, even when vtsubmit was started with
// a standard stream closed: an end numbered 0, 1 or 2 would be taken for, or overwrite, a
// standard stream of the child. Returns 0, or the errno of the call that failed.
int make_pipe(int fds[2]);

// Closes every descriptor from `first` to `last`, both included. Async-signal-safe.
void close_descriptors(unsigned first, unsigned last) noexcept;

}  // namespace vtsubmit::posix
