// vtom_init.bat evaluation without cmd.exe. Expected values follow cmd's documented behaviour;
// tests/win32/test_bat_oracle.cpp checks the corpus against Wine's real cmd.exe.

#include <catch2/catch.hpp>

#include "common/bat_init.hpp"

using namespace vtsubmit;

namespace {

struct Evaluated {
  Environment environment;
  std::vector<InitDiagnostic> diagnostics;
};

Evaluated evaluate(const std::string& text, const Environment& start = Environment(true)) {
  BatInterpreter interpreter(start);
  Evaluated result;
  interpreter.evaluate(text, "vtom_init.bat", result.diagnostics);
  result.environment = interpreter.environment();
  return result;
}

std::string value(const Evaluated& evaluated, const std::string& name) {
  return evaluated.environment.get(name).value_or("<unset>");
}

}  // namespace

TEST_CASE("bat set keeps trailing blanks", "[bat]") {
  CHECK(value(evaluate("set A=1\r\n"), "A") == "1");
  CHECK(value(evaluate("set A=1  \r\n"), "A") == "1  ");
  CHECK(value(evaluate("set \"A=1\"  \r\n"), "A") == "1");
  CHECK(value(evaluate("set A=\"x y\"\n"), "A") == "\"x y\"");
}

TEST_CASE("bat set name with blanks", "[bat]") {
  const auto result = evaluate("set A = 1\n");
  CHECK(value(result, "A ") == " 1");
  CHECK(value(result, "A") == "<unset>");
}

TEST_CASE("bat quoted set ignores text after last quote", "[bat]") {
  CHECK(value(evaluate("set \"A=x\" y\n"), "A") == "x");
  CHECK(value(evaluate("set \"A=apple\"banana\"grape\"orange\n"), "A") == "apple\"banana\"grape");
}

TEST_CASE("bat set empty deletes", "[bat]") {
  Environment start(true);
  start.set("A", "old");
  start.set("B", "old");
  const auto result = evaluate("set A=\nset \"B=\"\n", start);
  CHECK(value(result, "A") == "<unset>");
  CHECK(value(result, "B") == "<unset>");
}

TEST_CASE("bat percent expansion", "[bat]") {
  Environment start(true);
  start.set("PATH", "C:\\W");
  CHECK(value(evaluate("set A=%B%;x\n"), "A") == ";x");
  CHECK(value(evaluate("set PATH=C:\\t;%PATH%\n", start), "PATH") == "C:\\t;C:\\W");
  CHECK(value(evaluate("set A=50%%\n"), "A") == "50%");
  CHECK(value(evaluate("set A=50%\n"), "A") == "50");
  CHECK(value(evaluate("set A=!B!\n"), "A") == "!B!");
}

TEST_CASE("bat expansion at line read", "[bat]") {
  const auto result = evaluate("set A=x\nset A=z & set B=%A%\n");
  CHECK(value(result, "A") == "z ");
  CHECK(value(result, "B") == "x");
}

TEST_CASE("bat substring and replace", "[bat]") {
  Environment start(true);
  start.set("V", "abcdef");
  const auto result = evaluate("set A=%V:~1,3%\nset B=%V:~-2%\nset C=%V:cd=XY%\nset D=%V:*c=-%\n", start);
  CHECK(value(result, "A") == "bcd");
  CHECK(value(result, "B") == "ef");
  CHECK(value(result, "C") == "abXYef");
  CHECK(value(result, "D") == "-def");
}

TEST_CASE("bat caret and ampersand", "[bat]") {
  CHECK(value(evaluate("set A=x ^& y\n"), "A") == "x & y");
  CHECK(value(evaluate("set A=bar ^^^| baz\n"), "A") == "bar ^| baz");
  CHECK(value(evaluate("set \"A=x & y\"\n"), "A") == "x & y");

  const auto result = evaluate("set A=x & y\n");
  CHECK(value(result, "A") == "<unset>");
  REQUIRE(result.diagnostics.size() == 1);
  CHECK(result.diagnostics[0].line == 1);
  CHECK(result.diagnostics[0].construct == Msg::bat_construct_command);
}

TEST_CASE("bat names without case", "[bat]") {
  Environment start(true);
  start.set("PATH", "C:\\W");
  const auto result = evaluate("set path=x\nset B=%PATH%\n", start);
  CHECK(value(result, "PATH") == "x");
  CHECK(value(result, "B") == "x");
}

TEST_CASE("bat comments and echo", "[bat]") {
  const auto result = evaluate("@echo off\nrem set A=1\n:: set B=1\n:label\necho set C=1\nREM x & set D=1\n");
  CHECK(result.environment.variables().empty());
  CHECK(result.diagnostics.empty());
}

