// The vtom_init.bat parser against the real cmd.exe (Wine's, under the cross build): each file
// of tests/bat-corpus is run by `cmd /d /u /s /c "call "FILE" >nul 2>&1 & set"` and evaluated by
// BatInterpreter from the same start environment, and the two variable sets must be equal.

#include <catch2/catch.hpp>

#include <map>

#include "common/bat_init.hpp"
#include "common/platform.hpp"
#include "win32_test_support.hpp"

using namespace vtsubmit;
using namespace vtsubmit::test;

namespace {

// The start environment: what a service would pass, plus variables the corpus reads.
std::vector<std::string> start_environment() {
  std::vector<std::string> entries;
  for (const char* name : {"SystemRoot", "SystemDrive", "windir", "ComSpec", "PATHEXT", "TEMP", "TMP"}) {
    if (const auto value = platform::current_environment().get(name)) {
      entries.push_back(std::string(name) + "=" + *value);
    }
  }
  entries.push_back("PATH=C:\\windows\\system32;C:\\windows");
  entries.push_back("TOM_FROM_AGENT=agent value");
  return entries;
}

// Runs cmd with `command` after /c and returns the variables `set` printed (UTF-16LE with /u).
std::map<std::string, std::string, VariableNameLess> cmd_variables(const std::string& command) {
  TempDir directory;
  const auto cmd = win32::narrow(win32::system_cmd_exe());
  const auto environment = start_environment();
  const auto run = run_process(cmd, "\"" + cmd + "\" /d /u /s /c \"" + command + "\"", &environment, directory);
  REQUIRE(run.started);
  std::wstring text(reinterpret_cast<const wchar_t*>(run.out.data()), run.out.size() / sizeof(wchar_t));
  std::map<std::string, std::string, VariableNameLess> variables(VariableNameLess{true});
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find(L"\r\n", start);
    if (end == std::wstring::npos) {
      end = text.size();
    }
    const auto line = win32::narrow(text.substr(start, end - start));
    const auto equals = line.find('=', 1);
    if (equals != std::string::npos) {
      variables[line.substr(0, equals)] = line.substr(equals + 1);
    }
    start = end + 2;
  }
  return variables;
}

void check_corpus_file(const std::string& name) {
  const auto file = source_path("tests/bat-corpus/" + name);
  const auto before = cmd_variables("set");
  const auto after = cmd_variables("call \"" + file + "\" >nul 2>&1 & set");
  // Each corpus file sets variables, so an empty difference means cmd did not run it.
  REQUIRE(after.size() > before.size());

  Environment start(true);
  for (const auto& [variable, value] : before) {
    start.set(variable, value);
  }
  BatInterpreter interpreter(start, platform::decode_code_page);
  std::vector<InitDiagnostic> diagnostics;
  interpreter.source(file, diagnostics);
  for (const auto& diagnostic : diagnostics) {
    UNSCOPED_INFO(diagnostic.file << ":" << diagnostic.line << ": " << diagnostic.text);
  }
  CHECK(diagnostics.empty());

  const auto& parsed = interpreter.environment().variables();
  for (const auto& [variable, value] : after) {
    INFO("cmd: " << variable << "=[" << value << "]");
    const auto found = parsed.find(variable);
    REQUIRE(found != parsed.end());
    CHECK(found->second == value);
  }
  for (const auto& [variable, value] : parsed) {
    INFO("parser only: " << variable << "=[" << value << "]");
    CHECK(after.count(variable) == 1);
  }
}

}  // namespace

TEST_CASE("bat oracle basic set forms", "[win32][bat]") {
  check_corpus_file("basic.bat");
}

TEST_CASE("bat oracle vendor style", "[win32][bat]") {
  check_corpus_file("vendor.bat");
}

TEST_CASE("bat oracle scopes and if", "[win32][bat]") {
  check_corpus_file("scope.bat");
}

TEST_CASE("bat oracle set arithmetic", "[win32][bat]") {
  check_corpus_file("arith.bat");
}

TEST_CASE("bat oracle call of another file", "[win32][bat]") {
  check_corpus_file("call_main.bat");
}
