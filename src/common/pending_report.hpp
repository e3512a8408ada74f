#pragma once

// Pending reports: the job's final tsend call, kept on disk until tsend accepts it.
//
// Before the first tsend attempt, report_end() writes the call (tsend arguments and the job's
// environment, which tsend reads to identify the job) to <pending folder>/<name>.pending,
// through a temporary file that is flushed to disk and then renamed. The file is removed once
// tsend exits with 0. If every attempt fails, or vtsubmit dies before tsend succeeded, the file
// stays, and is sent again by the next vtsubmit on the agent whose own tsend succeeds, or by
// `vtsubmit --resend-pending`.
//
// The process that writes or resends a pending file keeps an exclusive lock on it while it works
// on it, so two processes never send the same report at the same time. On POSIX the lock is a
// flock, which the kernel releases when the process dies. On Windows it is a handle that shares
// only deletion.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "common/environment.hpp"
#include "common/log.hpp"

namespace vtsubmit {

// One tsend call to make.
struct PendingReport {
  std::vector<std::string> tsend_arguments;   // -sT|-sE, -r<code>, -m<message>
  std::vector<std::string> environment;       // "NAME=value": tsend's whole environment
};

// Serializes a report as text: a header line, then one "arg " or "env " line per item, with
// backslash, line feed and carriage return escaped as \\, \n and \r.
std::string format_pending_report(const PendingReport& report);

// Parses format_pending_report's text; nullopt when the text is not a complete pending report.
std::optional<PendingReport> parse_pending_report(std::string_view text);

// Folder of the pending reports: [tsend] pending_dir when set (variables expanded), else
// $ABM_SPOOL/vtsubmit-pending, else vtsubmit-pending in the system's temporary folder.
std::string pending_folder(const std::string& configured, const Environment& environment);

// Folder that takes a pending report when its own folder cannot: vtsubmit-pending in the system's
// temporary folder. Empty when the system has no temporary folder.
std::string fallback_pending_folder();

// Retry settings of tsend: [tsend] attempts, retry_delay and retry_delay_max.
struct RetryPolicy {
  int attempts = 5;                   // tsend runs at most this many times (at least 1)
  int first_delay_seconds = 5;        // wait after the first failure, doubled after each failure
  int max_delay_seconds = 60;         // cap of that wait
};

// Returns the wait before attempt `attempt` (2 is the first retry): capped exponential backoff.
std::chrono::seconds retry_delay(const RetryPolicy& policy, int attempt);

// Largest environment entry passed to tsend after an E2BIG: Linux rejects an exec when one entry
// exceeds 128 KiB (MAX_ARG_STRLEN), and tsend needs only the short job variables.
inline constexpr std::size_t max_helper_entry_bytes = 32 * 1024;

// Returns `environment` without the entries longer than max_helper_entry_bytes, and appends the
// names of the removed variables to `removed`.
std::vector<std::string> without_large_entries(const std::vector<std::string>& environment,
                                               std::vector<std::string>& removed);

// Largest pending file read back; a report is one tsend call and one environment.
inline constexpr std::size_t max_pending_file_bytes = 4 * 1024 * 1024;

// Maximum number of other jobs' pending reports resent after one successful tsend. The rest waits
// for the next job, so that a backlog does not keep one job's vtsubmit running for long.
inline constexpr int max_resends_per_job = 16;

// Resends the pending reports of `folder`, oldest first, one tsend attempt each, skipping the
// ones another process has locked or another user owns. Writes one line per report to the log
// and returns the counts. `limit` < 0 means no limit.
struct ResendSummary {
  int sent = 0;
  int failed = 0;
};
ResendSummary resend_pending_reports(Log& log, const std::string& folder, const Environment& current_environment,
                                     std::chrono::seconds timeout, int limit);

// `vtsubmit --resend-pending [QUEUE_FILE]`: resends every pending report of the queue's folder
// (the default folder without a queue file), then of the fallback folder. Returns 0 when no
// report failed, 1 when one failed, 2 for a usage or queue-file error. Reports it may not send
// are skipped and do not count.
int run_resend_pending(const std::vector<std::string>& args);

namespace platform {

// An open pending file, locked by this process.
struct PendingFileLock {
  std::intptr_t handle = -1;   // a file descriptor on POSIX, a HANDLE on Windows
};

// Writes `contents` to `path` through a temporary file in the same folder (flushed to disk,
// then renamed over `path`), and keeps the file open and locked in `lock`.
std::error_code write_pending_file(const std::string& path, std::string_view contents, PendingFileLock& lock);

// Opens and locks an existing pending file without waiting, and reads it. Returns false when
// another process has locked it, when it vanished, or when another user owns it or can write to
// it, since its environment is what the helper program will run with.
bool claim_pending_file(const std::string& path, PendingFileLock& lock, std::string& contents);

// Removes the file of a held lock, then releases it.
std::error_code remove_pending_file(const std::string& path, PendingFileLock& lock);

// Releases the lock; the file stays.
void release_pending_file(PendingFileLock& lock);

// Creates the folder (and its parents) if missing. A folder it creates is writable by every
// user with the sticky bit (POSIX), like the agent's spool, because jobs of several users share it.
std::error_code create_pending_folder(const std::string& path);

}  // namespace platform

}  // namespace vtsubmit
