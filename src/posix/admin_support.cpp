// POSIX side of the admin commands: the running executable, the queue program link, and the
// redirection of stdout/stderr to the job logs for `vtsubmit simulate`.

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>

#include "common/platform.hpp"

namespace vtsubmit::platform {

std::string self_executable_path() {
  std::error_code error;
  const auto path = std::filesystem::read_symlink("/proc/self/exe", error);
  return error ? std::string() : path.string();
}

std::string queue_program_file_name(const std::string& name) {
  return name;
}

std::error_code create_program_link(const std::string& target, const std::string& link) {
  if (::symlink(target.c_str(), link.c_str()) != 0) {
    return {errno, std::generic_category()};
  }
  return {};
}

std::error_code redirect_output(const std::string& out_path, const std::string& err_path, SavedOutput& saved) {
  std::fflush(stdout);
  std::fflush(stderr);
  const int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (out < 0) {
    return {errno, std::generic_category()};
  }
  const int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (err < 0) {
    const int code = errno;
    ::close(out);
    return {code, std::generic_category()};
  }
  saved.out = ::fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
  saved.err = ::fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
  ::dup2(out, STDOUT_FILENO);
  ::dup2(err, STDERR_FILENO);
  ::close(out);
  ::close(err);
  return {};
}

void restore_output(SavedOutput& saved) {
  std::fflush(stdout);
  std::fflush(stderr);
  if (saved.out >= 0) {
    ::dup2(saved.out, STDOUT_FILENO);
    ::close(saved.out);
    saved.out = -1;
  }
  if (saved.err >= 0) {
    ::dup2(saved.err, STDERR_FILENO);
    ::close(saved.err);
    saved.err = -1;
  }
}

}  // namespace vtsubmit::platform
