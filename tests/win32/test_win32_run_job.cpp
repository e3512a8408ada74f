// platform::plan_script and platform::run_job with real child processes: the argv-echo child,
// batch files run by the system cmd.exe, exit codes, job objects and output streaming.

#include <catch2/catch.hpp>

#include "common/platform.hpp"
#include "win32_test_support.hpp"

using namespace vtsubmit;
using namespace vtsubmit::test;

namespace {

platform::ScriptRequest request_for(const std::string& script, const std::string& raw_parameters) {
  platform::ScriptRequest request;
  request.script = script;
  request.raw_parameters = raw_parameters;
  request.queue_file = "tom_submit.test";
  return request;
}

platform::JobOptions default_options() {
  platform::JobOptions options;
  options.environment = platform::current_environment().entries();
  options.stop_grace = std::chrono::seconds(2);
  options.drain_timeout = std::chrono::seconds(5);
  return options;
}

struct Outcome {
  platform::ScriptPlan plan;
  platform::JobResult result;
  std::string out;
  std::string err;
};

Outcome run_script(const TempDir& directory, const platform::ScriptRequest& request,
                   const platform::JobOptions& options = default_options()) {
  Outcome outcome;
  outcome.plan = platform::plan_script(request);
  if (!outcome.plan.ok) {
    return outcome;
  }
  CapturedOutput captured(directory);
  outcome.result = platform::run_job(outcome.plan.command, options);
  outcome.out = captured.out();
  outcome.err = captured.err();
  UNSCOPED_INFO("command line: " << outcome.plan.command.command_line);
  UNSCOPED_INFO("stdout: " << outcome.out);
  UNSCOPED_INFO("stderr: " << outcome.err);
  return outcome;
}

const char* const echo_bat =
    "@echo off\r\n"
    "echo 1=[%1]\r\n"
    "echo 2=[%2]\r\n"
    "echo 3=[%3]\r\n"
    "echo 4=[%4]\r\n"
    "echo 5=[%5]\r\n"
    "echo 6=[%6]\r\n"
    "echo T1=[%~1]\r\n"
    "exit /b 7\r\n";

}  // namespace

TEST_CASE("exe gets raw tail unchanged", "[win32]") {
  TempDir directory;
  const auto outcome = run_script(directory, request_for(test_child_path(), "args \"a b\"  c x&y 100% ^ !v! \"\" \xC3\xA9"));
  REQUIRE(outcome.plan.ok);
  CHECK(outcome.plan.command.command_line == "\"" + test_child_path() + "\" args \"a b\"  c x&y 100% ^ !v! \"\" \xC3\xA9");
  REQUIRE(outcome.result.started);
  CHECK(outcome.result.exit_code == 0);
  CHECK(outcome.out == "[a b]\n[c]\n[x&y]\n[100%]\n[^]\n[!v!]\n[]\n[\xC3\xA9]\n");
}

TEST_CASE("bat safe mode blocks injection", "[win32]") {
  TempDir directory;
  const auto script = directory.write("echo args.bat", echo_bat);
  const auto outcome = run_script(directory, request_for(script, "\"a b\" c x&y \"&echo INJECTED\" ^^ !v!"));
  REQUIRE(outcome.plan.ok);
  CHECK(outcome.plan.command.program == win32::narrow(win32::system_cmd_exe()));
  REQUIRE(outcome.result.started);
  CHECK(outcome.result.exit_code == 7);
  CHECK(outcome.out ==
        "1=[\"a b\"]\r\n2=[c]\r\n3=[\"x&y\"]\r\n4=[\"&echo INJECTED\"]\r\n5=[\"^^\"]\r\n6=[\"!v!\"]\r\nT1=[a b]\r\n");
}

TEST_CASE("bat safe mode empty parameter", "[win32]") {
  TempDir directory;
  const auto script = directory.write("e.cmd", echo_bat);
  const auto outcome = run_script(directory, request_for(script, "\"\" x"));
  REQUIRE(outcome.result.started);
  CHECK(outcome.out.find("1=[\"\"]\r\n2=[x]\r\n") == 0);
}

TEST_CASE("bat percent arrives unchanged", "[win32][wine-diverges]") {
  // Wine's cmd expands % again inside a substituted %1; Windows does not.
  TempDir directory;
  const auto script = directory.write("p.bat", echo_bat);
  const auto outcome = run_script(directory, request_for(script, "100% %PATH%"));
  CHECK(outcome.out.find("1=[\"100%\"]\r\n2=[\"%PATH%\"]\r\n") == 0);
}

