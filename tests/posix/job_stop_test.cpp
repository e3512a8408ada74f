// run_job: stop requests, processes left behind, the watchdog and zombies.

#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <string>
#include <thread>

#include <dirent.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/platform.hpp"
#include "posix_test_support.hpp"

using namespace vtsubmit;
using namespace vtsubmit::posix_test;
using std::chrono::milliseconds;
using std::chrono::seconds;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

bool has_leftover(const platform::JobResult& result, pid_t pid, const std::string& command) {
  for (const auto& leftover : result.leftovers) {
    if (leftover.pid == pid && leftover.command == command) {
      return true;
    }
  }
  return false;
}

// The watchdog of a vtsubmit process: its child named vtsubmit-watch.
pid_t find_watchdog(pid_t vtsubmit) {
  pid_t found = 0;
  DIR* proc = opendir("/proc");
  while (const dirent* entry = readdir(proc)) {
    if (entry->d_name[0] < '1' || entry->d_name[0] > '9') {
      continue;
    }
    const std::string stat = read_file(std::string("/proc/") + entry->d_name + "/stat");
    long ppid = 0;
    if (stat.find("(vtsubmit-watch)") != std::string::npos &&
        std::sscanf(stat.c_str() + stat.rfind(')') + 1, " %*c %ld", &ppid) == 1 && ppid == vtsubmit) {
      found = static_cast<pid_t>(std::stol(entry->d_name));
    }
  }
  closedir(proc);
  return found;
}

std::vector<std::string> descriptor_targets(pid_t pid) {
  std::vector<std::string> targets;
  const std::string directory = "/proc/" + std::to_string(pid) + "/fd";
  DIR* fds = opendir(directory.c_str());
  while (const dirent* entry = readdir(fds)) {
    if (entry->d_name[0] == '.') {
      continue;
    }
    char target[256] = {};
    const auto size = readlink((directory + "/" + entry->d_name).c_str(), target, sizeof target - 1);
    targets.push_back(std::string(entry->d_name) + " " + std::string(target, size > 0 ? size : 0));
  }
  closedir(fds);
  return targets;
}

}  // namespace

TEST_CASE("pending_stop_request keeps the first signal", "[posix]") {
  CapturedProcess process([] {
    platform::install_stop_handlers();
    const int before = platform::pending_stop_request();
    raise(SIGHUP);
    raise(SIGTERM);
    raise(SIGPIPE);   // ignored: must not end the process
    return std::to_string(before) + " " + std::to_string(platform::pending_stop_request());
  });
  const auto outcome = process.finish();
  CHECK(outcome.returned == "0 " + std::to_string(SIGHUP));
}

TEST_CASE("SIGTERM to vtsubmit stops the job tree", "[posix]") {
  TempDir directory;
  const auto pid_file = directory.file("grandchild");
  VtsubmitProcess vtsubmit(shell_command("sleep 600 & echo $! > '" + pid_file + "'; wait"), test_options());
  const pid_t grandchild = wait_for_pid_file(pid_file);
  REQUIRE(grandchild > 0);

  const auto stop_time = Clock::now();
  REQUIRE(kill(vtsubmit.pid(), SIGTERM) == 0);
  const JobRun run = vtsubmit.finish();
  const double stop_seconds = seconds_since(stop_time);

  CHECK(run.result.started);
  CHECK(run.result.stop_signal == SIGTERM);
  CHECK(run.result.exit_code == 128 + SIGTERM);
  CHECK_FALSE(run.result.killed_after_grace);
  CHECK(stop_seconds < 1.0);
  CHECK_FALSE(process_running(grandchild));
  CHECK(run.zombies_after == 0);
  CHECK(run.children_after == 0);
}

TEST_CASE("stop request before the spawn stops the job", "[posix]") {
  VtsubmitSetup setup;
  setup.before_run = [] { raise(SIGINT); };
  const JobRun run = run_job_captured(shell_command("sleep 600"), test_options(), setup);
  CHECK(run.result.started);
  CHECK(run.result.stop_signal == SIGINT);
  CHECK(run.result.exit_code == 128 + SIGINT);
  CHECK(run.result.term_signal == SIGTERM);
  CHECK(run.seconds < 1.0);
}

