// Completion reports on Windows: tsend failing, hanging or absent, the pending reports kept in
// %ABM_SPOOL%\vtsubmit-pending and sent again, and who may write a pending report, since tsend
// runs with the environment it contains.

#include <catch2/catch.hpp>

#include <aclapi.h>
#include <sddl.h>

#include "common/pending_report.hpp"
#include "win32_test_support.hpp"

using namespace vtsubmit;
using namespace vtsubmit::test;

namespace {

const std::string finished_call = "tsend.exe\t-sT\t-r0\t-mJob finished (0)";

// Fast retries, so that a test with failures takes seconds. The timeout leaves room for a
// process start under Wine on a loaded machine.
const std::string fast_retries = "language = \"en\"\n[tsend]\ntimeout = 10\nattempts = 4\nretry_delay = 0\n";

// A value as a pending report writes it, with backslashes doubled.
std::string escaped(const std::string& value) {
  std::string text;
  for (const char c : value) {
    text += c == '\\' ? std::string("\\\\") : std::string(1, c);
  }
  return text;
}

std::vector<DWORD> tsend_pids(const Agent& agent) {
  std::vector<DWORD> pids;
  for (const auto& line : lines_of(read_all(agent.bin + "\\tsend.pids"))) {
    pids.push_back(static_cast<DWORD>(std::stoul(line)));
  }
  return pids;
}

// A security descriptor from SDDL text, freed with LocalFree.
struct Descriptor {
  PSECURITY_DESCRIPTOR value = nullptr;
  explicit Descriptor(const std::wstring& sddl) {
    ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl.c_str(), SDDL_REVISION_1, &value, nullptr);
  }
  ~Descriptor() { LocalFree(value); }
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
};

std::wstring current_user_sid() {
  win32::Handle token;
  HANDLE handle = nullptr;
  OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &handle);
  token.reset(handle);
  alignas(TOKEN_USER) unsigned char buffer[256];
  DWORD size = 0;
  GetTokenInformation(token.get(), TokenUser, buffer, sizeof buffer, &size);
  wchar_t* text = nullptr;
  ConvertSidToStringSidW(reinterpret_cast<TOKEN_USER*>(buffer)->User.Sid, &text);
  std::wstring sid = text != nullptr ? text : L"";
  LocalFree(text);
  return sid;
}

// Replaces the file's DACL by the protected one of `sddl` ("D:P(...)"); returns the Win32 error.
DWORD set_dacl(const std::string& path, const std::wstring& sddl) {
  Descriptor descriptor(sddl);
  BOOL present = FALSE;
  BOOL defaulted = FALSE;
  PACL dacl = nullptr;
  GetSecurityDescriptorDacl(descriptor.value, &present, &dacl, &defaulted);
  auto wide = win32::widen(path);
  return SetNamedSecurityInfoW(wide.data(), SE_FILE_OBJECT,
                               DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION, nullptr, nullptr,
                               dacl, nullptr);
}

// The file's owner and DACL as SDDL text, for the messages and checks.
std::string security_text(const std::string& path) {
  PSECURITY_DESCRIPTOR descriptor = nullptr;
  if (GetNamedSecurityInfoW(win32::widen(path).c_str(), SE_FILE_OBJECT,
                            OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION, nullptr, nullptr, nullptr, nullptr,
                            &descriptor) != ERROR_SUCCESS) {
    return {};
  }
  wchar_t* text = nullptr;
  ConvertSecurityDescriptorToStringSecurityDescriptorW(descriptor, SDDL_REVISION_1,
                                                       OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION, &text,
                                                       nullptr);
  std::string result = text != nullptr ? win32::narrow(text) : std::string();
  LocalFree(text);
  LocalFree(descriptor);
  return result;
}

// Writes a pending report by hand, as another vtsubmit run would have left it.
std::string plant_pending_report(const Agent& agent, const std::string& message) {
  PendingReport report;
  report.tsend_arguments = {"-sT", "-r0", "-m" + message};
  report.environment = environment_with(agent.environment_changes);
  CreateDirectoryW(win32::widen(agent.pending_folder()).c_str(), nullptr);
  const auto path = agent.pending_folder() + "\\job_41_41_1_00000000.pending";
  write_file(path, format_pending_report(report));
  return path;
}

}  // namespace

