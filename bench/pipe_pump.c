/* The least a submitter can do to stream a job's stdout into its log through a pipe: bench/run
 * measures it beside vtsubmit to show what the pipe itself costs.
 *
 * Usage: vtbench-pipe-pump PIPE_BYTES PROGRAM [ARG...]
 *
 * It starts PROGRAM with stdout on a pipe (capacity PIPE_BYTES set with F_SETPIPE_SZ, or the
 * kernel's default of 64 KiB when PIPE_BYTES is 0) and stderr on its own stderr, moves everything
 * from the pipe to its own stdout with splice(2), waiting in poll(2) as vtsubmit does, then waits
 * for PROGRAM and exits with its code. It prints no context block and runs no tsend. */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: vtbench-pipe-pump PIPE_BYTES PROGRAM [ARG...]\n");
    return 2;
  }
  const int pipe_bytes = atoi(argv[1]);
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    perror("vtbench-pipe-pump: pipe2");
    return 1;
  }
  if (pipe_bytes > 0 && fcntl(fds[0], F_SETPIPE_SZ, pipe_bytes) < 0) {
    perror("vtbench-pipe-pump: F_SETPIPE_SZ");
    return 1;
  }

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
  pid_t pid;
  const int error = posix_spawn(&pid, argv[2], &actions, NULL, argv + 2, environ);
  if (error != 0) {
    fprintf(stderr, "vtbench-pipe-pump: cannot start %s: %s\n", argv[2], strerror(error));
    return 127;
  }
  close(fds[1]);
  fcntl(fds[0], F_SETFL, O_NONBLOCK);

  for (;;) {
    struct pollfd input = {fds[0], POLLIN, 0};
    if (poll(&input, 1, -1) < 0 && errno != EINTR) {
      perror("vtbench-pipe-pump: poll");
      return 1;
    }
    const ssize_t moved = splice(fds[0], NULL, 1, NULL, 1 << 20, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
    if (moved == 0) {
      break;
    }
    if (moved < 0 && errno != EAGAIN && errno != EINTR) {
      perror("vtbench-pipe-pump: splice");
      return 1;
    }
  }

  int status;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      perror("vtbench-pipe-pump: waitpid");
      return 1;
    }
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
