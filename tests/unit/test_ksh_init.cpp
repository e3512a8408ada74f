// Tests of KshInterpreter: one group per construct, then the oracle tests that source the files
// of tests/ksh-corpus with the real ksh93 and compare the exported variables byte for byte.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#ifndef _WIN32
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>
#endif

#include <catch2/catch.hpp>

#include "common/ksh_init.hpp"

namespace {

using namespace vtsubmit;
using namespace std::string_literals;
namespace fs = std::filesystem;

const std::vector<std::string> base_environment = {"PATH=/usr/bin:/bin", "HOME=/home/vtom",
                                                   "TOM_ADMIN=/opt/vtom/admin", "EMPTY_VAR=", "SET_VAR=set"};

struct Evaluation {
  explicit Evaluation(const std::vector<std::string>& environment)
      : shell(Environment::from_entries(environment)) {}

  KshInterpreter shell;
  std::vector<InitDiagnostic> diagnostics;

  // The shell value, or "<unset>", so that a failed check prints both sides.
  std::string value(std::string_view name) const { return shell.value(name).value_or("<unset>"); }

  // The exported value, or "<not exported>".
  std::string exported(std::string_view name) const { return shell.exported().get(name).value_or("<not exported>"); }
};

Evaluation evaluate(std::string_view text, const std::vector<std::string>& environment = base_environment) {
  Evaluation evaluation(environment);
  evaluation.shell.evaluate(text, "init.ksh", evaluation.diagnostics);
  return evaluation;
}

// "line:construct" of each diagnostic, for exact comparisons.
std::vector<std::string> diagnostic_lines(const Evaluation& evaluation) {
  std::vector<std::string> result;
  for (const auto& diagnostic : evaluation.diagnostics) {
    result.push_back(std::to_string(diagnostic.line) + ":" + std::string(message_format(Language::english, diagnostic.construct)));
  }
  return result;
}

std::string expected_line(int line, Msg construct) {
  return std::to_string(line) + ":" + std::string(message_format(Language::english, construct));
}

// A folder of its own under the build tree, emptied first.
fs::path scratch_directory(const std::string& name) {
  const fs::path directory = fs::path(VTSUBMIT_BINARY_DIR) / "tests" / "ksh-scratch" / name;
  fs::remove_all(directory);
  fs::create_directories(directory);
  return directory;
}

void write_file(const fs::path& path, std::string_view contents) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << contents;
}

// Changes the current directory for one test, as ksh resolves `. dir/file` from it.
class CurrentDirectory {
 public:
  explicit CurrentDirectory(const fs::path& directory) : previous_(fs::current_path()) { fs::current_path(directory); }
  ~CurrentDirectory() { fs::current_path(previous_); }
  CurrentDirectory(const CurrentDirectory&) = delete;
  CurrentDirectory& operator=(const CurrentDirectory&) = delete;

 private:
  fs::path previous_;
};

// Bytes made visible: control characters and non-ASCII bytes as \xNN.
std::string visible(std::string_view text) {
  std::string result;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte >= 0x7f) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02X", byte);
      result += escaped;
    } else {
      result += c;
    }
  }
  return result;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Assignments and export attributes.

TEST_CASE("ksh init: plain assignment is not exported", "[ksh]") {
  const auto run = evaluate("HELPER=value\n");
  CHECK(run.value("HELPER") == "value");
  CHECK(run.exported("HELPER") == "<not exported>");
  CHECK(run.diagnostics.empty());
}

TEST_CASE("ksh init: inherited variable stays exported", "[ksh]") {
  const auto run = evaluate("TOM_ADMIN=/srv/vtom/admin\nHOME=\n");
  CHECK(run.exported("TOM_ADMIN") == "/srv/vtom/admin");
  CHECK(run.exported("HOME") == "");
  CHECK(run.exported("PATH") == "/usr/bin:/bin");
}

TEST_CASE("ksh init: export forms", "[ksh]") {
  const auto run = evaluate(
      "TOM_HOME=/opt/vtom ; export TOM_HOME\n"
      "export A B=2 C\n"
      "A=1\n"
      "export PATH=$PATH:/opt/vtom/bin\n"
      "export -- D=4\n"
      "'export' E=5\n");
  CHECK(run.exported("TOM_HOME") == "/opt/vtom");
  CHECK(run.exported("A") == "1");
  CHECK(run.exported("B") == "2");
  CHECK(run.exported("C") == "<not exported>");  // exported but never set
  CHECK(run.exported("PATH") == "/usr/bin:/bin:/opt/vtom/bin");
  CHECK(run.exported("D") == "4");
  CHECK(run.exported("E") == "5");
  CHECK(run.diagnostics.empty());

  const auto later = evaluate("export C\nC=later\n");
  CHECK(later.exported("C") == "later");

  // ksh93 reads NAME=value again after expansion, without tilde expansion.
  const auto expanded = evaluate("export \"A=a  b\" 'B=$x' \"C\"=~/y\nX='D=1 E=2' ; export $X\nexport \"E\"+=e\n");
  CHECK(expanded.exported("A") == "a  b");
  CHECK(expanded.exported("B") == "$x");
  CHECK(expanded.exported("C") == "~/y");
  CHECK(expanded.exported("D") == "1");
  CHECK(expanded.exported("E") == "2e");
  CHECK(expanded.diagnostics.empty());
}

TEST_CASE("ksh init: export evaluates operands left to right", "[ksh]") {
  const auto run = evaluate("export A=1 B=$A\nC=x D=$C ; export D\n");
  CHECK(run.exported("B") == "1");
  CHECK(run.exported("D") == "x");
  CHECK(run.exported("C") == "<not exported>");
}

TEST_CASE("ksh init: typeset", "[ksh]") {
  const auto run = evaluate(
      "typeset -x X1=exported\n"
      "typeset T1=local\n"
      "typeset TOM_ADMIN=/other\n"
      "typeset -x X2\n"
      "X2=later\n"
      "typeset -xx X3=3\n");
  CHECK(run.exported("X1") == "exported");
  CHECK(run.exported("T1") == "<not exported>");
  CHECK(run.value("T1") == "local");
  // ksh93u+m: typeset NAME=value without -x removes the export attribute.
  CHECK(run.exported("TOM_ADMIN") == "<not exported>");
  CHECK(run.value("TOM_ADMIN") == "/other");
  CHECK(run.exported("X2") == "later");
  CHECK(run.exported("X3") == "3");
  CHECK(run.diagnostics.empty());
}

