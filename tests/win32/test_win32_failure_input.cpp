// Bad inputs on Windows: queue files, vtom_init.bat files, environment and parameters that are
// wrong in every way an agent or an administrator can get them wrong. Each gives a message
// naming the value, a tsend E where ABM_BIN is known (125 for the queue file, an init file or the
// working directory, 126 or 127 for the script), and never a crash or a hang.

#include <catch2/catch.hpp>

#include "win32_test_support.hpp"

using namespace vtsubmit;
using namespace vtsubmit::test;

namespace {

// Checks the common outcome of a submitter error: exit 125, one tsend E with 125 and `reason`.
void check_submitter_error(const Agent& agent, const ProcessRun& run, const std::string& reason) {
  CHECK_FALSE(run.timed_out);
  CHECK(run.exit_code == 125);
  CHECK(contains(run.out, "--> Exit [125] then no acknowledgment"));
  const auto calls = agent.tsend_calls();
  REQUIRE(calls.size() == 1);
  CHECK(calls[0] == "tsend.exe\t-sE\t-r125\t-mJob in error (125): " + reason);
}

// Runs vtsubmit with `queue_file` as its queue file.
ProcessRun run_with_queue_file(Agent& agent, const std::string& queue_file) {
  return agent.run_arguments(test_child_path(), win32::widen("\"" + queue_file + "\" exit 0"));
}

// Holds a file open without sharing, as an editor or a virus scanner may.
win32::Handle lock_file(const std::string& path) {
  return win32::Handle(CreateFileW(win32::widen(path).c_str(), GENERIC_READ | GENERIC_WRITE, 0, nullptr,
                                   OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr));
}

// What vtsubmit makes of init-file bytes without a byte order mark: cmd.exe reads batch files in
// the console's code page, the OEM one when there is no console.
std::string oem_to_utf8(const std::string& bytes) {
  const int size = MultiByteToWideChar(CP_OEMCP, 0, bytes.data(), static_cast<int>(bytes.size()), nullptr, 0);
  std::wstring wide(static_cast<std::size_t>(size), L'\0');
  MultiByteToWideChar(CP_OEMCP, 0, bytes.data(), static_cast<int>(bytes.size()), wide.data(), size);
  return win32::narrow(wide);
}

}  // namespace

TEST_CASE("win32 bad queue file reported with its line", "[win32][e2e][input]") {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"language = \n", ":1:"},                                     // not TOML
      {"[stop]\ngrace = \"ten\"\n", ":2: key 'stop.grace' must be"},  // wrong type
      {"\n\n[tsend]\nretries = 3\n", ":4: unknown key 'tsend.retries'"},
      {"[tsend]\nattempts = 0\n", "tsend.attempts"},
      {"[log]\ncodepage = \"klingon\"\n", "log.codepage"},
      {std::string("\x4d\x5a\x90\x00\x03\x00\x00\x00\xff\xfe", 10), "invalid TOML"},   // binary garbage
      {"workdir = 'C:\\data'\n4\xc9\xb8\n", ":2:2: invalid TOML: non-ASCII character outside a quoted string"},
  };
  for (const auto& [text, expected] : cases) {
    Agent agent;
    agent.write_queue_file(text);
    const auto run = agent.run(test_child_path(), "exit 0");
    INFO(text);
    check_submitter_error(agent, run, "invalid queue file");
    CHECK(contains(run.err, "vtsubmit: error: " + agent.queue_file()));
    CHECK(contains(run.err, expected));
  }
}

