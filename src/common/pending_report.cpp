#include "common/pending_report.hpp"

#include <algorithm>
#include <filesystem>
#include <stdexcept>

#include "common/expand.hpp"
#include "common/language.hpp"
#include "common/platform.hpp"
#include "common/queue_file.hpp"

namespace vtsubmit {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view header_line = "vtsubmit-pending-report 1";
constexpr std::string_view argument_prefix = "arg ";
constexpr std::string_view environment_prefix = "env ";

std::string escape(std::string_view text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '\\': escaped += "\\\\"; break;
      case '\n': escaped += "\\n"; break;
      case '\r': escaped += "\\r"; break;
      default: escaped += c;
    }
  }
  return escaped;
}

std::optional<std::string> unescape(std::string_view text) {
  std::string value;
  value.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\') {
      value += text[i];
      continue;
    }
    if (++i == text.size()) {
      return std::nullopt;
    }
    switch (text[i]) {
      case '\\': value += '\\'; break;
      case 'n': value += '\n'; break;
      case 'r': value += '\r'; break;
      default: return std::nullopt;
    }
  }
  return value;
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

}  // namespace

std::string format_pending_report(const PendingReport& report) {
  std::string text(header_line);
  text += '\n';
  for (const auto& argument : report.tsend_arguments) {
    text += std::string(argument_prefix) + escape(argument) + '\n';
  }
  for (const auto& entry : report.environment) {
    text += std::string(environment_prefix) + escape(entry) + '\n';
  }
  return text;
}

std::optional<PendingReport> parse_pending_report(std::string_view text) {
  // Every line ends with '\n', so a file cut short by a crash is rejected, never half-read.
  if (text.empty() || text.back() != '\n') {
    return std::nullopt;
  }
  PendingReport report;
  bool header_seen = false;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    const std::string_view line = text.substr(start, end - start);
    start = end + 1;
    if (!header_seen) {
      if (line != header_line) {
        return std::nullopt;
      }
      header_seen = true;
      continue;
    }
    const bool is_argument = starts_with(line, argument_prefix);
    if (!is_argument && !starts_with(line, environment_prefix)) {
      return std::nullopt;
    }
    auto value = unescape(line.substr(argument_prefix.size()));
    if (!value) {
      return std::nullopt;
    }
    if (is_argument) {
      report.tsend_arguments.push_back(std::move(*value));
    } else if (value->find('=') == std::string::npos || value->front() == '=') {
      return std::nullopt;
    } else {
      report.environment.push_back(std::move(*value));
    }
  }
  if (!header_seen || report.tsend_arguments.empty()) {
    return std::nullopt;
  }
  return report;
}

std::string pending_folder(const std::string& configured, const Environment& environment) {
  if (!configured.empty()) {
    return expand_variables(configured, environment);
  }
  if (environment.has_value("ABM_SPOOL")) {
    return (fs::path(environment.get_or("ABM_SPOOL")) / "vtsubmit-pending").string();
  }
  std::error_code error;
  const auto temporary = fs::temp_directory_path(error);
  return ((error ? fs::path(".") : temporary) / "vtsubmit-pending").string();
}

std::string fallback_pending_folder() {
  std::error_code error;
  const auto temporary = fs::temp_directory_path(error);
  return error ? std::string() : (temporary / "vtsubmit-pending").string();
}

std::vector<std::string> without_large_entries(const std::vector<std::string>& environment,
                                               std::vector<std::string>& removed) {
  std::vector<std::string> kept;
  for (const auto& entry : environment) {
    if (entry.size() <= max_helper_entry_bytes) {
      kept.push_back(entry);
    } else {
      removed.push_back(entry.substr(0, entry.find('=')));
    }
  }
  return kept;
}

std::chrono::seconds retry_delay(const RetryPolicy& policy, int attempt) {
  long long delay = policy.first_delay_seconds;
  for (int i = 2; i < attempt && delay < policy.max_delay_seconds; ++i) {
    delay *= 2;
  }
  return std::chrono::seconds(std::min<long long>(delay, policy.max_delay_seconds));
}