TEST_CASE("bat legacy mode runs ampersand", "[win32]") {
  TempDir directory;
  const auto script = directory.write("legacy.bat", echo_bat);
  auto request = request_for(script, "a x&echo INJECTED");
  request.legacy_batch_arguments = true;
  const auto outcome = run_script(directory, request);
  REQUIRE(outcome.plan.ok);
  CHECK(outcome.plan.command.command_line.find("/c \"call \"") != std::string::npos);
  CHECK(outcome.out.find("1=[a]\r\n2=[x]\r\n") == 0);
  CHECK(outcome.out.find("INJECTED\r\n") != std::string::npos);
}

TEST_CASE("batch name with trailing dots", "[win32]") {
  TempDir directory;
  const auto script = directory.write("dots.bat", echo_bat);
  const auto plan = platform::plan_script(request_for(script + ". .", "x"));
  REQUIRE(plan.ok);
  CHECK(plan.command.program == win32::narrow(win32::system_cmd_exe()));
}

TEST_CASE("batch parameter with line break rejected", "[win32]") {
  TempDir directory;
  const auto script = directory.write("nl.bat", echo_bat);
  auto request = request_for(script, "");
  request.parameters = {"ok", "a\nb"};
  const auto plan = platform::plan_script(request);
  CHECK_FALSE(plan.ok);
  CHECK(plan.exit_code == 126);
  CHECK(plan.error.id == Msg::batch_argument_has_newline);
  CHECK(plan.error.text(Language::english).find("parameter 2 ") != std::string::npos);
}

TEST_CASE("exit codes keep 32 bits", "[win32]") {
  TempDir directory;
  CHECK(run_script(directory, request_for(test_child_path(), "exit 300")).result.exit_code == 300);
  CHECK(run_script(directory, request_for(test_child_path(), "exit 0xC0000005")).result.exit_code == -1073741819);
  CHECK(run_script(directory, request_for(test_child_path(), "exit -1")).result.exit_code == -1);

  const auto script = directory.write("code.bat", "@exit /b 300\r\n");
  CHECK(run_script(directory, request_for(script, "")).result.exit_code == 300);
  const auto negative = directory.write("negative.bat", "@exit /b -2\r\n");
  CHECK(run_script(directory, request_for(negative, "")).result.exit_code == -2);
}

TEST_CASE("batch exit code wraps at 32 bits", "[win32][wine-diverges]") {
  // ERRORLEVEL is a signed 32-bit value and 2147483648 wraps around on Windows; Wine's cmd
  // clamps it to 2147483647.
  TempDir directory;
  const auto wrapped = directory.write("wrapped.bat", "@exit /b 2147483648\r\n");
  CHECK(run_script(directory, request_for(wrapped, "")).result.exit_code == -2147483647 - 1);
}

TEST_CASE("batch missing command gives 9009", "[win32]") {
  TempDir directory;
  const auto script = directory.write("missing.bat", "@no_such_command_for_vtsubmit_test\r\n");
  const auto outcome = run_script(directory, request_for(script, ""));
  CHECK(outcome.result.exit_code == 9009);
}

TEST_CASE("exit code described in words", "[win32]") {
  CHECK(platform::describe_exit_code(static_cast<int>(0xC0000005u)) == "0xC0000005 (access violation)");
  CHECK(platform::describe_exit_code(static_cast<int>(0xC000013Au)) == "0xC000013A (Ctrl+C or console closed)");
  CHECK(platform::describe_exit_code(-1) == "0xFFFFFFFF");
  CHECK(platform::describe_exit_code(9009) == "command not found by cmd.exe");
  CHECK(platform::describe_exit_code(300).empty());
  CHECK(platform::stop_exit_code(1) == -1073741510);
}