TEST_CASE("win32 tsend failing twice then succeeding", "[win32][e2e][failure]") {
  Agent agent;
  agent.write_queue_file("language = \"en\"\n[tsend]\nattempts = 5\nretry_delay = 1\nretry_delay_max = 1\n");
  agent.set("VTSUBMIT_TSEND_FAILURES", "2");
  const auto run = agent.run(test_child_path(), "exit 0");

  CHECK(run.exit_code == 0);
  CHECK(agent.tsend_calls() == std::vector<std::string>(3, finished_call));
  CHECK(contains(run.err, "tsend attempt 1 of 5 failed; next attempt in 1 s."));
  CHECK(contains(run.err, "tsend attempt 2 of 5 failed; next attempt in 1 s."));
  CHECK(contains(run.out, "--> Exit [0] then acknowledgment"));
  CHECK(pending_files(agent.pending_folder()).empty());
}

TEST_CASE("win32 hanging tsend bounded and retried", "[win32][e2e][failure]") {
  Agent agent;
  agent.write_queue_file("language = \"en\"\n[tsend]\ntimeout = 2\nattempts = 3\nretry_delay = 0\n");
  agent.set("VTSUBMIT_TSEND_FAILURES", "1");
  agent.set("VTSUBMIT_TSEND_FAIL_SLEEP", "60000");
  const auto run = agent.run(test_child_path(), "exit 0");

  CHECK_FALSE(run.timed_out);
  CHECK(run.exit_code == 0);
  CHECK(agent.tsend_calls() == std::vector<std::string>(2, finished_call));
  CHECK(contains(run.err, "did not end within 2 s"));
  CHECK(run.milliseconds < 20000);
  const auto pids = tsend_pids(agent);
  REQUIRE(pids.size() == 2);
  CHECK(process_ends_within(pids[0], 5000));
  CHECK(pending_files(agent.pending_folder()).empty());
}

TEST_CASE("win32 failing tsend never turns T into E", "[win32][e2e][failure]") {
  for (const int job_code : {0, 3}) {
    Agent agent;
    agent.write_queue_file(fast_retries);
    agent.set("VTSUBMIT_TSEND_FAILURES", "100");
    agent.set("VTSUBMIT_TSEND_FAIL_EXIT", "7");
    const auto run = agent.run(test_child_path(), "exit " + std::to_string(job_code));

    INFO("job code " << job_code);
    CHECK(run.exit_code == static_cast<DWORD>(job_code));
    const auto calls = agent.tsend_calls();
    REQUIRE(calls.size() == 4);
    const auto expected = job_code == 0 ? finished_call : "tsend.exe\t-sE\t-r3\t-mJob in error (3)";
    for (const auto& call : calls) {
      CHECK(call == expected);
    }
    CHECK(contains(run.err, "exited with 7"));
    CHECK(contains(run.err, "was not reported. It is kept in " + agent.pending_folder() + "\\job_42_"));

    const auto pending = pending_files(agent.pending_folder());
    REQUIRE(pending.size() == 1);
    const auto saved = read_all(pending.front());
    const auto status = job_code == 0 ? "arg -sT\narg -r0\narg -mJob finished (0)\n"
                                      : "arg -sE\narg -r3\narg -mJob in error (3)\n";
    CHECK(saved.rfind(std::string("vtsubmit-pending-report 1\n") + status, 0) == 0);
    CHECK(contains(saved, "\nenv TOM_JOB_ID=42\n"));
    CHECK(contains(saved, "\nenv ABM_BIN=" + escaped(agent.bin) + "\n"));
  }
}

TEST_CASE("win32 pending report readable only by its user", "[win32][e2e][failure]") {
  // The report contains the job's environment, so no other user may read or change it: its DACL
  // grants nothing to Everyone, Users or Authenticated Users.
  Agent agent;
  agent.write_queue_file(fast_retries);
  agent.set("VTSUBMIT_TSEND_FAILURES", "100");
  agent.run(test_child_path(), "exit 0");
  const auto pending = pending_files(agent.pending_folder());
  REQUIRE(pending.size() == 1);
  const auto security = security_text(pending.front());
  INFO("security descriptor: " << security);
  REQUIRE_FALSE(security.empty());
  CHECK_FALSE(contains(security, ";;;WD)"));
  CHECK_FALSE(contains(security, ";;;BU)"));
  CHECK_FALSE(contains(security, ";;;AU)"));
}

