// Failure matrix, status reporting: tsend failing, hanging or absent, vtsubmit killed
// while reporting, the agent gone from vtsubmit's output, and exit codes.

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include "agent_harness.hpp"
#include "failure_support.hpp"

using namespace vtsubmit::test;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

using Call = std::vector<std::string>;
using Calls = std::vector<Call>;

namespace {

const Call finished_call{"-sT", "-r0", "-mJob finished (0)"};

// Fast retries, so that a test with failures takes seconds.
const char* const fast_retries = "[tsend]\ntimeout = 2\nattempts = 4\nretry_delay = 0\n";

}  // namespace

TEST_CASE("tsend failing twice then succeeding", "[e2e][failure]") {
  AgentTree agent;
  install_failing_tsend(agent);
  agent.write_queue_file("[tsend]\nattempts = 5\nretry_delay = 1\nretry_delay_max = 1\n");
  agent.environment["TSEND_FAILURES"] = "2";
  const auto run = agent.run({});

  CHECK(run.exit_code == 0);
  CHECK(run.tsend_calls == Calls{finished_call, finished_call, finished_call});
  CHECK(contains(run.err, "tsend attempt 1 of 5 failed; next attempt in 1 s."));
  CHECK(contains(run.err, "tsend attempt 2 of 5 failed; next attempt in 1 s."));
  CHECK(pending_files(pending_folder_of(agent)).empty());
}

TEST_CASE("backoff doubles up to its cap", "[e2e][failure]") {
  AgentTree agent;
  install_failing_tsend(agent);
  agent.write_queue_file("[tsend]\nattempts = 4\nretry_delay = 1\nretry_delay_max = 2\n");
  agent.environment["TSEND_FAILURES"] = "3";
  const auto run = agent.run({});

  CHECK(run.exit_code == 0);
  CHECK(run.tsend_calls.size() == 4);
  CHECK(contains(run.err, "tsend attempt 1 of 4 failed; next attempt in 1 s."));
  CHECK(contains(run.err, "tsend attempt 2 of 4 failed; next attempt in 2 s."));
  CHECK(contains(run.err, "tsend attempt 3 of 4 failed; next attempt in 2 s."));
  CHECK(run.duration >= 5s);
}

TEST_CASE("hanging tsend is bounded and retried", "[e2e][failure]") {
  AgentTree agent;
  install_failing_tsend(agent);
  agent.write_queue_file("[tsend]\ntimeout = 1\nattempts = 3\nretry_delay = 0\n");
  agent.environment["TSEND_FAILURES"] = "1";
  agent.environment["TSEND_FAIL_SLEEP"] = "30";
  const auto run = agent.run({}, "test", 30s);

  CHECK_FALSE(run.timed_out);
  CHECK(run.exit_code == 0);
  CHECK(run.tsend_calls == Calls{finished_call, finished_call});
  CHECK(contains(run.err, "did not end within 1 s"));
  CHECK(run.duration < 10s);
  CHECK(all_ended(read_pids(agent.spool / "tsend.pids", 1s), 5s));
}

TEST_CASE("failing tsend never turns T into E", "[e2e][failure]") {
  for (const int job_code : {0, 3}) {
    AgentTree agent;
    install_failing_tsend(agent);
    agent.write_queue_file(fast_retries);
    agent.environment["TSEND_FAILURES"] = "100";
    agent.environment["TSEND_FAIL_EXIT"] = "7";
    agent.environment["TOM_SCRIPT"] = agent.write_script("job.sh", "#!/bin/sh\nexit " + std::to_string(job_code) + "\n").string();
    const auto run = agent.run({});

    INFO("job code " << job_code);
    CHECK(run.exit_code == job_code);
    REQUIRE(run.tsend_calls.size() == 4);
    for (const auto& call : run.tsend_calls) {
      CHECK(call.at(0) == (job_code == 0 ? "-sT" : "-sE"));
      CHECK(call.at(1) == "-r" + std::to_string(job_code));
    }
    CHECK(contains(run.err, "was not reported. It is kept in "));
    CHECK(pending_files(pending_folder_of(agent)).size() == 1);
  }
}

