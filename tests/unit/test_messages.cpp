#include <catch2/catch.hpp>

#include <ctime>
#include <set>

#include "common/context_block.hpp"
#include "common/environment.hpp"
#include "common/expand.hpp"
#include "common/language.hpp"
#include "common/messages.hpp"

using namespace vtsubmit;

TEST_CASE("catalogue has both languages for every message", "[messages]") {
  for (int i = 0; i < static_cast<int>(Msg::count_); ++i) {
    const auto id = static_cast<Msg>(i);
    INFO("message #" << i);
    CHECK_FALSE(message_format(Language::english, id).empty());
    CHECK_FALSE(message_format(Language::french, id).empty());
  }
}

TEST_CASE("catalogue placeholders match between languages", "[messages]") {
  // Formatting with many arguments must not fail, and both languages must use the same fields.
  const std::vector<std::string> args{"A0", "A1", "A2", "A3", "A4", "A5"};
  for (int i = 0; i < static_cast<int>(Msg::count_); ++i) {
    const auto id = static_cast<Msg>(i);
    const auto english = translate(Language::english, id, args);
    const auto french = translate(Language::french, id, args);
    std::set<std::string> english_fields;
    std::set<std::string> french_fields;
    for (const auto& arg : args) {
      if (english.find(arg) != std::string::npos) english_fields.insert(arg);
      if (french.find(arg) != std::string::npos) french_fields.insert(arg);
    }
    INFO("message #" << i << ": " << english << " / " << french);
    CHECK(english_fields == french_fields);
    const bool no_field_left = english.find('{') == std::string::npos;
    const bool escaped_brace = message_format(Language::english, id).find("{{") != std::string::npos;
    CHECK((no_field_left || escaped_brace));
  }
}

TEST_CASE("standard strings are exact", "[messages]") {
  CHECK(tr(Language::english, Msg::tsend_finished, "0") == "Job finished (0)");
  CHECK(tr(Language::french, Msg::tsend_finished, "0") == "Traitement termine (0)");
  CHECK(tr(Language::english, Msg::tsend_in_error, "3") == "Job in error (3)");
  CHECK(tr(Language::french, Msg::tsend_in_error, "3") == "Traitement en erreur (3)");
  CHECK(tr(Language::english, Msg::tsend_test_mode) == "Job finished (TEST mode)");
  CHECK(tr(Language::french, Msg::tsend_test_mode) == "Traitement termine (mode TEST)");
  CHECK(tr(Language::english, Msg::exit_acknowledged, "0") == "--> Exit [0] then acknowledgment");
  CHECK(tr(Language::english, Msg::exit_not_acknowledged, "2") == "--> Exit [2] then no acknowledgment");
  CHECK(tr(Language::english, Msg::not_submitted_by_vtom) == "--> Job not submitted by a Visual TOM engine");
  CHECK(tr(Language::english, Msg::context_title) == "Visual TOM context of the job");
  CHECK(tr(Language::french, Msg::context_title) == "Contexte Visual TOM du traitement");
  CHECK(tr(Language::english, Msg::test_mode) == "Job in TEST mode");
  CHECK(tr(Language::english, Msg::begin_of_script) == "Begin of the script...");
  CHECK(tr(Language::english, Msg::end_of_script) == "End of the script.");
}

TEST_CASE("nested message arguments are translated", "[messages]") {
  const Message message{Msg::tsend_submitter_error, {"125", Msg::reason_queue_file}};
  CHECK(message.text(Language::english) == "Job in error (125): invalid queue file");
  CHECK(message.text(Language::french) == "Traitement en erreur (125) : fichier de queue invalide");
}

TEST_CASE("language follows POSIX locale precedence", "[messages]") {
  const auto language = [](std::vector<std::string> entries) {
    return language_from_environment(Environment::from_entries(entries));
  };
  CHECK(language({}) == Language::english);
  CHECK(language({"LANG=fr_FR.UTF-8"}) == Language::french);
  CHECK(language({"LANG=fr_FR.UTF-8", "LC_MESSAGES=en_US.UTF-8"}) == Language::english);
  CHECK(language({"LANG=en_US.UTF-8", "LC_ALL=fr_CA.UTF-8"}) == Language::french);
  CHECK(language({"LANG=fr_FR.UTF-8", "LC_ALL="}) == Language::french);
  CHECK(language({"LANG=C"}) == Language::english);
  CHECK(parse_language("fr") == Language::french);
  CHECK_FALSE(parse_language("FR").has_value());
}