TEST_CASE("ksh init: unsupported built-in options", "[ksh]") {
  const auto run = evaluate(
      "typeset -r R=1\n"
      "typeset +x TOM_ADMIN\n"
      "export -p\n"
      "export\n"
      "typeset\n"
      "unset -f f\n"
      "set -x\n"
      "set\n"
      "set -- a b\n"
      "unset\n");
  CHECK(diagnostic_lines(run) == std::vector<std::string>{
                                     expected_line(1, Msg::construct_builtin_option),
                                     expected_line(2, Msg::construct_builtin_option),
                                     expected_line(3, Msg::construct_builtin_option),
                                     expected_line(4, Msg::construct_command),
                                     expected_line(5, Msg::construct_command),
                                     expected_line(6, Msg::construct_builtin_option),
                                     expected_line(7, Msg::construct_builtin_option),
                                     expected_line(8, Msg::construct_command),
                                     expected_line(9, Msg::construct_builtin_option),
                                     expected_line(10, Msg::construct_command),
                                 });
  CHECK(run.value("R") == "<unset>");
  CHECK(run.exported("TOM_ADMIN") == "/opt/vtom/admin");
}

TEST_CASE("ksh init: invalid names", "[ksh]") {
  const auto run = evaluate("export A=1 1B=2\nexport C+=x\nexport D-E\n");
  CHECK(diagnostic_lines(run) == std::vector<std::string>{expected_line(1, Msg::construct_invalid_name),
                                                          expected_line(2, Msg::construct_invalid_name),
                                                          expected_line(3, Msg::construct_invalid_name)});
  // ksh stops at the error before any operand takes effect.
  CHECK(run.exported("A") == "<not exported>");
}

TEST_CASE("ksh init: append assignment", "[ksh]") {
  const auto run = evaluate("PATH+=:/x\nNEW+=a\nNEW+=b\n");
  CHECK(run.exported("PATH") == "/usr/bin:/bin:/x");
  CHECK(run.value("NEW") == "ab");
}

TEST_CASE("ksh init: several commands per line", "[ksh]") {
  const auto run = evaluate("A=1;cd /tmp; B=2 ;export A B;\n; C=3\n");
  CHECK(run.exported("A") == "1");
  CHECK(run.exported("B") == "2");
  CHECK(run.value("C") == "3");
  REQUIRE(run.diagnostics.size() == 1);
  CHECK(run.diagnostics[0].line == 1);
  CHECK(run.diagnostics[0].construct == Msg::construct_command);
  CHECK(run.diagnostics[0].text == "cd /tmp");
  CHECK(run.diagnostics[0].file == "init.ksh");
}

// ---------------------------------------------------------------------------------------------
// Quoting, comments, line endings.

TEST_CASE("ksh init: quoting", "[ksh]") {
  // Each value was checked with ksh93u+m 1.0.4.
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"(Q='ab$cd')", "ab$cd"},
      {R"(Q="a\$b\"c\\d\`e\xf")", "a$b\"c\\d`e\\xf"},
      {R"(Q=a\ b\$c\\)", "a b$c\\"},
      {R"(Q='it'"'"'s')", "it's"},
      {R"(Q="")", ""},
      {R"(Q='')", ""},
      {R"(Q=)", ""},
      {R"(Q=$)", "$"},
      {R"(Q=$/x)", "$/x"},
      {R"(Q="a$")", "a$"},
      {R"(Q=a#b)", "a#b"},
      {R"(Q=x #comment)", "x"},
      {R"(Q=a=b=c)", "a=b=c"},
      {R"(Q=http://h/x?a=1)", "http://h/x?a=1"},
      {R"(Q="single 'in' double")", "single 'in' double"},
      {R"(Q=m"d $TOM_ADMIN"'s $TOM_ADMIN'p$TOM_ADMIN)", "md /opt/vtom/admins $TOM_ADMINp/opt/vtom/admin"},
      {R"(Q=$TOM_ADMIN_x${TOM_ADMIN}_x)", "/opt/vtom/admin_x"},
      {R"(Q=*)", "*"},
  };
  for (const auto& [text, expected] : cases) {
    INFO(text);
    const auto run = evaluate(text + "\n");
    CHECK(run.value("Q") == expected);
    CHECK(run.diagnostics.empty());
  }
}

TEST_CASE("ksh init: comments and blank lines", "[ksh]") {
  const auto run = evaluate(
      "#!/bin/ksh\n"
      "\n"
      "   # indented\n"
      "\t\n"
      "A=1 # trailing ; B=2\n"
      "#C=3\n"
      "D=4;# after a semicolon\n");
  CHECK(run.value("A") == "1");
  CHECK(run.value("B") == "<unset>");
  CHECK(run.value("C") == "<unset>");
  CHECK(run.value("D") == "4");
  CHECK(run.diagnostics.empty());
}

TEST_CASE("ksh init: continuation and multi-line values", "[ksh]") {
  const auto run = evaluate(
      "A=ab\\\ncd\n"
      "B=\"x\ny\"\n"
      "C='1\n2'\n"
      "export \\\n  D=\"joined \\\nhere\"\n"
      "cd /tmp\n");
  CHECK(run.value("A") == "abcd");
  CHECK(run.value("B") == "x\ny");
  CHECK(run.value("C") == "1\n2");
  CHECK(run.exported("D") == "joined here");

  // ksh removes a backslash-newline before it reads the word, even inside a name, but reads
  // "$\<newline>B" as $B or as "$B" depending on what came before.
  const auto joined = evaluate("B=b\nBB=bb\nA1=${B\\\nB} A\\\n2=$B\\\nB A3='x\\\ny'\nA4=\"$\\\nB\"\n");
  CHECK(joined.value("A1") == "bb");
  CHECK(joined.value("A2") == "bb");
  CHECK(joined.value("A3") == "x\\\ny");
  CHECK(diagnostic_lines(joined) == std::vector<std::string>{expected_line(8, Msg::construct_dollar_continuation)});
  CHECK(joined.value("A4") == "<unset>");
  // Line numbers still count the lines inside the values.
  CHECK(diagnostic_lines(run) == std::vector<std::string>{expected_line(10, Msg::construct_command)});
}

