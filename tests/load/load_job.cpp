// The job of the load test: writes a reproducible byte stream of a given size to stdout and to
// stderr, interleaved in chunks of varying size, records how many descriptors it has open, and
// exits with the requested code.
//   vtsubmit_load_job STDOUT_BYTES STDERR_BYTES EXIT_CODE SEED FD_COUNT_FILE

#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "load_stream.hpp"

namespace {

bool write_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t written = write(fd, data, size);
    if (written <= 0) {
      return false;
    }
    data += written;
    size -= static_cast<std::size_t>(written);
  }
  return true;
}

// Counts /proc/self/fd entries, without the descriptor opendir itself uses.
int count_open_descriptors() {
  DIR* folder = opendir("/proc/self/fd");
  if (folder == nullptr) {
    return -1;
  }
  int count = 0;
  while (const dirent* entry = readdir(folder)) {
    count += entry->d_name[0] != '.' ? 1 : 0;
  }
  closedir(folder);
  return count - 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 6) {
    std::fprintf(stderr, "usage: vtsubmit_load_job STDOUT_BYTES STDERR_BYTES EXIT_CODE SEED FD_COUNT_FILE\n");
    return 2;
  }
  const std::size_t out_bytes = std::strtoull(argv[1], nullptr, 10);
  const std::size_t err_bytes = std::strtoull(argv[2], nullptr, 10);
  const int exit_code = std::atoi(argv[3]);
  const std::uint64_t seed = std::strtoull(argv[4], nullptr, 10);

  const int open_descriptors = count_open_descriptors();
  if (std::FILE* file = std::fopen(argv[5], "w")) {
    std::fprintf(file, "%d\n", open_descriptors);
    std::fclose(file);
  }

  const std::string out = vtsubmit::load::stream_bytes(seed, out_bytes);
  const std::string err = vtsubmit::load::stream_bytes(seed + 1, err_bytes);
  vtsubmit::load::Random chunks(seed + 2);
  std::size_t out_done = 0;
  std::size_t err_done = 0;
  while (out_done < out.size() || err_done < err.size()) {
    const std::size_t chunk = 1 + chunks.next() % 65536;
    const std::size_t out_part = std::min(chunk, out.size() - out_done);
    if (!write_all(1, out.data() + out_done, out_part)) return 90;
    out_done += out_part;
    const std::size_t err_part = std::min(chunk / 2 + 1, err.size() - err_done);
    if (!write_all(2, err.data() + err_done, err_part)) return 91;
    err_done += err_part;
  }
  return exit_code;
}
