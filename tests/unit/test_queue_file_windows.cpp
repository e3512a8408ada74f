// Queue-file keys of the Windows layer: [script] batch_args and [log] codepage.

#include <catch2/catch.hpp>

#include "common/queue_file.hpp"

using namespace vtsubmit;

namespace {

std::string parse_error(const std::string& text) {
  try {
    parse_queue_file(text, "C:\\vtom\\admin\\tom_submit.wnt");
  } catch (const QueueFileError& error) {
    return error.message().text(Language::english);
  }
  return "";
}

}  // namespace

TEST_CASE("queue file Windows defaults", "[queue]") {
  const auto config = parse_queue_file("", "q");
  CHECK_FALSE(config.legacy_batch_arguments);
  CHECK(config.log_code_page == 0);
}

TEST_CASE("queue file batch_args values", "[queue]") {
  CHECK_FALSE(parse_queue_file("[script]\nbatch_args = \"safe\"\n", "q").legacy_batch_arguments);
  CHECK(parse_queue_file("[script]\nbatch_args = \"legacy\"\n", "q").legacy_batch_arguments);
  CHECK(parse_error("[script]\nbatch_args = \"call\"\n") ==
        "C:\\vtom\\admin\\tom_submit.wnt:2: invalid value for 'script.batch_args': call. Use \"safe\" or \"legacy\".");
  CHECK(parse_error("[script]\nbatch_args = 1\n") ==
        "C:\\vtom\\admin\\tom_submit.wnt:2: key 'script.batch_args' must be a string, not integer.");
}

TEST_CASE("queue file log codepage values", "[queue]") {
  CHECK(parse_queue_file("[log]\ncodepage = 1252\n", "q").log_code_page == 1252);
  CHECK(parse_queue_file("[log]\ncodepage = \"oem\"\n", "q").log_code_page == 1);
  CHECK(parse_queue_file("[log]\ncodepage = \"ansi\"\n", "q").log_code_page == 0);
  CHECK(parse_queue_file("[log]\ncodepage = \"utf-8\"\n", "q").log_code_page == 65001);
  CHECK(parse_error("[log]\ncodepage = 70000\n").find("invalid value for 'log.codepage': 70000.") != std::string::npos);
  CHECK(parse_error("[log]\ncodepage = \"latin1\"\n").find("invalid value for 'log.codepage': latin1.") != std::string::npos);
  CHECK(parse_error("[log]\ncodepage = true\n") ==
        "C:\\vtom\\admin\\tom_submit.wnt:2: key 'log.codepage' must be a code page number or \"ansi\", \"oem\" or \"utf-8\", not boolean.");
  CHECK(parse_error("[log]\nencoding = 1252\n").find("unknown key 'log.encoding'") != std::string::npos);
}
