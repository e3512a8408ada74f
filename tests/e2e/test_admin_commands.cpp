// End-to-end tests of the admin commands (check, explain, simulate, install-queue,
// uninstall-queue): the built vtsubmit run on temporary agent trees.

#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <ctime>
#include <fstream>
#include <regex>
#include <sstream>

#include "agent_harness.hpp"

using namespace vtsubmit::test;
namespace fs = std::filesystem;

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Runs `vtsubmit ARGS…` in the agent tree with the tree's environment.
AgentRun run_vtsubmit(AgentTree& agent, const std::vector<std::string>& args) {
  std::vector<std::string> rest(args.begin() + 1, args.end());
  return agent.run(rest, "admin", std::chrono::seconds(60), nullptr, fs::path(args.front()));
}

// One line per entry under `root`: path, type, mode, and the content or link target, so that
// two listings are equal only when the trees are byte-identical. Paths in `skip` are left out.
std::string tree_listing(const fs::path& root, const std::vector<fs::path>& skip) {
  std::vector<std::string> lines;
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator(); ++it) {
    const auto path = it->path();
    if (std::find(skip.begin(), skip.end(), path) != skip.end()) {
      continue;
    }
    struct stat status {};
    lstat(path.c_str(), &status);
    std::ostringstream line;
    line << fs::relative(path, root).string() << " mode=" << std::oct << status.st_mode << std::dec;
    if (S_ISLNK(status.st_mode)) {
      line << " -> " << fs::read_symlink(path).string();
    } else if (S_ISREG(status.st_mode)) {
      std::ifstream stream(path, std::ios::binary);
      line << " content=" << std::string((std::istreambuf_iterator<char>(stream)), std::istreambuf_iterator<char>());
    }
    lines.push_back(line.str());
  }
  std::sort(lines.begin(), lines.end());
  std::string listing;
  for (const auto& line : lines) {
    listing += line + "\n";
  }
  return listing;
}

// A spool folder and a log folder outside the agent tree, removed at the end of the test.
struct OutsideFolders {
  AgentTree scratch;
  fs::path spool = scratch.home / "spool-out";
  fs::path logs = scratch.home / "logs-out";
  OutsideFolders() {
    fs::create_directories(spool);
    fs::create_directories(logs);
  }
};

std::string spool_env(const AgentTree& agent, const fs::path& script, const fs::path& spool) {
  return "TOM_JOB_ID=-2\nTOM_SCRIPT=" + script.string() +
         "\nTOM_SCRIPT_ARGS=\nTOM_ENVIRONMENT=exploitation\nTOM_APPLICATION=demo\nTOM_JOB=bonjour\nTOM_FAMILY=\n"
         "TOM_JOB_EXEC=NORMAL\nTOM_QUEUE=queue_python3\nTOM_HOST=vtom-agent\nTOM_USER=vtom\nTOM_LOG_ACTION=   \n"
         "ABM_SPOOL=" + spool.string() + "\nTOM_ADMIN=" + agent.admin.string() + "\n";
}

const char* const python_job = "import os, sys\nprint('args', sys.argv[1:])\nprint('pwd', os.environ.get('DB_PASSWORD'))\n";

std::vector<std::string> read_lines(const fs::path& path) {
  std::ifstream stream(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(stream, line);) {
    lines.push_back(line);
  }
  return lines;
}

}  // namespace

