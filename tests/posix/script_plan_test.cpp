// plan_script: the POSIX rules that turn TOM_SCRIPT into a command.

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/platform.hpp"
#include "posix_test_support.hpp"

using namespace vtsubmit;
using namespace vtsubmit::posix_test;

namespace {

const Environment& system_path() {
  static const Environment environment = Environment::from_entries({"PATH=/usr/bin:/bin"});
  return environment;
}

platform::ScriptRequest request_for(const std::string& script, const std::vector<std::string>& parameters = {}) {
  platform::ScriptRequest request;
  request.script = script;
  request.parameters = parameters;
  request.environment = &system_path();
  request.queue_file = "/opt/vtom/admin/tom_submit.test";
  return request;
}

}  // namespace

TEST_CASE("plan_script rejects an empty script", "[posix]") {
  const auto plan = platform::plan_script(request_for(""));
  CHECK_FALSE(plan.ok);
  CHECK(plan.exit_code == 127);
  CHECK(plan.error.id == Msg::script_empty);
}

TEST_CASE("plan_script reports a missing file", "[posix]") {
  const auto plan = platform::plan_script(request_for("/nonexistent/vtsubmit-test/job.ksh"));
  CHECK_FALSE(plan.ok);
  CHECK(plan.exit_code == 127);
  CHECK(plan.error.id == Msg::script_not_found);
  REQUIRE(plan.error.args.size() == 1);
  CHECK(plan.error.args[0].text == "/nonexistent/vtsubmit-test/job.ksh");
}

TEST_CASE("plan_script rejects a directory", "[posix]") {
  TempDir directory;
  const auto plan = platform::plan_script(request_for(directory.path()));
  CHECK_FALSE(plan.ok);
  CHECK(plan.exit_code == 126);
  CHECK(plan.error.id == Msg::script_is_directory);
}

TEST_CASE("plan_script executes an executable file", "[posix]") {
  TempDir directory;
  const auto script = directory.file("job.sh");
  write_file(script, "#!/bin/sh\n", 0755);
  const auto plan = platform::plan_script(request_for(script, {"a", "b c"}));
  REQUIRE(plan.ok);
  CHECK(plan.command.program == script);
  CHECK(plan.command.argv == std::vector<std::string>{script, "a", "b c"});
  CHECK(plan.command.script_is_file);
  CHECK(plan.command.shell_fallback);
}

TEST_CASE("plan_script resolves against the working directory", "[posix]") {
  TempDir directory;
  write_file(directory.file("job.sh"), "#!/bin/sh\n", 0755);
  auto request = request_for("./job.sh");
  request.working_directory = directory.path();
  const auto plan = platform::plan_script(request);
  REQUIRE(plan.ok);
  CHECK(plan.command.program == directory.file("job.sh"));
}

TEST_CASE("plan_script reads a non-executable file with /bin/sh", "[posix]") {
  TempDir directory;
  const auto script = directory.file("job.sh");
  write_file(script, "echo hi\n", 0644);
  const auto plan = platform::plan_script(request_for(script, {"-x"}));
  REQUIRE(plan.ok);
  CHECK(plan.command.program == "/bin/sh");
  CHECK(plan.command.argv == std::vector<std::string>{"/bin/sh", script, "-x"});
  CHECK(plan.command.script_is_file);
  CHECK_FALSE(plan.command.shell_fallback);
}

TEST_CASE("plan_script rejects an unreadable file", "[posix]") {
  TempDir directory;
  const auto script = directory.file("job.sh");
  write_file(script, "echo hi\n", 0000);
  // root reads any file, so the check runs as an unprivileged user in a child process.
  CapturedProcess process([&]() -> std::string {
    if (geteuid() == 0) {
      const passwd* nobody = getpwnam("nobody");
      if (nobody == nullptr || chmod(directory.path().c_str(), 0755) != 0 || setgid(nobody->pw_gid) != 0 ||
          setuid(nobody->pw_uid) != 0) {
        return "cannot drop privileges";
      }
    }
    const auto plan = platform::plan_script(request_for(script));
    return std::to_string(plan.ok) + " " + std::to_string(plan.exit_code) + " " +
           std::to_string(plan.error.id == Msg::script_not_executable) + " " +
           (plan.error.args.size() == 2 ? plan.error.args[1].text : "");
  });
  CHECK(process.finish().returned == "0 126 1 Permission denied");
}

TEST_CASE("plan_script runs a file through the interpreter", "[posix]") {
  TempDir directory;
  const auto script = directory.file("job.ksh");
  write_file(script, "echo hi\n", 0644);
  auto request = request_for(script, {"p1"});
  request.interpreter = {"bash", "-e"};
  const auto plan = platform::plan_script(request);
  REQUIRE(plan.ok);
  CHECK(plan.command.program == "/usr/bin/bash");
  CHECK(plan.command.argv == std::vector<std::string>{"bash", "-e", script, "p1"});
}

