// Pending reports: the file format, the backoff, and the locks that keep two processes from
// sending the same report.

#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "common/pending_report.hpp"
#include "common/queue_file.hpp"

using namespace vtsubmit;
namespace fs = std::filesystem;

namespace {

struct TempFolder {
  TempFolder() {
    std::string pattern = (fs::temp_directory_path() / "vtsubmit-pending-test-XXXXXX").string();
    REQUIRE(mkdtemp(pattern.data()) != nullptr);
    path = pattern;
  }
  ~TempFolder() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
  fs::path path;
};

}  // namespace

TEST_CASE("pending report round trip", "[reliability]") {
  const PendingReport report{{"-sE", "-r3", "-mline1\nline2 \\ back\r"}, {"A=b=c", "EMPTY=", "NL=x\ny"}};
  const auto text = format_pending_report(report);
  const auto parsed = parse_pending_report(text);
  REQUIRE(parsed.has_value());
  CHECK(parsed->tsend_arguments == report.tsend_arguments);
  CHECK(parsed->environment == report.environment);
  CHECK(text.find("\nline2") == std::string::npos);
}

TEST_CASE("pending report rejects damaged text", "[reliability]") {
  const auto text = format_pending_report({{"-sT", "-r0", "-mJob finished (0)"}, {"A=1"}});
  CHECK_FALSE(parse_pending_report(text.substr(0, text.size() - 1)).has_value());   // cut short
  CHECK_FALSE(parse_pending_report("").has_value());
  CHECK_FALSE(parse_pending_report("vtsubmit-pending-report 2\narg -sT\n").has_value());
  CHECK_FALSE(parse_pending_report("vtsubmit-pending-report 1\n").has_value());   // no argument
  CHECK_FALSE(parse_pending_report("vtsubmit-pending-report 1\narg -sT\nenv =x\n").has_value());
  CHECK_FALSE(parse_pending_report("vtsubmit-pending-report 1\narg -sT\nenv NOEQUALS\n").has_value());
  CHECK_FALSE(parse_pending_report("vtsubmit-pending-report 1\narg bad\\q\n").has_value());
  CHECK_FALSE(parse_pending_report("vtsubmit-pending-report 1\narg end\\\n").has_value());
  CHECK_FALSE(parse_pending_report("vtsubmit-pending-report 1\nother -sT\n").has_value());
}

TEST_CASE("retry delay doubles up to the cap", "[reliability]") {
  const RetryPolicy policy{6, 5, 60};
  CHECK(retry_delay(policy, 2).count() == 5);
  CHECK(retry_delay(policy, 3).count() == 10);
  CHECK(retry_delay(policy, 4).count() == 20);
  CHECK(retry_delay(policy, 5).count() == 40);
  CHECK(retry_delay(policy, 6).count() == 60);
  CHECK(retry_delay(policy, 100).count() == 60);
  CHECK(retry_delay(RetryPolicy{3, 0, 60}, 3).count() == 0);
}

TEST_CASE("pending folder defaults", "[reliability]") {
  Environment environment;
  environment.set("ABM_SPOOL", "/opt/vtom/abm/spool");
  environment.set("TOM_HOME", "/opt/vtom");
  CHECK(pending_folder("", environment) == "/opt/vtom/abm/spool/vtsubmit-pending");
  CHECK(pending_folder("$TOM_HOME/reports", environment) == "/opt/vtom/reports");
  environment.erase("ABM_SPOOL");
  CHECK(pending_folder("", environment) == (fs::temp_directory_path() / "vtsubmit-pending").string());
}

TEST_CASE("queue file retry keys", "[reliability]") {
  const auto config = parse_queue_file("[tsend]\nattempts = 3\nretry_delay = 2\nretry_delay_max = 30\n"
                                       "pending_dir = \"/var/spool/x\"\n", "q");
  CHECK(config.tsend_attempts == 3);
  CHECK(config.tsend_retry_delay_seconds == 2);
  CHECK(config.tsend_retry_delay_max_seconds == 30);
  CHECK(config.pending_dir == "/var/spool/x");
  CHECK_THROWS_AS(parse_queue_file("[tsend]\nattempts = 101\n", "q"), QueueFileError);
  CHECK_THROWS_AS(parse_queue_file("[tsend]\npending_dir = 3\n", "q"), QueueFileError);
  CHECK_THROWS_AS(parse_queue_file("[tsend]\nretry_delay = -1\n", "q"), QueueFileError);
}