TEST_CASE("admin install simulate uninstall restores tree", "[admin][e2e]") {
  AgentTree agent;
  fs::create_directories(agent.home / "abm" / "config" / "queues");
  agent.write_init("DB_PASSWORD=hunter2 ; export DB_PASSWORD\n");
  const auto script = agent.write_script("hello.py", python_job, 0644);
  // The harness's own .o/.e capture files change at every run; they are not part of the tree.
  const std::vector<fs::path> harness_files{agent.logs / "job.o", agent.logs / "job.e"};
  run_vtsubmit(agent, {"--version"});
  const auto before = tree_listing(agent.home, harness_files);

  auto run = run_vtsubmit(agent, {"install-queue", "--tom-home", agent.home.string(), "--name", "python3",
                                  "--interpreter", "/usr/bin/python3", "--vtsubmit", vtsubmit_binary().string()});
  REQUIRE(run.exit_code == 0);
  CHECK(contains(run.out, "wrote " + (agent.home / "abm/config/queues/queue_python3/queue.conf").string()));
  CHECK(contains(run.out, "linked " + (agent.bin / "python3").string() + " -> " + vtsubmit_binary().string()));
  CHECK(contains(run.out, "Restart the agent"));
  CHECK(agent.read(agent.home / "abm/config/queues/queue_python3/queue.conf") ==
        "queue_python3\n10\n-1\n" + (agent.bin / "python3").string() + "\n20\n");
  CHECK(agent.read(agent.home / "abm/config/queues/queue_python3/users") == "any:-1:-1\n");
  CHECK(fs::read_symlink(agent.bin / "python3") == vtsubmit_binary());

  const auto queue_file = agent.admin / "tom_submit.python3";
  run = run_vtsubmit(agent, {"check", queue_file.string(), "--script", script.string()});
  CHECK(run.exit_code == 0);
  CHECK(contains(run.out, "would run: /usr/bin/python3 " + script.string()));
  CHECK(contains(run.out, "added    DB_PASSWORD=****"));

  OutsideFolders outside;
  const auto env_file = outside.spool / "9.env";
  agent.write_file(env_file, spool_env(agent, script, outside.spool));
  run = run_vtsubmit(agent, {"simulate", "--env", env_file.string(), "--logs", outside.logs.string(), "--dmz",
                             queue_file.string(), "--password", "s3cret"});
  CHECK(run.exit_code == 0);
  CHECK(contains(run.out, "Exit code: 0"));
  CHECK(fs::exists(outside.spool / "job_9.dmp"));

  run = run_vtsubmit(agent, {"uninstall-queue", "--tom-home", agent.home.string(), "--name", "python3"});
  CHECK(run.exit_code == 0);
  CHECK(contains(run.out, "removed folder " + (agent.home / "abm/config/queues/queue_python3").string()));
  CHECK(tree_listing(agent.home, harness_files) == before);
}

TEST_CASE("admin simulate writes documented dmz dump", "[admin][e2e]") {
  AgentTree agent;
  const auto script = agent.write_script("job.sh", "#!/bin/sh\necho \"job got $*\"\n");
  OutsideFolders outside;
  const auto env_file = outside.spool / "9.env";
  agent.write_file(env_file, spool_env(agent, script, outside.spool));

  const auto run = run_vtsubmit(agent, {"simulate", "--env", env_file.string(), "--logs", outside.logs.string(),
                                        "--dmz", agent.admin.string() + "/tom_submit.test"});
  REQUIRE(run.exit_code == 0);
  CHECK(run.tsend_calls.empty());

  const auto lines = read_lines(outside.spool / "job_9.dmp");
  REQUIRE(lines.size() == 11);
  CHECK(lines[0] == "--- tsend ---");
  CHECK(lines[1] == "xid=-2");
  CHECK(lines[2] == "bid=9");
  CHECK(lines[3] == "env=exploitation");
  CHECK(lines[4] == "app=demo");
  CHECK(lines[5] == "job=bonjour");
  CHECK(lines[6] == "host=vtom-agent");
  CHECK(lines[7] == "ret=0");
  CHECK(lines[8] == "mes=Job finished (0)");
  CHECK(lines[9] == "sta=TERMINE");
  CHECK(std::regex_match(lines[10], std::regex(R"(end=\d\d-\d\d-\d{3} \d\d:\d\d:\d\d)")));
  const std::time_t now = std::time(nullptr);
  CHECK(lines[10].substr(10, 3) == std::to_string(std::localtime(&now)->tm_year));

  // The logs carry the agent's names, and the job saw the DMZ variable.
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(outside.logs)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  REQUIRE(names.size() == 2);
  CHECK(std::regex_match(names[0], std::regex(R"(exploitation_demo_bonjour_\d{6}-\d{6}\.e)")));
  CHECK(std::regex_match(names[1], std::regex(R"(exploitation_demo_bonjour_\d{6}-\d{6}\.o)")));
  const auto out = agent.read(outside.logs / names[1]);
  CHECK(contains(out, "IPID                : 9\n"));
  CHECK(contains(out, "Job log             : " + (outside.logs / names[1].substr(0, names[1].size() - 2)).string()));
  CHECK(contains(out, "--> Exit [0] then acknowledgment"));
}