TEST_CASE("ksh init: CRLF line endings", "[ksh]") {
  // ksh keeps the carriage return: it is not a blank.
  const auto run = evaluate("A=b\r\nexport C=d\r\n# comment\r\n\r\nexport A\r\nE='q' # c\r\n");
  CHECK(run.value("A") == "b\r");
  CHECK(run.exported("C") == "d\r");
  CHECK(run.value("E") == "q");
  // A blank CRLF line runs a command named "\r"; `export A\r` names an invalid variable.
  CHECK(diagnostic_lines(run) == std::vector<std::string>{expected_line(4, Msg::construct_carriage_return),
                                                          expected_line(5, Msg::construct_carriage_return)});
  CHECK(run.exported("A") == "<not exported>");
  REQUIRE(run.diagnostics.size() == 2);
  CHECK(run.diagnostics[1].text == "export A");
}

// ---------------------------------------------------------------------------------------------
// Expansions.

TEST_CASE("ksh init: parameter expansion", "[ksh]") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"Q=${UNSET:-a}", "a"},
      {"Q=${EMPTY_VAR:-a}", "a"},
      {"Q=${EMPTY_VAR-a}", ""},
      {"Q=${UNSET-a}", "a"},
      {"Q=${SET_VAR:-a}", "set"},
      {"Q=${SET_VAR:+alt}", "alt"},
      {"Q=${EMPTY_VAR:+alt}", ""},
      {"Q=${EMPTY_VAR+alt}", "alt"},
      {"Q=${UNSET+alt}", ""},
      {"Q=${UNSET:-${SET_VAR}x}", "setx"},
      {"Q=${UNSET:-${UNSET2:-deep}}", "deep"},
      {R"(Q="${UNSET:-'q'}")", "'q'"},
      {R"(Q=${UNSET:-'q $x'})", "q $x"},
      {R"(Q=${UNSET:-"a b"})", "a b"},
      {R"(Q=${UNSET:-a\}b})", "a}b"},
      {R"(Q="${UNSET:-a\}b}")", "a}b"},
      {R"(Q="${UNSET-"}"}")", "}"},
      {"Q=${UNSET:-two  spaces}", "two  spaces"},
      {"Q=${UNSET:-~/x}", "/home/vtom/x"},
      {"Q=${UNSET:-a:~/x}", "a:~/x"},
      {"Q=${SET_VAR}", "set"},
      {"Q=$UNSET", ""},
  };
  for (const auto& [text, expected] : cases) {
    INFO(text);
    const auto run = evaluate(text + "\n");
    CHECK(run.value("Q") == expected);
    CHECK(run.diagnostics.empty());
  }
}

TEST_CASE("ksh init: assigning parameter expansion", "[ksh]") {
  const auto run = evaluate("Q=${D1:=first}\nR=${D1:=second}\nS=${EMPTY_VAR=kept}\nT=${EMPTY_VAR:=replaced}\n");
  CHECK(run.value("Q") == "first");
  CHECK(run.value("R") == "first");
  CHECK(run.value("D1") == "first");
  CHECK(run.value("S") == "");
  CHECK(run.exported("EMPTY_VAR") == "replaced");
}

TEST_CASE("ksh init: other parameter operators are reported", "[ksh]") {
  for (const std::string text : {"${#SET_VAR}", "${SET_VAR%t}", "${SET_VAR#s}", "${SET_VAR:?missing}",
                                 "${SET_VAR?missing}", "${SET_VAR/s/S}", "${SET_VAR:1}", "${!SET_VAR}",
                                 "${}", "${SET_VAR^^}"}) {
    INFO(text);
    const auto run = evaluate("Q=" + text + "\n");
    CHECK(diagnostic_lines(run) == std::vector<std::string>{expected_line(1, Msg::construct_parameter_operator)});
    CHECK(run.value("Q") == "<unset>");
  }
}

TEST_CASE("ksh init: special parameters are reported", "[ksh]") {
  for (const std::string text : {"$1", "$#", "$$", "$?", "$!", "$@", "$*", "$-", "$0", "$_", "${10}", "${#}",
                                 "$RANDOM", "${SECONDS}", "$LINENO", "$SHLVL", "$PPID", "${.sh.version}"}) {
    INFO(text);
    const auto run = evaluate("Q=x" + text + "\n");
    CHECK(diagnostic_lines(run) == std::vector<std::string>{expected_line(1, Msg::construct_special_parameter)});
    CHECK(run.value("Q") == "<unset>");
  }
}

TEST_CASE("ksh init: substitution skips whole command", "[ksh]") {
  const std::vector<std::pair<std::string, Msg>> cases = {
      {"A=1 Q=$(date) B=2", Msg::construct_command_substitution},
      {"A=1 Q=\"x`date`\" B=2", Msg::construct_command_substitution},
      {"A=1 Q=`date` B=2", Msg::construct_command_substitution},
      {"A=1 Q=${UNSET:-$(date)} B=2", Msg::construct_command_substitution},
      {"A=1 Q=$((1 + 2)) B=2", Msg::construct_arithmetic},
      {"A=1 Q=$'a\\tb' B=2", Msg::construct_ansi_quote},
      {"A=1 Q=$\"text\" B=2", Msg::construct_ansi_quote},
      {"export A=1 Q=$(date) B=2", Msg::construct_command_substitution},
  };
  for (const auto& [text, construct] : cases) {
    INFO(text);
    const auto run = evaluate(text + "\n");
    CHECK(diagnostic_lines(run) == std::vector<std::string>{expected_line(1, construct)});
    CHECK(run.value("A") == "<unset>");
    CHECK(run.value("Q") == "<unset>");
    CHECK(run.value("B") == "<unset>");
  }
}

TEST_CASE("ksh init: tilde expansion", "[ksh]") {
  const auto run = evaluate(
      "A=~ B=~/x C=~/a:~/b D=\"~\" E=x~ F=\\~/y G=a\\:~/z H=~:~\n"
      "export I=~/i J=a:~/j\n");
  CHECK(run.value("A") == "/home/vtom");
  CHECK(run.value("B") == "/home/vtom/x");
  CHECK(run.value("C") == "/home/vtom/a:/home/vtom/b");
  CHECK(run.value("D") == "~");
  CHECK(run.value("E") == "x~");
  CHECK(run.value("F") == "~/y");
  CHECK(run.value("G") == "a:~/z");
  CHECK(run.value("H") == "/home/vtom:/home/vtom");
  CHECK(run.exported("I") == "/home/vtom/i");
  CHECK(run.exported("J") == "a:/home/vtom/j");
  CHECK(run.diagnostics.empty());

  const auto user = evaluate("A=~root/x\nB=~+\n");
  CHECK(diagnostic_lines(user) == std::vector<std::string>{expected_line(1, Msg::construct_tilde_user),
                                                           expected_line(2, Msg::construct_tilde_user)});

  const auto no_home = evaluate("A=~/x\n", {"PATH=/usr/bin"});
  CHECK(diagnostic_lines(no_home) == std::vector<std::string>{expected_line(1, Msg::construct_tilde_user)});
  CHECK(no_home.value("A") == "<unset>");
}