TEST_CASE("bat setlocal scope", "[bat]") {
  const auto dropped = evaluate("setlocal\nset A=1\n");
  CHECK(value(dropped, "A") == "<unset>");

  const auto kept = evaluate("setlocal\nset A=1\nendlocal & set B=%A%\n");
  CHECK(value(kept, "A") == "<unset>");
  CHECK(value(kept, "B") == "1");
}

TEST_CASE("bat chcp changes code page", "[bat]") {
  BatInterpreter interpreter(Environment(true));
  std::vector<InitDiagnostic> diagnostics;
  interpreter.evaluate("chcp 1252 > nul\n", "f.bat", diagnostics);
  CHECK(interpreter.code_page() == 1252);
  CHECK(interpreter.environment().variables().empty());
  CHECK(diagnostics.empty());
}

TEST_CASE("bat chcp decodes later lines", "[bat]") {
  std::vector<unsigned> pages;
  const auto decoder = [&](std::string_view bytes, unsigned page) {
    pages.push_back(page);
    return std::string(bytes);
  };
  BatInterpreter interpreter(Environment(true), decoder, 850);
  std::vector<InitDiagnostic> diagnostics;
  interpreter.evaluate("set A=1\nchcp 1252>nul\nset B=2\n", "f.bat", diagnostics);
  CHECK(pages == std::vector<unsigned>{850, 850, 1252});
}

TEST_CASE("bat set arithmetic", "[bat]") {
  CHECK(value(evaluate("set /a N=0x10+010\n"), "N") == "24");
  CHECK(value(evaluate("set /a N=(1+2)*3, M=N*2\n"), "M") == "18");
  CHECK(value(evaluate("set /a \"N=1<<4|1\"\n"), "N") == "17");
  CHECK(value(evaluate("set N=5\nset /a N+=UNDEF+1\n"), "N") == "6");
  CHECK(value(evaluate("set /a N=2147483647+1\n"), "N") == "-2147483648");
  CHECK(value(evaluate("set /a N=-7/2\n"), "N") == "-3");

  const auto divided = evaluate("set /a N=1/0\n");
  REQUIRE(divided.diagnostics.size() == 1);
  CHECK(divided.diagnostics[0].construct == Msg::bat_construct_arithmetic);
}

TEST_CASE("bat line longer than cmd accepts", "[bat]") {
  // 8191 characters once expanded is the longest line cmd.exe runs.
  const std::string longest = "set A=" + std::string(8191 - 6, 'v');
  const auto accepted = evaluate(longest + "\n");
  CHECK(accepted.diagnostics.empty());
  CHECK(value(accepted, "A").size() == 8185);

  const auto rejected = evaluate(longest + "w\nset AFTER=ok\n");
  REQUIRE(rejected.diagnostics.size() == 1);
  CHECK(rejected.diagnostics[0].construct == Msg::bat_construct_line_too_long);
  CHECK(rejected.diagnostics[0].line == 1);
  CHECK(value(rejected, "A") == "<unset>");
  CHECK(value(rejected, "AFTER") == "ok");

  // Doubling a variable stops at the limit instead of growing without end.
  std::string doubling = "set A=0123456789\n";
  for (int i = 0; i < 40; ++i) {
    doubling += "set A=%A%%A%\n";
  }
  const auto doubled = evaluate(doubling);
  CHECK(value(doubled, "A").size() == 5120);
  CHECK(doubled.diagnostics.size() == 31);
}

TEST_CASE("bat block nesting is bounded", "[bat]") {
  // 4000 nested blocks fit in one line, and overflowed the fuzzer's sanitizer build without the
  // limit: they are reported instead.
  const auto deep = evaluate(std::string(4000, '(') + "set A=1" + std::string(4000, ')') + "\nset AFTER=ok\n");
  REQUIRE(deep.diagnostics.size() == 1);
  CHECK(deep.diagnostics[0].construct == Msg::bat_construct_block);
  CHECK(value(deep, "A") == "<unset>");
  CHECK(value(deep, "AFTER") == "ok");

  const auto nested = evaluate(std::string(50, '(') + "set A=1" + std::string(50, ')') + "\n");
  CHECK(nested.diagnostics.empty());
  CHECK(value(nested, "A") == "1");
}

TEST_CASE("bat arithmetic nesting is bounded", "[bat]") {
  // Deep input is reported as an invalid expression instead of exhausting the stack. The line
  // stays under cmd's 8191 characters: without the limit, the fuzzer's sanitizer build
  // overflowed its stack on a 1,585-byte init file.
  for (const auto& unit : {std::string("A="), std::string("-"), std::string("(")}) {
    std::string deep;
    while (deep.size() + unit.size() <= 8000) {
      deep += unit;
    }
    const auto result = evaluate("set /a " + deep + "1\nset AFTER=ok\n");
    INFO(unit);
    REQUIRE(result.diagnostics.size() == 1);
    CHECK(result.diagnostics[0].construct == Msg::bat_construct_arithmetic);
    CHECK(value(result, "AFTER") == "ok");
  }

  // Nesting that a real init file could hold still evaluates.
  std::string nested = "N=";
  for (int i = 0; i < 50; ++i) {
    nested += "(-";
  }
  nested += "1";
  for (int i = 0; i < 50; ++i) {
    nested += ")";
  }
  CHECK(value(evaluate("set /a " + nested + "\n"), "N") == "1");
}

