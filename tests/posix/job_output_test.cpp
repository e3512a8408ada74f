// run_job: streaming of the job's stdout and stderr.

#include <catch2/catch.hpp>

#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/platform.hpp"
#include "posix_test_support.hpp"

using namespace vtsubmit;
using namespace vtsubmit::posix_test;

namespace {

constexpr std::size_t hundred_mib = 100 * 1024 * 1024;

// True when the file holds exactly the first `size` bytes of `seq FIRST STEP …` output.
bool file_matches_sequence(const std::string& path, long long first, long long step, std::size_t size) {
  std::ifstream file(path, std::ios::binary);
  std::string expected;
  std::vector<char> actual(2 * 1024 * 1024);
  long long value = first;
  std::size_t compared = 0;
  while (compared < size) {
    expected.clear();
    while (expected.size() < 1024 * 1024) {
      expected += std::to_string(value);
      expected += '\n';
      value += step;
    }
    expected.resize(std::min(expected.size(), size - compared));
    file.read(actual.data(), static_cast<std::streamsize>(expected.size()));
    if (static_cast<std::size_t>(file.gcount()) != expected.size() ||
        std::memcmp(actual.data(), expected.data(), expected.size()) != 0) {
      return false;
    }
    compared += expected.size();
  }
  return file.peek() == std::ifstream::traits_type::eof();
}

}  // namespace

TEST_CASE("run_job streams 100 MiB on both outputs", "[posix]") {
  TempDir directory;
  const std::string out_path = directory.file("out");
  const std::string err_path = directory.file("err");
  // Both streams at once: a loop that read one pipe to its end first would deadlock.
  const auto command = shell_command(
      "(seq 1 20000000 | head -c 104857600) & (seq 2 2 30000000 | head -c 104857600 >&2) & wait");
  auto options = test_options();
  options.drain_timeout = std::chrono::seconds(30);

  CapturedProcess process([&]() -> std::string {
    // The harness files would be read into memory: these are compared from disk.
    const int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(out, 1);
    dup2(err, 2);
    close(out);
    close(err);
    const auto start = std::chrono::steady_clock::now();
    const auto result = platform::run_job(command, options);
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    return std::to_string(result.exit_code) + " " + std::to_string(result.drain_timed_out) + " " +
           std::to_string(result.warnings.size()) + " " + std::to_string(elapsed.count());
  });
  const auto outcome = process.finish();
  INFO("exit code, drain timed out, warnings, seconds: " << outcome.returned);
  REQUIRE(outcome.returned.rfind("0 0 0 ", 0) == 0);
  CHECK(file_matches_sequence(out_path, 1, 1, hundred_mib));
  CHECK(file_matches_sequence(err_path, 2, 2, hundred_mib));
}

TEST_CASE("run_job keeps interleaved streams apart", "[posix]") {
  const auto command = shell_command(
      "i=0; while [ $i -lt 3000 ]; do echo \"out $i\"; echo \"err $i\" >&2; i=$((i + 1)); done");
  const JobRun run = run_job_captured(command, test_options());
  std::string expected_out;
  std::string expected_err;
  for (int i = 0; i < 3000; ++i) {
    expected_out += "out " + std::to_string(i) + "\n";
    expected_err += "err " + std::to_string(i) + "\n";
  }
  CHECK(run.result.exit_code == 0);
  CHECK(run.out == expected_out);
  CHECK(run.err == expected_err);
}

TEST_CASE("run_job copies bytes unchanged", "[posix]") {
  const auto command = shell_command("printf 'a\\000b\\377\\r\\n\\033[0m no newline'; printf '\\000' >&2");
  const JobRun run = run_job_captured(command, test_options());
  CHECK(run.out == std::string("a\0b\xff\r\n\x1b[0m no newline", 21));
  CHECK(run.err == std::string("\0", 1));
}

TEST_CASE("run_job survives a closed stdout", "[posix]") {
  VtsubmitSetup setup;
  setup.before_run = [] {
    // The log reader went away: every write to fd 1 fails with EPIPE.
    int fds[2];
    if (pipe(fds) == 0) {
      close(fds[0]);
      dup2(fds[1], 1);
      close(fds[1]);
    }
  };
  const auto command = shell_command("seq 1 200000; echo to stderr >&2; exit 3");
  const JobRun run = run_job_captured(command, test_options(), setup);
  CHECK(WIFEXITED(run.status));
  CHECK(run.result.exit_code == 3);
  CHECK(run.err == "to stderr\n");
  REQUIRE(run.warnings.size() == 1);
  CHECK(run.warnings.front().find("stdout") != std::string::npos);
  CHECK(run.warnings.front().find("Broken pipe") != std::string::npos);
}

TEST_CASE("run_job writes to an O_APPEND log", "[posix]") {
  TempDir directory;
  const std::string log = directory.file("log");
  write_file(log, "banner\n");
  VtsubmitSetup setup;
  setup.before_run = [&] {
    // The agent may open the log in append mode, where splice gives EINVAL on some kernels.
    const int fd = open(log.c_str(), O_WRONLY | O_APPEND);
    dup2(fd, 1);
    close(fd);
  };
  const JobRun run = run_job_captured(shell_command("seq 1 100000"), test_options(), setup);
  std::string expected = "banner\n";
  for (int i = 1; i <= 100000; ++i) {
    expected += std::to_string(i) + "\n";
  }
  CHECK(run.result.exit_code == 0);
  CHECK(read_file(log) == expected);
}