TEST_CASE("win32 pending report resent by next job", "[win32][e2e][failure]") {
  Agent agent;
  agent.write_queue_file(fast_retries);
  agent.set("VTSUBMIT_TSEND_FAILURES", "4");
  agent.set("job_id", "41");
  const auto failed = agent.run(test_child_path(), "exit 0");
  REQUIRE(failed.exit_code == 0);
  const auto pending = pending_files(agent.pending_folder());
  REQUIRE(pending.size() == 1);
  CHECK(contains(pending.front(), "\\job_42_41_"));
  CHECK(contains(read_all(pending.front()), "\nenv job_id=41\n"));

  // The server is back: the next job's own tsend succeeds, then the kept report goes out once.
  agent.set("VTSUBMIT_TSEND_FAILURES", "0");
  agent.set("job_id", "42");
  const auto next = agent.run(test_child_path(), "exit 5");
  CHECK(next.exit_code == 5);
  auto calls = agent.tsend_calls();
  REQUIRE(calls.size() == 6);
  CHECK(calls[4] == "tsend.exe\t-sE\t-r5\t-mJob in error (5)");
  CHECK(calls[5] == finished_call);
  CHECK(contains(next.out, "--> Pending report " + pending.front() + " sent again: tsend -sT -r0 -mJob finished (0)"));
  CHECK(pending_files(agent.pending_folder()).empty());

  const auto third = agent.run(test_child_path(), "exit 0");
  CHECK(third.exit_code == 0);
  calls = agent.tsend_calls();
  REQUIRE(calls.size() == 7);
  CHECK(calls[6] == finished_call);
}

TEST_CASE("win32 resend-pending after tsend was absent", "[win32][e2e][failure]") {
  Agent agent;
  agent.write_queue_file(fast_retries);
  const auto tsend = agent.bin + "\\tsend.exe";
  const auto away = agent.bin + "\\tsend.away";
  REQUIRE(MoveFileW(win32::widen(tsend).c_str(), win32::widen(away).c_str()));
  const auto run = agent.run(test_child_path(), "exit 0");

  CHECK(run.exit_code == 0);
  CHECK(contains(run.err, "tsend not found at " + tsend + ": the result (-sT -r0 -mJob finished (0)) was not reported."));
  CHECK(agent.tsend_calls().empty());
  REQUIRE(pending_files(agent.pending_folder()).size() == 1);

  REQUIRE(MoveFileW(win32::widen(away).c_str(), win32::widen(tsend).c_str()));
  const auto resent = agent.run_tool("--resend-pending \"" + agent.queue_file() + "\"");
  CHECK(resent.exit_code == 0);
  CHECK(contains(resent.out, agent.pending_folder() + ": 1 pending report(s) sent, 0 failed."));
  CHECK(agent.tsend_calls() == std::vector<std::string>{finished_call});
  CHECK(pending_files(agent.pending_folder()).empty());

  const auto again = agent.run_tool("--resend-pending \"" + agent.queue_file() + "\"");
  CHECK(again.exit_code == 0);
  CHECK(contains(again.out, "0 pending report(s) sent, 0 failed."));
}

TEST_CASE("win32 pending_dir key and French messages", "[win32][e2e][failure]") {
  Agent agent;
  agent.write_queue_file(
      "language = \"fr\"\n[tsend]\ntimeout = 10\nattempts = 2\nretry_delay = 0\npending_dir = '$TOM_ADMIN\\reports'\n");
  agent.set("VTSUBMIT_TSEND_FAILURES", "100");
  const auto run = agent.run(test_child_path(), "exit 0");

  CHECK(run.exit_code == 0);
  CHECK(pending_files(agent.admin + "\\reports").size() == 1);
  CHECK(pending_files(agent.pending_folder()).empty());
  CHECK(contains(run.err, "la tentative 1 sur 2 de tsend a echoue"));
  CHECK(contains(run.err, "Il est garde dans " + agent.admin + "\\reports\\job_42_"));
  CHECK(agent.tsend_calls() == std::vector<std::string>(2, "tsend.exe\t-sT\t-r0\t-mTraitement termine (0)"));
}

