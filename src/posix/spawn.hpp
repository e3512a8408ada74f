#pragma once

#include <string>
#include <system_error>
#include <vector>

#include <sys/types.h>

namespace vtsubmit::posix {

struct SpawnRequest {
  std::string program;                              // path given to exec, no PATH search
  std::vector<std::string> argv;                    // argv[0] included
  const std::vector<std::string>* environment = nullptr;  // "NAME=value": the whole environment
  std::string working_directory;                    // empty: inherited
  int stdout_fd = -1;                               // -1: inherited
  int stderr_fd = -1;                               // -1: inherited
  bool shell_fallback = false;                      // on ENOEXEC, run /bin/sh program argv[1]…
};

struct SpawnResult {
  pid_t pid = -1;
  std::error_code error;   // when pid < 0: the errno of the failed call (ENOENT, EACCES, ENOEXEC…)
};

// Starts the request with posix_spawn in a new process group, whose id is the child's pid. The
// child gets default dispositions for every signal (but glibc's internal ones, see spawn.cpp), an
// empty signal mask, stdin on /dev/null and no descriptor above 2.
SpawnResult spawn_process(const SpawnRequest& request);

}  // namespace vtsubmit::posix