TEST_CASE("bat unsupported lines reported", "[bat]") {
  const auto result = evaluate(
      "set /p X=Enter:\n"
      "for %%i in (a b) do set X=%%i\n"
      "goto next\n"
      "xcopy a b\n"
      "set A=1 | more\n"
      "call :sub\n"
      "setlocal EnableDelayedExpansion\n"
      "set D=%DATE%\n"
      "set OK=1\n");
  REQUIRE(result.diagnostics.size() == 8);
  CHECK(result.diagnostics[0].construct == Msg::bat_construct_set_prompt);
  CHECK(result.diagnostics[1].construct == Msg::bat_construct_for);
  CHECK(result.diagnostics[2].construct == Msg::bat_construct_goto);
  CHECK(result.diagnostics[3].construct == Msg::bat_construct_command);
  CHECK(result.diagnostics[4].construct == Msg::bat_construct_pipe);
  CHECK(result.diagnostics[5].construct == Msg::bat_construct_call_label);
  CHECK(result.diagnostics[6].construct == Msg::bat_construct_delayed_expansion);
  CHECK(result.diagnostics[7].construct == Msg::bat_construct_dynamic_variable);
  CHECK(result.diagnostics[3].line == 4);
  CHECK(result.diagnostics[3].text == "xcopy a b");
  CHECK(result.diagnostics[0].file == "vtom_init.bat");
  CHECK(value(result, "OK") == "1");
  CHECK(value(result, "X") == "<unset>");
}

TEST_CASE("bat if on one line", "[bat]") {
  Environment start(true);
  start.set("HAVE", "1");
  const auto result = evaluate(
      "if defined HAVE set A=yes\n"
      "if not defined HAVE set B=yes\n"
      "if defined NOPE (set C=then) else (set C=else)\n"
      "if /i \"%HAVE%\"==\"1\" set D=eq & set E=also\n"
      "if 10 GTR 9 set F=numeric\n",
      start);
  CHECK(value(result, "A") == "yes");
  CHECK(value(result, "B") == "<unset>");
  CHECK(value(result, "C") == "else");
  CHECK(value(result, "D") == "eq ");
  CHECK(value(result, "E") == "also");
  CHECK(value(result, "F") == "numeric");
  CHECK(result.diagnostics.empty());
}

TEST_CASE("bat block over lines reported", "[bat]") {
  const auto result = evaluate("if defined X (\n  set A=1\n)\nset B=2\n");
  CHECK(value(result, "A") == "<unset>");
  CHECK(value(result, "B") == "2");
  REQUIRE(result.diagnostics.size() == 3);
  CHECK(result.diagnostics[1].line == 2);
  CHECK(result.diagnostics[2].construct == Msg::bat_construct_block);
}

TEST_CASE("bat goto eof and exit b end file", "[bat]") {
  CHECK(value(evaluate("set A=1\ngoto :eof\nset A=2\n"), "A") == "1");
  CHECK(value(evaluate("set A=1\nexit /b 0\nset A=2\n"), "A") == "1");
}

TEST_CASE("bat line continuation and path", "[bat]") {
  CHECK(value(evaluate("set A=one^\ntwo\n"), "A") == "onetwo");
  CHECK(value(evaluate("path C:\\x;C:\\y\n"), "PATH") == "C:\\x;C:\\y");
  CHECK(value(evaluate("set A=1 >nul\n"), "A") == "1 ");
  CHECK(value(evaluate("set A=1 2>nul\n"), "A") == "1 ");
}

TEST_CASE("bat byte order mark skipped", "[bat]") {
  const auto result = evaluate("\xEF\xBB\xBF@echo off\nset A=1\n");
  CHECK(value(result, "A") == "1");
  CHECK(result.diagnostics.empty());
}

TEST_CASE("bat parameters of the file", "[bat]") {
  BatInterpreter interpreter(Environment(true));
  std::vector<InitDiagnostic> diagnostics;
  interpreter.evaluate("set ALL=%*\nset ONE=%1\nset TWO=%~2\nset ZERO=%0\n", "f.bat", diagnostics, "a \"b c\"");
  const auto& environment = interpreter.environment();
  CHECK(environment.get_or("ALL") == "a \"b c\"");
  CHECK(environment.get_or("ONE") == "a");
  CHECK(environment.get_or("TWO") == "b c");
  CHECK(environment.get_or("ZERO") == "f.bat");
}