TEST_CASE("pending report resent by next job", "[e2e][failure]") {
  AgentTree agent;
  install_failing_tsend(agent);
  agent.write_queue_file(fast_retries);
  agent.environment["TSEND_FAILURES"] = "4";
  agent.environment["job_id"] = "41";
  const auto failed = agent.run({});
  REQUIRE(failed.exit_code == 0);
  const auto kept = pending_files(pending_folder_of(agent));
  REQUIRE(kept.size() == 1);
  const auto saved = agent.read(kept.front());
  CHECK(contains(saved, "arg -sT\narg -r0\narg -mJob finished (0)\n"));
  CHECK(contains(saved, "env job_id=41\n"));

  // The server is back: the next job's own tsend succeeds, then the kept report goes out once.
  agent.environment["job_id"] = "42";
  agent.environment["TOM_SCRIPT"] = agent.write_script("fail.sh", "#!/bin/sh\nexit 5\n").string();
  const auto next = agent.run({});

  CHECK(next.exit_code == 5);
  CHECK(next.tsend_calls == Calls{{"-sE", "-r5", "-mJob in error (5)"}, finished_call});
  CHECK(contains(next.out, "--> Pending report " + kept.front().string() + " sent again: tsend -sT -r0 -mJob finished (0)"));
  CHECK(pending_files(pending_folder_of(agent)).empty());

  agent.environment["TOM_SCRIPT"] = "true";
  const auto third = agent.run({});
  CHECK(third.tsend_calls == Calls{finished_call});
}

TEST_CASE("resend-pending after tsend was absent", "[e2e][failure]") {
  AgentTree agent;
  agent.write_queue_file(fast_retries);
  fs::rename(agent.bin / "tsend", agent.bin / "tsend.away");
  const auto run = agent.run({});

  CHECK(run.exit_code == 0);
  CHECK(contains(run.err, "tsend not found at "));
  REQUIRE(pending_files(pending_folder_of(agent)).size() == 1);

  fs::rename(agent.bin / "tsend.away", agent.bin / "tsend");
  std::string output;
  const auto queue_file = (agent.admin / "tom_submit.test").string();
  CHECK(run_tool(agent, {"--resend-pending", queue_file}, output) == 0);
  CHECK(contains(output, "1 pending report(s) sent, 0 failed."));
  CHECK(pending_files(pending_folder_of(agent)).empty());
  std::string again;
  CHECK(run_tool(agent, {"--resend-pending", queue_file}, again) == 0);
  CHECK(contains(again, "0 pending report(s) sent, 0 failed."));
}

TEST_CASE("pending_dir key and French messages", "[e2e][failure]") {
  AgentTree agent;
  install_failing_tsend(agent);
  agent.write_queue_file(std::string("language = \"fr\"\n") + fast_retries + "pending_dir = \"$TOM_HOME/reports\"\n");
  agent.environment["TSEND_FAILURES"] = "100";
  const auto run = agent.run({});

  CHECK(run.exit_code == 0);
  CHECK(pending_files(agent.home / "reports").size() == 1);
  CHECK(pending_files(pending_folder_of(agent)).empty());
  CHECK(contains(run.err, "la tentative 1 sur 4 de tsend a echoue"));
  CHECK(contains(run.err, "Il est garde dans " + (agent.home / "reports").string()));
}

TEST_CASE("unwritable pending folder still reports", "[e2e][failure]") {
  AgentTree agent;
  agent.write_file(agent.home / "not-a-folder", "x");
  agent.write_queue_file("[tsend]\npending_dir = \"$TOM_HOME/not-a-folder/sub\"\n");
  const auto run = agent.run({});

  CHECK(run.exit_code == 0);
  CHECK(run.tsend_calls == Calls{finished_call});
  CHECK(contains(run.err, "cannot write the pending report in " + (agent.home / "not-a-folder/sub").string()));
  CHECK(contains(run.err, ". Trying "));
  CHECK_FALSE(contains(run.err, "the result is lost"));
}

TEST_CASE("resend-pending reads the fallback folder", "[e2e][failure]") {
  AgentTree agent;
  agent.write_file(agent.home / "not-a-folder", "x");
  agent.write_queue_file(std::string(fast_retries) + "pending_dir = \"$TOM_HOME/not-a-folder/sub\"\n");
  // The fallback is vtsubmit-pending in the temporary folder: a private one for this test.
  const auto fallback = agent.home / "tmp" / "vtsubmit-pending";
  fs::create_directories(agent.home / "tmp");
  agent.environment["TMPDIR"] = (agent.home / "tmp").string();
  fs::rename(agent.bin / "tsend", agent.bin / "tsend.away");
  const auto run = agent.run({});

  CHECK(run.exit_code == 0);
  CHECK(contains(run.err, ". Trying " + fallback.string() + "."));
  REQUIRE(pending_files(fallback).size() == 1);

  fs::rename(agent.bin / "tsend.away", agent.bin / "tsend");
  std::string output;
  const auto queue_file = (agent.admin / "tom_submit.test").string();
  CHECK(run_tool(agent, {"--resend-pending", queue_file}, output) == 0);
  CHECK(contains(output, fallback.string() + ": 1 pending report(s) sent, 0 failed."));
  CHECK(pending_files(fallback).empty());
}

