/* The floor: the least work a queue can do for one job, the baseline that bench/run compares
 * vtsubmit with. It starts $TOM_SCRIPT with the job parameters, then $ABM_BIN/tsend with the
 * arguments vtsubmit passes, then $ABM_BIN/vtgestlog, waits for each and exits with the job's
 * code. It reads no init file, prints nothing, and the job writes straight to the floor's
 * stdout and stderr (the .o and .e files), with no pipe in between.
 *
 * Started as the agent starts a queue: argv = ["-floor", QUEUE_FILE, PARAM...]. The queue file is
 * not read. TOM_SCRIPT must be a path (no PATH lookup) and ABM_BIN must be in the environment,
 * because the floor does not load vtom_init.ksh. */

#define _GNU_SOURCE
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

extern char **environ;

/* Runs `path` with `argv` and returns its exit code, 128+n when signal n ended it, or -1 when it
 * could not start. */
static int run_and_wait(const char *path, char *const argv[]) {
  pid_t pid;
  const int error = posix_spawn(&pid, path, NULL, NULL, argv, environ);
  if (error != 0) {
    fprintf(stderr, "floor: cannot start %s: %s\n", path, strerror(error));
    return -1;
  }
  int status;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      fprintf(stderr, "floor: waitpid failed for %s: %s\n", path, strerror(errno));
      return -1;
    }
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: floor QUEUE_FILE [PARAMETER...] (TOM_SCRIPT and ABM_BIN from the environment)\n");
    return 2;
  }
  const char *script = getenv("TOM_SCRIPT");
  const char *abm_bin = getenv("ABM_BIN");
  if (script == NULL || *script == '\0' || abm_bin == NULL || *abm_bin == '\0') {
    fprintf(stderr, "floor: TOM_SCRIPT or ABM_BIN is missing from the environment. Set both.\n");
    return 125;
  }

  /* The job's argv is [TOM_SCRIPT, PARAM...], so argv from the queue-file slot on is reused. */
  char **job_argv = argv + 1;
  job_argv[0] = (char *)script;
  int code = run_and_wait(script, job_argv);
  if (code < 0) {
    code = 127;
  }

  char tsend[4096], vtgestlog[4096], status[8], result[32], message[64];
  snprintf(tsend, sizeof tsend, "%s/tsend", abm_bin);
  snprintf(vtgestlog, sizeof vtgestlog, "%s/vtgestlog", abm_bin);
  snprintf(status, sizeof status, "%s", code == 0 ? "-sT" : "-sE");
  snprintf(result, sizeof result, "-r%d", code);
  snprintf(message, sizeof message, code == 0 ? "-mJob finished (%d)" : "-mJob in error (%d)", code);

  char *tsend_argv[] = {tsend, status, result, message, NULL};
  run_and_wait(tsend, tsend_argv);
  char *vtgestlog_argv[] = {vtgestlog, NULL};
  run_and_wait(vtgestlog, vtgestlog_argv);
  return code;
}
