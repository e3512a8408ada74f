#include "common/report.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <stdexcept>
#include <thread>

#include "common/platform.hpp"

namespace vtsubmit {

namespace {

std::string status_argument(JobStatus status) {
  return status == JobStatus::finished ? "-sT" : "-sE";
}

std::string describe_call(const std::vector<std::string>& args) {
  std::string text;
  for (const auto& arg : args) {
    text += text.empty() ? "" : " ";
    text += arg;
  }
  return text;
}

// Outcome of one tsend attempt. `retry` is false when another attempt cannot succeed.
struct Attempt {
  bool sent = false;
  bool retry = false;
};

Attempt try_tsend(Log& log, const ReportSettings& settings, const std::vector<std::string>& args) {
  const Environment& env = *settings.environment;
  const auto call = describe_call(args);
  if (!env.has_value("ABM_BIN")) {
    log.error({Msg::abm_bin_unset, {call}});
    return {};
  }

  const auto tsend = platform::program_path(env.get_or("ABM_BIN"), "tsend");
  const auto timeout = std::chrono::seconds(settings.timeout_seconds);
  auto result = platform::run_helper(tsend, args, env.entries(), timeout);
  if (!result.started && result.start_error == std::errc::argument_list_too_long) {
    // A huge variable from the init files must not cost the job its report.
    std::vector<std::string> removed;
    const auto reduced = without_large_entries(env.entries(), removed);
    log.warning({Msg::tsend_environment_reduced, {describe_call(removed), std::to_string(max_helper_entry_bytes)}});
    result = platform::run_helper(tsend, args, reduced, timeout);
  }
  if (!result.started && result.start_error == std::errc::no_such_file_or_directory) {
    log.error({Msg::tsend_missing, {tsend, call}});
    return {};
  }
  if (!result.started) {
    log.error({Msg::tsend_not_started, {tsend, result.start_error.message(), call}});
    return {};
  }
  if (result.timed_out) {
    log.error({Msg::tsend_timed_out, {call, std::to_string(settings.timeout_seconds)}});
    return {false, true};
  }
  if (result.exit_code != 0) {
    log.error({Msg::tsend_failed, {call, std::to_string(result.exit_code)}});
    return {false, true};
  }
  return {true, false};
}

// Runs tsend until it succeeds, it cannot succeed (no ABM_BIN, no tsend), or the attempts run out.
bool send_tsend(Log& log, const ReportSettings& settings, const std::vector<std::string>& args) {
  const int attempts = std::max(settings.retry.attempts, 1);
  for (int attempt = 1;; ++attempt) {
    const auto outcome = try_tsend(log, settings, args);
    if (outcome.sent) {
      return true;
    }
    if (!outcome.retry || attempt >= attempts) {
      return false;
    }
    const auto delay = retry_delay(settings.retry, attempt + 1);
    log.warning({Msg::tsend_retrying, {std::to_string(attempt), std::to_string(attempts), std::to_string(delay.count())}});
    log.flush();
    std::this_thread::sleep_for(delay);
  }
}

// A pending report written for this job, with where it went.
struct SavedReport {
  std::string folder;
  std::string path;
  platform::PendingFileLock lock;
  bool saved = false;
};

// Returns a file name unique to this job run: its ids, the time and a random part.
std::string pending_file_name(const Environment& env) {
  std::string name = "job";
  for (const char* variable : {"TOM_JOB_ID", "job_id"}) {
    name += '_';
    for (const char c : env.get_or(variable)) {
      const bool plain = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
      name += plain ? c : '_';
    }
  }
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::system_clock::now().time_since_epoch()).count();
  std::random_device random;
  char suffix[32];
  std::snprintf(suffix, sizeof suffix, "_%lld_%08x", static_cast<long long>(now), random());
  return name + suffix + ".pending";
}

// Writes the pending report before the first tsend attempt: in the configured or default
// folder, else in the temporary folder. A failure is a warning, because tsend may still work.
SavedReport save_pending_report(Log& log, const ReportSettings& settings, const std::vector<std::string>& args) {
  const Environment& env = *settings.environment;
  SavedReport saved;
  std::vector<std::string> folders;
  try {
    folders.push_back(pending_folder(settings.pending_dir, env));
  } catch (const std::invalid_argument&) {
    log.warning({Msg::expand_unterminated, {"[tsend] pending_dir", settings.pending_dir}});
  }
  const auto fallback = fallback_pending_folder();
  if (!fallback.empty() && (folders.empty() || folders.front() != fallback)) {
    folders.push_back(fallback);
  }

  const auto contents = format_pending_report({args, env.entries()});
  const auto name = pending_file_name(env);
  for (const auto& folder : folders) {
    auto error = platform::create_pending_folder(folder);
    const auto path = (std::filesystem::path(folder) / name).string();
    if (!error) {
      error = platform::write_pending_file(path, contents, saved.lock);
    }
    if (!error) {
      saved.folder = folder;
      saved.path = path;
      saved.saved = true;
      return saved;
    }
    if (&folder != &folders.back()) {
      log.warning({Msg::pending_not_saved_trying, {folder, error.message(), folders.back()}});
    } else {
      log.warning({Msg::pending_not_saved, {folder, error.message()}});
    }
  }
  return saved;
}

// Runs an optional log-management program; a missing program is not an error.
void run_log_program(Log& log, const ReportSettings& settings, const std::string& program) {
  std::error_code error;
  // The path is UTF-8; a u8string path keeps non-ASCII folder names intact on Windows too.
  if (!std::filesystem::is_regular_file(std::filesystem::path(std::u8string(program.begin(), program.end())), error)) {
    return;
  }
  const auto result = platform::run_helper(program, {}, settings.environment->entries(),
                                           std::chrono::seconds(settings.timeout_seconds));
  if (!result.started) {
    log.warning({Msg::spawn_failed, {program, result.start_error.message()}});
  } else if (result.timed_out) {
    log.warning({Msg::helper_timed_out, {program, std::to_string(settings.timeout_seconds)}});
  } else if (result.exit_code != 0) {
    log.warning({Msg::helper_failed, {program, std::to_string(result.exit_code)}});
  }
}

}  // namespace