TEST_CASE("job ignoring SIGTERM gets SIGKILL after grace", "[posix]") {
  TempDir directory;
  const auto pid_file = directory.file("grandchild");
  VtsubmitProcess vtsubmit(
      shell_command("trap '' TERM; echo started; sleep 600 & echo $! > '" + pid_file + "'; wait"), test_options());
  const pid_t grandchild = wait_for_pid_file(pid_file);
  REQUIRE(grandchild > 0);

  const auto stop_time = Clock::now();
  REQUIRE(kill(vtsubmit.pid(), SIGHUP) == 0);
  const JobRun run = vtsubmit.finish();
  const double stop_seconds = seconds_since(stop_time);

  CHECK(run.result.stop_signal == SIGHUP);
  CHECK(run.result.exit_code == 128 + SIGHUP);
  CHECK(run.result.term_signal == SIGKILL);
  CHECK(run.result.killed_after_grace);
  CHECK(stop_seconds >= 0.9);
  CHECK(stop_seconds < 2.5);
  CHECK(run.out == "started\n");
  CHECK_FALSE(process_running(grandchild));
  CHECK(run.zombies_after == 0);
}

TEST_CASE("background process holding the output is killed", "[posix]") {
  TempDir directory;
  const auto pid_file = directory.file("background");
  const auto command = shell_command("sleep 600 & echo $! > '" + pid_file + "'; echo done; exit 0");
  const JobRun run = run_job_captured(command, test_options());
  const pid_t background = wait_for_pid_file(pid_file, milliseconds(0));

  CHECK(run.result.exit_code == 0);
  CHECK(run.result.stop_signal == 0);
  CHECK(run.result.drain_timed_out);
  CHECK(has_leftover(run.result, background, "sleep 600"));
  CHECK_FALSE(run.result.killed_after_grace);
  CHECK(run.out == "done\n");
  // drain_timeout (1 s) + SIGTERM to the group; stop_grace (1 s) is the bound if it resisted.
  CHECK(run.seconds < 1.0 + 1.0 + 0.5);
  CHECK_FALSE(process_running(background));
  CHECK(run.zombies_after == 0);
  CHECK(run.children_after == 0);
}

TEST_CASE("background output finishing late is logged", "[posix]") {
  auto options = test_options();
  options.drain_timeout = seconds(5);
  const JobRun run = run_job_captured(shell_command("(sleep 0.3; echo late) & echo early"), options);
  CHECK(run.out == "early\nlate\n");
  CHECK_FALSE(run.result.drain_timed_out);
  CHECK(run.result.leftovers.empty());
}

TEST_CASE("leftover policy wait waits for the group", "[posix]") {
  auto options = test_options();
  options.leftovers = platform::LeftoverPolicy::wait;
  // The orphaned subshell re-parents to vtsubmit, the subreaper, which must reap it.
  const JobRun run = run_job_captured(shell_command("(sleep 0.8 > /dev/null 2>&1 &); exit 5"), options);
  CHECK(run.result.exit_code == 5);
  CHECK(run.result.leftovers.size() == 1);
  CHECK_FALSE(run.result.drain_timed_out);
  CHECK(run.seconds >= 0.7);
  CHECK(run.zombies_after == 0);
  CHECK(run.children_after == 0);
}

TEST_CASE("leftover policy keep leaves processes running", "[posix]") {
  TempDir directory;
  const auto pid_file = directory.file("background");
  auto options = test_options();
  options.leftovers = platform::LeftoverPolicy::keep;
  const JobRun run = run_job_captured(
      shell_command("sleep 30 > /dev/null 2>&1 & echo $! > '" + pid_file + "'"), options);
  const pid_t background = wait_for_pid_file(pid_file, milliseconds(0));
  REQUIRE(background > 0);
  CHECK(has_leftover(run.result, background, "sleep 30"));
  CHECK(run.seconds < 0.5);
  CHECK(process_running(background));
  kill(background, SIGKILL);
}

