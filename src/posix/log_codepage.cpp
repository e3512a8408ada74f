// POSIX side of the platform functions that only Windows needs: logs and init files are bytes
// in the locale's encoding, and exit codes are 8-bit numbers.

#include "common/platform.hpp"

namespace vtsubmit::platform {

void set_log_codepage(unsigned) {}

std::string decode_code_page(std::string_view bytes, unsigned) {
  return std::string(bytes);
}

std::string describe_exit_code(int) {
  return {};
}

int stop_exit_code(int stop_request) {
  return 128 + stop_request;
}

}  // namespace vtsubmit::platform