TEST_CASE("win32 huge locked or missing queue file", "[win32][e2e][input]") {
  Agent agent;
  agent.write_queue_file("# " + std::string(2 * 1024 * 1024, 'x') + "\n");
  auto run = agent.run(test_child_path(), "exit 0");
  check_submitter_error(agent, run, "invalid queue file");
  CHECK(contains(run.err, "cannot read queue file " + agent.queue_file() + ": File too large."));

  Agent folder_agent;
  const auto folder = folder_agent.admin + "\\folder";
  CreateDirectoryW(win32::widen(folder).c_str(), nullptr);
  run = run_with_queue_file(folder_agent, folder);
  check_submitter_error(folder_agent, run, "invalid queue file");
  CHECK(contains(run.err, "cannot read queue file " + folder + ": Is a directory."));

  Agent locked_agent;
  {
    const auto lock = lock_file(locked_agent.queue_file());
    REQUIRE(lock.valid());
    run = locked_agent.run(test_child_path(), "exit 0");
  }
  check_submitter_error(locked_agent, run, "invalid queue file");
  CHECK(contains(run.err, "cannot read queue file " + locked_agent.queue_file() + ": "));

  Agent missing_agent;
  const auto missing = missing_agent.admin + "\\missing";
  run = run_with_queue_file(missing_agent, missing);
  check_submitter_error(missing_agent, run, "invalid queue file");
  CHECK(contains(run.err, "cannot read queue file " + missing + ": "));
}

TEST_CASE("win32 French message for a bad queue file", "[win32][e2e][input]") {
  Agent agent;
  agent.unset("LC_ALL");
  agent.unset("LC_MESSAGES");
  agent.set("LANG", "fr_FR.UTF-8");
  agent.write_queue_file("[tsend]\nretries = 3\n");
  const auto run = agent.run(test_child_path(), "exit 0");
  CHECK(run.exit_code == 125);
  CHECK(contains(run.err, "vtsubmit : erreur : " + agent.queue_file() + ":2 : cle inconnue 'tsend.retries'"));
  CHECK(contains(run.out, "--> Exit [125] donc pas d'acquittement"));
  CHECK(agent.tsend_calls() ==
        std::vector<std::string>{"tsend.exe\t-sE\t-r125\t-mTraitement en erreur (125) : fichier de queue invalide"});
}

TEST_CASE("win32 missing or unreadable init file", "[win32][e2e][input]") {
  {
    // The default vtom_init.bat is optional, as on an agent without one.
    Agent agent;
    REQUIRE(DeleteFileW(win32::widen(agent.init_file()).c_str()));
    const auto run = agent.run(test_child_path(), "env INIT_VAR");
    CHECK(run.exit_code == 0);
    CHECK(contains(run.out, "\n<unset>\n"));
    CHECK(agent.tsend_calls() == std::vector<std::string>{"tsend.exe\t-sT\t-r0\t-mJob finished (0)"});
  }
  {
    Agent agent;
    agent.write_queue_file("language = \"en\"\ninit = ['$TOM_ADMIN\\missing.bat']\n");
    const auto run = agent.run(test_child_path(), "exit 0");
    check_submitter_error(agent, run, "init file error");
    CHECK(contains(run.err, "init file " + agent.admin + "\\missing.bat (from queue file " + agent.queue_file() +
                                ") not found."));
  }
  {
    Agent agent;
    agent.write_queue_file("language = \"en\"\ninit = ['$TOM_ADMIN\\folder.bat']\n");
    CreateDirectoryW(win32::widen(agent.admin + "\\folder.bat").c_str(), nullptr);
    const auto run = agent.run(test_child_path(), "exit 0");
    check_submitter_error(agent, run, "init file error");
    CHECK(contains(run.err, "cannot read init file " + agent.admin + "\\folder.bat: Is a directory."));
  }
  {
    Agent agent;
    ProcessRun run;
    {
      const auto lock = lock_file(agent.init_file());
      REQUIRE(lock.valid());
      run = agent.run(test_child_path(), "exit 0");
    }
    check_submitter_error(agent, run, "init file error");
    CHECK(contains(run.err, "cannot read init file " + agent.init_file() + ": "));
  }
  {
    // Larger than the 1 MiB that vtsubmit reads of a batch init file.
    Agent agent;
    write_file(agent.init_file(), "@echo off\r\nrem " + std::string(1100 * 1024, 'r') + "\r\n");
    const auto run = agent.run(test_child_path(), "exit 0");
    check_submitter_error(agent, run, "init file error");
    CHECK(contains(run.err, "cannot read init file " + agent.init_file() + ": File too large."));
  }
}