TEST_CASE("ksh init: name followed by a non-ASCII byte", "[ksh]") {
  const auto run = evaluate("A=$TOM_ADMIN\xc3\xa9\nB=${TOM_ADMIN}\xc3\xa9\nC\xc3\xa9=1\n");
  CHECK(diagnostic_lines(run) == std::vector<std::string>{expected_line(1, Msg::construct_non_ascii_name),
                                                          expected_line(3, Msg::construct_non_ascii_name)});
  CHECK(run.value("B") == "/opt/vtom/admin\xc3\xa9");
}

TEST_CASE("ksh init: default shell variables", "[ksh]") {
  const auto run = evaluate("export PS4\nQ=\"$PS2|$IFS|$OPTIND\"\n");
  CHECK(run.exported("PS4") == "+ ");
  CHECK(run.value("Q") == "> | \t\n|1");
  CHECK(run.exported("PS2") == "<not exported>");
  CHECK(run.value("PWD") == fs::current_path().string());
}

// ---------------------------------------------------------------------------------------------
// unset, set -a, no-ops, return.

TEST_CASE("ksh init: unset", "[ksh]") {
  const auto run = evaluate(
      "unset TOM_ADMIN\n"
      "export A=1 ; unset -v A ; A=2\n"
      "unset NEVER_SET\n"
      "B=1 C=1 D=1 ; unset B 1X D\n"
      "LIST='SET_VAR  EMPTY_VAR'\n"
      "unset $LIST\n");
  CHECK(run.exported("TOM_ADMIN") == "<not exported>");
  CHECK(run.value("TOM_ADMIN") == "<unset>");
  CHECK(run.value("A") == "2");
  CHECK(run.exported("A") == "<not exported>");
  // ksh unsets the valid names and complains about the others.
  CHECK(run.value("B") == "<unset>");
  CHECK(run.value("C") == "1");
  CHECK(run.value("D") == "<unset>");
  CHECK(run.value("SET_VAR") == "<unset>");
  CHECK(run.value("EMPTY_VAR") == "<unset>");
  CHECK(diagnostic_lines(run) == std::vector<std::string>{expected_line(4, Msg::construct_invalid_name)});
}

TEST_CASE("ksh init: field splitting follows IFS", "[ksh]") {
  const auto run = evaluate("X1=1 X2=2 X3=3\nIFS=:\nN=X1:X2\nunset $N\nQ=$N\n");
  CHECK(run.value("X1") == "<unset>");
  CHECK(run.value("X2") == "<unset>");
  CHECK(run.value("X3") == "3");
  CHECK(run.value("Q") == "X1:X2");  // assignments are never split
}

TEST_CASE("ksh init: set -a exports assignments", "[ksh]") {
  const auto run = evaluate(
      "BEFORE=1\n"
      "set -a\n"
      "A=1\n"
      "typeset T=1\n"
      ": ${D:=1}\n"
      "set +a\n"
      "AFTER=1\n"
      "set -o allexport\n"
      "O=1\n"
      "set +o allexport\n"
      "O2=1\n");
  CHECK(run.exported("BEFORE") == "<not exported>");
  CHECK(run.exported("A") == "1");
  CHECK(run.exported("T") == "1");
  CHECK(run.exported("D") == "1");
  CHECK(run.exported("AFTER") == "<not exported>");
  CHECK(run.exported("O") == "1");
  CHECK(run.exported("O2") == "<not exported>");
  CHECK(run.diagnostics.empty());
}

TEST_CASE("ksh init: no-op commands", "[ksh]") {
  const auto run = evaluate(": ${A:=1} \"${B:=two words}\"\ntrue\nfalse\n: * ?\n");
  CHECK(run.value("A") == "1");
  CHECK(run.value("B") == "two words");
  CHECK(run.diagnostics.empty());
}

TEST_CASE("ksh init: return ends the file", "[ksh]") {
  const auto run = evaluate("A=1\nreturn\nB=2\ncd /tmp\n");
  CHECK(run.value("A") == "1");
  CHECK(run.value("B") == "<unset>");
  CHECK(run.diagnostics.empty());
}

// ---------------------------------------------------------------------------------------------
// Constructs that are reported and skipped.

TEST_CASE("ksh init: compound commands are skipped whole", "[ksh]") {
  const auto run = evaluate(
      "if [ -d /opt ]; then\n"
      "  A=1\n"
      "  export A\n"
      "fi\n"
      "B=after-if\n"
      "for i in a b\n"
      "do\n"
      "  C=$i\n"
      "done\n"
      "while false; do D=1; done\n"
      "until true; do D=1; done\n"
      "{ E=1; }\n"
      "( F=1 )\n"
      "[[ -n $B ]] && G=1\n"
      "(( H = 1 ))\n"
      "select s in a; do break; done\n"
      "I=last\n");
  CHECK(diagnostic_lines(run) == std::vector<std::string>{
                                     expected_line(1, Msg::construct_compound),
                                     expected_line(6, Msg::construct_compound),
                                     expected_line(10, Msg::construct_compound),
                                     expected_line(11, Msg::construct_compound),
                                     expected_line(12, Msg::construct_compound),
                                     expected_line(13, Msg::construct_compound),
                                     expected_line(14, Msg::construct_compound),
                                     expected_line(15, Msg::construct_arithmetic),
                                     expected_line(16, Msg::construct_compound),
                                 });
  for (const char* name : {"A", "C", "D", "E", "F", "G", "H"}) {
    INFO(name);
    CHECK(run.value(name) == "<unset>");
  }
  CHECK(run.value("B") == "after-if");
  CHECK(run.value("I") == "last");
  REQUIRE_FALSE(run.diagnostics.empty());
  CHECK(run.diagnostics[0].text == "if [ -d /opt ]; then ...");
}

