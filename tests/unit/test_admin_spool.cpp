// Unit tests of the spool files that `vtsubmit simulate` reads and writes, and of the files
// that install-queue plans.

#include <catch2/catch.hpp>

#include <algorithm>

#include <filesystem>

#include "common/platform.hpp"
#include "common/queue_file.hpp"
#include "common/queue_install.hpp"
#include "common/spool_files.hpp"

using namespace vtsubmit;

TEST_CASE("env file keeps values byte for byte", "[admin]") {
  const auto variables = parse_env_file("TOM_JOB_ID=-2\r\nTOM_SCRIPT=print(\"bonjour\")\nTOM_LOG_ACTION=   \n\nTOM_FAMILY=\nA=b=c", "9.env");
  REQUIRE(variables.size() == 5);
  CHECK(variables[0] == std::pair<std::string, std::string>{"TOM_JOB_ID", "-2"});
  CHECK(variables[1].second == "print(\"bonjour\")");
  CHECK(variables[2].second == "   ");
  CHECK(variables[3].second.empty());
  CHECK(variables[4] == std::pair<std::string, std::string>{"A", "b=c"});
}

TEST_CASE("env file rejects a line without name", "[admin]") {
  try {
    parse_env_file("A=1\nnot a variable\n", "9.env");
    FAIL("the line was accepted");
  } catch (const SpoolFileError& error) {
    CHECK(error.message().id == Msg::spool_env_bad_line);
    CHECK(error.message().text(Language::english) == "9.env:2: expected KEY=value, found 'not a variable'. Fix the line or remove it.");
  }
  CHECK_THROWS_AS(parse_env_file("=x\n", "9.env"), SpoolFileError);
}

TEST_CASE("par file one parameter per line", "[admin]") {
  CHECK(parse_par_file("alpha\r\nTEST ESPACE\n\n--client \"anakin\"\n") ==
        std::vector<std::string>{"alpha", "TEST ESPACE", "", "--client \"anakin\""});
  CHECK(parse_par_file("").empty());
  CHECK(parse_par_file("last") == std::vector<std::string>{"last"});
}

TEST_CASE("ipid from spool file name", "[admin]") {
  CHECK(ipid_from_spool_path("/opt/vtom/abm/spool/9.env") == "9");
  CHECK(ipid_from_spool_path("123.par") == "123");
  CHECK_FALSE(ipid_from_spool_path("job.env"));
  CHECK_FALSE(ipid_from_spool_path("9"));
  CHECK_FALSE(ipid_from_spool_path("/spool/9x.env"));
}

TEST_CASE("job log name as the agent builds it", "[admin]") {
  std::tm start{};
  start.tm_year = 115;   // 2015
  start.tm_mon = 7;
  start.tm_mday = 7;
  start.tm_hour = 11;
  start.tm_min = 41;
  start.tm_sec = 15;
  CHECK(job_log_name("TEST", "APP", "JOB_OK", start) == "TEST_APP_JOB_OK_150807-114115");
}

TEST_CASE("dmz dump matches the documented example", "[admin]") {
  DumpRecord record;
  record.job_id = "-2";
  record.ipid = "9";
  record.environment = "exploitation";
  record.application = "demo";
  record.job = "bonjour";
  record.host = "vtom-agent";
  record.code = 0;
  record.message = "Job finished (0)";
  record.status = JobStatus::finished;
  record.end.tm_year = 125;   // 2025
  record.end.tm_mon = 5;      // June
  record.end.tm_mday = 2;
  record.end.tm_hour = 12;
  record.end.tm_min = 28;
  record.end.tm_sec = 24;

  CHECK(format_dump_time(record.end) == "02-06-125 12:28:24");
  CHECK(dump_text(record) ==
        "--- tsend ---\nxid=-2\nbid=9\nenv=exploitation\napp=demo\njob=bonjour\nhost=vtom-agent\nret=0\n"
        "mes=Job finished (0)\nsta=TERMINE\nend=02-06-125 12:28:24\n");

  record.status = JobStatus::in_error;
  record.code = 3;
  CHECK(dump_text(record).find("\nret=3\n") != std::string::npos);
  CHECK(dump_text(record).find("\nsta=EN_ERREUR\n") != std::string::npos);
}

TEST_CASE("install plan lists the queue files", "[admin]") {
  QueueInstallRequest request;
  request.tom_home = "/opt/vtom";
  request.name = "python3";
  request.max_jobs = 30;
  request.interpreter = {"/usr/bin/python3", "-u"};
  request.vtsubmit_path = "/usr/bin/vtsubmit";
  const auto plan = plan_queue_install(request);

  // On Windows "/opt/vtom" becomes absolute on the current drive.
  const auto home = std::filesystem::absolute("/opt/vtom");
  const auto program = (home / "abm" / "bin" / platform::queue_program_file_name("python3")).string();
  REQUIRE(plan.files.size() == 4);
  CHECK(std::filesystem::path(plan.queue_directory) == home / "abm/config/queues/queue_python3");
  CHECK(std::filesystem::path(plan.files[0].path) == home / "abm/config/queues/queue_python3/queue.conf");
  CHECK(plan.files[0].content == "queue_python3\n30\n-1\n" + program + "\n20\n");
  CHECK(plan.files[1].content == "any:-1:-1\n");
  CHECK(plan.files[2].kind == QueueFile::Kind::program_link);
  CHECK(plan.files[2].content == "/usr/bin/vtsubmit");
  CHECK(std::filesystem::path(plan.files[3].path) == home / "admin/tom_submit.python3");

  // The template is a valid queue file with the interpreter set.
  const auto config = parse_queue_file(plan.files[3].content, plan.files[3].path);
  CHECK(config.interpreter == std::vector<std::string>{"/usr/bin/python3", "-u"});
  request.language = Language::french;
  CHECK(parse_queue_file(queue_file_template(request), "fr").interpreter.size() == 2);
  request.interpreter = {"C:\\Python\\python.exe"};
  CHECK(parse_queue_file(queue_file_template(request), "q").interpreter == std::vector<std::string>{"C:\\Python\\python.exe"});
  request.interpreter.clear();
  CHECK(parse_queue_file(queue_file_template(request), "q").interpreter.empty());
}

TEST_CASE("install request validation", "[admin]") {
  QueueInstallRequest request;
  request.tom_home = "/nonexistent-vtsubmit-home";
  request.name = "../x";
  request.max_jobs = 0;
  const auto problems = validate_queue_request(request);
  auto count = [&](Msg id) {
    return std::count_if(problems.begin(), problems.end(), [&](const Message& m) { return m.id == id; });
  };
  CHECK(count(Msg::install_bad_name) == 1);
  CHECK(count(Msg::install_bad_max_jobs) == 1);
  CHECK(count(Msg::install_folder_missing) == 3);
  CHECK(count(Msg::install_vtsubmit_missing) == 1);
}
