/* Stand-in for the agent's tsend and vtgestlog in the benchmarks, built under both names and
 * used by every queue that bench/run measures. It exits 0 at once, so that the timings measure
 * the queues and not the agent. When VTBENCH_CALLS names a file, it first appends one line to it,
 * its name and each argument in brackets, so that bench/run can check that every queue made the
 * same calls. */

#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
  const char *calls = getenv("VTBENCH_CALLS");
  if (calls == NULL || *calls == '\0') {
    return 0;
  }

  const char *name = strrchr(argv[0], '/') != NULL ? strrchr(argv[0], '/') + 1 : argv[0];
  char line[8192];
  size_t length = 0;
  for (int i = 0; i < argc && length < sizeof line - 4; ++i) {
    const char *text = i == 0 ? name : argv[i];
    if (i > 0) {
      line[length++] = ' ';
      line[length++] = '[';
    }
    const size_t room = sizeof line - 4 - length;
    const size_t size = strlen(text) < room ? strlen(text) : room;
    memcpy(line + length, text, size);
    length += size;
    if (i > 0) {
      line[length++] = ']';
    }
  }
  line[length++] = '\n';

  /* One write on an O_APPEND descriptor, so that concurrent jobs do not mix their lines. */
  const int fd = open(calls, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0 || write(fd, line, length) != (ssize_t)length) {
    return 1;
  }
  close(fd);
  return 0;
}
