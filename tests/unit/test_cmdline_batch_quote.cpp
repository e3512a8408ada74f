// Escaping of batch-file parameters against cmd.exe injection (the BatBadBut recipe of Rust
// 1.77.2 and Zig) and detection of batch files.

#include <catch2/catch.hpp>

#include <random>

#include "common/batch_quote.hpp"

using namespace vtsubmit::batch;

TEST_CASE("batch escape of plain values", "[cmdline]") {
  CHECK(escape_argument("abc") == "abc");
  CHECK(escape_argument("C:\\dir\\file.txt") == "C:\\dir\\file.txt");
  CHECK(escape_argument("-x=1") == "\"-x=1\"");
  CHECK(escape_argument("") == "\"\"");
  CHECK(escape_argument("a b") == "\"a b\"");
  // Non-ASCII letters need no quotes.
  CHECK(escape_argument("\xC3\xA9t\xC3\xA9") == "\xC3\xA9t\xC3\xA9");
}

TEST_CASE("batch escape of metacharacters", "[cmdline]") {
  CHECK(escape_argument("\"&calc.exe") == "\"\"\"&calc.exe\"");
  CHECK(escape_argument("%PATH%") == "\"%%cd:~,%PATH%%cd:~,%\"");
  CHECK(escape_argument("C:\\dir\\") == "\"C:\\dir\\\\\"");
  CHECK(escape_argument("a\\\"b") == "\"a\\\\\"\"b\"");
  CHECK(escape_argument("x&y") == "\"x&y\"");
  CHECK(escape_argument("x^y") == "\"x^y\"");
  CHECK(escape_argument("!v!") == "\"!v!\"");
  CHECK(escape_argument("a|b<c>d") == "\"a|b<c>d\"");
}

TEST_CASE("batch escape rejects line breaks", "[cmdline]") {
  CHECK_FALSE(escape_argument("a\nb").has_value());
  CHECK_FALSE(escape_argument("a\rb").has_value());
  CHECK_FALSE(escape_argument(std::string("a\0b", 3)).has_value());
}

TEST_CASE("batch file detection", "[cmdline]") {
  CHECK(is_batch_file("C:\\x\\run.bat"));
  CHECK(is_batch_file("C:\\x\\RUN.CMD"));
  CHECK(is_batch_file("run.bat. ."));
  CHECK(is_batch_file("run.Bat  "));
  CHECK_FALSE(is_batch_file("run.exe"));
  CHECK_FALSE(is_batch_file("run.bat.exe"));
  CHECK_FALSE(is_batch_file("bat"));
}

TEST_CASE("batch command line shape", "[cmdline]") {
  const auto line = make_batch_command_line("C:\\Windows\\System32\\cmd.exe", "C:\\a b\\x.bat", {"p q", "r"});
  REQUIRE(line.error == CommandLineError::none);
  CHECK(line.command_line == "\"C:\\Windows\\System32\\cmd.exe\" /d /e:ON /v:OFF /s /c \"\"C:\\a b\\x.bat\" \"p q\" r\"");

  const auto empty = make_batch_command_line("cmd.exe", "x.bat", {});
  CHECK(empty.command_line == "\"cmd.exe\" /d /e:ON /v:OFF /s /c \"\"x.bat\"\"");
}

TEST_CASE("batch command line rejections", "[cmdline]") {
  CHECK(make_batch_command_line("cmd.exe", "C:\\x\"y.bat", {}).error == CommandLineError::script_has_quote);
  CHECK(make_batch_command_line("cmd.exe", "C:\\dir\\", {}).error == CommandLineError::script_ends_with_slash);
  const auto bad = make_batch_command_line("cmd.exe", "x.bat", {"ok", "a\nb"});
  CHECK(bad.error == CommandLineError::argument_has_newline);
  CHECK(bad.argument_index == 1);
}

TEST_CASE("legacy call command line", "[cmdline]") {
  const auto line = make_legacy_call_command_line("cmd.exe", "C:\\j\\job.bat", "\"a b\" x&y");
  REQUIRE(line.error == CommandLineError::none);
  CHECK(line.command_line == "\"cmd.exe\" /d /e:ON /v:OFF /s /c \"call \"C:\\j\\job.bat\" \"a b\" x&y\"");
}

TEST_CASE("cmd metacharacter escape", "[cmdline]") {
  CHECK(escape_cmd_metacharacters("a&b") == "a^&b");
  CHECK(escape_cmd_metacharacters("\"%X%\"") == "^\"^%X^%^\"");
  CHECK(escape_cmd_metacharacters("plain text") == "plain text");
}

namespace {

// Returns true when every cmd operator of `escaped` is inside quotes and every '%' starts the
// %%cd:~,% escape or belongs to it, as cmd reads the text between `cmd /s /c "` and `"`.
bool cmd_safe(const std::string& escaped) {
  bool quoted = false;
  for (std::size_t i = 0; i < escaped.size(); ++i) {
    const char c = escaped[i];
    if (c == '"') {
      quoted = !quoted;
      continue;
    }
    if (c == '%') {
      if (escaped.compare(i, 8, "%%cd:~,%") != 0) {
        return false;
      }
      i += 7;
      continue;
    }
    if (!quoted && std::string_view("&|<>^()").find(c) != std::string_view::npos) {
      return false;
    }
  }
  return !quoted;
}

}  // namespace

TEST_CASE("batch escape random strings safe", "[cmdline]") {
  // A fixed seed keeps failures reproducible; the alphabet is cmd's special characters plus
  // letters, blanks, a backslash and a non-ASCII letter.
  std::mt19937 generator(20240409);
  const std::vector<std::string> pieces{"a", "Z", "0", " ", "\t", "\"", "\\", "%", "!", "^", "&", "|",
                                        "<", ">", "(", ")", ",", ";", "=", "\xC3\xA9", "%PATH%", "cd"};
  std::uniform_int_distribution<std::size_t> piece(0, pieces.size() - 1);
  std::uniform_int_distribution<int> length(0, 12);
  for (int round = 0; round < 2000; ++round) {
    std::string argument;
    for (int i = length(generator); i > 0; --i) {
      argument += pieces[piece(generator)];
    }
    INFO("argument: " << argument);
    const auto escaped = escape_argument(argument);
    REQUIRE(escaped.has_value());
    CHECK(cmd_safe(*escaped));
  }
}