TEST_CASE("plan_script reports a missing interpreter", "[posix]") {
  TempDir directory;
  const auto script = directory.file("job.ksh");
  write_file(script, "echo hi\n", 0644);
  auto request = request_for(script);
  request.interpreter = {"no-such-interpreter-vtsubmit"};
  const auto plan = platform::plan_script(request);
  CHECK_FALSE(plan.ok);
  CHECK(plan.exit_code == 127);
  CHECK(plan.error.id == Msg::interpreter_not_found);
  REQUIRE(plan.error.args.size() == 3);
  CHECK(plan.error.args[0].text == "no-such-interpreter-vtsubmit");
  CHECK(plan.error.args[1].text == "/opt/vtom/admin/tom_submit.test");
}

TEST_CASE("plan_script finds a bare word in PATH", "[posix]") {
  const auto plan = platform::plan_script(request_for("true", {"x"}));
  REQUIRE(plan.ok);
  CHECK(plan.command.program == "/usr/bin/true");
  CHECK(plan.command.argv == std::vector<std::string>{"/usr/bin/true", "x"});
  CHECK(plan.command.script_is_file);
}

TEST_CASE("plan_script runs a command line inline", "[posix]") {
  auto request = request_for("echo $1", {"a"});
  request.inline_arg0 = "JOB";
  const auto plan = platform::plan_script(request);
  REQUIRE(plan.ok);
  CHECK(plan.command.program == "/bin/sh");
  CHECK(plan.command.argv == std::vector<std::string>{"/bin/sh", "-c", "echo $1", "JOB", "a"});
  CHECK_FALSE(plan.command.script_is_file);
  CHECK_FALSE(plan.command.shell_fallback);
}

TEST_CASE("plan_script gives vtsubmit as default $0", "[posix]") {
  const auto plan = platform::plan_script(request_for("no-such-command-vtsubmit", {"a"}));
  REQUIRE(plan.ok);
  CHECK(plan.command.argv == std::vector<std::string>{"/bin/sh", "-c", "no-such-command-vtsubmit", "vtsubmit", "a"});
}

TEST_CASE("plan_script adds $0 only for a shell with -c", "[posix]") {
  auto bash = request_for("echo", {"a"});
  bash.inline_prefix = {"bash", "-e", "-c"};
  bash.inline_arg0 = "JOB";
  bash.script = "echo $0 $1";
  const auto bash_plan = platform::plan_script(bash);
  REQUIRE(bash_plan.ok);
  CHECK(bash_plan.command.program == "/usr/bin/bash");
  CHECK(bash_plan.command.argv == std::vector<std::string>{"bash", "-e", "-c", "echo $0 $1", "JOB", "a"});

  auto python = request_for("import sys; print(sys.argv[1:])", {"a", "b"});
  python.inline_prefix = {"python3", "-c"};
  python.inline_arg0 = "JOB";
  const auto python_plan = platform::plan_script(python);
  REQUIRE(python_plan.ok);
  CHECK(python_plan.command.argv ==
        std::vector<std::string>{"python3", "-c", "import sys; print(sys.argv[1:])", "a", "b"});
}

TEST_CASE("plan_script reports a missing inline prefix", "[posix]") {
  auto request = request_for("echo hi");
  request.inline_prefix = {"no-such-shell-vtsubmit", "-c"};
  const auto plan = platform::plan_script(request);
  CHECK_FALSE(plan.ok);
  CHECK(plan.exit_code == 127);
  CHECK(plan.error.id == Msg::interpreter_not_found);
}

TEST_CASE("inline parameters reach the shell unchanged", "[posix]") {
  const std::vector<std::string> parameters = {"", "-n", "a b", "q'\"$HOME`", "\xc3\xa9t\xc3\xa9", "line1\nline2", "*"};
  auto request = request_for("for p in \"$@\"; do printf '[%s]\\n' \"$p\"; done", parameters);
  request.inline_arg0 = "JOB";
  const auto plan = platform::plan_script(request);
  REQUIRE(plan.ok);
  auto options = test_options();
  const JobRun run = run_job_captured(plan.command, options);
  std::string expected;
  for (const auto& parameter : parameters) {
    expected += "[" + parameter + "]\n";
  }
  CHECK(run.out == expected);
}

TEST_CASE("inline python gets its parameters in sys.argv", "[posix]") {
  if (!platform::is_executable_file("/usr/bin/python3")) {
    WARN("/usr/bin/python3 is not installed: test skipped");
    return;
  }
  auto request = request_for("import sys; print(sys.argv[1:])", {"a", "b"});
  request.inline_prefix = {"python3", "-c"};
  const auto plan = platform::plan_script(request);
  REQUIRE(plan.ok);
  const JobRun run = run_job_captured(plan.command, test_options());
  CHECK(run.out == "['a', 'b']\n");
}

TEST_CASE("plan_script treats a special character as inline", "[posix]") {
  for (const std::string script : {"/bin/echo hello", "ls /tmp | wc -l", "/bin/true;", "$HOME/job.sh", "~/job.sh"}) {
    CAPTURE(script);
    const auto plan = platform::plan_script(request_for(script));
    REQUIRE(plan.ok);
    CHECK(plan.command.argv.at(2) == script);
    CHECK_FALSE(plan.command.script_is_file);
  }
}
