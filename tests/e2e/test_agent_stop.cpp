// End-to-end tests of stopping: signals to vtsubmit, to its process group, SIGKILL to vtsubmit
// alone, jobs that ignore TERM, and background processes that keep the output pipes open.

#include <catch2/catch.hpp>

#include <signal.h>
#include <unistd.h>

#include <thread>

#include "agent_harness.hpp"

using namespace vtsubmit::test;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

using Calls = std::vector<std::vector<std::string>>;

namespace {

// A job with a background grandchild and a foreground child; it writes their pids when ready.
const char* const tree_job = R"SH(#!/bin/sh
sleep 600 &
background=$!
sleep 600 &
foreground=$!
echo "$$ $background $foreground" > "$TOM_HOME/pids.tmp"
mv "$TOM_HOME/pids.tmp" "$TOM_HOME/pids"
echo "job tree started"
wait $foreground
)SH";

std::vector<pid_t> job_pids(const fs::path& home) {
  const auto text = wait_for_file(home / "pids", 10s);
  std::vector<pid_t> pids;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find_first_of(" \n", start);
    if (end == std::string::npos) end = text.size();
    if (end > start) pids.push_back(static_cast<pid_t>(std::stol(text.substr(start, end - start))));
    start = end + 1;
  }
  return pids;
}

bool all_gone(const std::vector<pid_t>& pids, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    bool alive = false;
    for (const auto pid : pids) alive = alive || process_alive(pid);
    if (!alive) return true;
    std::this_thread::sleep_for(20ms);
  }
  return false;
}

int signal_to_send = SIGTERM;
bool signal_whole_group = false;
std::vector<pid_t> seen_pids;

void signal_when_started(pid_t vtsubmit, const fs::path& home) {
  seen_pids = job_pids(home);
  kill(signal_whole_group ? -vtsubmit : vtsubmit, signal_to_send);
}

void sigkill_when_started(pid_t vtsubmit, const fs::path& home) {
  seen_pids = job_pids(home);
  kill(vtsubmit, SIGKILL);
}

}  // namespace

TEST_CASE("e2e stop signals end the job tree", "[e2e][stop]") {
  for (const auto& [signal, name] : std::vector<std::pair<int, std::string>>{
           {SIGTERM, "SIGTERM"}, {SIGINT, "SIGINT"}, {SIGHUP, "SIGHUP"}}) {
    AgentTree agent;
    agent.write_queue_file("[stop]\ngrace = 2\n");
    agent.environment["TOM_SCRIPT"] = agent.write_script("tree.sh", tree_job).string();
    signal_to_send = signal;
    signal_whole_group = false;
    const auto run = agent.run({}, "test", 30s, signal_when_started);
    INFO(name << "\n" << run.out << run.err);
    REQUIRE(seen_pids.size() == 3);
    CHECK_FALSE(run.timed_out);
    CHECK(run.exit_code == 128 + signal);
    CHECK(all_gone(seen_pids, 1s));
    CHECK(run.out.find("--> " + name + " received: stopping the job") != std::string::npos);
    const auto code = std::to_string(128 + signal);
    CHECK(run.tsend_calls == Calls{{"-sE", "-r" + code, "-mJob in error (" + code + "): stopped by " + name}});
  }
}

TEST_CASE("e2e signal to vtsubmit's process group", "[e2e][stop]") {
  AgentTree agent;
  agent.write_queue_file("[stop]\ngrace = 2\n");
  agent.environment["TOM_SCRIPT"] = agent.write_script("tree.sh", tree_job).string();
  signal_to_send = SIGTERM;
  signal_whole_group = true;
  const auto run = agent.run({}, "test", 30s, signal_when_started);
  REQUIRE(seen_pids.size() == 3);
  CHECK(run.exit_code == 143);
  CHECK(all_gone(seen_pids, 1s));
  CHECK(run.tsend_calls.size() == 1);
}

TEST_CASE("e2e SIGKILL of vtsubmit leaves no job process", "[e2e][stop]") {
  AgentTree agent;
  agent.write_queue_file("[stop]\ngrace = 1\n");
  agent.environment["TOM_SCRIPT"] = agent.write_script("tree.sh", tree_job).string();
  const auto run = agent.run({}, "test", 30s, sigkill_when_started);
  REQUIRE(seen_pids.size() == 3);
  CHECK(run.exit_code == 128 + SIGKILL);
  CHECK(all_gone(seen_pids, 3s));
}

TEST_CASE("e2e job ignoring TERM is killed after grace", "[e2e][stop]") {
  AgentTree agent;
  agent.write_queue_file("[stop]\ngrace = 1\n");
  agent.environment["TOM_SCRIPT"] = agent.write_script("stubborn.sh", R"SH(#!/bin/sh
trap 'echo TERM ignored' TERM
sleep 600 &
echo "$$ $!" > "$TOM_HOME/pids.tmp"; mv "$TOM_HOME/pids.tmp" "$TOM_HOME/pids"
while :; do sleep 1; done
)SH").string();
  signal_to_send = SIGTERM;
  signal_whole_group = false;
  const auto run = agent.run({}, "test", 30s, signal_when_started);
  REQUIRE(seen_pids.size() == 2);
  CHECK(run.exit_code == 143);
  CHECK(run.duration < 10s);
  CHECK(all_gone(seen_pids, 1s));
  CHECK(run.out.find("did not stop within 1 s") != std::string::npos);
}

TEST_CASE("e2e background process holding output is bounded", "[e2e][stop]") {
  AgentTree agent;
  agent.write_queue_file("[stop]\ngrace = 1\ndrain = 1\n");
  agent.environment["TOM_SCRIPT"] = agent.write_script("background.sh", R"SH(#!/bin/sh
sleep 600 &
echo "$!" > "$TOM_HOME/pids.tmp"; mv "$TOM_HOME/pids.tmp" "$TOM_HOME/pids"
echo started
exit 0
)SH").string();
  const auto run = agent.run({}, "test", 30s);
  const auto pids = job_pids(agent.home);
  REQUIRE(pids.size() == 1);
  CHECK(run.exit_code == 0);
  CHECK(run.duration < 8s);
  CHECK(run.out.find("\nstarted\n") != std::string::npos);
  CHECK(run.tsend_calls == Calls{{"-sT", "-r0", "-mJob finished (0)"}});
  CHECK(run.out.find(std::to_string(pids[0]) + " (sleep 600)") != std::string::npos);
  CHECK(all_gone(pids, 1s));
}