TEST_CASE("admin simulate calls tsend and masks only the log", "[admin][e2e]") {
  AgentTree agent;
  agent.write_init("DB_PASSWORD=hunter2 ; export DB_PASSWORD\n");
  agent.write_queue_file("[script]\ninterpreter = [\"/usr/bin/python3\"]\n", "python3");
  const auto script = agent.write_script("hello.py", python_job, 0644);
  OutsideFolders outside;
  const auto env_file = outside.spool / "12.env";
  agent.write_file(env_file, spool_env(agent, script, outside.spool));
  agent.write_file(outside.spool / "12.par", "alpha\n--password\ns3cret\ntoken=abc\n");
  agent.environment["ABM_SPOOL"] = agent.spool.string();

  const auto run = run_vtsubmit(agent, {"simulate", "--env", env_file.string(), "--par", (outside.spool / "12.par").string(),
                                        "--logs", outside.logs.string(), (agent.admin / "tom_submit.python3").string()});
  CHECK(run.exit_code == 0);
  CHECK(contains(run.out, "Report: sent by " + (agent.bin / "tsend").string()));
  // N.env's ABM_SPOOL points outside the tree; the stand-in tsend records its calls there.
  CHECK_FALSE(fs::exists(outside.spool / "job_12.dmp"));

  std::string out;
  for (const auto& entry : fs::directory_iterator(outside.logs)) {
    if (entry.path().extension() == ".o") {
      out = agent.read(entry.path());
    }
  }
  CHECK(contains(out, "Parameter 2         : --password\nParameter 3         : ****\nParameter 4         : token=****\n"));
  CHECK(contains(out, "args ['alpha', '--password', 's3cret', 'token=abc']"));
  CHECK(contains(out, "pwd hunter2"));
  CHECK(contains(agent.read(outside.spool / "tsend.calls"), "tsend [-sT] [-r0] [-mJob finished (0)]"));
}

TEST_CASE("admin simulate rejects bad spool input", "[admin][e2e]") {
  AgentTree agent;
  OutsideFolders outside;
  agent.environment.erase("job_id");
  agent.write_file(outside.spool / "job.env", "TOM_JOB_ID=-2\n");
  auto run = run_vtsubmit(agent, {"simulate", "--env", (outside.spool / "job.env").string(), "--logs",
                                  outside.logs.string(), (agent.admin / "tom_submit.test").string()});
  CHECK(run.exit_code == 2);
  CHECK(contains(run.err, "cannot tell the job's IPID"));

  agent.write_file(outside.spool / "3.env", "TOM_JOB_ID=-2\nbroken line\n");
  run = run_vtsubmit(agent, {"simulate", "--env", (outside.spool / "3.env").string(), "--logs", outside.logs.string(),
                             (agent.admin / "tom_submit.test").string()});
  CHECK(run.exit_code == 2);
  CHECK(contains(run.err, "3.env:2: expected KEY=value, found 'broken line'"));

  agent.write_file(outside.spool / "3.env", "TOM_JOB_ID=-2\n");
  run = run_vtsubmit(agent, {"simulate", "--env", (outside.spool / "3.env").string(), "--logs",
                             (outside.logs / "missing").string(), (agent.admin / "tom_submit.test").string()});
  CHECK(run.exit_code == 2);
  CHECK(contains(run.err, "log folder " + (outside.logs / "missing").string() + " not found"));

  run = run_vtsubmit(agent, {"simulate", (agent.admin / "tom_submit.test").string()});
  CHECK(run.exit_code == 2);
  CHECK(contains(run.err, "--env"));
}

