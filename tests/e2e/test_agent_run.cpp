// End-to-end tests of one job run: the built vtsubmit started as the agent starts it.

#include <catch2/catch.hpp>

#include <unistd.h>

#include "agent_harness.hpp"

using namespace vtsubmit::test;
namespace fs = std::filesystem;

using Call = std::vector<std::string>;
using Calls = std::vector<Call>;

namespace {

const std::string separator(71, '_');

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// A job that records its argv exactly (NUL-terminated) and its stdin, then prints a line.
const char* const recording_job = R"SH(#!/bin/sh
for arg in "$0" "$@"; do printf '%s\0' "$arg"; done > "$TOM_HOME/job.argv"
cat > "$TOM_HOME/job.stdin"
echo "job ran in $(pwd)"
exit "${JOB_EXIT:-0}"
)SH";

std::vector<std::string> split_nul(const std::string& data) {
  std::vector<std::string> fields;
  std::size_t start = 0;
  for (std::size_t i = 0; i < data.size(); ++i) {
    if (data[i] == '\0') {
      fields.push_back(data.substr(start, i - start));
      start = i + 1;
    }
  }
  return fields;
}

}  // namespace

TEST_CASE("e2e run success reports T", "[e2e]") {
  AgentTree agent;
  agent.environment["TOM_SCRIPT"] = agent.write_script("job.sh", recording_job).string();
  const auto run = agent.run({"alpha"});

  CHECK(run.exit_code == 0);
  CHECK(run.tsend_calls == Calls{{"-sT", "-r0", "-mJob finished (0)"}});
  CHECK(run.vtgestlog_calls == Calls{{}});
  CHECK(run.out.rfind(separator + "\nVisual TOM context of the job\n \n", 0) == 0);
  CHECK(contains(run.out, "Job ID              : -2\n"));
  CHECK(contains(run.out, "IPID                : 9\n"));
  CHECK(contains(run.out, "Parameter 1         : alpha\n"));
  CHECK(contains(run.out, "Begin of the script...\n" + separator + "\n \njob ran in "));
  CHECK(contains(run.out, "End of the script.\n \n--> Exit [0] then acknowledgment\n"));
  CHECK(run.err.empty());
}

TEST_CASE("e2e parameters reach the job unchanged", "[e2e]") {
  AgentTree agent;
  const auto script = agent.write_script("job.sh", recording_job);
  agent.environment["TOM_SCRIPT"] = script.string();
  const std::vector<std::string> parameters{"-x", "", "a b", "q\"uote'd", "été ✓", "--ftp-mode --ftp-pasv",
                                            "trailing newline\n", "$HOME", "*", "--help"};
  const auto run = agent.run(parameters);

  REQUIRE(run.exit_code == 0);
  auto expected = parameters;
  expected.insert(expected.begin(), script.string());
  CHECK(split_nul(agent.read(agent.home / "job.argv")) == expected);
  CHECK(contains(run.out, "Parameters          : 10\n"));
  CHECK(contains(run.out, "Parameter 7         : trailing newline\\n\n"));
}

TEST_CASE("e2e job stdin is the null device", "[e2e]") {
  AgentTree agent;
  agent.environment["TOM_SCRIPT"] = agent.write_script("job.sh", recording_job).string();
  const auto run = agent.run({});
  REQUIRE(run.exit_code == 0);
  CHECK(fs::exists(agent.home / "job.stdin"));
  CHECK(agent.read(agent.home / "job.stdin").empty());
}

TEST_CASE("e2e job error reports E with its code", "[e2e]") {
  AgentTree agent;
  agent.environment["TOM_SCRIPT"] = agent.write_script("job.sh", recording_job).string();
  agent.environment["JOB_EXIT"] = "3";
  const auto run = agent.run({});
  CHECK(run.exit_code == 3);
  CHECK(run.tsend_calls == Calls{{"-sE", "-r3", "-mJob in error (3)"}});
  CHECK(contains(run.out, "--> Exit [3] then no acknowledgment\n"));
}

