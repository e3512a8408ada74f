#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "common/platform.hpp"

namespace vtsubmit::platform {

std::error_code read_file(const std::string& path, std::string& contents, std::size_t max_bytes) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return {errno, std::generic_category()};
  }

  std::error_code error;
  struct stat status {};
  if (::fstat(fd, &status) != 0) {
    error = {errno, std::generic_category()};
  } else if (S_ISDIR(status.st_mode)) {
    error = std::make_error_code(std::errc::is_a_directory);
  }

  contents.clear();
  char buffer[65536];
  while (!error) {
    const ssize_t count = ::read(fd, buffer, sizeof buffer);
    if (count == 0) {
      break;
    }
    if (count < 0) {
      if (errno != EINTR) {
        error = {errno, std::generic_category()};
      }
      continue;
    }
    if (contents.size() + static_cast<std::size_t>(count) > max_bytes) {
      error = std::make_error_code(std::errc::file_too_large);
      break;
    }
    contents.append(buffer, static_cast<std::size_t>(count));
  }
  ::close(fd);
  return error;
}

}  // namespace vtsubmit::platform