TEST_CASE("non-ASCII outside strings is rejected", "[reliability]") {
  CHECK_NOTHROW(parse_queue_file("workdir = \"/data/\xc3\xa9t\xc3\xa9\"  # \xc3\xa9\n", "q"));
  CHECK_NOTHROW(parse_queue_file("workdir = '''\n\xc3\xa9'''\ninit = [\"\"\"\xc3\xa9\"\"\"]\n", "q"));
  CHECK_NOTHROW(parse_queue_file("workdir = \"a\\\"\xc3\xa9\"\n", "q"));
  for (const char* text : {"4\xc9\xb8", "\xc3\xa9 = 1", "a = 1 \xc3\xa9", "[t\xc3\xa9]", "a = [1,\xc3\xa9]",
                           "workdir = \"x\"\xc3\xa9"}) {
    INFO(text);
    CHECK_THROWS_AS(parse_queue_file(text, "q"), QueueFileError);
  }
}

TEST_CASE("pending file is locked while written", "[reliability]") {
  TempFolder folder;
  const auto path = (folder.path / "a.pending").string();
  platform::PendingFileLock writer;
  REQUIRE_FALSE(platform::write_pending_file(path, "content\n", writer));
  CHECK((fs::status(path).permissions() & fs::perms::all) == (fs::perms::owner_read | fs::perms::owner_write));
  CHECK_FALSE(fs::exists(path + ".tmp"));

  platform::PendingFileLock reader;
  std::string contents;
  CHECK_FALSE(platform::claim_pending_file(path, reader, contents));

  platform::release_pending_file(writer);
  REQUIRE(platform::claim_pending_file(path, reader, contents));
  CHECK(contents == "content\n");
  CHECK_FALSE(platform::remove_pending_file(path, reader));
  CHECK_FALSE(fs::exists(path));
  CHECK_FALSE(platform::claim_pending_file(path, reader, contents));
}

TEST_CASE("pending file writable by others is skipped", "[reliability]") {
  TempFolder folder;
  const auto path = (folder.path / "b.pending").string();
  platform::PendingFileLock writer;
  REQUIRE_FALSE(platform::write_pending_file(path, "content\n", writer));
  platform::release_pending_file(writer);
  REQUIRE(chmod(path.c_str(), 0620) == 0);
  platform::PendingFileLock reader;
  std::string contents;
  CHECK_FALSE(platform::claim_pending_file(path, reader, contents));
}

TEST_CASE("lock of a killed writer is released", "[reliability]") {
  TempFolder folder;
  const auto path = (folder.path / "c.pending").string();
  int ready[2];
  REQUIRE(pipe(ready) == 0);
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    platform::PendingFileLock lock;
    const bool written = !platform::write_pending_file(path, "x\n", lock);
    (void)!write(ready[1], written ? "1" : "0", 1);
    pause();
    _exit(0);
  }
  char byte = 0;
  REQUIRE(read(ready[0], &byte, 1) == 1);
  REQUIRE(byte == '1');
  platform::PendingFileLock reader;
  std::string contents;
  CHECK_FALSE(platform::claim_pending_file(path, reader, contents));

  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  CHECK(platform::claim_pending_file(path, reader, contents));
  CHECK(contents == "x\n");
  platform::release_pending_file(reader);
  close(ready[0]);
  close(ready[1]);
}

TEST_CASE("pending folder is created sticky", "[reliability]") {
  TempFolder folder;
  const auto path = folder.path / "one" / "two";
  REQUIRE_FALSE(platform::create_pending_folder(path.string()));
  struct stat info {};
  REQUIRE(stat(path.c_str(), &info) == 0);
  CHECK((info.st_mode & 07777) == 01777);
  CHECK_FALSE(platform::create_pending_folder(path.string()));   // already there
  const auto file = folder.path / "file";
  std::ofstream(file) << "x";
  CHECK(platform::create_pending_folder((file / "sub").string()));
}

TEST_CASE("large environment entries are dropped", "[reliability]") {
  std::vector<std::string> removed;
  const auto kept = without_large_entries({"A=1", "BIG=" + std::string(40000, 'x'), "B=2"}, removed);
  CHECK(kept == std::vector<std::string>{"A=1", "B=2"});
  CHECK(removed == std::vector<std::string>{"BIG"});
}
