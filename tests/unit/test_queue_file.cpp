#include <catch2/catch.hpp>

#include "common/queue_file.hpp"

using namespace vtsubmit;

namespace {

// Parses `text` and returns the error message in English, or "" when it parsed.
std::string parse_error(const std::string& text) {
  try {
    parse_queue_file(text, "/opt/vtom/admin/tom_submit.test");
  } catch (const QueueFileError& error) {
    return error.message().text(Language::english);
  }
  return "";
}

}  // namespace

TEST_CASE("queue file empty gives defaults", "[queue]") {
  const auto config = parse_queue_file("", "q");
  CHECK_FALSE(config.language.has_value());
  CHECK(config.init == std::vector<std::string>{platform::default_init_file()});
  CHECK(config.init_is_default);
  CHECK(config.workdir.empty());
  CHECK(config.interpreter.empty());
  CHECK(config.inline_prefix.empty());
  CHECK(config.stop_grace_seconds == 10);
  CHECK(config.tsend_timeout_seconds == 60);
  CHECK(config.leftovers == platform::LeftoverPolicy::kill);
}

TEST_CASE("queue file reads every key", "[queue]") {
  const auto config = parse_queue_file(R"(
language = "fr"
init = ["$TOM_ADMIN/vtom_init.ksh", "${HOME}/extra.ksh"]
workdir = "$HOME"
[script]
interpreter = ["/usr/bin/python3", "-u"]
inline = ["/usr/bin/python3", "-c"]
[stop]
grace = 3
drain = 1
leftovers = "keep"
[tsend]
timeout = 20
)",
                                       "q");
  REQUIRE(config.language.has_value());
  CHECK(*config.language == Language::french);
  CHECK(config.init == std::vector<std::string>{"$TOM_ADMIN/vtom_init.ksh", "${HOME}/extra.ksh"});
  CHECK_FALSE(config.init_is_default);
  CHECK(config.workdir == "$HOME");
  CHECK(config.interpreter == std::vector<std::string>{"/usr/bin/python3", "-u"});
  CHECK(config.inline_prefix == std::vector<std::string>{"/usr/bin/python3", "-c"});
  CHECK(config.stop_grace_seconds == 3);
  CHECK(config.drain_seconds == 1);
  CHECK(config.leftovers == platform::LeftoverPolicy::keep);
  CHECK(config.tsend_timeout_seconds == 20);
}

TEST_CASE("queue file empty init list loads nothing", "[queue]") {
  const auto config = parse_queue_file("init = []", "q");
  CHECK(config.init.empty());
  CHECK_FALSE(config.init_is_default);
}

TEST_CASE("queue file unknown key names key file and line", "[queue]") {
  const auto message = parse_error("language = \"en\"\n\ntimeout = 5\n");
  CHECK_THAT(message, Catch::Contains("/opt/vtom/admin/tom_submit.test:3:"));
  CHECK_THAT(message, Catch::Contains("unknown key 'timeout'"));
  CHECK_THAT(message, Catch::Contains("tsend"));
}

TEST_CASE("queue file unknown nested key is qualified", "[queue]") {
  const auto message = parse_error("[stop]\ngrace = 1\ngarce = 2\n");
  CHECK_THAT(message, Catch::Contains(":3:"));
  CHECK_THAT(message, Catch::Contains("'stop.garce'"));
  CHECK_THAT(message, Catch::Contains("stop.grace"));
}

TEST_CASE("queue file wrong types are rejected", "[queue]") {
  CHECK_THAT(parse_error("language = 1"), Catch::Contains("'language' must be a string, not integer"));
  CHECK_THAT(parse_error("init = \"/x\""), Catch::Contains("'init' must be an array of strings, not string"));
  CHECK_THAT(parse_error("init = [\"/x\", 2]"), Catch::Contains("'init' must be an array of strings"));
  CHECK_THAT(parse_error("[stop]\ngrace = \"10\""), Catch::Contains(":2: key 'stop.grace' must be a number"));
  CHECK_THAT(parse_error("[tsend]\ntimeout = 1.5"), Catch::Contains("not float"));
  CHECK_THAT(parse_error("script = 3"), Catch::Contains("'script' must be a table"));
}

TEST_CASE("queue file bad values are rejected", "[queue]") {
  CHECK_THAT(parse_error("language = \"de\""), Catch::Contains("invalid value for 'language': de"));
  CHECK_THAT(parse_error("[stop]\ngrace = -1"), Catch::Contains("invalid value for 'stop.grace': -1"));
  CHECK_THAT(parse_error("[tsend]\ntimeout = 100000"), Catch::Contains("at most 86400"));
  CHECK_THAT(parse_error("[script]\ninline = []"), Catch::Contains("invalid value for 'script.inline'"));
  CHECK_THAT(parse_error("[stop]\nleftovers = \"ignore\""), Catch::Contains("\"kill\", \"wait\" or \"keep\""));
}

TEST_CASE("queue file syntax error has line and column", "[queue]") {
  const auto message = parse_error("language = \"en\"\ninit = [\n");
  CHECK_THAT(message, Catch::Contains("/opt/vtom/admin/tom_submit.test:"));
  CHECK_THAT(message, Catch::Contains("invalid TOML"));
  CHECK(parse_error("\x01\x02\xff binary") != "");
  CHECK_THAT(parse_error("#!/bin/ksh\n. $TOM_ADMIN/vtom_init.ksh\n"), Catch::Contains(":2:"));
}

TEST_CASE("queue file errors are translated", "[queue]") {
  try {
    parse_queue_file("langue = \"fr\"", "q");
    FAIL("no error");
  } catch (const QueueFileError& error) {
    CHECK_THAT(error.message().text(Language::french), Catch::Contains("cle inconnue 'langue'"));
  }
  try {
    parse_queue_file("language = 1", "q");
    FAIL("no error");
  } catch (const QueueFileError& error) {
    CHECK_THAT(error.message().text(Language::french), Catch::Contains("doit etre une chaine"));
  }
}

TEST_CASE("queue file missing is unreadable error", "[queue]") {
  try {
    load_queue_file("/nonexistent/tom_submit.none");
    FAIL("no error");
  } catch (const QueueFileError& error) {
    const auto text = error.message().text(Language::english);
    CHECK_THAT(text, Catch::Contains("cannot read queue file /nonexistent/tom_submit.none"));
  }
}