TEST_CASE("admin check lists problems", "[admin][e2e]") {
  AgentTree agent;
  agent.write_queue_file("[stop]\ngrace = -1\n", "bad");
  auto run = run_vtsubmit(agent, {"check", (agent.admin / "tom_submit.bad").string()});
  CHECK(run.exit_code == 1);
  CHECK(contains(run.out, "Problems (1):"));
  CHECK(contains(run.out, "tom_submit.bad:2: invalid value for 'stop.grace': -1."));

  agent.write_init("A=1 ; export A\nB=$(date)\n");
  const auto crlf = agent.write_script("crlf.sh", "#!/bin/sh\r\necho hi\r\n");
  const auto bom = agent.write_script("bom.sh", "\xEF\xBB\xBF#!/bin/sh\necho hi\n");
  const auto plain = agent.write_script("plain.sh", "echo hi\n", 0644);
  const auto missing_interpreter = agent.write_script("py.sh", "#!/nonexistent/python9\n");
  const auto queue_file = (agent.admin / "tom_submit.test").string();

  run = run_vtsubmit(agent, {"check", queue_file, "--script", crlf.string()});
  CHECK(run.exit_code == 1);
  CHECK(contains(run.out, "ends with CR LF"));
  CHECK(contains(run.out, "vtom_init.ksh:2: command substitution"));
  CHECK(contains(run.out, "added    A=1"));

  run = run_vtsubmit(agent, {"check", queue_file, "--script", bom.string()});
  CHECK(run.exit_code == 1);
  CHECK(contains(run.out, "starts with a UTF-8 BOM"));

  run = run_vtsubmit(agent, {"check", queue_file, "--script", plain.string()});
  CHECK(run.exit_code == 1);
  CHECK(contains(run.out, "is not executable"));
  CHECK(contains(run.out, "has no #! line"));

  run = run_vtsubmit(agent, {"check", queue_file, "--script", missing_interpreter.string()});
  CHECK(run.exit_code == 1);
  CHECK(contains(run.out, "names /nonexistent/python9, which is not an executable file"));

  run = run_vtsubmit(agent, {"check", queue_file, "--script", (agent.scripts / "none.sh").string()});
  CHECK(run.exit_code == 1);
  CHECK(contains(run.out, "none.sh not found"));

  const auto good = agent.write_script("good.sh", "#!/bin/sh\necho hi\n");
  run = run_vtsubmit(agent, {"check", queue_file, "--script", good.string()});
  CHECK(run.exit_code == 0);
  CHECK(contains(run.out, "Warnings (1):"));
  CHECK(contains(run.out, "No problem found."));
  run = run_vtsubmit(agent, {"check", "--strict", queue_file});
  CHECK(run.exit_code == 1);
}

TEST_CASE("admin explain prints argv and report", "[admin][e2e]") {
  AgentTree agent;
  const auto script = agent.write_script("job.sh", "#!/bin/sh\necho ran > \"$TOM_HOME/ran\"\n");
  agent.environment["TOM_SCRIPT"] = script.string();
  agent.write_queue_file("workdir = \"$TOM_HOME/scripts\"\n");
  auto run = run_vtsubmit(agent, {"explain", (agent.admin / "tom_submit.test").string(), "alpha", "--pwd", "x y"});
  CHECK(run.exit_code == 0);
  CHECK_FALSE(fs::exists(agent.home / "ran"));
  CHECK(run.tsend_calls.empty());
  CHECK(contains(run.out, "Working directory: " + agent.scripts.string()));
  CHECK(contains(run.out, "  argv[0] = " + script.string() + "\n  argv[1] = alpha\n  argv[2] = --pwd\n  argv[3] = ****\n"));
  CHECK(contains(run.out, "  | Parameter 3         : ****"));
  CHECK(contains(run.out, agent.bin.string() + "/tsend -sT -r0 '-mJob finished (0)'"));
  CHECK(contains(run.out, agent.bin.string() + "/tsend -sE -rn '-mJob in error (n)'"));
  CHECK(contains(run.out, agent.bin.string() + "/vtgestlog"));

  agent.environment["TOM_JOB_EXEC"] = "TEST";
  run = run_vtsubmit(agent, {"explain", (agent.admin / "tom_submit.test").string()});
  CHECK(run.exit_code == 0);
  CHECK(contains(run.out, "TOM_JOB_EXEC=TEST: the script is not run."));
  CHECK(contains(run.out, "-sT -r0 '-mJob finished (TEST mode)'"));

  agent.environment["TOM_JOB_EXEC"] = "NORMAL";
  agent.environment["TOM_SCRIPT"] = (agent.scripts / "none.sh").string();
  run = run_vtsubmit(agent, {"explain", (agent.admin / "tom_submit.test").string()});
  CHECK(run.exit_code == 1);
  CHECK(contains(run.out, "The start would fail before the job runs: script " + (agent.scripts / "none.sh").string() + " not found"));
  CHECK(contains(run.out, "-sE -r127 '-mJob in error (127): script not found'"));
}

