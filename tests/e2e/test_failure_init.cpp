// Failure matrix, init files and script launch: values with spaces and quotes, `$` and
// command substitutions, profiles written for a terminal, scripts without #!.
// The expected values come from sourcing the same file with the real ksh93.

#include <catch2/catch.hpp>

#include <cstdio>

#include "agent_harness.hpp"
#include "failure_support.hpp"

using namespace vtsubmit::test;
namespace fs = std::filesystem;

using Calls = std::vector<std::vector<std::string>>;

namespace {

// Prints "[NAME=value]" for each name after sourcing `init` with ksh, as the job sees them.
std::string values_from_ksh(const fs::path& init, const std::string& names, const fs::path& home) {
  const auto output = home / "ksh.out";
  const std::string command = "cd '" + home.string() + "' && env -i HOME='" + home.string() +
                              "' PATH=/usr/bin:/bin ksh -c '. " + init.string() +
                              " >/dev/null 2>&1; for n in " + names +
                              "; do eval \"printf \\\"[%s=%s]\\\" $n \\\"\\${$n}\\\"\"; done' > '" +
                              output.string() + "'";
  REQUIRE(std::system(command.c_str()) == 0);
  std::FILE* file = std::fopen(output.c_str(), "rb");
  std::string text;
  char buffer[4096];
  std::size_t count = 0;
  while ((count = std::fread(buffer, 1, sizeof buffer, file)) > 0) text.append(buffer, count);
  std::fclose(file);
  return text;
}

const char* const print_values_job = R"SH(#!/bin/sh
for n in $NAMES; do eval "printf '[%s=%s]' $n \"\${$n}\""; done
echo
)SH";

}  // namespace

TEST_CASE("spaces and quotes as ksh gives them", "[e2e][failure]") {
  AgentTree agent;
  agent.write_init("set -a\nOPTS=-Xms1g -Xmx2g\nexport APP_NAME=\"nightly batch\"\nexport LABEL='a \"b\" c'\n"
                   "export EMPTY=\n# a comment\n\nexport TRAILING=value   \nexport CRLF=dos\r\n");
  const std::string names = "OPTS APP_NAME LABEL EMPTY TRAILING CRLF";
  agent.environment["NAMES"] = names;
  agent.environment["TOM_SCRIPT"] = agent.write_script("job.sh", print_values_job).string();
  const auto run = agent.run({});

  const auto expected = values_from_ksh(agent.admin / "vtom_init.ksh", names, agent.home);
  CHECK(contains(run.out, "\n" + expected + "\n"));
  CHECK(run.exit_code == 0);
  // ksh runs "-Xmx2g" as a command with OPTS in its environment, so OPTS stays unset.
  CHECK(contains(run.err, "vtom_init.ksh:2: assignment before a command"));
}

TEST_CASE("dollar signs and substitutions", "[e2e][failure]") {
  AgentTree agent;
  agent.write_init("export PASS='ab$cd$'\nexport PLAIN=ab$cd$\nexport PATH_ADD=$HOME/bin\nexport X=$(date)\n"
                   "export URL=http://h/x?a=1&b=2\n");
  const std::string names = "PASS PLAIN PATH_ADD";
  agent.environment["NAMES"] = names;
  agent.environment["TOM_SCRIPT"] = agent.write_script("job.sh", print_values_job).string();
  const auto run = agent.run({});

  const auto expected = values_from_ksh(agent.admin / "vtom_init.ksh", names, agent.home);
  CHECK(contains(run.out, "\n" + expected + "\n"));
  CHECK(contains(run.err, "vtom_init.ksh:4: command substitution"));
  CHECK(contains(run.err, "vtom_init.ksh:5: pipeline or list"));
  CHECK(run.tsend_calls == Calls{{"-sT", "-r0", "-mJob finished (0)"}});
}

TEST_CASE("terminal commands in a profile", "[e2e][failure]") {
  AgentTree agent;
  agent.write_init("stty -ixon\ntput cols\nexport READY=yes\n");
  agent.environment["TOM_SCRIPT"] = agent.write_script("job.sh", "#!/bin/sh\necho \"ready=$READY\"\n").string();
  const auto run = agent.run({});

  CHECK(run.exit_code == 0);
  CHECK(contains(run.out, "\nready=yes\n"));
  CHECK(contains(run.err, "vtom_init.ksh:1: command"));
  CHECK(run.tsend_calls == Calls{{"-sT", "-r0", "-mJob finished (0)"}});
}

TEST_CASE("scripts without #! run with /bin/sh", "[e2e][failure]") {
  for (const std::string first_line : {"", "#/bin/bash\n"}) {
    AgentTree agent;
    agent.environment["TOM_SCRIPT"] = agent.write_script("job", first_line + "echo \"arg1=$1\"\n").string();
    const auto run = agent.run({"hello"});
    INFO(first_line);
    CHECK(run.exit_code == 0);
    CHECK(contains(run.out, "\narg1=hello\n"));
  }
}