TEST_CASE("e2e exit codes pass through", "[e2e]") {
  AgentTree agent;
  agent.environment["TOM_SCRIPT"] = "exit $1";
  for (const int code : {1, 2, 42, 127, 255}) {
    const auto run = agent.run({std::to_string(code)});
    INFO("code " << code);
    CHECK(run.exit_code == code);
    CHECK(run.tsend_calls == Calls{{"-sE", "-r" + std::to_string(code), "-mJob in error (" + std::to_string(code) + ")"}});
  }
}

TEST_CASE("e2e job killed by signal gives 128+n", "[e2e]") {
  AgentTree agent;
  agent.environment["TOM_SCRIPT"] = agent.write_script("crash.sh", "#!/bin/sh\nkill -SEGV $$\n").string();
  const auto run = agent.run({});
  CHECK(run.exit_code == 139);
  CHECK(run.tsend_calls == Calls{{"-sE", "-r139", "-mJob in error (139)"}});
  CHECK(contains(run.out, "--> Job killed by signal 11 (SIGSEGV)"));
}

TEST_CASE("e2e French messages", "[e2e]") {
  AgentTree agent;
  agent.environment["LANG"] = "fr_FR.UTF-8";
  agent.environment["TOM_SCRIPT"] = "exit 0";
  auto run = agent.run({});
  CHECK(run.tsend_calls == Calls{{"-sT", "-r0", "-mTraitement termine (0)"}});
  CHECK(contains(run.out, "Contexte Visual TOM du traitement\n"));
  CHECK(contains(run.out, "--> Exit [0] donc acquittement\n"));
  CHECK(contains(run.out, "Debut de l'execution du script...\n"));

  agent.environment["LANG"] = "C";
  agent.environment["TOM_SCRIPT"] = "exit 4";
  agent.write_queue_file("language = \"fr\"\n");
  run = agent.run({});
  CHECK(run.tsend_calls == Calls{{"-sE", "-r4", "-mTraitement en erreur (4)"}});
  CHECK(contains(run.out, "--> Exit [4] donc pas d'acquittement\n"));
}

TEST_CASE("e2e job not submitted by VTOM", "[e2e]") {
  AgentTree agent;
  agent.environment["TOM_SCRIPT"] = agent.write_script("job.sh", recording_job).string();
  for (const bool unset : {true, false}) {
    if (unset) {
      agent.environment.erase("TOM_JOB_ID");
    } else {
      agent.environment["TOM_JOB_ID"] = "";
    }
    const auto run = agent.run({});
    CHECK(run.exit_code == 0);
    CHECK(contains(run.out, "--> Job not submitted by a Visual TOM engine\n"));
    CHECK(run.tsend_calls.empty());
    CHECK_FALSE(fs::exists(agent.home / "job.argv"));
  }
}

TEST_CASE("e2e TEST mode does not run the script", "[e2e]") {
  AgentTree agent;
  agent.environment["TOM_SCRIPT"] = agent.write_script("job.sh", recording_job).string();
  agent.environment["TOM_JOB_EXEC"] = "TEST";
  auto run = agent.run({});
  CHECK(run.exit_code == 0);
  CHECK(contains(run.out, "Job in TEST mode\n"));
  CHECK(run.tsend_calls == Calls{{"-sT", "-r0", "-mJob finished (TEST mode)"}});
  CHECK(run.vtgestlog_calls.size() == 1);
  CHECK_FALSE(fs::exists(agent.home / "job.argv"));

  agent.environment["LANG"] = "fr_FR.UTF-8";
  run = agent.run({});
  CHECK(contains(run.out, "Job execute en mode TEST\n"));
  CHECK(run.tsend_calls == Calls{{"-sT", "-r0", "-mTraitement termine (mode TEST)"}});
}