TEST_CASE("win32 unusable pending folder still reports", "[win32][e2e][failure]") {
  // pending_dir names a path below a regular file: the report goes to the fallback folder in
  // %TEMP%, and tsend still runs.
  Agent agent;
  write_file(agent.admin + "\\not-a-folder", "x");
  agent.write_queue_file("language = \"en\"\n[tsend]\npending_dir = '$TOM_ADMIN\\not-a-folder\\sub'\n");
  wchar_t temp[MAX_PATH];
  GetTempPathW(MAX_PATH, temp);
  const auto fallback = win32::narrow(temp) + "vtsubmit-pending";
  const auto run = agent.run(test_child_path(), "exit 0");

  CHECK(run.exit_code == 0);
  CHECK(agent.tsend_calls() == std::vector<std::string>{finished_call});
  CHECK(contains(run.err, "cannot write the pending report in " + agent.admin + "\\not-a-folder\\sub: "));
  CHECK(contains(run.err, ". Trying " + fallback + "."));
  // The fallback folder is shared with other runs: only this agent's report must be gone.
  for (const auto& file : pending_files(fallback)) {
    CHECK_FALSE(contains(read_all(file), "\nenv ABM_BIN=" + escaped(agent.bin) + "\n"));
  }
}

TEST_CASE("win32 pending report others can write not resent", "[win32][e2e][failure]") {
  // A report that any user could have written would run tsend with that user's environment.
  Agent agent;
  const auto planted = plant_pending_report(agent, "Hand-made report");
  REQUIRE(set_dacl(planted, L"D:P(A;;FA;;;WD)") == ERROR_SUCCESS);
  INFO("security descriptor: " << security_text(planted));
  const auto run = agent.run(test_child_path(), "exit 0");
  CHECK(run.exit_code == 0);
  CHECK(agent.tsend_calls() == std::vector<std::string>{finished_call});
  CHECK(file_exists(planted));

  // The same report, private to this user, is sent by the next job.
  REQUIRE(set_dacl(planted, L"D:P(A;;FA;;;" + current_user_sid() + L")") == ERROR_SUCCESS);
  const auto next = agent.run(test_child_path(), "exit 0");
  CHECK(agent.tsend_calls() ==
        std::vector<std::string>{finished_call, finished_call, "tsend.exe\t-sT\t-r0\t-mHand-made report"});
  CHECK_FALSE(file_exists(planted));
}

TEST_CASE("win32 pending report of another owner not resent", "[win32][e2e][failure][wine-diverges]") {
  // Wine derives a file's owner from the Unix owner and ignores a new one, so this runs on a
  // Windows host, as an administrator: giving a file to another owner needs SeRestorePrivilege.
  Agent agent;
  const auto planted = plant_pending_report(agent, "Hand-made report");
  win32::Handle token;
  HANDLE handle = nullptr;
  REQUIRE(OpenProcessToken(GetCurrentProcess(), TOKEN_ADJUST_PRIVILEGES | TOKEN_QUERY, &handle));
  token.reset(handle);
  TOKEN_PRIVILEGES privileges{};
  privileges.PrivilegeCount = 1;
  privileges.Privileges[0].Attributes = SE_PRIVILEGE_ENABLED;
  REQUIRE(LookupPrivilegeValueW(nullptr, SE_RESTORE_NAME, &privileges.Privileges[0].Luid));
  AdjustTokenPrivileges(token.get(), FALSE, &privileges, 0, nullptr, nullptr);

  PSID users = nullptr;
  REQUIRE(ConvertStringSidToSidW(L"S-1-5-32-545", &users));
  auto wide = win32::widen(planted);
  const auto error = SetNamedSecurityInfoW(wide.data(), SE_FILE_OBJECT, OWNER_SECURITY_INFORMATION, users, nullptr,
                                           nullptr, nullptr);
  LocalFree(users);
  REQUIRE(error == ERROR_SUCCESS);
  INFO("security descriptor: " << security_text(planted));
  REQUIRE(contains(security_text(planted), "O:BU"));

  const auto run = agent.run(test_child_path(), "exit 0");
  CHECK(run.exit_code == 0);
  CHECK(agent.tsend_calls() == std::vector<std::string>{finished_call});
  CHECK(file_exists(planted));
}
