/* Benchmark job that writes a given amount of text to its stdout and stderr.
 * Usage: vtbench-writer OUT_BYTES ERR_BYTES [BLOCK_BYTES [HEADER_BYTES]]
 * It first writes HEADER_BYTES (default 0) to stdout in one call, the way a queue writes its
 * context block before the job runs. Then it writes OUT_BYTES to stdout and ERR_BYTES to stderr
 * with write(2) calls of BLOCK_BYTES (default 65536), alternating between the streams while both
 * have bytes left, and exits 0. The text is 64-byte lines, so that the logs look like a job's
 * text output. */

#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int parse_size(const char *text, unsigned long long *value) {
  char *end;
  errno = 0;
  *value = strtoull(text, &end, 10);
  return errno == 0 && end != text && *end == '\0';
}

/* Writes up to `block` bytes of the remaining `*left` to `fd`. Returns 0 on a write error. */
static int write_block(int fd, const char *buffer, size_t block, unsigned long long *left) {
  size_t size = *left < block ? (size_t)*left : block;
  const char *data = buffer;
  while (size > 0) {
    const ssize_t written = write(fd, data, size);
    if (written < 0) {
      if (errno == EINTR) {
        continue;
      }
      return 0;
    }
    data += written;
    size -= (size_t)written;
    *left -= (unsigned long long)written;
  }
  return 1;
}

int main(int argc, char **argv) {
  unsigned long long out_left, err_left, block = 65536, header_left = 0;
  if (argc < 3 || argc > 5 || !parse_size(argv[1], &out_left) || !parse_size(argv[2], &err_left) ||
      (argc >= 4 && (!parse_size(argv[3], &block) || block == 0 || block > (64ULL << 20))) ||
      (argc == 5 && (!parse_size(argv[4], &header_left) || header_left > block))) {
    fprintf(stderr, "usage: vtbench-writer OUT_BYTES ERR_BYTES [BLOCK_BYTES, 1 to 67108864 "
                    "[HEADER_BYTES, at most BLOCK_BYTES]]\n");
    return 2;
  }

  char *buffer = malloc((size_t)block);
  if (buffer == NULL) {
    fprintf(stderr, "vtbench-writer: cannot allocate %llu bytes\n", block);
    return 1;
  }
  for (size_t i = 0; i < block; ++i) {
    buffer[i] = (i % 64 == 63) ? '\n' : (char)('a' + (i / 64 + i) % 26);
  }

  if (header_left > 0 && !write_block(1, buffer, (size_t)header_left, &header_left)) {
    perror("vtbench-writer: write to stdout");
    return 1;
  }
  while (out_left > 0 || err_left > 0) {
    if (out_left > 0 && !write_block(1, buffer, (size_t)block, &out_left)) {
      perror("vtbench-writer: write to stdout");
      return 1;
    }
    if (err_left > 0 && !write_block(2, buffer, (size_t)block, &err_left)) {
      perror("vtbench-writer: write to stderr");
      return 1;
    }
  }
  free(buffer);
  return 0;
}
