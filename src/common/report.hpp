#pragma once

#include <string>

#include "common/environment.hpp"
#include "common/log.hpp"
#include "common/pending_report.hpp"
#include "common/queue_file.hpp"

namespace vtsubmit {

// Job status letters of tsend: T (terminé, acknowledged) and E (en erreur).
enum class JobStatus { finished, in_error };

// Settings of the report step: the job's environment after the init files, the timeout of each
// tsend attempt, the retry policy and the pending-report folder ([tsend] pending_dir, unexpanded).
struct ReportSettings {
  const Environment* environment = nullptr;
  int timeout_seconds = 60;
  RetryPolicy retry;
  std::string pending_dir;
};

// Returns the report settings of a queue file, for the job's environment.
ReportSettings report_settings(const QueueConfig& config, const Environment& environment);

// Sends the job's end to the server with `$ABM_BIN/tsend -s<T|E> -r<code> -m<message>`, then runs
// `$ABM_BIN/vtgestlog` when present and `$TOM_ADMIN/gestlog` when TOM_LOG_ACTION requests it.
// The tsend call is saved as a pending report first (see pending_report.hpp) and retried with
// capped exponential backoff when tsend fails or times out; after a successful tsend, pending
// reports of earlier jobs are sent too. A failure of any of them is written to the log; it never
// changes the job's status letter or exit code.
// Returns true when tsend ran and exited with 0.
bool report_end(Log& log, const ReportSettings& settings, JobStatus status, long code, const std::string& message);

// Runs `$ABM_BIN/vtgestlog` when present and `$TOM_ADMIN/gestlog` when TOM_LOG_ACTION requests
// it. A failure is written to the log as a warning.
void run_log_programs(Log& log, const ReportSettings& settings);

// True when TOM_LOG_ACTION contains a non-space character, so the job's log options request gestlog.
bool log_action_requested(const Environment& environment);

}  // namespace vtsubmit
