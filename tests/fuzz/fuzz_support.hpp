#pragma once

// Helpers shared by the libFuzzer targets.

#include <cstdio>
#include <cstdlib>
#include <string>

#include <fcntl.h>
#include <unistd.h>

namespace vtsubmit::fuzz {

// Aborts with `what` when a property does not hold, so libFuzzer saves the input as a crash.
inline void check(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "property violated: %s\n", what);
    std::abort();
  }
}

// Runs the target in a fresh empty folder, without PATH and with stdin on /dev/null, so that an
// include of a relative name finds nothing and an include of /dev/stdin cannot block.
inline void isolate_process() {
  char folder[] = "/tmp/vtsubmit-fuzz-XXXXXX";
  if (mkdtemp(folder) == nullptr || chdir(folder) != 0) {
    std::perror("vtsubmit fuzz: cannot create an empty working folder");
    std::abort();
  }
  unsetenv("PATH");
  const int null_fd = open("/dev/null", O_RDONLY);
  if (null_fd >= 0) {
    dup2(null_fd, 0);
    close(null_fd);
  }
}

}  // namespace vtsubmit::fuzz