TEST_CASE("win32 init file call loop", "[win32][e2e][input]") {
  Agent agent;
  write_file(agent.init_file(), "@echo off\r\nset A=1\r\ncall \"%TOM_ADMIN%\\second.bat\"\r\n");
  write_file(agent.admin + "\\second.bat", "@echo off\r\ncall \"%TOM_ADMIN%\\vtom_init.bat\"\r\n");
  const auto run = agent.run(test_child_path(), "exit 0");
  check_submitter_error(agent, run, "init file error");
  CHECK(contains(run.err, "batch files call each other in a loop or more than 16 levels deep."));
}

TEST_CASE("win32 init file with NUL bytes", "[win32][e2e][input]") {
  Agent agent;
  write_file(agent.init_file(), std::string("@echo off\r\nset A=before\r\nset B=x\0y\r\nset C=after\r\n", 50));
  const auto script = agent.root.write("job.bat", "@echo [%A%] [%C%]\r\n");
  const auto run = agent.run(script, "");
  CHECK_FALSE(run.timed_out);
  CHECK(run.exit_code == 0);
  CHECK(contains(run.out, "[before] [after]\r\n"));
  CHECK(agent.tsend_calls().size() == 1);
}

TEST_CASE("win32 init file with invalid UTF-8", "[win32][e2e][input]") {
  // Without a byte order mark the bytes are read in the OEM code page, as cmd.exe reads them,
  // so every byte is a character.
  Agent agent;
  write_file(agent.init_file(), "@echo off\r\nset BAD=\xff\xfe\xc3\r\n");
  auto run = agent.run(test_child_path(), "env BAD");
  CHECK(run.exit_code == 0);
  CHECK(contains(run.out, "\n[" + oem_to_utf8("\xff\xfe\xc3") + "]\n"));

  // With a UTF-8 byte order mark, invalid sequences become U+FFFD, since a Windows environment
  // contains UTF-16 text.
  write_file(agent.init_file(), "\xEF\xBB\xBF@echo off\r\nset BAD=a\xff\xc3(z\r\n");
  run = agent.run(test_child_path(), "env BAD");
  CHECK(run.exit_code == 0);
  CHECK(contains(run.out, "\n[a\xEF\xBF\xBD\xEF\xBF\xBD(z]\n"));
  CHECK(agent.tsend_calls().size() == 2);
}

TEST_CASE("win32 init file with a 1 MB line", "[win32][e2e][input]") {
  // cmd.exe rejects lines longer than 8191 characters, and so does vtsubmit: the line is
  // reported and skipped, and the job still starts with the variables after it.
  Agent agent;
  write_file(agent.init_file(), "@echo off\r\nset LONG=" + std::string(1000 * 1000, 'v') + "\r\nset AFTER=yes\r\n");
  const auto run = agent.run(test_child_path(), "env AFTER");
  CHECK_FALSE(run.timed_out);
  CHECK(run.exit_code == 0);
  CHECK(contains(run.out, "\n[yes]\n"));
  CHECK(contains(run.err, "vtom_init.bat:2: line longer than 8191 characters once expanded"));
  CHECK(agent.tsend_calls().size() == 1);
}

TEST_CASE("win32 bad TOM_SCRIPT values", "[win32][e2e][input]") {
  Agent agent;
  CreateDirectoryW(win32::widen(agent.root.file("a-folder")).c_str(), nullptr);
  const auto text_file = agent.root.write("notes.txt", "not a program\r\n");
  const std::vector<std::tuple<std::string, DWORD, std::string>> cases{
      {"", 127, "TOM_SCRIPT is empty"},
      {agent.root.file("a-folder"), 126, "script " + agent.root.file("a-folder") + " is a directory"},
      {agent.root.file("missing.exe"), 127, "script " + agent.root.file("missing.exe") + " not found"},
      {"missing_job_for_vtsubmit_test.bat", 127, "script missing_job_for_vtsubmit_test.bat not found"},
      {text_file, 126, "script " + text_file + " is neither a program (.exe) nor a batch file (.bat, .cmd)"},
  };
  std::size_t call_count = 0;
  for (const auto& [script, code, message] : cases) {
    const auto run = agent.run(script, "");
    INFO("TOM_SCRIPT=" << script);
    CHECK_FALSE(run.timed_out);
    CHECK(run.exit_code == code);
    CHECK(contains(run.err, message));
    const auto calls = agent.tsend_calls();
    REQUIRE(calls.size() == ++call_count);
    CHECK(calls.back().rfind("tsend.exe\t-sE\t-r" + std::to_string(code) + "\t", 0) == 0);
  }

  // An "MZ" header without a program behind it: CreateProcessW rejects it, and the message has
  // no unexpanded "%1" from the system's text.
  const auto fake = agent.root.write("fake.exe", "MZ not really a program\r\n");
  const auto run = agent.run(fake, "");
  CHECK_FALSE(run.timed_out);
  CHECK((run.exit_code == 126 || run.exit_code == 127));
  CHECK(contains(run.err, "cannot start " + fake + ": "));
  CHECK_FALSE(contains(run.err, "%1"));
  REQUIRE(agent.tsend_calls().size() == cases.size() + 1);
}