TEST_CASE("date line follows the date command layout", "[messages]") {
  std::tm time{};
  time.tm_year = 2012 - 1900;
  time.tm_mon = 7;
  time.tm_mday = 31;
  time.tm_wday = 5;
  time.tm_hour = 4;
  time.tm_min = 29;
  time.tm_sec = 58;
  CHECK(format_date_line(Language::french, time) == "vendredi 31/08/2012 - 04:29:58");
  CHECK(format_date_line(Language::english, time) == "Friday 31/08/2012 - 04:29:58");
}

TEST_CASE("context block layout", "[messages]") {
  const auto env = Environment::from_entries({"TOM_JOB=JOB_OK", "TOM_JOB_ID=-2", "job_id=9", "TOM_SCRIPT=env | sort",
                                              "TOM_HOST=agent1", "TOM_JOB_EXEC=NORMAL"});
  const ContextInput input{&env, {"a b", "", "--x\n"}, {"/opt/vtom/admin/vtom_init.ksh"}, "vtom", "host"};
  const auto lines = context_block_lines(Language::english, input);
  REQUIRE(lines.size() > 5);
  CHECK(lines[0] == std::string(71, '_'));
  CHECK(lines[1] == "Visual TOM context of the job");
  CHECK(lines[2] == " ");
  const auto has = [&](const std::string& line) {
    return std::find(lines.begin(), lines.end(), line) != lines.end();
  };
  CHECK(has("Host                : agent1"));
  CHECK(has("User                : vtom"));
  CHECK(has("Script              : env | sort"));
  CHECK(has("Job                 : JOB_OK"));
  CHECK(has("Job ID              : -2"));
  CHECK(has("IPID                : 9"));
  CHECK(has("Init file           : /opt/vtom/admin/vtom_init.ksh"));
  CHECK(has("Parameters          : 3"));
  CHECK(has("Parameter 1         : a b"));
  CHECK(has("Parameter 2         : "));
  CHECK(has("Parameter 3         : --x\\n"));

  const auto french = context_block_lines(Language::french, input);
  CHECK(std::find(french.begin(), french.end(), "Traitement          : JOB_OK") != french.end());
  CHECK(std::find(french.begin(), french.end(), "Parametre 1         : a b") != french.end());
}

TEST_CASE("banners have the standard shape", "[messages]") {
  const auto start = start_banner_lines(Language::english, "DATE");
  CHECK(start == std::vector<std::string>{std::string(71, '_'), "DATE", "Begin of the script...", std::string(71, '_'), " "});
  const auto end = end_banner_lines(Language::french, "DATE");
  CHECK(end == std::vector<std::string>{std::string(71, '_'), "DATE", "Fin de l'execution du script.", " "});
}

TEST_CASE("queue value expansion", "[messages]") {
  const auto env = Environment::from_entries({"HOME=/home/vtom", "TOM_ADMIN=/opt/vtom/admin", "EMPTY="});
  CHECK(expand_variables("$TOM_ADMIN/vtom_init.ksh", env) == "/opt/vtom/admin/vtom_init.ksh");
  CHECK(expand_variables("${HOME}x", env) == "/home/vtomx");
  CHECK(expand_variables("$HOMEx", env) == "");
  CHECK(expand_variables("a$UNSET-b", env) == "a-b");
  CHECK(expand_variables("cost $$5 and $", env) == "cost $5 and $");
  CHECK(expand_variables("$1/x", env) == "$1/x");
  CHECK_THROWS_AS(expand_variables("${HOME", env), std::invalid_argument);
}

TEST_CASE("environment diff and case rules", "[messages]") {
  const auto before = Environment::from_entries({"A=1", "B=2", "C=3"});
  auto after = before;
  after.set("A", "10");
  after.erase("B");
  after.set("D", "4");
  const auto changes = diff_environments(before, after);
  REQUIRE(changes.size() == 3);
  CHECK(changes[0].name == "A");
  CHECK(changes[0].kind == EnvironmentChange::Kind::changed);
  CHECK(changes[1].name == "D");
  CHECK(changes[1].kind == EnvironmentChange::Kind::added);
  CHECK(changes[2].name == "B");
  CHECK(changes[2].kind == EnvironmentChange::Kind::removed);

  auto windows = Environment::from_entries({"Path=C:\\x", "=C:=C:\\dir"}, true);
  CHECK(windows.get_or("PATH") == "C:\\x");
  CHECK(windows.get_or("=C:") == "C:\\dir");
  windows.set("PATH", "y");
  CHECK(windows.variables().size() == 2);
  CHECK(windows.variables().begin()->first == "=C:");
}
