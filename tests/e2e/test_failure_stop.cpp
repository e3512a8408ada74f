// Failure matrix, process trees: abort of a job with a grandchild, signal deaths,
// orphans, double forks and setsid escapees, shells that trap or ignore TERM.

#include <catch2/catch.hpp>

#include <signal.h>
#include <unistd.h>

#include <thread>

#include "agent_harness.hpp"
#include "failure_support.hpp"

using namespace vtsubmit::test;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

using Calls = std::vector<std::vector<std::string>>;

namespace {

std::vector<pid_t> stopped_pids;

void term_when_ready(pid_t vtsubmit, const fs::path& home) {
  stopped_pids = read_pids(home / "pids", 20s);
  kill(vtsubmit, SIGTERM);
}

}  // namespace

TEST_CASE("abort kills child and grandchild", "[e2e][failure]") {
  AgentTree agent;
  agent.write_queue_file("[stop]\ngrace = 2\n");
  agent.environment["TOM_SCRIPT"] = agent.write_script("job.sh", R"SH(#!/bin/sh
sleep 600 &
background=$!
sleep 600 &
foreground=$!
echo "$$ $background $foreground" > "$TOM_HOME/pids.tmp"
mv "$TOM_HOME/pids.tmp" "$TOM_HOME/pids"
wait $foreground
)SH").string();
  const auto run = agent.run({}, "test", 30s, term_when_ready);

  REQUIRE(stopped_pids.size() == 3);
  CHECK(all_ended(stopped_pids, 3s));
  CHECK(run.exit_code == 128 + SIGTERM);
  CHECK(run.tsend_calls == Calls{{"-sE", "-r143", "-mJob in error (143): stopped by SIGTERM"}});
}

TEST_CASE("signal deaths give 128+n and a name", "[e2e][failure]") {
  const std::vector<std::tuple<std::string, int, std::string>> cases{
      {"kill -SEGV $$", 139, "(SIGSEGV)"}, {"kill -KILL $$", 137, "(SIGKILL)"},
      {"kill -TERM $$", 143, "(SIGTERM)"}, {"kill -ABRT $$", 134, "(SIGABRT)"}};
  for (const auto& [command, code, name] : cases) {
    AgentTree agent;
    agent.environment["TOM_SCRIPT"] = agent.write_script("job.sh", "#!/bin/sh\n" + command + "\n").string();
    const auto run = agent.run({});
    INFO(command);
    CHECK(run.exit_code == code);
    CHECK(contains(run.out, "--> Job killed by signal " + std::to_string(code - 128) + " " + name));
    CHECK(contains(run.out, "--> Output that the job had buffered but not yet written when it ended is not in this log\n"));
    CHECK(run.tsend_calls == Calls{{"-sE", "-r" + std::to_string(code), "-mJob in error (" + std::to_string(code) + ")"}});
  }

  // A real `exit 137` is not reported as a signal.
  AgentTree agent;
  agent.environment["TOM_SCRIPT"] = agent.write_script("job.sh", "#!/bin/sh\nexit 137\n").string();
  const auto run = agent.run({});
  CHECK(run.exit_code == 137);
  CHECK_FALSE(contains(run.out, "killed by signal"));
  CHECK_FALSE(contains(run.out, "had buffered"));
}

TEST_CASE("orphans, double forks and setsid", "[e2e][failure]") {
  AgentTree agent;
  agent.write_queue_file("[stop]\ndrain = 1\ngrace = 1\n");
  agent.environment["TOM_SCRIPT"] = agent.write_script("job.sh", R"SH(#!/bin/sh
nohup sleep 601 >/dev/null 2>&1 &
echo "$!" >> "$TOM_HOME/pids.tmp"
( sleep 602 >/dev/null 2>&1 & echo "$!" >> "$TOM_HOME/pids.tmp" )
setsid sleep 603 >/dev/null 2>&1 &
echo "$!" >> "$TOM_HOME/pids.tmp"
mv "$TOM_HOME/pids.tmp" "$TOM_HOME/pids"
sleep 0.3
exit 0
)SH").string();
  const auto run = agent.run({}, "test", 30s);

  const auto pids = read_pids(agent.home / "pids", 1s);
  REQUIRE(pids.size() == 3);
  CHECK(all_ended(pids, 2s));
  CHECK(run.exit_code == 0);
  CHECK(contains(run.out, "(sleep 601)"));
  CHECK(contains(run.out, "(sleep 602)"));
  CHECK(contains(run.out, "(sleep 603)"));
  CHECK(run.tsend_calls == Calls{{"-sT", "-r0", "-mJob finished (0)"}});
}

TEST_CASE("keep policy lists escapees", "[e2e][failure]") {
  AgentTree agent;
  agent.write_queue_file("[stop]\ndrain = 1\nleftovers = \"keep\"\n");
  agent.environment["TOM_SCRIPT"] = agent.write_script("job.sh", R"SH(#!/bin/sh
setsid sleep 604 >/dev/null 2>&1 &
echo "$!" > "$TOM_HOME/pids"
sleep 0.3
)SH").string();
  const auto run = agent.run({}, "test", 30s);

  const auto pids = read_pids(agent.home / "pids", 1s);
  REQUIRE(pids.size() == 1);
  CHECK(contains(run.out, "left running ([stop] leftovers = \"keep\"): " + std::to_string(pids[0]) + " (sleep 604)"));
  CHECK(process_alive(pids[0]));
  kill(pids[0], SIGKILL);
}

TEST_CASE("trapped TERM is still an abort", "[e2e][failure]") {
  AgentTree agent;
  agent.write_queue_file("[stop]\ngrace = 3\n");
  agent.environment["TOM_SCRIPT"] = agent.write_script("job.sh", R"SH(#!/bin/bash
trap 'echo cleanup; exit 0' TERM
sleep 600 &
background=$!
python3 -c 'import time; time.sleep(600)' &
foreground=$!
echo "$$ $background $foreground" > "$TOM_HOME/pids.tmp"
mv "$TOM_HOME/pids.tmp" "$TOM_HOME/pids"
wait $foreground
)SH").string();
  const auto run = agent.run({}, "test", 30s, term_when_ready);

  REQUIRE(stopped_pids.size() == 3);
  CHECK(all_ended(stopped_pids, 3s));
  CHECK(contains(run.out, "\ncleanup\n"));
  CHECK(run.exit_code == 128 + SIGTERM);
  CHECK(run.tsend_calls == Calls{{"-sE", "-r143", "-mJob in error (143): stopped by SIGTERM"}});
}

TEST_CASE("ignored TERM is forced after grace", "[e2e][failure]") {
  AgentTree agent;
  agent.write_queue_file("[stop]\ngrace = 2\n");
  agent.environment["TOM_SCRIPT"] = agent.write_script("job.sh", R"SH(#!/bin/bash
trap '' TERM
sleep 600 &
echo "$$ $!" > "$TOM_HOME/pids.tmp"
mv "$TOM_HOME/pids.tmp" "$TOM_HOME/pids"
while :; do sleep 0.2; done
)SH").string();
  const auto run = agent.run({}, "test", 30s, term_when_ready);

  REQUIRE(stopped_pids.size() == 2);
  CHECK(all_ended(stopped_pids, 3s));
  CHECK(contains(run.out, "--> The job did not stop within 2 s: forced with SIGKILL"));
  CHECK(run.exit_code == 128 + SIGTERM);
  CHECK(run.duration < 10s);
}