namespace {

// The pending reports of `folder`, oldest first.
std::vector<fs::path> list_pending_files(const std::string& folder) {
  std::vector<std::pair<fs::file_time_type, fs::path>> found;
  std::error_code error;
  for (fs::directory_iterator it(folder, error), end; !error && it != end; it.increment(error)) {
    const auto& path = it->path();
    if (path.extension() != ".pending") {
      continue;
    }
    std::error_code time_error;
    const auto time = fs::last_write_time(path, time_error);
    found.emplace_back(time_error ? fs::file_time_type::min() : time, path);
  }
  std::sort(found.begin(), found.end());
  std::vector<fs::path> paths;
  for (auto& [time, path] : found) {
    paths.push_back(std::move(path));
  }
  return paths;
}

std::string describe_arguments(const std::vector<std::string>& args) {
  std::string text;
  for (const auto& arg : args) {
    text += text.empty() ? "" : " ";
    text += arg;
  }
  return text;
}

// Sends one claimed report once. The report's own ABM_BIN is used, or the current one.
bool send_claimed_report(Log& log, const std::string& path, const PendingReport& report,
                         const Environment& current_environment, std::chrono::seconds timeout) {
  const auto environment = Environment::from_entries(report.environment, current_environment.case_insensitive_names());
  const auto abm_bin = environment.has_value("ABM_BIN") ? environment.get_or("ABM_BIN")
                                                        : current_environment.get_or("ABM_BIN");
  const auto call = describe_arguments(report.tsend_arguments);
  if (abm_bin.empty()) {
    log.error({Msg::pending_resend_failed, {path, call, Msg::reason_abm_bin_unset}});
    return false;
  }
  const auto tsend = platform::program_path(abm_bin, "tsend");
  auto result = platform::run_helper(tsend, report.tsend_arguments, report.environment, timeout);
  if (!result.started && result.start_error == std::errc::argument_list_too_long) {
    std::vector<std::string> removed;
    const auto reduced = without_large_entries(report.environment, removed);
    result = platform::run_helper(tsend, report.tsend_arguments, reduced, timeout);
  }
  if (!result.started) {
    log.error({Msg::pending_resend_failed, {path, call, result.start_error.message()}});
    return false;
  }
  if (result.timed_out || result.exit_code != 0) {
    const auto reason = result.timed_out ? Message{Msg::reason_timed_out, {std::to_string(timeout.count())}}
                                         : Message{Msg::reason_exit_code, {std::to_string(result.exit_code)}};
    log.error({Msg::pending_resend_failed, {path, call, reason.text(log.language())}});
    return false;
  }
  return true;
}

}  // namespace

ResendSummary resend_pending_reports(Log& log, const std::string& folder, const Environment& current_environment,
                                     std::chrono::seconds timeout, int limit) {
  ResendSummary summary;
  for (const auto& path : list_pending_files(folder)) {
    if (limit >= 0 && summary.sent + summary.failed >= limit) {
      break;
    }
    platform::PendingFileLock lock;
    std::string contents;
    if (!platform::claim_pending_file(path.string(), lock, contents)) {
      continue;
    }
    const auto report = parse_pending_report(contents);
    if (!report) {
      // Left in place for a person to read: deleting it could lose a job's result.
      log.warning({Msg::pending_file_invalid, {path.string()}});
      platform::release_pending_file(lock);
      ++summary.failed;
      continue;
    }
    if (!send_claimed_report(log, path.string(), *report, current_environment, timeout)) {
      platform::release_pending_file(lock);
      ++summary.failed;
      continue;
    }
    if (const auto error = platform::remove_pending_file(path.string(), lock)) {
      log.warning({Msg::pending_file_not_removed, {path.string(), error.message()}});
    }
    log.out(log.text(Msg::pending_resent, path.string(), describe_arguments(report->tsend_arguments)));
    ++summary.sent;
  }
  return summary;
}

int run_resend_pending(const std::vector<std::string>& args) {
  const auto environment = platform::current_environment();
  Log log(language_from_environment(environment));
  if (args.size() > 1) {
    log.error({Msg::unknown_option, {args[1]}});
    return 2;
  }
  QueueConfig config;
  if (!args.empty()) {
    try {
      config = load_queue_file(args.front());
    } catch (const QueueFileError& error) {
      log.error(error.message());
      return 2;
    }
    if (config.language) {
      log.set_language(*config.language);
    }
  }

  std::string folder;
  try {
    folder = pending_folder(config.pending_dir, environment);
  } catch (const std::invalid_argument&) {
    log.error({Msg::expand_unterminated, {config.path, config.pending_dir}});
    return 2;
  }
  // A report lands in the fallback folder when its own folder was unusable, so that folder is
  // read too. Its reports carry their own environment, whatever queue they come from.
  std::vector<std::string> folders{folder};
  const auto fallback = fallback_pending_folder();
  std::error_code error;
  if (!fallback.empty() && fallback != folder && fs::is_directory(fs::path(fallback), error)) {
    folders.push_back(fallback);
  }
  int failed = 0;
  for (const auto& each : folders) {
    const auto summary = resend_pending_reports(log, each, environment,
                                                std::chrono::seconds(config.tsend_timeout_seconds), -1);
    log.out(log.text(Msg::pending_resend_summary, each, std::to_string(summary.sent), std::to_string(summary.failed)));
    failed += summary.failed;
  }
  log.flush();
  return failed == 0 ? 0 : 1;
}

}  // namespace vtsubmit