TEST_CASE("e2e generic resource runs without tsend", "[e2e]") {
  AgentTree agent;
  agent.environment["TOM_RESOURCE_EVAL"] = "1";
  agent.environment["TOM_SCRIPT"] = agent.write_script("job.sh", recording_job).string();
  agent.environment["JOB_EXIT"] = "4";
  auto run = agent.run({"container", "List"});
  CHECK(run.exit_code == 4);
  CHECK(run.tsend_calls.empty());
  CHECK(split_nul(agent.read(agent.home / "job.argv")).size() == 3);

  // A resource evaluation gets its result even without TOM_JOB_ID.
  agent.environment.erase("TOM_JOB_ID");
  agent.environment["JOB_EXIT"] = "0";
  run = agent.run({});
  CHECK(run.exit_code == 0);
  CHECK(run.tsend_calls.empty());
}

TEST_CASE("e2e inline command gets parameters", "[e2e]") {
  AgentTree agent;
  agent.environment["TOM_SCRIPT"] = R"SH(printf '[%s]' "$@" | tr a-z A-Z; echo)SH";
  auto run = agent.run({"a b", "", "c"});
  CHECK(run.exit_code == 0);
  CHECK(contains(run.out, "\n[A B][][C]\n"));

  if (access("/usr/bin/python3", X_OK) == 0) {
    agent.write_queue_file("[script]\ninline = [\"/usr/bin/python3\", \"-c\"]\n");
    agent.environment["TOM_SCRIPT"] = "import sys; print(sys.argv[1:]); sys.exit(5)";
    run = agent.run({"x", "y z"});
    CHECK(run.exit_code == 5);
    CHECK(contains(run.out, "\n['x', 'y z']\n"));
  }
}

TEST_CASE("e2e interpreter and shebang-less files", "[e2e]") {
  AgentTree agent;
  agent.environment["TOM_SCRIPT"] = agent.write_script("noshebang.sh", "echo \"arg1=$1\"\n", 0755).string();
  auto run = agent.run({"hello"});
  CHECK(run.exit_code == 0);
  CHECK(contains(run.out, "\narg1=hello\n"));

  agent.environment["TOM_SCRIPT"] = agent.write_script("notexec.sh", "echo \"plain=$1\"\n", 0644).string();
  run = agent.run({"file"});
  CHECK(run.exit_code == 0);
  CHECK(contains(run.out, "\nplain=file\n"));

  agent.write_queue_file("[script]\ninterpreter = [\"/bin/bash\", \"-e\"]\n");
  agent.environment["TOM_SCRIPT"] =
      agent.write_script("bashism.txt", "echo \"bash=${BASH_VERSION:+yes} $1\"\nfalse\necho unreachable\n", 0644).string();
  run = agent.run({"p"});
  CHECK(run.exit_code == 1);
  CHECK(contains(run.out, "\nbash=yes p\n"));
  CHECK_FALSE(contains(run.out, "unreachable"));
}

TEST_CASE("e2e init file exports and reports", "[e2e]") {
  AgentTree agent;
  agent.write_init("# sample\nSITE=paris ; export SITE\nexport GREETING=\"a b\"\nhelper=hidden\nUSE=$helper-$SITE ; export USE\n"
                   "DAY=$(date)\nexport DAY\n");
  agent.environment["TOM_SCRIPT"] = R"SH(echo "[$SITE][$GREETING][${helper-unset}][$USE][${DAY-unset}]")SH";
  const auto run = agent.run({});
  CHECK(run.exit_code == 0);
  CHECK(contains(run.out, "\n[paris][a b][unset][hidden-paris][unset]\n"));
  CHECK(contains(run.out, "Init file           : " + (agent.admin / "vtom_init.ksh").string() + "\n"));
  CHECK(contains(run.err, (agent.admin / "vtom_init.ksh").string() + ":6:"));
  CHECK(contains(run.err, "not evaluated"));
}

