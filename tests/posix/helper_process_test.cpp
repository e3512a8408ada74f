// run_helper: exit code, inherited output, start failures and timeout.

#include <catch2/catch.hpp>

#include <chrono>
#include <string>

#include "common/platform.hpp"
#include "posix_test_support.hpp"

using namespace vtsubmit;
using namespace vtsubmit::posix_test;

namespace {

std::string describe(const platform::HelperResult& result) {
  return std::to_string(result.started) + " " + std::to_string(result.start_error.value()) + " " +
         std::to_string(result.timed_out) + " " + std::to_string(result.exit_code);
}

}  // namespace

TEST_CASE("run_helper returns the exit code and inherits output", "[posix]") {
  CapturedProcess process([] {
    const auto result = platform::run_helper(
        "/bin/sh", {"-c", "echo \"out $0 $1\"; echo err >&2; readlink /proc/self/fd/0; exit 7", "x"},
        environment_entries(), std::chrono::seconds(10));
    return describe(result);
  });
  const auto outcome = process.finish();
  CHECK(outcome.returned == "1 0 0 7");
  CHECK(outcome.out == "out x \n/dev/null\n");
  CHECK(outcome.err == "err\n");
}

TEST_CASE("run_helper passes the environment", "[posix]") {
  CapturedProcess process([] {
    return describe(platform::run_helper("/usr/bin/env", {}, {"ONLY=this"}, std::chrono::seconds(10)));
  });
  const auto outcome = process.finish();
  CHECK(outcome.returned == "1 0 0 0");
  CHECK(outcome.out == "ONLY=this\n");
}

TEST_CASE("run_helper reports a missing program", "[posix]") {
  const auto result = platform::run_helper("/nonexistent/vtsubmit-test/tsend", {"-sT"}, {}, std::chrono::seconds(5));
  CHECK_FALSE(result.started);
  CHECK(result.start_error == std::errc::no_such_file_or_directory);
}

TEST_CASE("run_helper reports a program without execute permission", "[posix]") {
  TempDir directory;
  const auto program = directory.file("tsend");
  write_file(program, "#!/bin/sh\nexit 0\n", 0644);
  const auto result = platform::run_helper(program, {}, {}, std::chrono::seconds(5));
  CHECK_FALSE(result.started);
  CHECK(result.start_error == std::errc::permission_denied);
}

TEST_CASE("run_helper stops a helper after the timeout", "[posix]") {
  CapturedProcess process([] {
    const auto start = std::chrono::steady_clock::now();
    const auto result = platform::run_helper("/bin/sleep", {"600"}, {}, std::chrono::seconds(1));
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    return describe(result) + " " + std::to_string(elapsed.count());
  });
  const auto outcome = process.finish();
  INFO(outcome.returned);
  CHECK(outcome.returned.rfind("1 0 1 143 ", 0) == 0);
  const double seconds = std::stod(outcome.returned.substr(outcome.returned.rfind(' ') + 1));
  CHECK(seconds >= 0.9);
  CHECK(seconds < 2.0);
}

TEST_CASE("run_helper kills a helper ignoring SIGTERM", "[posix]") {
  CapturedProcess process([] {
    const auto result = platform::run_helper("/bin/sh", {"-c", "trap '' TERM; sleep 600"}, environment_entries(),
                                             std::chrono::seconds(1));
    return describe(result);
  });
  const auto outcome = process.finish();
  CHECK(outcome.returned == "1 0 1 137");
}