TEST_CASE("ksh init: functions are skipped whole", "[ksh]") {
  const auto run = evaluate(
      "f() {\n"
      "  A=1\n"
      "}\n"
      "function g {\n"
      "  B=1\n"
      "}\n"
      "h()\n"
      "{\n"
      "  C=1\n"
      "}\n"
      "D=1\n");
  CHECK(diagnostic_lines(run) == std::vector<std::string>{expected_line(1, Msg::construct_function),
                                                          expected_line(4, Msg::construct_function),
                                                          expected_line(7, Msg::construct_function)});
  CHECK(run.value("A") == "<unset>");
  CHECK(run.value("B") == "<unset>");
  CHECK(run.value("C") == "<unset>");
  CHECK(run.value("D") == "1");
}

TEST_CASE("ksh init: case patterns do not end the command", "[ksh]") {
  const auto run = evaluate(
      "case $TOM_ADMIN in\n"
      "  /opt/*) A=opt ;;\n"
      "  (x|y) A=xy ;;\n"
      "  @(a|b)) A=ab ;&\n"
      "  *) A=other\n"
      "esac\n"
      "B=$(case x in x) echo;; esac)\n"
      "C=1\n");
  CHECK(diagnostic_lines(run) == std::vector<std::string>{expected_line(1, Msg::construct_compound),
                                                          expected_line(7, Msg::construct_command_substitution)});
  CHECK(run.value("A") == "<unset>");
  CHECK(run.value("C") == "1");
}

TEST_CASE("ksh init: pipelines and lists", "[ksh]") {
  for (const std::string text : {"A=1 | cat", "A=1 && B=2", "test -d / || A=1", "A=1 &", "! A=1", "time A=1",
                                 "A=1 |& cat", "A=1 &&\n B=2"}) {
    INFO(text);
    const auto run = evaluate(text + "\nC=1\n");
    CHECK(diagnostic_lines(run) == std::vector<std::string>{expected_line(1, Msg::construct_pipeline)});
    CHECK(run.value("A") == "<unset>");
    CHECK(run.value("C") == "1");
  }
  // An unquoted '&' in a URL sends the first half to the background.
  const auto url = evaluate("URL=http://h/x?a=1&b=2\n");
  CHECK(diagnostic_lines(url) == std::vector<std::string>{expected_line(1, Msg::construct_pipeline)});
  CHECK(url.value("URL") == "<unset>");
  CHECK(url.value("b") == "2");
}

TEST_CASE("ksh init: redirections and here-documents", "[ksh]") {
  const auto run = evaluate(
      "echo x > /tmp/never\n"
      "export A=1 2>/dev/null\n"
      "cat <<EOF\n"
      "B=inside\n"
      "fi ) \"\n"
      "EOF\n"
      "cat <<-'END'\n"
      "\tC=inside\n"
      "\tEND\n"
      "D=after\n");
  CHECK(diagnostic_lines(run) == std::vector<std::string>{expected_line(1, Msg::construct_redirection),
                                                          expected_line(2, Msg::construct_redirection),
                                                          expected_line(3, Msg::construct_redirection),
                                                          expected_line(7, Msg::construct_redirection)});
  CHECK(run.value("A") == "<unset>");
  CHECK(run.value("B") == "<unset>");
  CHECK(run.value("C") == "<unset>");
  CHECK(run.value("D") == "after");
}

TEST_CASE("ksh init: other commands", "[ksh]") {
  const auto run = evaluate(
      "A=1 ls\n"
      "cd /tmp\n"
      "echo \"hello\"\n"
      "readonly TOM_ADMIN\n"
      "alias ll='ls -l'\n"
      "eval B=1\n"
      "$CMD arg\n"
      "exit 0\n"
      "A[1]=x\n"
      "C=(1 2)\n"
      "export D=(x\n y)\n"
      "E=1\n");
  CHECK(diagnostic_lines(run) == std::vector<std::string>{
                                     expected_line(1, Msg::construct_prefix_assignment),
                                     expected_line(2, Msg::construct_command),
                                     expected_line(3, Msg::construct_command),
                                     expected_line(4, Msg::construct_command),
                                     expected_line(5, Msg::construct_command),
                                     expected_line(6, Msg::construct_command),
                                     expected_line(7, Msg::construct_command),
                                     expected_line(8, Msg::construct_command),
                                     expected_line(9, Msg::construct_array),
                                     expected_line(10, Msg::construct_array),
                                     expected_line(11, Msg::construct_array),
                                 });
  REQUIRE(run.diagnostics.size() == 11);
  CHECK(run.diagnostics[2].text == "echo \"hello\"");
  CHECK(run.diagnostics[10].text == "export D=(x ...");
  CHECK(run.value("A") == "<unset>");
  CHECK(run.value("B") == "<unset>");
  CHECK(run.value("E") == "1");
}

TEST_CASE("ksh init: file name patterns in arguments", "[ksh]") {
  const auto run = evaluate("unset TOM*\n. /opt/*.ksh\n. /opt/{a,b}.ksh\nexport A=*\n");
  CHECK(diagnostic_lines(run) == std::vector<std::string>{expected_line(1, Msg::construct_pattern),
                                                          expected_line(2, Msg::construct_pattern),
                                                          expected_line(3, Msg::construct_pattern)});
  CHECK(run.exported("TOM_ADMIN") == "/opt/vtom/admin");
  CHECK(run.exported("A") == "*");
}

// ---------------------------------------------------------------------------------------------
// Syntax errors: ksh93 parses the whole file first, so none of it takes effect.

TEST_CASE("ksh init: syntax errors skip the whole file", "[ksh]") {
  const std::vector<std::tuple<std::string, int, Msg>> cases = {
      {"A=1\nB=\"never closed\nC=3\n", 2, Msg::construct_unterminated_quote},
      {"A=1\nB='never closed\n", 2, Msg::construct_unterminated_quote},
      {"A=1\nB=`never closed\n", 2, Msg::construct_unterminated_quote},
      {"A=1\nB=${never closed\n", 2, Msg::construct_syntax_error},
      {"A=1\nB=$(never closed\n", 2, Msg::construct_syntax_error},
      {"A=1\nfi\n", 2, Msg::construct_syntax_error},
      {"A=1\nif true; then\n  B=2\n", 2, Msg::construct_syntax_error},
      {"A=1\nif true\nB=2\nfi\n", 4, Msg::construct_syntax_error},
      {"A=1\nif true; then\nfi\n", 3, Msg::construct_syntax_error},
      {"A=1;;\n", 1, Msg::construct_syntax_error},
      {"A=1 )\n", 1, Msg::construct_syntax_error},
      {"A=1\n&& B=2\n", 2, Msg::construct_syntax_error},
      {"A=1\nB=2 &&\n", 2, Msg::construct_syntax_error},
      {"A=1\n{ }\n", 2, Msg::construct_syntax_error},
      {"A=1\nfunction h() { :; }\n", 2, Msg::construct_syntax_error},
      {"A=1\nB=a\0b\n"s, 2, Msg::construct_syntax_error},
      {"A=1\ncat <<\n", 2, Msg::construct_syntax_error},
  };
  for (const auto& [text, line, construct] : cases) {
    INFO(visible(text));
    const auto run = evaluate(text);
    CHECK(diagnostic_lines(run) == std::vector<std::string>{expected_line(line, construct)});
    CHECK(run.value("A") == "<unset>");
  }
}