TEST_CASE("e2e workdir is expanded", "[e2e]") {
  AgentTree agent;
  fs::create_directories(agent.home / "work dir");
  agent.write_queue_file("workdir = \"$HOME/work dir\"\n");
  agent.environment["TOM_SCRIPT"] = "pwd";
  auto run = agent.run({});
  CHECK(run.exit_code == 0);
  CHECK(contains(run.out, "\n" + (agent.home / "work dir").string() + "\n"));

  agent.write_queue_file("workdir = \"$HOME/missing\"\n");
  run = agent.run({});
  CHECK(run.exit_code == 125);
  CHECK(contains(run.err, "cannot change to working directory " + (agent.home / "missing").string()));
  CHECK(run.tsend_calls == Calls{{"-sE", "-r125", "-mJob in error (125): working directory error"}});
}

TEST_CASE("e2e invalid queue file still reports E", "[e2e]") {
  AgentTree agent;
  agent.environment["TOM_SCRIPT"] = agent.write_script("job.sh", recording_job).string();
  agent.write_queue_file("language = \"en\"\n[stop]\ngrace = \"ten\"\n");
  auto run = agent.run({});
  CHECK(run.exit_code == 125);
  CHECK(contains(run.err, "tom_submit.test:3: key 'stop.grace' must be a number of seconds"));
  CHECK(run.tsend_calls == Calls{{"-sE", "-r125", "-mJob in error (125): invalid queue file"}});
  CHECK_FALSE(fs::exists(agent.home / "job.argv"));

  // ABM_BIN comes from the default init file when the queue file cannot name the init files to load.
  agent.environment.erase("ABM_BIN");
  agent.write_init("ABM_BIN=" + agent.bin.string() + "; export ABM_BIN\n");
  run = agent.run({});
  CHECK(run.tsend_calls.size() == 1);

  run = agent.run({}, "missing");
  CHECK(run.exit_code == 125);
  CHECK(contains(run.err, "cannot read queue file " + (agent.admin / "tom_submit.missing").string()));
}

TEST_CASE("e2e init file errors report E", "[e2e]") {
  AgentTree agent;
  agent.environment["TOM_SCRIPT"] = agent.write_script("job.sh", recording_job).string();
  agent.write_queue_file("init = [\"$TOM_ADMIN/absent.ksh\"]\n");
  auto run = agent.run({});
  CHECK(run.exit_code == 125);
  CHECK(contains(run.err, "init file " + (agent.admin / "absent.ksh").string() + " (from queue file"));
  CHECK(run.tsend_calls == Calls{{"-sE", "-r125", "-mJob in error (125): init file error"}});
  CHECK_FALSE(fs::exists(agent.home / "job.argv"));

  // The default init file may be absent.
  agent.write_queue_file("");
  run = agent.run({});
  CHECK(run.exit_code == 0);
}

TEST_CASE("e2e script not found or not runnable", "[e2e]") {
  AgentTree agent;
  agent.environment["TOM_SCRIPT"] = (agent.scripts / "absent.sh").string();
  auto run = agent.run({});
  CHECK(run.exit_code == 127);
  CHECK(contains(run.err, "script " + (agent.scripts / "absent.sh").string() + " not found"));
  CHECK(run.tsend_calls == Calls{{"-sE", "-r127", "-mJob in error (127): script not found"}});

  agent.environment["TOM_SCRIPT"] = agent.scripts.string();
  run = agent.run({});
  CHECK(run.exit_code == 126);
  CHECK(contains(run.err, "is a directory"));
  CHECK(run.tsend_calls == Calls{{"-sE", "-r126", "-mJob in error (126): script not executable"}});

  agent.environment["TOM_SCRIPT"] = "";
  run = agent.run({});
  CHECK(run.exit_code == 127);
  CHECK(contains(run.err, "TOM_SCRIPT is empty"));
  CHECK(run.tsend_calls.size() == 1);
}

