#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "common/platform.hpp"

namespace vtsubmit::platform {

namespace {

// Error of a queue or init file that is a FIFO or a socket, which only a writer could end.
class FileTypeCategory : public std::error_category {
 public:
  const char* name() const noexcept override { return "vtsubmit file type"; }
  std::string message(int) const override { return "not a regular file (a FIFO or a socket)"; }
};

const FileTypeCategory file_type_category;

}  // namespace

std::error_code read_file(const std::string& path, std::string& contents, std::size_t max_bytes) {
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, for ever.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    return {errno, std::generic_category()};
  }

  std::error_code error;
  struct stat status {};
  if (::fstat(fd, &status) != 0) {
    error = {errno, std::generic_category()};
  } else if (S_ISDIR(status.st_mode)) {
    error = std::make_error_code(std::errc::is_a_directory);
  } else if (S_ISFIFO(status.st_mode) || S_ISSOCK(status.st_mode)) {
    error = {1, file_type_category};
  } else if (::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK) != 0) {
    error = {errno, std::generic_category()};
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