TEST_CASE("ksh init: NUL byte ends a comment", "[ksh]") {
  // ksh93u+m reads what follows the NUL as a new command.
  const auto run = evaluate("A=1 # x\0B=2\nC=3\n"s);
  CHECK(run.value("A") == "1");
  CHECK(run.value("B") == "2");
  CHECK(run.value("C") == "3");
}

// ---------------------------------------------------------------------------------------------
// Includes.

TEST_CASE("ksh init: include resolution", "[ksh]") {
  const auto directory = scratch_directory("include");
  write_file(directory / "main.ksh",
             "export MAIN=1\n"
             ". ./lib/relative.ksh\n"
             "source lib/relative.ksh\n"
             "PATH=bin:$PATH\n"
             ". in_path.ksh\n");
  write_file(directory / "lib" / "relative.ksh", "export RELATIVE=${RELATIVE}x\nreturn\nexport NOT_REACHED=1\n");
  write_file(directory / "bin" / "in_path.ksh", "export IN_PATH=1\nset -a\n");

  CurrentDirectory cwd(directory);
  Evaluation run(base_environment);
  run.shell.source((directory / "main.ksh").string(), run.diagnostics);
  CHECK(run.exported("MAIN") == "1");
  CHECK(run.exported("RELATIVE") == "xx");
  CHECK(run.exported("NOT_REACHED") == "<not exported>");
  CHECK(run.exported("IN_PATH") == "1");
  CHECK(run.diagnostics.empty());

  // set -a left on by an included file stays on.
  run.shell.evaluate("AFTER=1\n", "more.ksh", run.diagnostics);
  CHECK(run.exported("AFTER") == "1");
}

