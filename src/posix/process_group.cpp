#include "posix/process_group.hpp"

#include <cerrno>
#include <cstdlib>
#include <string>

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

namespace vtsubmit::posix {

namespace {

struct ProcessStat {
  char state = '?';
  long ppid = 0;
  long pgid = 0;
  std::string name;   // the comm field, without its parentheses
};

// Plain read(2): a /proc file of a process that exits meanwhile fails with ESRCH, which
// libstdc++'s filebuf (GCC 12) turns into an exception.
bool read_file(const std::string& path, std::string& contents) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return false;
  }
  contents.clear();
  char buffer[4096];
  bool complete = true;
  for (;;) {
    const ssize_t count = read(fd, buffer, sizeof buffer);
    if (count > 0) {
      contents.append(buffer, static_cast<std::size_t>(count));
    } else if (count < 0 && errno == EINTR) {
      continue;
    } else {
      complete = count == 0;
      break;
    }
  }
  close(fd);
  return complete;
}

// /proc/<pid>/stat is "pid (comm) state ppid pgrp …"; comm may contain spaces and parentheses,
// so the fields after it are found from the last ')'.
bool read_stat(const std::string& pid, ProcessStat& stat) {
  std::string text;
  if (!read_file("/proc/" + pid + "/stat", text)) {
    return false;
  }
  const auto open = text.find('(');
  const auto close = text.rfind(')');
  if (open == std::string::npos || close == std::string::npos || close < open) {
    return false;
  }
  stat.name = text.substr(open + 1, close - open - 1);
  const char* cursor = text.c_str() + close + 1;
  char* end = nullptr;
  while (*cursor == ' ') {
    ++cursor;
  }
  stat.state = *cursor++;
  stat.ppid = std::strtol(cursor, &end, 10);
  stat.pgid = std::strtol(end, &end, 10);
  return true;
}

std::string read_command(const std::string& pid, const std::string& name) {
  std::string command;
  if (!read_file("/proc/" + pid + "/cmdline", command) || command.empty()) {
    // Kernel threads and exiting processes have no command line: ps shows the name in brackets.
    return "[" + name + "]";
  }
  while (!command.empty() && command.back() == '\0') {
    command.pop_back();
  }
  for (char& c : command) {
    if (c == '\0') {
      c = ' ';
    }
  }
  return command;
}

bool is_pid(const char* name) {
  if (*name == '\0') {
    return false;
  }
  for (; *name != '\0'; ++name) {
    if (*name < '0' || *name > '9') {
      return false;
    }
  }
  return true;
}

}  // namespace

std::vector<platform::LeftoverProcess> list_group_members(pid_t pgid) {
  std::vector<platform::LeftoverProcess> members;
  DIR* proc = opendir("/proc");
  if (proc == nullptr) {
    return members;
  }
  while (const dirent* entry = readdir(proc)) {
    if (!is_pid(entry->d_name)) {
      continue;
    }
    const std::string pid = entry->d_name;
    ProcessStat stat;
    // A process can end between readdir and the read: it is then simply not listed.
    if (!read_stat(pid, stat) || stat.pgid != pgid || stat.state == 'Z' || stat.state == 'X') {
      continue;
    }
    members.push_back({std::strtol(pid.c_str(), nullptr, 10), read_command(pid, stat.name)});
  }
  closedir(proc);
  return members;
}

std::vector<platform::LeftoverProcess> list_escaped_children(pid_t parent, pid_t pgid, pid_t excluded) {
  std::vector<platform::LeftoverProcess> children;
  DIR* proc = opendir("/proc");
  if (proc == nullptr) {
    return children;
  }
  while (const dirent* entry = readdir(proc)) {
    if (!is_pid(entry->d_name)) {
      continue;
    }
    const std::string pid = entry->d_name;
    const long number = std::strtol(pid.c_str(), nullptr, 10);
    ProcessStat stat;
    if (number == excluded || !read_stat(pid, stat) || stat.ppid != parent || stat.pgid == pgid ||
        stat.state == 'Z' || stat.state == 'X') {
      continue;
    }
    children.push_back({number, read_command(pid, stat.name)});
  }
  closedir(proc);
  return children;
}

bool group_exists(pid_t pgid) {
  return kill(-pgid, 0) == 0 || errno == EPERM;
}

}  // namespace vtsubmit::posix