namespace {

void sigkill_during_tsend(pid_t vtsubmit, const fs::path& home) {
  // tsend.calls is written by the stand-in itself, so the hung call is recorded before the kill.
  wait_for_file(home / "abm" / "spool" / "tsend.calls", 20s);
  kill(vtsubmit, SIGKILL);
}

}  // namespace

TEST_CASE("SIGKILL while reporting keeps the report", "[e2e][failure]") {
  AgentTree agent;
  install_failing_tsend(agent);
  agent.environment["TSEND_FAILURES"] = "1";
  agent.environment["TSEND_FAIL_SLEEP"] = "30";
  const auto killed = agent.run({}, "test", 30s, sigkill_during_tsend);
  REQUIRE(killed.exit_code == 128 + SIGKILL);
  // The hanging stand-in leads its own process group; end it, since vtsubmit cannot any more.
  for (const auto pid : read_pids(agent.spool / "tsend.pids", 1s)) {
    kill(-pid, SIGKILL);
  }
  const auto kept = pending_files(pending_folder_of(agent));
  REQUIRE(kept.size() == 1);
  CHECK(contains(agent.read(kept.front()), "arg -sT\n"));

  const auto next = agent.run({});
  CHECK(next.exit_code == 0);
  CHECK(next.tsend_calls == Calls{finished_call, finished_call});   // the next job's, then the resend
  CHECK(pending_files(pending_folder_of(agent)).empty());
}

TEST_CASE("closed stdout keeps job and report", "[e2e][failure]") {
  // The agent reading vtsubmit's stdout through a pipe has gone: every write to it fails.
  AgentTree agent;
  agent.environment["TOM_SCRIPT"] = agent.write_script("job.sh", "#!/bin/sh\nseq 1 100000\necho done > \"$TOM_HOME/job.done\"\nexit 4\n").string();
  int pipe_fds[2];
  REQUIRE(pipe(pipe_fds) == 0);
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    close(pipe_fds[0]);
    dup2(pipe_fds[1], 1);
    dup2(pipe_fds[1], 2);
    std::vector<std::string> env_strings;
    for (const auto& [name, value] : agent.environment) env_strings.push_back(name + "=" + value);
    std::vector<char*> envp;
    for (auto& entry : env_strings) envp.push_back(entry.data());
    envp.push_back(nullptr);
    const std::string program = vtsubmit_binary().string();
    const std::string queue_file = (agent.admin / "tom_submit.test").string();
    char* argv[] = {const_cast<char*>("-test"), const_cast<char*>(queue_file.c_str()), nullptr};
    execve(program.c_str(), argv, envp.data());
    _exit(127);
  }
  close(pipe_fds[1]);
  close(pipe_fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);

  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 4);
  CHECK(agent.read(agent.home / "job.done") == "done\n");
  CHECK(agent.read(agent.spool / "tsend.calls") == "tsend [-sE] [-r4] [-mJob in error (4)]\n");
}

TEST_CASE("exit codes pass through tsend", "[e2e][failure]") {
  for (const int code : {0, 1, 2, 3, 42, 127, 255}) {
    AgentTree agent;
    agent.environment["TOM_SCRIPT"] = agent.write_script("job.sh", "#!/bin/sh\nexit " + std::to_string(code) + "\n").string();
    const auto run = agent.run({});
    INFO("code " << code);
    CHECK(run.exit_code == code);
    REQUIRE(run.tsend_calls.size() == 1);
    CHECK(run.tsend_calls[0][0] == (code == 0 ? "-sT" : "-sE"));
    CHECK(run.tsend_calls[0][1] == "-r" + std::to_string(code));
  }
}

TEST_CASE("exit 256 is what the shell reports", "[e2e][failure]") {
  // POSIX keeps only the low byte of an exit status: `exit 256` is 0 for every observer, the
  // shell included, so vtsubmit can only report 0. A C exit(-1) is 255.
  AgentTree agent;
  agent.environment["TOM_SCRIPT"] = agent.write_script("job.sh", "#!/bin/sh\nexit 256\n").string();
  const auto wrapped = agent.run({});
  CHECK(wrapped.exit_code == 0);
  CHECK(wrapped.tsend_calls == Calls{finished_call});

  agent.environment["TOM_SCRIPT"] = "perl -e 'exit(-1)'";
  const auto negative = agent.run({});
  CHECK(negative.exit_code == 255);
  CHECK(negative.tsend_calls == Calls{{"-sE", "-r255", "-mJob in error (255)"}});
}
