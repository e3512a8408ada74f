// The small platform functions: names, paths, environment, user and host.

#include <catch2/catch.hpp>

#include <csignal>
#include <cstdlib>

#include <pwd.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "common/platform.hpp"
#include "posix_test_support.hpp"

using namespace vtsubmit;
using namespace vtsubmit::posix_test;

TEST_CASE("signal_name gives the constant's name", "[posix]") {
  CHECK(platform::signal_name(SIGTERM) == "SIGTERM");
  CHECK(platform::signal_name(SIGKILL) == "SIGKILL");
  CHECK(platform::signal_name(SIGSEGV) == "SIGSEGV");
  CHECK(platform::signal_name(SIGHUP) == "SIGHUP");
  CHECK(platform::signal_name(SIGRTMIN + 2) == "SIGRTMIN+2");
  CHECK(platform::signal_name(200) == "signal 200");
}

TEST_CASE("program_path joins directory and name", "[posix]") {
  CHECK(platform::program_path("/opt/vtom/bin", "tsend") == "/opt/vtom/bin/tsend");
  CHECK(platform::program_path("/opt/vtom/bin/", "tsend") == "/opt/vtom/bin/tsend");
}

TEST_CASE("POSIX defaults", "[posix]") {
  CHECK(platform::default_init_file() == "$TOM_ADMIN/vtom_init.ksh");
  CHECK(platform::default_inline_prefix() == std::vector<std::string>{"/bin/sh", "-c"});
}

TEST_CASE("current_environment reads environ", "[posix]") {
  setenv("VTSUBMIT_POSIX_TEST", "a=b c", 1);
  const Environment environment = platform::current_environment();
  CHECK(environment.get("VTSUBMIT_POSIX_TEST") == "a=b c");
  CHECK(environment.get("vtsubmit_posix_test") == std::nullopt);
  CHECK(environment.entries().size() == environment_entries().size());
  unsetenv("VTSUBMIT_POSIX_TEST");
}

TEST_CASE("is_executable_file needs a regular executable file", "[posix]") {
  TempDir directory;
  write_file(directory.file("plain"), "x", 0644);
  write_file(directory.file("tool"), "x", 0755);
  CHECK(platform::is_executable_file("/bin/sh"));
  CHECK(platform::is_executable_file(directory.file("tool")));
  CHECK_FALSE(platform::is_executable_file(directory.file("plain")));
  CHECK_FALSE(platform::is_executable_file(directory.path()));
  CHECK_FALSE(platform::is_executable_file(directory.file("missing")));
}

TEST_CASE("current_user_name and host_name", "[posix]") {
  const passwd* entry = getpwuid(geteuid());
  REQUIRE(entry != nullptr);
  CHECK(platform::current_user_name() == entry->pw_name);
  utsname names {};
  REQUIRE(uname(&names) == 0);
  CHECK(platform::host_name() == names.nodename);
  CHECK_FALSE(platform::host_name().empty());
}
