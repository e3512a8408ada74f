/* Starts queues the way the Visual TOM agent does and measures them; bench/run calls it for every
 * timed run.
 *
 * Usage: vtbench-launch [-n COUNT] [-l LOG_PREFIX] PROGRAM ARGV0 [ARG...]
 *
 * It starts COUNT copies (default 1) of PROGRAM at once with argv = [ARGV0, ARG...] and the
 * launcher's environment. Each copy runs in its own process group, with stdin on /dev/null and
 * stdout and stderr on LOG_PREFIX.<k>.o and LOG_PREFIX.<k>.e (k = 1..COUNT), or on /dev/null
 * without -l. Each log file is deleted and created again before the clock starts. On ext4, a
 * file truncated to zero and rewritten is flushed to disk when it is closed (the auto_da_alloc
 * mount option), which would add the disk's speed to the timings. The page cache of a deleted
 * file is dropped instead. The launcher waits for every copy and prints one line to its stdout:
 *
 *   wall_us=W cpu_us=C maxrss_kib=M codes=E1,E2,...
 *
 * W is the wall time from the first start to the last exit (CLOCK_MONOTONIC). C is the user and
 * system CPU time of the copies and of every descendant they waited for. M is the largest
 * ru_maxrss that wait4(2) returned: on Linux that value is the larger of the copy's own peak
 * resident set and the peaks of the descendants it waited for, the value GNU time prints as %M.
 * Ek is copy k's exit code, or 128+n when signal n ended it. The launcher exits 0 when every copy
 * started, 1 otherwise. */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

enum { max_copies = 1000 };

static long long microseconds(const struct timeval *value) {
  return (long long)value->tv_sec * 1000000 + value->tv_usec;
}

static int open_log(const char *prefix, int copy, const char *suffix) {
  char path[4096];
  if (prefix == NULL) {
    return open("/dev/null", O_WRONLY | O_CLOEXEC);
  }
  snprintf(path, sizeof path, "%s.%d.%s", prefix, copy, suffix);
  if (unlink(path) != 0 && errno != ENOENT) {
    fprintf(stderr, "vtbench-launch: cannot delete %s: %s\n", path, strerror(errno));
    return -1;
  }
  const int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    fprintf(stderr, "vtbench-launch: cannot open %s: %s\n", path, strerror(errno));
  }
  return fd;
}

static void usage(void) {
  fprintf(stderr, "usage: vtbench-launch [-n COUNT, 1 to %d] [-l LOG_PREFIX] PROGRAM ARGV0 [ARG...]\n", max_copies);
  exit(2);
}

int main(int argc, char **argv) {
  int count = 1;
  const char *prefix = NULL;
  int option;
  while ((option = getopt(argc, argv, "+n:l:")) != -1) {
    if (option == 'n') {
      count = atoi(optarg);
    } else if (option == 'l') {
      prefix = optarg;
    } else {
      usage();
    }
  }
  if (count < 1 || count > max_copies || argc - optind < 2) {
    usage();
  }
  const char *program = argv[optind];
  char **child_argv = argv + optind + 1;

  static int out_fds[max_copies], err_fds[max_copies];
  static pid_t pids[max_copies];
  static int codes[max_copies];
  const int null_in = open("/dev/null", O_RDONLY | O_CLOEXEC);
  for (int k = 0; k < count; ++k) {
    out_fds[k] = open_log(prefix, k + 1, "o");
    err_fds[k] = open_log(prefix, k + 1, "e");
    if (null_in < 0 || out_fds[k] < 0 || err_fds[k] < 0) {
      return 1;
    }
  }

  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attributes, 0);

  struct timespec start, end;
  clock_gettime(CLOCK_MONOTONIC, &start);
  int started = 0;
  for (int k = 0; k < count; ++k) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, null_in, 0);
    posix_spawn_file_actions_adddup2(&actions, out_fds[k], 1);
    posix_spawn_file_actions_adddup2(&actions, err_fds[k], 2);
    const int error = posix_spawn(&pids[k], program, &actions, &attributes, child_argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    if (error != 0) {
      fprintf(stderr, "vtbench-launch: cannot start %s: %s\n", program, strerror(error));
      break;
    }
    ++started;
  }

  long long cpu_us = 0;
  long maxrss_kib = 0;
  for (int k = 0; k < started; ++k) {
    int status;
    struct rusage usage;
    while (wait4(pids[k], &status, 0, &usage) < 0) {
      if (errno != EINTR) {
        fprintf(stderr, "vtbench-launch: wait4 failed: %s\n", strerror(errno));
        return 1;
      }
    }
    codes[k] = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    cpu_us += microseconds(&usage.ru_utime) + microseconds(&usage.ru_stime);
    if (usage.ru_maxrss > maxrss_kib) {
      maxrss_kib = usage.ru_maxrss;
    }
  }
  clock_gettime(CLOCK_MONOTONIC, &end);

  const long long wall_us = (end.tv_sec - start.tv_sec) * 1000000LL + (end.tv_nsec - start.tv_nsec) / 1000;
  printf("wall_us=%lld cpu_us=%lld maxrss_kib=%ld codes=", wall_us, cpu_us, maxrss_kib);
  for (int k = 0; k < started; ++k) {
    printf(k == 0 ? "%d" : ",%d", codes[k]);
  }
  printf("\n");
  return started == count ? 0 : 1;
}
