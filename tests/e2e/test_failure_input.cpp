// Bad inputs: queue files, init files, environment and parameters that are wrong in every way an
// agent or an administrator can get them wrong. Each gives a message naming the value, a tsend E
// where ABM_BIN is known, and never a crash or a hang.

#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include "agent_harness.hpp"
#include "failure_support.hpp"

using namespace vtsubmit::test;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

using Call = std::vector<std::string>;

namespace {

// Checks the common outcome of a submitter error: exit 125, one tsend E with 125 and `reason`.
void check_submitter_error(const AgentRun& run, const std::string& reason) {
  CHECK_FALSE(run.timed_out);
  CHECK(run.exit_code == 125);
  REQUIRE(run.tsend_calls.size() == 1);
  CHECK(run.tsend_calls[0] == Call{"-sE", "-r125", "-mJob in error (125): " + reason});
}

}  // namespace

TEST_CASE("bad queue file is reported with its line", "[e2e][input]") {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"language = \n", ":1:"},                                     // not TOML
      {"[stop]\ngrace = \"ten\"\n", ":2: key 'stop.grace' must be"},  // wrong type
      {"\n\n[tsend]\nretries = 3\n", ":4: unknown key 'tsend.retries'"},
      {"[tsend]\nattempts = 0\n", "tsend.attempts"},
      {"[tsend]\nattempts = \"5\"\n", "a whole number of attempts"},
      {std::string("\x7f\x45\x4c\x46\x02\x01\x01\x00\xff\xfe", 10), "invalid TOML"},   // binary garbage
      // toml++ 3.3.0 has undefined behaviour on U+0278 outside a string: rejected before parsing.
      {"workdir = \"/data\"\n4\xc9\xb8\n", ":2:2: invalid TOML: non-ASCII character outside a quoted string"},
  };
  for (const auto& [text, expected] : cases) {
    AgentTree agent;
    agent.write_queue_file(text);
    const auto run = agent.run({});
    INFO(text);
    check_submitter_error(run, "invalid queue file");
    CHECK(contains(run.err, (agent.admin / "tom_submit.test").string()));
    CHECK(contains(run.err, expected));
  }
}

TEST_CASE("huge, unreadable or FIFO queue file", "[e2e][input]") {
  AgentTree agent;
  agent.write_queue_file("# " + std::string(2 * 1024 * 1024, 'x') + "\n");
  auto run = agent.run({});
  check_submitter_error(run, "invalid queue file");
  CHECK(contains(run.err, "cannot read queue file " + (agent.admin / "tom_submit.test").string()));
  CHECK(contains(run.err, "File too large"));

  const auto folder = agent.admin / "folder";
  fs::create_directories(folder);
  run = agent.run({}, "test", 60s, nullptr, folder);
  check_submitter_error(run, "invalid queue file");
  CHECK(contains(run.err, "Is a directory"));

  const auto fifo = agent.admin / "fifo";
  REQUIRE(mkfifo(fifo.c_str(), 0644) == 0);
  run = agent.run({}, "test", 20s, nullptr, fifo);
  check_submitter_error(run, "invalid queue file");
  CHECK(contains(run.err, "not a regular file"));

  run = agent.run({}, "test", 60s, nullptr, agent.admin / "missing");
  check_submitter_error(run, "invalid queue file");
  CHECK(contains(run.err, "No such file or directory"));
}

TEST_CASE("French message for a bad queue file", "[e2e][input]") {
  AgentTree agent;
  agent.environment["LANG"] = "fr_FR.UTF-8";
  agent.write_queue_file("[tsend]\nretries = 3\n");
  const auto run = agent.run({});
  CHECK(run.exit_code == 125);
  CHECK(contains(run.err, ":2 : cle inconnue 'tsend.retries'"));
}

