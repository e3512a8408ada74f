#include "common/platform.hpp"

namespace vtsubmit::platform {

// POSIX job logs are byte streams: vtsubmit writes its UTF-8 text as it is.
std::string to_log_encoding(std::string_view utf8) {
  return std::string(utf8);
}

}  // namespace vtsubmit::platform