TEST_CASE("watchdog stops the job when vtsubmit is killed", "[posix]") {
  TempDir directory;
  const auto pid_file = directory.file("pids");
  VtsubmitProcess vtsubmit(
      shell_command("sleep 600 & echo $$ $! > '" + pid_file + "'; wait"), test_options());
  REQUIRE(wait_until([&] { return read_file(pid_file).find('\n') != std::string::npos; }, seconds(10)));
  pid_t main_process = 0;
  pid_t grandchild = 0;
  REQUIRE(std::sscanf(read_file(pid_file).c_str(), "%d %d", &main_process, &grandchild) == 2);

  REQUIRE(kill(vtsubmit.pid(), SIGKILL) == 0);
  const auto kill_time = Clock::now();
  vtsubmit.finish();
  // stop_grace is 1 s: the job is gone within it, plus 1 s.
  wait_until([&] { return !process_running(grandchild) && !process_running(main_process); }, seconds(2));
  CHECK_FALSE(process_running(grandchild));
  CHECK_FALSE(process_running(main_process));
  CHECK(seconds_since(kill_time) < 2.0);
}

TEST_CASE("watchdog kills a job ignoring SIGTERM", "[posix]") {
  TempDir directory;
  const auto pid_file = directory.file("pids");
  VtsubmitProcess vtsubmit(
      shell_command("trap '' TERM; sleep 600 & echo $$ $! > '" + pid_file + "'; wait"), test_options());
  REQUIRE(wait_until([&] { return read_file(pid_file).find('\n') != std::string::npos; }, seconds(10)));
  pid_t main_process = 0;
  pid_t grandchild = 0;
  REQUIRE(std::sscanf(read_file(pid_file).c_str(), "%d %d", &main_process, &grandchild) == 2);

  REQUIRE(kill(vtsubmit.pid(), SIGKILL) == 0);
  vtsubmit.finish();
  std::this_thread::sleep_for(milliseconds(500));
  CHECK(process_running(grandchild));   // still in the grace period
  wait_until([&] { return !process_running(grandchild) && !process_running(main_process); }, seconds(2));
  CHECK_FALSE(process_running(grandchild));
  CHECK_FALSE(process_running(main_process));
}

TEST_CASE("watchdog holds no job pipe", "[posix]") {
  TempDir directory;
  const auto pid_file = directory.file("main");
  VtsubmitProcess vtsubmit(shell_command("echo $$ > '" + pid_file + "'; sleep 2"), test_options());
  const pid_t main_process = wait_for_pid_file(pid_file);
  REQUIRE(main_process > 0);
  // The watchdog is forked after the spawn, so the job can be faster.
  pid_t watchdog = 0;
  wait_until([&] { return (watchdog = find_watchdog(vtsubmit.pid())) > 0; }, seconds(5));
  REQUIRE(watchdog > 0);

  const auto job_descriptors = descriptor_targets(main_process);
  const auto watchdog_descriptors = descriptor_targets(watchdog);
  kill(vtsubmit.pid(), SIGTERM);
  const JobRun run = vtsubmit.finish();

  // 0, 1, 2 inherited from vtsubmit and the command pipe, nothing else.
  REQUIRE(watchdog_descriptors.size() == 4);
  std::string job_stdout;
  std::string job_stderr;
  for (const auto& target : job_descriptors) {
    if (target.rfind("1 ", 0) == 0) job_stdout = target.substr(2);
    if (target.rfind("2 ", 0) == 0) job_stderr = target.substr(2);
  }
  REQUIRE(job_stdout.rfind("pipe:", 0) == 0);
  for (const auto& target : watchdog_descriptors) {
    CHECK(target.substr(target.find(' ') + 1) != job_stdout);
    CHECK(target.substr(target.find(' ') + 1) != job_stderr);
  }
  CHECK(run.result.stop_signal == SIGTERM);
  CHECK_FALSE(process_running(watchdog));
}

TEST_CASE("run_job leaves no zombie", "[posix]") {
  // Double-forked processes that end on their own re-parent to vtsubmit and must be reaped.
  const JobRun run = run_job_captured(
      shell_command("(sleep 0.1 &); (sleep 0.2 > /dev/null &); (true &); sleep 0.4"), test_options());
  CHECK(run.result.exit_code == 0);
  CHECK(run.zombies_after == 0);
  CHECK(run.children_after == 0);
}