TEST_CASE("win32 ABM_BIN unset and job ids missing", "[win32][e2e][input]") {
  {
    Agent agent;
    agent.unset("ABM_BIN");
    const auto run = agent.run(test_child_path(), "exit 0");
    CHECK(run.exit_code == 0);
    CHECK(contains(run.err, "ABM_BIN is not set, so tsend cannot report the result (-sT -r0 -mJob finished (0))"));
    CHECK(agent.calls().empty());
  }
  {
    // Without TOM_JOB_ID the agent did not submit the job: nothing runs and nothing is reported.
    Agent agent;
    agent.unset("TOM_JOB_ID");
    const auto run = agent.run(test_child_path(), "exit 3");
    CHECK(run.exit_code == 0);
    CHECK(contains(run.out, "--> Job not submitted by a Visual TOM engine"));
    CHECK(agent.calls().empty());
  }
  {
    Agent agent;
    agent.unset("job_id");
    const auto run = agent.run(test_child_path(), "exit 0");
    CHECK(run.exit_code == 0);
    CHECK(agent.tsend_calls() == std::vector<std::string>{"tsend.exe\t-sT\t-r0\t-mJob finished (0)"});
  }
}

TEST_CASE("win32 10000 parameters", "[win32][e2e][input]") {
  // 10,000 one-letter parameters make a command line of about 20,000 characters: within the
  // 32,767 of CreateProcessW, beyond the 8,191 of cmd.exe.
  Agent agent;
  std::string tail = "count";
  for (int i = 0; i < 10000; ++i) {
    tail += " p";
  }
  const auto run = agent.run(test_child_path(), tail);
  CHECK(run.exit_code == 0);
  CHECK(contains(run.out, "Parameters          : 10001\r\n"));
  CHECK(contains(run.out, "Parameter 10001     : p\r\n"));
  CHECK(contains(run.out, "\ncount=10000\n"));

  const auto script = agent.root.write("job.bat", "@echo %1\r\n");
  const auto batch = agent.run(script, tail);
  CHECK(batch.exit_code == 126);
  CHECK(contains(batch.err, "characters, more than the 8191 that Windows accepts. Shorten the job's parameters."));
  const auto calls = agent.tsend_calls();
  REQUIRE(calls.size() == 2);
  CHECK(calls[1].rfind("tsend.exe\t-sE\t-r126\t", 0) == 0);
}

TEST_CASE("win32 parameter with unpaired surrogate", "[win32][e2e][input]") {
  // A Windows command line is UTF-16 and may hold a lone surrogate, which no UTF-8 string can
  // represent. A program job gets the raw command-line tail, so it must receive it unchanged.
  Agent agent;
  const std::wstring tail = std::wstring(L"utf16 a") + static_cast<wchar_t>(0xD800) + L"b c";
  const auto run = agent.run_arguments(test_child_path(), L"\"" + win32::widen(agent.queue_file()) + L"\" " + tail);
  CHECK_FALSE(run.timed_out);
  CHECK(run.exit_code == 0);
  CHECK(contains(run.out, "\n[0061 D800 0062]\n[0063]\n"));
  CHECK(agent.tsend_calls() == std::vector<std::string>{"tsend.exe\t-sT\t-r0\t-mJob finished (0)"});
}
