// run_job: exit codes, signals and start failures.

#include <catch2/catch.hpp>

#include <csignal>

#include <sys/resource.h>

#include "common/platform.hpp"
#include "posix_test_support.hpp"

using namespace vtsubmit;
using namespace vtsubmit::posix_test;

TEST_CASE("run_job returns the exit code", "[posix]") {
  for (const int code : {0, 1, 42, 255}) {
    CAPTURE(code);
    const JobRun run = run_job_captured(shell_command("exit " + std::to_string(code)), test_options());
    CHECK(run.result.started);
    CHECK(run.result.exit_code == code);
    CHECK(run.result.term_signal == 0);
    CHECK(run.result.stop_signal == 0);
    CHECK_FALSE(run.result.drain_timed_out);
    CHECK(run.result.leftovers.empty());
    CHECK(run.warnings.empty());
    CHECK(run.children_after == 0);
  }
}

TEST_CASE("run_job maps a killing signal to 128+n", "[posix]") {
  const struct {
    int signal_number;
    int exit_code;
  } cases[] = {{SIGSEGV, 139}, {SIGKILL, 137}};
  for (const auto& expected : cases) {
    CAPTURE(expected.signal_number);
    const auto script = "kill -" + platform::signal_name(expected.signal_number).substr(3) + " $$";
    const JobRun run = run_job_captured(shell_command(script), test_options());
    CHECK(run.result.started);
    CHECK(run.result.exit_code == expected.exit_code);
    CHECK(run.result.term_signal == expected.signal_number);
    CHECK(run.result.stop_signal == 0);
  }
}

TEST_CASE("run_job reports a missing program", "[posix]") {
  platform::JobCommand command;
  command.program = "/nonexistent/vtsubmit-test/job";
  command.argv = {command.program};
  const JobRun run = run_job_captured(command, test_options());
  CHECK_FALSE(run.result.started);
  CHECK(run.result.start_error == std::errc::no_such_file_or_directory);
  CHECK(run.children_after == 0);
}

TEST_CASE("run_job runs a file without #! through /bin/sh", "[posix]") {
  TempDir directory;
  const auto script = directory.file("no_shebang");
  write_file(script, "echo arg1=$1\n", 0755);

  platform::ScriptRequest request;
  request.script = script;
  request.parameters = {"first", "second"};
  const platform::ScriptPlan plan = platform::plan_script(request);
  REQUIRE(plan.ok);
  CHECK(plan.command.shell_fallback);

  const JobRun run = run_job_captured(plan.command, test_options());
  CHECK(run.result.started);
  CHECK(run.result.exit_code == 0);
  CHECK(run.out == "arg1=first\n");
}

TEST_CASE("run_job runs a file whose first line is #/bin/bash", "[posix]") {
  TempDir directory;
  const auto script = directory.file("typo_shebang");
  // The missing '!' makes the kernel refuse the file (ENOEXEC); /bin/sh reads the line as a comment.
  write_file(script, "#/bin/bash\necho ok $1\nexit 3\n", 0755);

  platform::ScriptRequest request;
  request.script = script;
  request.parameters = {"a"};
  const platform::ScriptPlan plan = platform::plan_script(request);
  REQUIRE(plan.ok);

  const JobRun run = run_job_captured(plan.command, test_options());
  CHECK(run.result.exit_code == 3);
  CHECK(run.out == "ok a\n");
}

TEST_CASE("run_job without shell fallback reports ENOEXEC", "[posix]") {
  TempDir directory;
  const auto script = directory.file("no_shebang");
  write_file(script, "echo never\n", 0755);
  platform::JobCommand command;
  command.program = script;
  command.argv = {script};
  command.shell_fallback = false;

  const JobRun run = run_job_captured(command, test_options());
  CHECK_FALSE(run.result.started);
  CHECK(run.result.start_error == std::errc::executable_format_error);
  CHECK(run.out.empty());
}

TEST_CASE("run_job reports a core dump", "[posix]") {
  // A core_pattern starting with '|' hands cores to a system crash handler: not a place for tests.
  const std::string pattern = read_file("/proc/sys/kernel/core_pattern");
  if (pattern.empty() || pattern.front() == '|') {
    WARN("core_pattern is '" << pattern << "': test skipped");
    return;
  }
  rlimit core_limit {};
  if (getrlimit(RLIMIT_CORE, &core_limit) != 0 || core_limit.rlim_max == 0) {
    WARN("core files are disabled by the hard limit: test skipped");
    return;
  }
  TempDir directory;
  VtsubmitSetup setup;
  setup.before_run = [] {
    rlimit limit {};
    getrlimit(RLIMIT_CORE, &limit);
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_CORE, &limit);
  };
  auto options = test_options();
  options.working_directory = directory.path();   // where a pattern without '/' writes the core
  const JobRun run = run_job_captured(shell_command("kill -SEGV $$"), options, setup);
  CHECK(run.result.exit_code == 139);
  CHECK(run.result.term_signal == SIGSEGV);
  CHECK(run.result.core_dumped);
}
