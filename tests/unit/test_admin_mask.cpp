// Unit tests of secret masking: the mask rules, [display] mask in the queue file, and the
// context block.

#include <catch2/catch.hpp>

#include <algorithm>

#include "common/context_block.hpp"
#include "common/queue_file.hpp"
#include "common/secret_mask.hpp"

using namespace vtsubmit;

using Strings = std::vector<std::string>;

TEST_CASE("mask option value in next parameter", "[admin]") {
  const auto mask = default_mask_names();
  CHECK(mask_parameters({"--user", "bob", "--password", "s3cret"}, mask) == Strings{"--user", "bob", "--password", "****"});
  CHECK(mask_parameters({"--auth-token", "a b c"}, mask) == Strings{"--auth-token", "****"});
  CHECK(mask_parameters({"/PWD", "x"}, mask) == Strings{"/PWD", "****"});
}

TEST_CASE("mask name=value pairs", "[admin]") {
  const auto mask = default_mask_names();
  CHECK(mask_parameters({"password=x", "--token=y", "DB_SECRET=z", "user=bob"}, mask) ==
        Strings{"password=****", "--token=****", "DB_SECRET=****", "user=bob"});
  CHECK(mask_parameters({"/pwd:x"}, mask) == Strings{"/pwd:****"});
}

TEST_CASE("mask words inside one parameter", "[admin]") {
  const auto mask = default_mask_names();
  CHECK(mask_parameters({"--user bob --password x --verbose"}, mask) == Strings{"--user bob --password **** --verbose"});
  CHECK(mask_command_text("backup.sh --passwd  x  -v", mask) == "backup.sh --passwd  ****  -v");
}

TEST_CASE("mask leaves other values alone", "[admin]") {
  const auto mask = default_mask_names();
  CHECK(mask_parameters({"alpha", "--verbose", "beta", "/opt/secret/job.sh", "x"}, mask) ==
        Strings{"alpha", "--verbose", "beta", "/opt/secret/job.sh", "x"});
  CHECK(mask_parameters({"--password"}, mask) == Strings{"--password"});
  CHECK(mask_parameters({"--password", "x"}, {}) == Strings{"--password", "x"});
}

TEST_CASE("mask variable by name", "[admin]") {
  const auto mask = default_mask_names();
  CHECK(mask_variable("ORACLE_PWD", "x", mask) == "****");
  CHECK(mask_variable("API_KEY", "x", mask) == "****");
  CHECK(mask_variable("PATH", "/bin", mask) == "/bin");
  CHECK(is_secret_name("--DB-Password", mask));
  CHECK_FALSE(is_secret_name("--", mask));
}

TEST_CASE("queue file display mask", "[admin]") {
  CHECK(parse_queue_file("", "q").mask == default_mask_names());
  CHECK(parse_queue_file("[display]\nmask = [\"pin\"]\n", "q").mask == Strings{"pin"});
  CHECK(parse_queue_file("[display]\nmask = []\n", "q").mask.empty());

  try {
    parse_queue_file("[display]\nmask = \"pin\"\n", "q");
    FAIL("a string mask was accepted");
  } catch (const QueueFileError& error) {
    CHECK(error.message().id == Msg::queue_file_wrong_type);
  }
  try {
    parse_queue_file("[display]\nmask = [\"\"]\n", "q");
    FAIL("an empty name was accepted");
  } catch (const QueueFileError& error) {
    CHECK(error.message().id == Msg::queue_file_bad_value);
  }
  try {
    parse_queue_file("[display]\nmasks = []\n", "q");
    FAIL("an unknown key was accepted");
  } catch (const QueueFileError& error) {
    CHECK(error.message().id == Msg::queue_file_unknown_key);
  }
}

TEST_CASE("context block masks parameters and script", "[admin]") {
  Environment environment;
  environment.set("TOM_SCRIPT", "run.sh --token abc");
  ContextInput input{&environment, {"--password", "s3cret", "plain"}, {}, "user", "host", default_mask_names()};
  const auto lines = context_block_lines(Language::english, input);

  auto has_line = [&](const std::string& line) { return std::find(lines.begin(), lines.end(), line) != lines.end(); };
  CHECK(has_line("Script              : run.sh --token ****"));
  CHECK(has_line("Parameter 1         : --password"));
  CHECK(has_line("Parameter 2         : ****"));
  CHECK(has_line("Parameter 3         : plain"));

  input.mask.clear();
  const auto unmasked = context_block_lines(Language::english, input);
  CHECK(std::find(unmasked.begin(), unmasked.end(), "Parameter 2         : s3cret") != unmasked.end());
}