TEST_CASE("admin install refuses and dry run", "[admin][e2e]") {
  AgentTree agent;
  const auto home = agent.home.string();
  auto run = run_vtsubmit(agent, {"install-queue", "--tom-home", home, "--name", "perl"});
  CHECK(run.exit_code == 1);
  CHECK(contains(run.err, "abm/config/queues not found"));

  fs::create_directories(agent.home / "abm" / "config" / "queues");
  run = run_vtsubmit(agent, {"install-queue", "--tom-home", home, "--name", "perl", "--dry-run",
                             "--vtsubmit", vtsubmit_binary().string()});
  CHECK(run.exit_code == 0);
  CHECK(contains(run.out, "would write " + home + "/admin/tom_submit.perl"));
  CHECK_FALSE(fs::exists(agent.admin / "tom_submit.perl"));
  CHECK_FALSE(fs::exists(agent.home / "abm/config/queues/queue_perl"));

  agent.write_queue_file("# mine\n", "perl");
  run = run_vtsubmit(agent, {"install-queue", "--tom-home", home, "--name", "perl", "--vtsubmit", vtsubmit_binary().string()});
  CHECK(run.exit_code == 1);
  CHECK(contains(run.err, "tom_submit.perl already exists and was left unchanged"));
  CHECK(agent.read(agent.admin / "tom_submit.perl") == "# mine\n");
  CHECK_FALSE(fs::exists(agent.home / "abm/config/queues/queue_perl"));

  run = run_vtsubmit(agent, {"install-queue", "--tom-home", home, "--name", "perl", "--queue", "queue_x", "--max-jobs", "3",
                             "--force", "--vtsubmit", vtsubmit_binary().string()});
  CHECK(run.exit_code == 0);
  CHECK(agent.read(agent.home / "abm/config/queues/queue_x/queue.conf").rfind("queue_x\n3\n", 0) == 0);

  // Another queue's queue.conf in the folder is not removed.
  agent.write_file(agent.home / "abm/config/queues/queue_x/queue.conf", "queue_x\n3\n-1\n/bin/ksh\n20\n");
  run = run_vtsubmit(agent, {"uninstall-queue", "--tom-home", home, "--name", "perl", "--queue", "queue_x"});
  CHECK(run.exit_code == 1);
  CHECK(contains(run.err, "belongs to another queue"));
  CHECK(fs::exists(agent.admin / "tom_submit.perl"));
}

TEST_CASE("admin help in both languages", "[admin][e2e]") {
  AgentTree agent;
  for (const auto* command : {"check", "explain", "simulate", "install-queue", "uninstall-queue"}) {
    agent.environment["LANG"] = "C.UTF-8";
    auto run = run_vtsubmit(agent, {command, "--help"});
    CHECK(run.exit_code == 0);
    CHECK(contains(run.out, std::string("Usage: vtsubmit ") + command));
    CHECK(contains(run.out, "print this help and exit"));
    agent.environment["LANG"] = "fr_FR.UTF-8";
    run = run_vtsubmit(agent, {command, "--help"});
    CHECK(run.exit_code == 0);
    CHECK(contains(run.out, "affiche cette aide et sort"));
  }
  agent.environment["LANG"] = "C.UTF-8";
  const auto run = run_vtsubmit(agent, {"install-queue", "--tom-home", "x", "--name", "y", "--bogus"});
  CHECK(run.exit_code == 2);
  CHECK(contains(run.err, "invalid command line"));
  CHECK(contains(run.err, "--bogus"));
}