TEST_CASE("bad init files", "[e2e][input]") {
  {
    AgentTree agent;
    agent.write_queue_file("init = [\"$TOM_ADMIN/init-folder\"]\n");
    fs::create_directories(agent.admin / "init-folder");
    const auto run = agent.run({});
    check_submitter_error(run, "init file error");
    CHECK(contains(run.err, "cannot read init file " + (agent.admin / "init-folder").string()));
  }
  {
    AgentTree agent;
    agent.write_init("export A=1\n. $TOM_ADMIN/vtom_init.ksh\n");
    const auto run = agent.run({});
    check_submitter_error(run, "init file error");
    CHECK(contains(run.err, "which is already being loaded"));
  }
  {
    // A 1 MB line is parsed; the variable stays in the shell, so the job starts.
    AgentTree agent;
    agent.write_init("LONG=" + std::string(1024 * 1024, 'v') + "\nexport AFTER=yes\n");
    agent.environment["TOM_SCRIPT"] = agent.write_script("job.sh", "#!/bin/sh\necho \"after=$AFTER\"\n").string();
    const auto run = agent.run({});
    CHECK(run.exit_code == 0);
    CHECK(contains(run.out, "\nafter=yes\n"));
  }
  {
    // Exported, the 1 MB value is over the kernel's 128 KiB limit per variable: the job cannot
    // start, and tsend still reports it, without that variable.
    AgentTree agent;
    agent.write_init("export LONG=" + std::string(1024 * 1024, 'v') + "\n");
    const auto run = agent.run({});
    CHECK(run.exit_code == 127);
    CHECK(contains(run.err, "Argument list too long"));
    CHECK(contains(run.err, "it runs without the variables longer than 32768 bytes: LONG."));
    CHECK(run.tsend_calls == std::vector<Call>{{"-sE", "-r127", "-mJob in error (127): job could not start"}});
  }
  {
    AgentTree agent;
    agent.write_init(std::string("export A=before\nexport B=x\0y\nexport C=after\n", 41));
    agent.environment["TOM_SCRIPT"] = agent.write_script("job.sh", "#!/bin/sh\necho \"[$A] [$C]\"\n").string();
    const auto run = agent.run({}, "test", 20s);
    CHECK_FALSE(run.timed_out);
    CHECK(run.exit_code < 128);
    REQUIRE(run.tsend_calls.size() == 1);
  }
  {
    AgentTree agent;
    agent.write_init("export BAD=\xff\xfe\xc3\n");
    agent.environment["TOM_SCRIPT"] = agent.write_script("job.sh", "#!/bin/sh\nprintf '%s' \"$BAD\" > \"$TOM_HOME/bad\"\n").string();
    const auto run = agent.run({});
    CHECK(run.exit_code == 0);
    CHECK(agent.read(agent.home / "bad") == "\xff\xfe\xc3");
  }
}

TEST_CASE("bad TOM_SCRIPT values", "[e2e][input]") {
  AgentTree agent;
  fs::create_directories(agent.scripts / "a-folder");
  const auto not_executable = agent.write_script("plain.bin", std::string("\x7f" "ELF\x02\x01", 6), 0644);
  const std::vector<std::tuple<std::string, int, std::string>> cases{
      {"", 127, "TOM_SCRIPT is empty"},
      {(agent.scripts / "a-folder").string(), 126, "is a directory"},
      {(agent.scripts / "missing.sh").string(), 127, "script " + (agent.scripts / "missing.sh").string() + " not found"},
  };
  for (const auto& [script, code, message] : cases) {
    agent.environment["TOM_SCRIPT"] = script;
    const auto run = agent.run({});
    INFO(script);
    CHECK(run.exit_code == code);
    CHECK(contains(run.err, message));
    REQUIRE(run.tsend_calls.size() == 1);
    CHECK(run.tsend_calls[0][0] == "-sE");
    CHECK(run.tsend_calls[0][1] == "-r" + std::to_string(code));
  }

  // A non-executable file is read by /bin/sh, as the stock queue does; binary content fails there.
  agent.environment["TOM_SCRIPT"] = not_executable.string();
  const auto run = agent.run({});
  CHECK_FALSE(run.timed_out);
  CHECK(run.exit_code != 0);
  CHECK(run.tsend_calls.size() == 1);
}

TEST_CASE("ABM_BIN unset and job_id missing", "[e2e][input]") {
  AgentTree agent;
  agent.environment.erase("ABM_BIN");
  auto run = agent.run({});
  CHECK(run.exit_code == 0);
  CHECK(contains(run.err, "ABM_BIN is not set, so tsend cannot report the result (-sT -r0 -mJob finished (0))"));

  AgentTree second;
  second.environment.erase("job_id");
  run = second.run({});
  CHECK(run.exit_code == 0);
  CHECK(run.tsend_calls == std::vector<Call>{{"-sT", "-r0", "-mJob finished (0)"}});
}

TEST_CASE("10000 parameters and invalid UTF-8", "[e2e][input]") {
  AgentTree agent;
  agent.environment["TOM_SCRIPT"] = agent.write_script("job.sh", "#!/bin/sh\necho \"count=$#\"\nprintf '%s' \"$2\" > \"$TOM_HOME/second\"\n").string();
  std::vector<std::string> parameters(10000, "parameter");
  parameters[1] = "\xff\xc3(\x80";
  const auto run = agent.run(parameters);

  CHECK(run.exit_code == 0);
  CHECK(contains(run.out, "Parameters          : 10000\n"));
  CHECK(contains(run.out, "\ncount=10000\n"));
  CHECK(agent.read(agent.home / "second") == "\xff\xc3(\x80");
}

TEST_CASE("largest parameter the kernel passes", "[e2e][input]") {
  // Linux refuses any single argument above MAX_ARG_STRLEN (32 pages, 128 KiB) before vtsubmit
  // starts, so 1 MB parameters cannot reach it; 120 KiB is the largest round size that can.
  AgentTree agent;
  agent.environment["TOM_SCRIPT"] = agent.write_script("job.sh", "#!/bin/sh\nprintf '%s' \"$1\" | wc -c\n").string();
  const auto run = agent.run({std::string(120 * 1024, 'p')});
  CHECK(run.exit_code == 0);
  CHECK(contains(run.out, "\n122880\n"));
}
