#pragma once

// Error values of the POSIX layer: errno as std::error_code, and failed system calls as messages.

#include <cerrno>
#include <string>
#include <system_error>

#include "common/messages.hpp"

namespace vtsubmit::posix {

inline std::error_code errno_code(int error) {
  return {error, std::generic_category()};
}

// Returns the errno text ("No such file or directory"), as strerror gives it in the current locale.
inline std::string errno_text(int error) {
  return std::generic_category().message(error);
}

// Returns the warning "<call> failed: <errno text>", e.g. "kill(-4242, SIGTERM) failed: Operation not permitted".
inline Message system_call_failure(std::string call, int error) {
  return Message{Msg::system_call_failed, {std::move(call), errno_text(error)}};
}

}  // namespace vtsubmit::posix
