// Failure matrix, output: grandchildren holding the pipes, pipe-buffer deadlock,
// end-of-file with extra inherited descriptors, output at kill time, concurrent
// writers and log reuse, long silent jobs.

#include <catch2/catch.hpp>

#include <fcntl.h>
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

std::size_t count_lines(const std::string& text, const std::string& prefix) {
  std::size_t count = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    count += text.compare(start, prefix.size(), prefix) == 0 ? 1 : 0;
    start = end + 1;
  }
  return count;
}

}  // namespace

TEST_CASE("background grandchild holding output", "[e2e][failure]") {
  AgentTree agent;
  agent.write_queue_file("[stop]\ndrain = 1\ngrace = 1\n");
  agent.environment["TOM_SCRIPT"] = agent.write_script("job.sh", R"SH(#!/bin/sh
sleep 600 &
echo "$!" > "$TOM_HOME/pids"
echo started
exit 0
)SH").string();
  const auto run = agent.run({}, "test", 30s);

  CHECK_FALSE(run.timed_out);
  CHECK(run.exit_code == 0);
  CHECK(contains(run.out, "started\n"));
  CHECK(contains(run.out, "still held its output after 1 s"));
  CHECK(contains(run.out, "Processes of the job still running after its end were stopped: "));
  CHECK(contains(run.out, "(sleep 600)"));
  CHECK(run.tsend_calls == Calls{{"-sT", "-r0", "-mJob finished (0)"}});
  CHECK(all_ended(read_pids(agent.home / "pids", 1s), 2s));
  CHECK(run.duration < 10s);
}

TEST_CASE("5 MiB interleaved on both streams", "[e2e][failure]") {
  AgentTree agent;
  agent.environment["TOM_SCRIPT"] = agent.write_script("job.sh", R"SH(#!/bin/sh
i=0
while [ $i -lt 60000 ]; do
  echo "out line $i padded to about ninety bytes ................................"
  echo "err line $i padded to about ninety bytes ................................" >&2
  i=$((i + 1))
done
exit 3
)SH").string();
  const auto run = agent.run({}, "test", 120s);

  CHECK_FALSE(run.timed_out);
  CHECK(run.exit_code == 3);
  CHECK(count_lines(run.out, "out line ") == 60000);
  CHECK(count_lines(run.err, "err line ") == 60000);
  CHECK(count_lines(run.out, "err line ") == 0);
  CHECK(run.tsend_calls == Calls{{"-sE", "-r3", "-mJob in error (3)"}});
}

TEST_CASE("extra inherited descriptors do not delay EOF", "[e2e][failure]") {
  // The "agent" holds extra inheritable descriptors, as a CI runner or nohup would.
  std::vector<int> extra;
  for (int i = 0; i < 20; ++i) {
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    extra.insert(extra.end(), {fds[0], fds[1]});
  }
  AgentTree agent;
  agent.environment["TOM_SCRIPT"] = agent.write_script("job.sh", "#!/bin/sh\necho hello\n").string();
  const auto run = agent.run({});
  for (const int fd : extra) {
    close(fd);
  }

  CHECK(run.exit_code == 0);
  CHECK(contains(run.out, "\nhello\n"));
  CHECK(run.duration < 3s);
  CHECK(run.tsend_calls == Calls{{"-sT", "-r0", "-mJob finished (0)"}});
}

namespace {

void term_after_output(pid_t vtsubmit, const fs::path& home) {
  wait_for_file(home / "printed", 20s);
  kill(vtsubmit, SIGTERM);
}

}  // namespace

TEST_CASE("output written before a stop is kept", "[e2e][failure]") {
  AgentTree agent;
  agent.write_queue_file("[stop]\ngrace = 2\n");
  agent.environment["TOM_SCRIPT"] = agent.write_script("job.sh", R"SH(#!/bin/sh
i=1
while [ $i -le 2000 ]; do echo "line $i"; i=$((i + 1)); done
echo done > "$TOM_HOME/printed"
exec sleep 600
)SH").string();
  const auto run = agent.run({}, "test", 30s, term_after_output);

  CHECK(run.exit_code == 128 + SIGTERM);
  CHECK(count_lines(run.out, "line ") == 2000);
  CHECK(contains(run.out, "line 2000\n"));
  CHECK(contains(run.out, "--> Output that the job had buffered but not yet written when it ended is not in this log\n"));
  CHECK(run.tsend_calls == Calls{{"-sE", "-r143", "-mJob in error (143): stopped by SIGTERM"}});
}

TEST_CASE("parallel writers and a shorter rerun", "[e2e][failure]") {
  AgentTree agent;
  agent.environment["TOM_SCRIPT"] = agent.write_script("job.sh", R"SH(#!/bin/sh
i=1
while [ $i -le 50 ]; do (echo "writer $i") & i=$((i + 1)); done
wait
)SH").string();
  const auto first = agent.run({});
  CHECK(count_lines(first.out, "writer ") == 50);

  // The harness truncates the logs as the agent does; the rerun's log has no stale tail.
  agent.environment["TOM_SCRIPT"] = agent.write_script("short.sh", "#!/bin/sh\necho short\n").string();
  const auto rerun = agent.run({});
  CHECK(count_lines(rerun.out, "writer ") == 0);
  CHECK(rerun.out.size() < first.out.size());
}

TEST_CASE("silent job is not treated as hung", "[e2e][failure]") {
  // Scaled down from 20 minutes: vtsubmit has no output-based liveness check at all.
  AgentTree agent;
  agent.environment["TOM_SCRIPT"] = agent.write_script("job.sh", "#!/bin/sh\nsleep 4\n").string();
  const auto run = agent.run({});

  CHECK(run.exit_code == 0);
  CHECK(run.duration >= 4s);
  CHECK(run.err.empty());
  CHECK(run.tsend_calls == Calls{{"-sT", "-r0", "-mJob finished (0)"}});
}
