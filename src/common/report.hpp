#pragma once

#include <string>

#include "common/environment.hpp"
#include "common/log.hpp"

namespace vtsubmit {

// Job status letters of tsend: T (terminé, acknowledged) and E (en erreur).
enum class JobStatus { finished, in_error };

// What the report step needs: the job's environment after the init files and the tsend timeout.
struct ReportSettings {
  const Environment* environment = nullptr;
  int timeout_seconds = 60;
};

// Sends the job's end to the server with `$ABM_BIN/tsend -s<T|E> -r<code> -m<message>`, then runs
// `$ABM_BIN/vtgestlog` when present and `$TOM_ADMIN/gestlog` when TOM_LOG_ACTION asks for it.
// A failure of any of them is written to the log; it never changes the job's exit code.
// Returns true when tsend ran and exited with 0.
bool report_end(Log& log, const ReportSettings& settings, JobStatus status, long code, const std::string& message);

// True when TOM_LOG_ACTION holds a non-space character: the job's log options ask for gestlog.
bool log_action_requested(const Environment& environment);

}  // namespace vtsubmit
