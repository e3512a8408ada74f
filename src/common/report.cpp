#include "common/report.hpp"

#include <chrono>
#include <filesystem>

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

bool send_tsend(Log& log, const ReportSettings& settings, const std::vector<std::string>& args) {
  const Environment& env = *settings.environment;
  const auto call = describe_call(args);
  if (!env.has_value("ABM_BIN")) {
    log.error({Msg::abm_bin_unset, {call}});
    return false;
  }

  const auto tsend = platform::program_path(env.get_or("ABM_BIN"), "tsend");
  const auto result = platform::run_helper(tsend, args, env.entries(), std::chrono::seconds(settings.timeout_seconds));
  if (!result.started) {
    log.error({Msg::tsend_missing, {tsend, call}});
    return false;
  }
  if (result.timed_out) {
    log.error({Msg::tsend_timed_out, {call, std::to_string(settings.timeout_seconds)}});
    return false;
  }
  if (result.exit_code != 0) {
    log.error({Msg::tsend_failed, {call, std::to_string(result.exit_code)}});
    return false;
  }
  return true;
}

// Runs an optional log-management program; a missing program is not an error.
void run_log_program(Log& log, const ReportSettings& settings, const std::string& program) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(program, error)) {
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

bool log_action_requested(const Environment& environment) {
  const auto action = environment.get_or("TOM_LOG_ACTION");
  return action.find_first_not_of(' ') != std::string::npos;
}

bool report_end(Log& log, const ReportSettings& settings, JobStatus status, long code, const std::string& message) {
  log.flush();
  const Environment& env = *settings.environment;
  const bool reported = send_tsend(log, settings, {status_argument(status), "-r" + std::to_string(code), "-m" + message});

  if (env.has_value("ABM_BIN")) {
    run_log_program(log, settings, platform::program_path(env.get_or("ABM_BIN"), "vtgestlog"));
  }
  if (log_action_requested(env) && env.has_value("TOM_ADMIN")) {
    run_log_program(log, settings, platform::program_path(env.get_or("TOM_ADMIN"), "gestlog"));
  }
  return reported;
}

}  // namespace vtsubmit