TEST_CASE("e2e tsend problems keep the job code", "[e2e]") {
  AgentTree agent;
  agent.environment["TOM_SCRIPT"] = "exit 0";
  agent.write_queue_file("[tsend]\nattempts = 1\n");

  agent.environment["VTSUBMIT_STANDIN_EXIT"] = "3";
  auto run = agent.run({});
  CHECK(run.exit_code == 0);
  CHECK(contains(run.err, "tsend -sT -r0 -mJob finished (0) exited with 3"));

  agent.environment.erase("VTSUBMIT_STANDIN_EXIT");
  agent.environment["VTSUBMIT_STANDIN_SLEEP"] = "30";
  agent.write_queue_file("[tsend]\ntimeout = 1\nattempts = 1\n");
  run = agent.run({});
  CHECK(run.exit_code == 0);
  CHECK(run.duration < std::chrono::seconds(15));
  CHECK(contains(run.err, "did not end within 1 s"));

  agent.environment.erase("VTSUBMIT_STANDIN_SLEEP");
  agent.environment["TOM_SCRIPT"] = "exit 6";
  agent.environment["ABM_BIN"] = (agent.home / "nobin").string();
  run = agent.run({});
  CHECK(run.exit_code == 6);
  CHECK(contains(run.err, "tsend not found at " + (agent.home / "nobin" / "tsend").string()));

  agent.environment.erase("ABM_BIN");
  run = agent.run({});
  CHECK(run.exit_code == 6);
  CHECK(contains(run.err, "ABM_BIN is not set"));
}

TEST_CASE("e2e gestlog follows TOM_LOG_ACTION", "[e2e]") {
  AgentTree agent;
  agent.environment["TOM_SCRIPT"] = "exit 0";
  agent.write_file(agent.admin / "gestlog", "#!/bin/sh\necho called >> \"$TOM_HOME/gestlog.calls\"\n", 0755);
  for (const auto& [action, called] : std::vector<std::pair<std::string, bool>>{{"   ", false}, {"", false}, {" P ", true}}) {
    fs::remove(agent.home / "gestlog.calls");
    agent.environment["TOM_LOG_ACTION"] = action;
    const auto run = agent.run({});
    INFO("TOM_LOG_ACTION=[" << action << "]");
    CHECK(run.exit_code == 0);
    CHECK(fs::exists(agent.home / "gestlog.calls") == called);
  }
}

TEST_CASE("e2e tool mode and reserved words", "[e2e]") {
  AgentTree agent;
  auto run = agent.run({}, "x", std::chrono::seconds(10), nullptr, fs::path("--version"));
  CHECK(run.exit_code == 0);
  CHECK(run.out.rfind("vtsubmit ", 0) == 0);

  run = agent.run({}, "x", std::chrono::seconds(10), nullptr, fs::path("--help"));
  CHECK(run.exit_code == 0);
  CHECK(contains(run.out, "Usage: vtsubmit QUEUE_FILE"));

  agent.environment["LANG"] = "fr_FR.UTF-8";
  run = agent.run({}, "x", std::chrono::seconds(10), nullptr, fs::path("--help"));
  CHECK(contains(run.out, "Usage : vtsubmit FICHIER_DE_QUEUE"));

  run = agent.run({}, "x", std::chrono::seconds(10), nullptr, fs::path("--bogus"));
  CHECK(run.exit_code == 2);
  CHECK(contains(run.err, "--bogus"));
  CHECK(run.tsend_calls.empty());

  // A sub-command word is never read as a queue file.
  agent.environment["LANG"] = "C";
  run = agent.run({}, "x", std::chrono::seconds(10), nullptr, fs::path("check"));
  CHECK(run.exit_code != 125);
  CHECK_FALSE(contains(run.err, "queue file"));
  CHECK(run.tsend_calls.empty());
}
