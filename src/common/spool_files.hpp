#pragma once

// The agent's spool files that `vtsubmit simulate` reads and writes ($ABM_SPOOL):
//   N.env          the job's environment sent by the server, one KEY=value per line
//   N.par          the job's parameters; the agent's format is not documented, vtsubmit reads
//                  one parameter per line
//   job_<IPID>.dmp what tsend writes on a DMZ agent instead of calling the server
// N is the job's IPID, a small integer. The job logs are named after the job and its start time.

#include <ctime>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/messages.hpp"
#include "common/report.hpp"

namespace vtsubmit {

// Invalid or unreadable spool file; the message names the file and the line.
class SpoolFileError : public std::runtime_error {
 public:
  explicit SpoolFileError(Message message) : std::runtime_error("spool file error"), message_(std::move(message)) {}
  const Message& message() const { return message_; }

 private:
  Message message_;
};

// Largest spool file accepted; a real N.env has about 30 short lines.
inline constexpr std::size_t max_spool_file_bytes = 1024 * 1024;

// Parses N.env text: one KEY=value per line, values kept byte for byte (trailing blanks
// included, as in TOM_LOG_ACTION=<3 spaces>), a final CR removed. Empty lines are skipped.
// Throws SpoolFileError for a line without '=' or with an empty name.
std::vector<std::pair<std::string, std::string>> parse_env_file(std::string_view text, const std::string& path);

// Parses N.par text: one parameter per line, a final CR removed. The last line needs no newline.
std::vector<std::string> parse_par_file(std::string_view text);

// Reads and parses a spool file. Throws SpoolFileError.
std::vector<std::pair<std::string, std::string>> load_env_file(const std::string& path);
std::vector<std::string> load_par_file(const std::string& path);

// Returns the IPID in a spool file name ("9" for ".../9.env"), or nullopt when the name does not
// start with digits followed by a dot.
std::optional<std::string> ipid_from_spool_path(const std::string& path);

// Returns a job log name without extension as the agent builds it:
// <ENV>_<APP>_<JOB>_<yymmdd>-<hhmmss>, from the job start time.
std::string job_log_name(const std::string& environment, const std::string& application, const std::string& job,
                         const std::tm& start);

// One tsend report as a DMZ agent stores it.
struct DumpRecord {
  std::string job_id;        // TOM_JOB_ID        -> xid=
  std::string ipid;          // IPID (job_id)     -> bid=
  std::string environment;   // TOM_ENVIRONMENT   -> env=
  std::string application;   // TOM_APPLICATION   -> app=
  std::string job;           // TOM_JOB           -> job=
  std::string host;          // TOM_HOST          -> host=
  long code = 0;             // tsend -r          -> ret=
  std::string message;       // tsend -m          -> mes=
  JobStatus status = JobStatus::finished;   // -> sta=
  std::tm end{};             // local end time    -> end=
};

// Formats `end=` as the documented dump does: day-month-(years since 1900) hh:mm:ss, so
// 2 June 2025 12:28:24 is "02-06-125 12:28:24".
std::string format_dump_time(const std::tm& time);

// Returns the text of job_<IPID>.dmp: the "--- tsend ---" header, then one key=value per line.
std::string dump_text(const DumpRecord& record);

}  // namespace vtsubmit
