// Command-line text as the Microsoft C runtime and cmd.exe read it. The expected values are the
// documented rules and Wine's cmd test suite results collected in the Windows reference notes.

#include <catch2/catch.hpp>

#include <random>

#include "common/cmdline_tail.hpp"

using namespace vtsubmit::cmdline;
using Args = std::vector<std::string>;

TEST_CASE("tail keeps blanks and quotes", "[cmdline]") {
  const auto parts = split_queue_command_line(R"("C:\V T\vtsubmit.exe" C:\q\tom_submit.wnt  "x y"  z)");
  CHECK(parts.program == R"(C:\V T\vtsubmit.exe)");
  CHECK(parts.queue_file == R"(C:\q\tom_submit.wnt)");
  CHECK(parts.has_queue_file);
  CHECK(parts.raw_tail == R"("x y"  z)");
}

TEST_CASE("tail empty without parameters", "[cmdline]") {
  const auto parts = split_queue_command_line(R"(C:\VTOM\vtsubmit.exe C:\q\tom_submit.wnt)");
  CHECK(parts.queue_file == R"(C:\q\tom_submit.wnt)");
  CHECK(parts.raw_tail.empty());

  const auto bare = split_queue_command_line(R"(C:\VTOM\vtsubmit.exe)");
  CHECK_FALSE(bare.has_queue_file);
  CHECK(bare.raw_tail.empty());
}

TEST_CASE("program name by CRT rule", "[cmdline]") {
  // "C:\P F\tom.exe"a b: the quote only switches quoted mode, the name goes on up to the blank.
  const auto name = read_program_name(R"("C:\P F\tom.exe"a b)");
  CHECK(name.value == R"(C:\P F\tom.exea)");
  CHECK(name.rest == "b");

  // Backslashes are literal in argv[0], so \" does not escape the quote.
  const auto escaped = read_program_name(R"(123\"abc" d e)");
  CHECK(escaped.value == R"(123\abc)");
  CHECK(escaped.rest == "d e");
}

TEST_CASE("tail keeps separators and specials", "[cmdline]") {
  const auto parts = split_queue_command_line("vtsubmit.exe q ==a,,b;c  100% x&y ^ !v! \t");
  CHECK(parts.raw_tail == "==a,,b;c  100% x&y ^ !v! \t");
}

TEST_CASE("quoted queue file path", "[cmdline]") {
  const auto parts = split_queue_command_line(R"(vtsubmit.exe "C:\Program Files\q file" "" a)");
  CHECK(parts.queue_file == R"(C:\Program Files\q file)");
  CHECK(parts.raw_tail == R"("" a)");
}

TEST_CASE("CRT argument rules", "[cmdline]") {
  CHECK(split_crt_arguments(R"("a b c" d e)") == Args{"a b c", "d", "e"});
  CHECK(split_crt_arguments(R"("ab\"c" "\\" d)") == Args{"ab\"c", "\\", "d"});
  CHECK(split_crt_arguments(R"(a\\\b d"e f"g h)") == Args{R"(a\\\b)", "de fg", "h"});
  CHECK(split_crt_arguments(R"(a\\\"b c d)") == Args{R"(a\"b)", "c", "d"});
  CHECK(split_crt_arguments(R"(a\\\\"b c" d e)") == Args{R"(a\\b c)", "d", "e"});
  // VS2008 and later: "" inside quotes is a literal quote and quoted mode goes on.
  CHECK(split_crt_arguments(R"(a"b"" c d)") == Args{"ab\" c d"});
  CHECK(split_crt_arguments(R"("" x)") == Args{"", "x"});
  CHECK(split_crt_arguments("  ").empty());
}

TEST_CASE("CRT quoting round trip", "[cmdline]") {
  CHECK(quote_crt_argument(R"(C:\Program Files\x\)") == R"("C:\Program Files\x\\")");
  CHECK(quote_crt_argument(R"(he said "hi")") == R"("he said \"hi\"")");
  CHECK(quote_crt_argument(R"(a\\b)") == R"(a\\b)");
  CHECK(quote_crt_argument("") == R"("")");

  const Args values{"", "a b", "\"", "\\", "a\\\"b", "x\\\\", "tab\there", "é ü", "q\"\"q", "end\\ "};
  for (const auto& value : values) {
    INFO(value);
    CHECK(split_crt_arguments(quote_crt_argument(value)) == Args{value});
  }
}

TEST_CASE("batch split on cmd separators", "[cmdline]") {
  CHECK(split_batch_parameters("a b c") == Args{"a", "b", "c"});
  CHECK(split_batch_parameters("   a   b") == Args{"a", "b"});
  CHECK(split_batch_parameters(R"("a b" c)") == Args{R"("a b")", "c"});
  CHECK(split_batch_parameters("a=~`+,.{}!+b") == Args{"a", "~`+", ".{}!+b"});
  CHECK(split_batch_parameters("a;b") == Args{"a", "b"});
  CHECK(split_batch_parameters(R"("a;b")") == Args{R"("a;b")"});
  CHECK(split_batch_parameters("a   b,,,c") == Args{"a", "b", "c"});
  CHECK(split_batch_parameters("a==b;;c") == Args{"a", "b", "c"});
  CHECK(split_batch_parameters(R"("p "1 p" "2)") == Args{R"("p "1)", R"(p" "2)"});
  CHECK(split_batch_parameters(R"("a b"\c)") == Args{R"("a b"\c)"});
  CHECK(split_batch_parameters("a\vb\fc") == Args{"a", "b", "c"});
  CHECK(split_batch_parameters(R"("" x)") == Args{R"("")", "x"});
  CHECK(split_batch_parameters("").empty());
}

TEST_CASE("tenth parameter is the tenth", "[cmdline]") {
  const auto parameters = split_batch_parameters("a b c d e f g h i j k");
  REQUIRE(parameters.size() == 11);
  CHECK(parameters[9] == "j");
  CHECK(parameters[10] == "k");
}

TEST_CASE("quotes removed from batch parameter", "[cmdline]") {
  CHECK(remove_quotes(R"("a b")") == "a b");
  CHECK(remove_quotes(R"("p "1)") == "p 1");
  CHECK(remove_quotes(R"("")") == "");
  CHECK(remove_quotes("plain") == "plain");
}

TEST_CASE("CRT quoting random round trip", "[cmdline]") {
  std::mt19937 generator(20240409);
  const std::vector<std::string> pieces{"a", " ", "\t", "\"", "\\", "\\\\", "x y", "\xC3\xA9", "&", "%"};
  std::uniform_int_distribution<std::size_t> piece(0, pieces.size() - 1);
  std::uniform_int_distribution<int> length(0, 10);
  std::uniform_int_distribution<int> count(1, 4);
  for (int round = 0; round < 2000; ++round) {
    Args arguments;
    std::string line;
    for (int n = count(generator); n > 0; --n) {
      std::string argument;
      for (int i = length(generator); i > 0; --i) {
        argument += pieces[piece(generator)];
      }
      line += (line.empty() ? "" : " ") + quote_crt_argument(argument);
      arguments.push_back(argument);
    }
    INFO("command line: " << line);
    CHECK(split_crt_arguments(line) == arguments);
  }
}