ReportSettings report_settings(const QueueConfig& config, const Environment& environment) {
  ReportSettings settings;
  settings.environment = &environment;
  settings.timeout_seconds = config.tsend_timeout_seconds;
  settings.retry.attempts = config.tsend_attempts;
  settings.retry.first_delay_seconds = config.tsend_retry_delay_seconds;
  settings.retry.max_delay_seconds = config.tsend_retry_delay_max_seconds;
  settings.pending_dir = config.pending_dir;
  return settings;
}

bool log_action_requested(const Environment& environment) {
  const auto action = environment.get_or("TOM_LOG_ACTION");
  return action.find_first_not_of(' ') != std::string::npos;
}

bool report_end(Log& log, const ReportSettings& settings, JobStatus status, long code, const std::string& message) {
  log.flush();
  const Environment& env = *settings.environment;
  const std::vector<std::string> args{status_argument(status), "-r" + std::to_string(code), "-m" + message};
  auto pending = save_pending_report(log, settings, args);
  const bool reported = send_tsend(log, settings, args);
  if (pending.saved && reported) {
    if (const auto error = platform::remove_pending_file(pending.path, pending.lock)) {
      log.warning({Msg::pending_file_not_removed, {pending.path, error.message()}});
    }
  } else if (pending.saved) {
    platform::release_pending_file(pending.lock);
    log.error({Msg::tsend_report_kept, {describe_call(args), pending.path}});
  }
  // The server just accepted a report, so earlier reports that are still pending have a chance.
  if (reported && !pending.folder.empty()) {
    resend_pending_reports(log, pending.folder, env, std::chrono::seconds(settings.timeout_seconds),
                           max_resends_per_job);
  }

  run_log_programs(log, settings);
  return reported;
}

void run_log_programs(Log& log, const ReportSettings& settings) {
  const Environment& env = *settings.environment;
  if (env.has_value("ABM_BIN")) {
    run_log_program(log, settings, platform::program_path(env.get_or("ABM_BIN"), "vtgestlog"));
  }
  if (log_action_requested(env) && env.has_value("TOM_ADMIN")) {
    run_log_program(log, settings, platform::program_path(env.get_or("TOM_ADMIN"), "gestlog"));
  }
}

}  // namespace vtsubmit