TEST_CASE("ksh init: include errors", "[ksh]") {
  const auto directory = scratch_directory("include-errors");
  write_file(directory / "here.ksh", "export HERE=1\n");
  write_file(directory / "self.ksh", "A=1\n. ./self.ksh\n");
  write_file(directory / "loop_a.ksh", ". ./loop_b.ksh\n");
  write_file(directory / "loop_b.ksh", "\n. " + (directory / "loop_a.ksh").generic_string() + "\n");
  fs::create_directories(directory / "folder");
  CurrentDirectory cwd(directory);

  const auto error_of = [](std::string_view text) -> std::optional<Message> {
    Evaluation run(base_environment);
    try {
      run.shell.evaluate(text, "init.ksh", run.diagnostics);
    } catch (const InitFileError& error) {
      return error.message();
    }
    return std::nullopt;
  };

  SECTION("a name without '/' is searched in PATH only") {
    const auto error = error_of("A=1\n. here.ksh\n");
    REQUIRE(error);
    CHECK(error->id == Msg::init_include_not_found);
    CHECK(error->text(Language::english).rfind("init.ksh:2: included file here.ksh not found", 0) == 0);
  }
  SECTION("PATH unset") {
    const auto error = error_of("unset PATH\n. here.ksh\n");
    REQUIRE(error);
    CHECK(error->id == Msg::init_include_not_found);
  }
  SECTION("empty PATH entry is the current directory") {
    const auto error = error_of("PATH=/nonexistent:\n. here.ksh\n");
    CHECK_FALSE(error);
  }
  SECTION("missing relative path") {
    const auto error = error_of(". ./missing.ksh\n");
    REQUIRE(error);
    CHECK(error->id == Msg::init_include_not_found);
  }
  SECTION("file that includes itself") {
    const auto error = error_of(". ./self.ksh\n");
    REQUIRE(error);
    CHECK(error->id == Msg::init_include_loop);
    CHECK(error->text(Language::english).rfind("./self.ksh:2: '. ./self.ksh' includes ./self.ksh", 0) == 0);
  }
  SECTION("two files that include each other") {
    const auto error = error_of(". ./loop_a.ksh\n");
    REQUIRE(error);
    CHECK(error->id == Msg::init_include_loop);
  }
  SECTION("directory") {
    const auto error = error_of(". ./folder\n");
    REQUIRE(error);
    CHECK(error->id == Msg::init_include_unreadable);
  }
  SECTION("missing top-level file") {
    Evaluation run(base_environment);
    try {
      run.shell.source((directory / "absent.ksh").string(), run.diagnostics);
      FAIL("no InitFileError");
    } catch (const InitFileError& error) {
      CHECK(error.message().id == Msg::init_file_unreadable);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Robustness: every input ends, without a crash, in bounded time.

TEST_CASE("ksh init: hostile inputs", "[ksh]") {
  SECTION("1 MB line") {
    const std::string value(1 << 20, 'v');
    const auto run = evaluate("A=" + value + "\nB=\"" + value + "\"\n");
    CHECK(run.value("A").size() == value.size());
    CHECK(run.value("B").size() == value.size());
  }
  SECTION("deeply nested ${...}") {
    std::string text = "A=";
    for (int i = 0; i < 100000; ++i) {
      text += "${U:-";
    }
    text += "x";
    text += std::string(100000, '}');
    const auto run = evaluate(text + "\nB=1\n");
    CHECK(diagnostic_lines(run) == std::vector<std::string>{expected_line(1, Msg::construct_deep_nesting)});
    CHECK(run.value("B") == "1");
  }
  SECTION("deeply nested $(...) and quotes") {
    std::string text = "A=";
    for (int i = 0; i < 100000; ++i) {
      text += "\"$(";
    }
    for (int i = 0; i < 100000; ++i) {
      text += ")\"";
    }
    const auto run = evaluate(text + "\nB=1\n");
    CHECK(diagnostic_lines(run) == std::vector<std::string>{expected_line(1, Msg::construct_command_substitution)});
    CHECK(run.value("B") == "1");
  }
  SECTION("deeply nested compound commands") {
    std::string text;
    for (int i = 0; i < 10000; ++i) {
      text += "if true; then\n";
    }
    const auto run = evaluate(text + "A=1\n");
    REQUIRE(run.diagnostics.size() == 1);
    CHECK(run.diagnostics[0].construct == Msg::construct_deep_nesting);
    CHECK(run.value("A") == "<unset>");

    const auto parentheses = evaluate(std::string(100000, '(') + "\n");
    CHECK(parentheses.diagnostics.size() == 1);
  }
  SECTION("invalid UTF-8 is kept byte for byte") {
    const auto run = evaluate("A=\xff\xfe\xc3\nB='\xe2\x82'\n");
    CHECK(run.value("A") == "\xff\xfe\xc3");
    CHECK(run.value("B") == "\xe2\x82");
  }
  SECTION("random bytes") {
    const std::string alphabet = "AB=$ {}()[]'\"\\`;&|<>#~:*?!-+%/\n\r\t\0xyz019\xc3\xa9"s;
    std::mt19937 random(12345);
    for (int round = 0; round < 5000; ++round) {
      std::string text;
      const int length = static_cast<int>(random() % 80);
      for (int i = 0; i < length; ++i) {
        text += alphabet[random() % alphabet.size()];
      }
      INFO(visible(text));
      Evaluation run(base_environment);
      try {
        run.shell.evaluate(text, "random.ksh", run.diagnostics);
      } catch (const InitFileError&) {
        // `. name` of a file that does not exist: an expected outcome.
      }
    }
    SUCCEED("5000 random inputs evaluated");
  }
}

TEST_CASE("ksh init: diagnostic text", "[ksh]") {
  const auto run = evaluate("  cd /tmp   # comment\r\nif true\nthen :\nfi\n");
  REQUIRE(run.diagnostics.size() == 2);
  CHECK(run.diagnostics[0].text == "cd /tmp");
  CHECK(run.diagnostics[1].text == "if true ...");
}

TEST_CASE("ksh init: environment names are kept as given", "[ksh]") {
  const auto run = evaluate("A=1\n", {"VTOM-FLAG=kept", "=odd", "PATH=/bin"});
  const auto exported = run.shell.exported();
  CHECK(exported.get("VTOM-FLAG") == std::optional<std::string>("kept"));
  CHECK(exported.variables().size() == 2);  // VTOM-FLAG and PATH; "=odd" has no name

  Environment windows(true);
  windows.set("Path", "C:\\Windows");
  KshInterpreter shell(windows);
  CHECK(shell.exported().case_insensitive_names());
}

TEST_CASE("ksh init: 10000 lines evaluate quickly", "[ksh]") {
  std::string text;
  for (int i = 0; i < 2500; ++i) {
    const std::string n = std::to_string(i);
    text += "V" + n + "=/opt/vtom/" + n + " ; export V" + n + "\n";
    text += "W" + n + "=\"${V" + n + "}/bin:$PATH\" # comment\n";
    text += "export X" + n + "='a b' Y" + n + "=${UNSET:-d}\n";
    text += "typeset -x Z" + n + "=$HOME\n";
  }
  const auto start = std::chrono::steady_clock::now();
  const auto run = evaluate(text);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  const auto milliseconds = std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count();
  INFO("10000 lines took " << milliseconds << " ms");
  CHECK(run.diagnostics.empty());
  CHECK(run.exported("V2499") == "/opt/vtom/2499");
  // A bound far above the measured time (a few ms), to catch quadratic behaviour.
  CHECK(milliseconds < 500);
}

// ---------------------------------------------------------------------------------------------
// Oracle: the corpus against the real ksh93.

#ifndef _WIN32

namespace {

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

// Variables that ksh93 sets or exports on its own.
bool is_ksh_own_variable(const std::string& name) {
  return name == "_" || name == "A__z" || name == "PWD" || name == "OLDPWD" || name == "SHLVL" || name == "_AST_FEATURES";
}

std::string find_ksh() {
  for (const char* candidate : {"/usr/bin/ksh", "/bin/ksh", "/usr/bin/ksh93"}) {
    if (::access(candidate, X_OK) == 0) {
      return candidate;
    }
  }
  return {};
}

struct KshRun {
  int status = -1;
  std::string output;
  std::string errors;
};

// Runs `ksh -c command` in `directory` with exactly `environment`.
KshRun run_ksh(const std::string& ksh, const fs::path& directory, const std::string& command,
               const std::vector<std::string>& environment) {
  KshRun run;
  const fs::path errors_path = fs::path(VTSUBMIT_BINARY_DIR) / "tests" / "ksh-oracle.stderr";
  fs::create_directories(errors_path.parent_path());

  int output[2];
  if (::pipe(output) != 0) {
    return run;
  }
  std::vector<char*> argv = {const_cast<char*>(ksh.c_str()), const_cast<char*>("-c"),
                             const_cast<char*>(command.c_str()), nullptr};
  std::vector<char*> envp;
  for (const auto& entry : environment) {
    envp.push_back(const_cast<char*>(entry.c_str()));
  }
  envp.push_back(nullptr);

  const pid_t pid = ::fork();
  if (pid == 0) {
    const int errors = ::open(errors_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (::chdir(directory.c_str()) != 0 || errors < 0) {
      ::_exit(125);
    }
    ::dup2(output[1], 1);
    ::dup2(errors, 2);
    ::close(output[0]);
    ::execve(ksh.c_str(), argv.data(), envp.data());
    ::_exit(127);
  }
  ::close(output[1]);
  char buffer[65536];
  ssize_t count = 0;
  while ((count = ::read(output[0], buffer, sizeof buffer)) > 0) {
    run.output.append(buffer, static_cast<std::size_t>(count));
  }
  ::close(output[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  run.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  run.errors = read_file(errors_path);
  return run;
}

// Reads `env -0` output into a map.
std::map<std::string, std::string> parse_environment_block(const std::string& block) {
  std::map<std::string, std::string> variables;
  std::size_t start = 0;
  while (start < block.size()) {
    const std::size_t end = std::min(block.find('\0', start), block.size());
    const std::string entry = block.substr(start, end - start);
    const std::size_t equals = entry.find('=', 1);
    if (equals != std::string::npos) {
      variables[entry.substr(0, equals)] = entry.substr(equals + 1);
    }
    start = end + 1;
  }
  return variables;
}

struct CorpusExpectations {
  std::vector<std::string> ignored;   // # oracle-ignore: NAME...
  std::vector<std::string> skipped;   // # oracle-skipped: [FILE:]LINE:CONSTRUCT...
};

CorpusExpectations read_expectations(const fs::path& file) {
  CorpusExpectations expectations;
  std::istringstream lines(read_file(file));
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    std::vector<std::string>* target = nullptr;
    std::string prefix;
    if (line.rfind("# oracle-ignore:", 0) == 0) {
      target = &expectations.ignored;
      prefix = "# oracle-ignore:";
    } else if (line.rfind("# oracle-skipped:", 0) == 0) {
      target = &expectations.skipped;
      prefix = "# oracle-skipped:";
    } else {
      continue;
    }
    std::istringstream items(line.substr(prefix.size()));
    std::string item;
    while (items >> item) {
      target->push_back(item);
    }
  }
  return expectations;
}

// "file:line:English construct" for an expected entry written [FILE:]LINE:CONSTRUCT_ID.
std::string describe_expected(const std::string& item, const std::string& default_file) {
  const auto last = item.rfind(':');
  const auto first = item.find(':');
  const std::string file = first == last ? default_file : item.substr(0, first);
  const std::string line = first == last ? item.substr(0, last) : item.substr(first + 1, last - first - 1);
  const std::string id = item.substr(last + 1);
  const Msg construct = message_by_name(id);
  if (construct == Msg::count_) {
    return "unknown construct id " + id;
  }
  return file + ":" + line + ":" + std::string(message_format(Language::english, construct));
}

std::string describe_actual(const InitDiagnostic& diagnostic) {
  return fs::path(diagnostic.file).filename().string() + ":" + std::to_string(diagnostic.line) + ":" +
         std::string(message_format(Language::english, diagnostic.construct));
}

std::vector<std::string> oracle_environment(const fs::path& corpus) {
  return {"PATH=/usr/bin:/bin", "HOME=/home/vtom",     "TOM_ADMIN=/opt/vtom/admin", "LANG=C.UTF-8",
          "OLD_VAR=old",        "EMPTY_VAR=",          "SPACED=a  b",               "VTOM-FLAG=kept",
          "CORPUS=" + corpus.string()};
}

// Sources `file` with ksh and with KshInterpreter and compares the exported variables.
void check_against_ksh(const std::string& ksh, const fs::path& file, const CorpusExpectations& expectations) {
  const fs::path directory = file.parent_path();
  const auto environment = oracle_environment(directory);

  // The path has no single quote; ksh's own output would otherwise mix with env -0.
  const KshRun reference = run_ksh(ksh, directory, ". '" + file.string() + "' >/dev/null; env -0", environment);
  INFO("ksh stderr: " << reference.errors);
  REQUIRE(reference.status == 0);
  auto expected = parse_environment_block(reference.output);

  Evaluation run(environment);
  {
    CurrentDirectory cwd(directory);
    try {
      run.shell.source(file.string(), run.diagnostics);
    } catch (const InitFileError& error) {
      FAIL("InitFileError: " << error.message().text(Language::english));
    }
  }
  std::map<std::string, std::string> actual;
  const Environment exported = run.shell.exported();
  for (const auto& [name, value] : exported.variables()) {
    actual[name] = value;
  }

  std::vector<std::string> names;
  for (const auto* variables : {&expected, &actual}) {
    for (const auto& [name, value] : *variables) {
      const bool ignored = std::find(expectations.ignored.begin(), expectations.ignored.end(), name) !=
                           expectations.ignored.end();
      if (!ignored && !is_ksh_own_variable(name) && std::find(names.begin(), names.end(), name) == names.end()) {
        names.push_back(name);
      }
    }
  }
  for (const auto& name : names) {
    INFO("variable " << name);
    const auto in_ksh = expected.find(name);
    const auto in_parser = actual.find(name);
    const std::string ksh_value = in_ksh == expected.end() ? "<not exported>" : visible(in_ksh->second);
    const std::string parser_value = in_parser == actual.end() ? "<not exported>" : visible(in_parser->second);
    CHECK(parser_value == ksh_value);
  }

  std::vector<std::string> expected_diagnostics;
  for (const auto& item : expectations.skipped) {
    expected_diagnostics.push_back(describe_expected(item, file.filename().string()));
  }
  std::vector<std::string> actual_diagnostics;
  for (const auto& diagnostic : run.diagnostics) {
    actual_diagnostics.push_back(describe_actual(diagnostic));
  }
  std::sort(expected_diagnostics.begin(), expected_diagnostics.end());
  std::sort(actual_diagnostics.begin(), actual_diagnostics.end());
  CHECK(actual_diagnostics == expected_diagnostics);
}

}  // namespace

TEST_CASE("ksh oracle: corpus files", "[ksh]") {
  const std::string ksh = find_ksh();
  if (ksh.empty()) {
    FAIL("ksh not found in /usr/bin, /bin: the oracle tests need ksh93 (Debian package ksh)");
  }
  const fs::path corpus = fs::path(VTSUBMIT_SOURCE_DIR) / "tests" / "ksh-corpus";
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(corpus)) {
    if (entry.path().extension() == ".ksh") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 15);

  for (const auto& file : files) {
    DYNAMIC_SECTION(file.filename().string()) {
      check_against_ksh(ksh, file, read_expectations(file));
    }
  }
}

TEST_CASE("ksh oracle: generated 10000-line file", "[ksh]") {
  const std::string ksh = find_ksh();
  if (ksh.empty()) {
    FAIL("ksh not found in /usr/bin, /bin: the oracle tests need ksh93 (Debian package ksh)");
  }
  const auto directory = scratch_directory("oracle-generated");
  std::string text = "# Generated: every supported form, 10000 lines.\n";
  for (int i = 0; i < 1000; ++i) {
    const std::string n = std::to_string(i);
    text += "V" + n + "=/opt/vtom/" + n + " ; export V" + n + "\n";
    text += "W" + n + "=\"${V" + n + "}/bin:${W" + n + ":-$TOM_ADMIN}\" # comment\n";
    text += "export X" + n + "='a b$c' Y" + n + "=${UNSET:-d}\n";
    text += "typeset -x Z" + n + "=~/z" + n + "\n";
    text += "H" + n + "=helper ; unset V" + n + "\n";
    text += "export W" + n + "\n";
    text += "LIBPATH=$LIBPATH:/p" + n + " ; export LIBPATH\n";
    text += "\n";
    text += "  # indented comment " + n + "\n";
    text += "export Q" + n + "=\"a\\\"b\" R" + n + "=x\\ y\n";
  }
  write_file(directory / "generated.ksh", text);
  check_against_ksh(ksh, directory / "generated.ksh", {});
}

#endif  // _WIN32