TEST_CASE("leftover grandchild is killed", "[win32]") {
  TempDir directory;
  const auto pid_file = directory.file("grandchild.pid");
  const auto outcome = run_script(directory, request_for(test_child_path(), "grandchild \"" + pid_file + "\""));
  REQUIRE(outcome.result.started);
  CHECK(outcome.result.exit_code == 0);
  const auto pid = static_cast<DWORD>(std::stoul(read_all(pid_file)));
  REQUIRE(outcome.result.leftovers.size() == 1);
  CHECK(outcome.result.leftovers[0].pid == static_cast<long>(pid));

  win32::Handle grandchild(OpenProcess(SYNCHRONIZE, FALSE, pid));
  if (grandchild.valid()) {
    CHECK(WaitForSingleObject(grandchild.get(), 5000) == WAIT_OBJECT_0);
  }
}

TEST_CASE("leftover kept when asked", "[win32]") {
  TempDir directory;
  const auto pid_file = directory.file("kept.pid");
  auto options = default_options();
  options.leftovers = platform::LeftoverPolicy::keep;
  const auto outcome = run_script(directory, request_for(test_child_path(), "grandchild \"" + pid_file + "\""), options);
  REQUIRE(outcome.result.started);
  CHECK(outcome.result.leftovers.empty());
  const auto pid = static_cast<DWORD>(std::stoul(read_all(pid_file)));
  win32::Handle grandchild(OpenProcess(SYNCHRONIZE | PROCESS_TERMINATE, FALSE, pid));
  REQUIRE(grandchild.valid());
  CHECK(WaitForSingleObject(grandchild.get(), 500) == WAIT_TIMEOUT);
  TerminateProcess(grandchild.get(), 0);
}

TEST_CASE("only standard handles inherited", "[win32]") {
  TempDir directory;
  SECURITY_ATTRIBUTES attributes{sizeof(attributes), nullptr, TRUE};
  win32::Handle inheritable(CreateEventW(&attributes, TRUE, FALSE, nullptr));
  REQUIRE(inheritable.valid());
  const auto value = std::to_string(reinterpret_cast<std::uintptr_t>(inheritable.get()));
  const auto outcome = run_script(directory, request_for(test_child_path(), "handle " + value));
  CHECK(outcome.out == "invalid\n");
}

TEST_CASE("large output streamed whole", "[win32]") {
  TempDir directory;
  const auto outcome = run_script(directory, request_for(test_child_path(), "flood 8388608 1048576"));
  REQUIRE(outcome.result.started);
  CHECK(outcome.result.exit_code == 0);
  REQUIRE(outcome.out.size() == 8388608);
  REQUIRE(outcome.err.size() == 1048576);
  bool pattern_ok = true;
  for (std::size_t i = 0; i < outcome.out.size(); i += 4099) {
    pattern_ok = pattern_ok && outcome.out[i] == static_cast<char>('a' + (i % 65536) % 26);
  }
  CHECK(pattern_ok);
}

TEST_CASE("output bytes never transcoded", "[win32]") {
  TempDir directory;
  const auto outcome = run_script(directory, request_for(test_child_path(), "bytes 82E90D0A"));
  CHECK(outcome.out == "\x82\xE9\r\n");
}

TEST_CASE("missing program fails to start", "[win32]") {
  platform::JobCommand command;
  command.program = "C:\\no\\such\\program.exe";
  command.command_line = "\"C:\\no\\such\\program.exe\"";
  const auto result = platform::run_job(command, default_options());
  CHECK_FALSE(result.started);
  CHECK(result.start_error == std::errc::no_such_file_or_directory);
}

TEST_CASE("missing script not found", "[win32]") {
  const auto plan = platform::plan_script(request_for("C:\\no such dir\\job.bat", ""));
  CHECK_FALSE(plan.ok);
  CHECK(plan.exit_code == 127);
  CHECK(plan.error.id == Msg::script_not_found);
}

TEST_CASE("inline command through cmd", "[win32]") {
  TempDir directory;
  const auto outcome = run_script(directory, request_for("echo inline& echo second", ""));
  REQUIRE(outcome.plan.ok);
  CHECK_FALSE(outcome.plan.command.script_is_file);
  CHECK(outcome.out == "inline\r\nsecond\r\n");
}

TEST_CASE("interpreter prefix from queue file", "[win32]") {
  TempDir directory;
  const auto script = directory.write("job.py", "print('x')\n");
  auto request = request_for(script, "\"p q\" r");
  request.interpreter = {test_child_path(), "args"};
  const auto outcome = run_script(directory, request);
  REQUIRE(outcome.plan.ok);
  CHECK(outcome.out == "[" + script + "]\n[p q]\n[r]\n");
}
