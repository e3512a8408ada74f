// Pending-report files on POSIX: written through a temporary file with fsync and rename, and
// locked with flock. The lock belongs to the open file, so it moves with the rename and the
// kernel releases it when the process dies, even by SIGKILL.

#include <cerrno>
#include <string>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/pending_report.hpp"
#include "posix/posix_error.hpp"

namespace vtsubmit::platform {

namespace {

std::error_code last_error() {
  return posix::errno_code(errno);
}

std::string parent_folder(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos) {
    return ".";
  }
  return slash == 0 ? "/" : path.substr(0, slash);
}

bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t written = write(fd, data.data(), data.size());
    if (written < 0 && errno == EINTR) {
      continue;
    }
    if (written <= 0) {
      return false;
    }
    data.remove_prefix(static_cast<std::size_t>(written));
  }
  return true;
}

// Flushes the folder itself, so that the rename survives a power loss.
void sync_folder(const std::string& folder) {
  const int fd = open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    fsync(fd);
    close(fd);
  }
}

}  // namespace

std::error_code create_pending_folder(const std::string& path) {
  std::string partial;
  std::size_t position = 0;
  while (position != std::string::npos) {
    position = path.find('/', position + 1);
    partial = path.substr(0, position);
    if (partial.empty() || partial == "/") {
      continue;
    }
    if (mkdir(partial.c_str(), 0755) == 0) {
      if (position == std::string::npos) {
        // Jobs of several users share the folder: writable by all, and the sticky bit stops one
        // user from removing another's reports. chmod, because the umask trimmed mkdir's mode.
        chmod(partial.c_str(), 01777);
      }
    } else if (errno != EEXIST) {
      return last_error();
    }
  }
  struct stat info {};
  if (stat(path.c_str(), &info) != 0) {
    return last_error();
  }
  if (!S_ISDIR(info.st_mode)) {
    return posix::errno_code(ENOTDIR);
  }
  return {};
}

std::error_code write_pending_file(const std::string& path, std::string_view contents, PendingFileLock& lock) {
  const std::string temporary = path + ".tmp";
  // 0600: the report contains the job's environment.
  const int fd = open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    return last_error();
  }
  std::error_code error;
  if (flock(fd, LOCK_EX | LOCK_NB) != 0 || !write_all(fd, contents) || fsync(fd) != 0 ||
      rename(temporary.c_str(), path.c_str()) != 0) {
    error = last_error();
    close(fd);
    unlink(temporary.c_str());
    return error;
  }
  sync_folder(parent_folder(path));
  lock.handle = fd;
  return {};
}

bool claim_pending_file(const std::string& path, PendingFileLock& lock, std::string& contents) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    return false;
  }
  struct stat opened {};
  struct stat current {};
  // The file must still be at `path` once locked: its owner may have removed it meanwhile.
  const bool usable = flock(fd, LOCK_EX | LOCK_NB) == 0 && fstat(fd, &opened) == 0 &&
                      stat(path.c_str(), &current) == 0 && opened.st_ino == current.st_ino &&
                      opened.st_dev == current.st_dev && S_ISREG(opened.st_mode) &&
                      opened.st_uid == geteuid() && (opened.st_mode & 022) == 0 &&
                      static_cast<std::size_t>(opened.st_size) <= max_pending_file_bytes;
  if (!usable) {
    close(fd);
    return false;
  }
  contents.clear();
  char buffer[65536];
  for (;;) {
    const ssize_t count = read(fd, buffer, sizeof buffer);
    if (count < 0 && errno == EINTR) {
      continue;
    }
    if (count < 0) {
      close(fd);
      return false;
    }
    if (count == 0 || contents.size() > max_pending_file_bytes) {
      break;
    }
    contents.append(buffer, static_cast<std::size_t>(count));
  }
  lock.handle = fd;
  return true;
}

std::error_code remove_pending_file(const std::string& path, PendingFileLock& lock) {
  std::error_code error;
  if (unlink(path.c_str()) != 0 && errno != ENOENT) {
    error = last_error();
  } else {
    sync_folder(parent_folder(path));
  }
  release_pending_file(lock);
  return error;
}

void release_pending_file(PendingFileLock& lock) {
  if (lock.handle >= 0) {
    close(static_cast<int>(lock.handle));
    lock.handle = -1;
  }
}

}  // namespace vtsubmit::platform
