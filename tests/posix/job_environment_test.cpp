// run_job: what the child inherits (environment, directory, stdin, signals, descriptors).

#include <catch2/catch.hpp>

#include <climits>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <fcntl.h>
#include <unistd.h>

#include "common/platform.hpp"
#include "posix_test_support.hpp"

using namespace vtsubmit;
using namespace vtsubmit::posix_test;

namespace {

platform::JobCommand program_command(const std::string& program, const std::vector<std::string>& argv) {
  platform::JobCommand command;
  command.program = program;
  command.argv = argv;
  return command;
}

}  // namespace

TEST_CASE("run_job passes the environment exactly", "[posix]") {
  auto options = test_options();
  options.environment = {"B=two words", "A=1", "EMPTY=", "UTF8=\xc3\xa9t\xc3\xa9", "SPECIAL=$HOME;'\"\\"};
  const JobRun run = run_job_captured(program_command("/usr/bin/env", {"env", "-0"}), options);
  REQUIRE(run.result.started);
  CHECK(run.result.exit_code == 0);
  std::string expected;
  for (const auto& entry : options.environment) {
    expected += entry;
    expected += '\0';
  }
  CHECK(run.out == expected);
}

TEST_CASE("run_job passes an empty environment", "[posix]") {
  auto options = test_options();
  options.environment.clear();
  const JobRun run = run_job_captured(program_command("/usr/bin/env", {"env", "-0"}), options);
  CHECK(run.result.exit_code == 0);
  CHECK(run.out.empty());
}

TEST_CASE("run_job starts in the working directory", "[posix]") {
  TempDir directory;
  auto options = test_options();
  options.working_directory = directory.path();
  const JobRun run = run_job_captured(program_command("/bin/pwd", {"pwd", "-P"}), options);
  char real[PATH_MAX];
  REQUIRE(realpath(directory.path().c_str(), real) != nullptr);
  CHECK(run.out == std::string(real) + "\n");
}

TEST_CASE("run_job reports a missing working directory", "[posix]") {
  auto options = test_options();
  options.working_directory = "/nonexistent/vtsubmit-test";
  const JobRun run = run_job_captured(program_command("/bin/pwd", {"pwd"}), options);
  CHECK_FALSE(run.result.started);
  CHECK(run.result.start_error == std::errc::no_such_file_or_directory);
}

TEST_CASE("run_job gives the job /dev/null as stdin", "[posix]") {
  const JobRun link = run_job_captured(program_command("/bin/readlink", {"readlink", "/proc/self/fd/0"}), test_options());
  CHECK(link.out == "/dev/null\n");

  // cat ends at once on end-of-file, where a terminal or inherited pipe would block it.
  const JobRun cat = run_job_captured(program_command("/bin/cat", {"cat"}), test_options());
  CHECK(cat.result.exit_code == 0);
  CHECK(cat.out.empty());
}

TEST_CASE("run_job resets signal dispositions and mask", "[posix]") {
  VtsubmitSetup setup;
  setup.install_stop_handlers = false;
  setup.before_run = [] {
    signal(SIGINT, SIG_IGN);
    signal(SIGTERM, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
    sigset_t blocked;
    sigemptyset(&blocked);
    sigaddset(&blocked, SIGUSR1);
    sigaddset(&blocked, SIGALRM);
    sigprocmask(SIG_BLOCK, &blocked, nullptr);
  };
  const JobRun run = run_job_captured(
      program_command("/bin/grep", {"grep", "-E", "^Sig(Blk|Ign):", "/proc/self/status"}), test_options(), setup);
  unsigned long long blocked = ~0ULL;
  unsigned long long ignored = ~0ULL;
  REQUIRE(std::sscanf(run.out.c_str(), "SigBlk: %llx SigIgn: %llx", &blocked, &ignored) == 2);
  CHECK(blocked == 0);
  // glibc's posix_spawn leaves its two internal signals, 32 and 33, ignored (bits 31 and 32).
  constexpr unsigned long long glibc_internal_signals = (1ULL << 31) | (1ULL << 32);
  CHECK((ignored & ~glibc_internal_signals) == 0);
}

TEST_CASE("run_job passes no descriptor above 2", "[posix]") {
  VtsubmitSetup setup;
  // Descriptors opened without O_CLOEXEC by other code of vtsubmit.
  setup.before_run = [] {
    open("/dev/null", O_RDONLY);
    open("/dev/null", O_WRONLY);
  };
  auto options = test_options();
  options.environment = {"PATH=/usr/bin:/bin"};
  // ls opens the directory it lists, as descriptor 3 when nothing leaked.
  const JobRun run = run_job_captured(program_command("/bin/ls", {"ls", "/proc/self/fd"}), options, setup);
  CHECK(run.result.exit_code == 0);
  CHECK(run.out == "0\n1\n2\n3\n");
}

TEST_CASE("run_job stdout and stderr are separate pipes", "[posix]") {
  const JobRun run = run_job_captured(
      program_command("/bin/sh", {"sh", "-c", "readlink /proc/self/fd/1; readlink /proc/self/fd/2 >&2"}),
      test_options());
  REQUIRE(run.out.rfind("pipe:[", 0) == 0);
  REQUIRE(run.err.rfind("pipe:[", 0) == 0);
  CHECK(run.out != run.err);
}
