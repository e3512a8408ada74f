#include "common/spool_files.hpp"

#include <filesystem>

#include <fmt/format.h>

#include "common/platform.hpp"

namespace vtsubmit {

namespace {

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) {
      end = text.size();
    }
    auto line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    lines.push_back(line);
    start = end + 1;
  }
  return lines;
}

std::string read_spool_file(const std::string& path) {
  std::string text;
  if (const auto error = platform::read_file(path, text, max_spool_file_bytes)) {
    throw SpoolFileError({Msg::spool_file_unreadable, {path, error.message()}});
  }
  return text;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> parse_env_file(std::string_view text, const std::string& path) {
  std::vector<std::pair<std::string, std::string>> variables;
  const auto lines = split_lines(text);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto line = lines[i];
    if (line.empty()) {
      continue;
    }
    const auto equals = line.find('=');
    if (equals == std::string_view::npos || equals == 0) {
      throw SpoolFileError({Msg::spool_env_bad_line, {path, std::to_string(i + 1), std::string(line)}});
    }
    variables.emplace_back(std::string(line.substr(0, equals)), std::string(line.substr(equals + 1)));
  }
  return variables;
}

std::vector<std::string> parse_par_file(std::string_view text) {
  std::vector<std::string> parameters;
  for (const auto line : split_lines(text)) {
    parameters.emplace_back(line);
  }
  return parameters;
}

std::vector<std::pair<std::string, std::string>> load_env_file(const std::string& path) {
  return parse_env_file(read_spool_file(path), path);
}

std::vector<std::string> load_par_file(const std::string& path) {
  return parse_par_file(read_spool_file(path));
}

std::optional<std::string> ipid_from_spool_path(const std::string& path) {
  const auto name = std::filesystem::path(std::u8string(path.begin(), path.end())).filename().u8string();
  std::size_t digits = 0;
  while (digits < name.size() && name[digits] >= u8'0' && name[digits] <= u8'9') {
    ++digits;
  }
  if (digits == 0 || digits >= name.size() || name[digits] != u8'.') {
    return std::nullopt;
  }
  return std::string(name.begin(), name.begin() + static_cast<long>(digits));
}

std::string job_log_name(const std::string& environment, const std::string& application, const std::string& job,
                         const std::tm& start) {
  return fmt::format("{}_{}_{}_{:02}{:02}{:02}-{:02}{:02}{:02}", environment, application, job, start.tm_year % 100,
                     start.tm_mon + 1, start.tm_mday, start.tm_hour, start.tm_min, start.tm_sec);
}

std::string format_dump_time(const std::tm& time) {
  return fmt::format("{:02}-{:02}-{} {:02}:{:02}:{:02}", time.tm_mday, time.tm_mon + 1, time.tm_year, time.tm_hour,
                     time.tm_min, time.tm_sec);
}

std::string dump_text(const DumpRecord& record) {
  // NOTE: only the TERMINE state is documented; EN_ERREUR for -sE is a guess, the same one as the
  // tsend stand-in of examples/agent.
  const char* state = record.status == JobStatus::finished ? "TERMINE" : "EN_ERREUR";
  std::string text = "--- tsend ---\n";
  text += "xid=" + record.job_id + "\n";
  text += "bid=" + record.ipid + "\n";
  text += "env=" + record.environment + "\n";
  text += "app=" + record.application + "\n";
  text += "job=" + record.job + "\n";
  text += "host=" + record.host + "\n";
  text += "ret=" + std::to_string(record.code) + "\n";
  text += "mes=" + record.message + "\n";
  text += std::string("sta=") + state + "\n";
  text += "end=" + format_dump_time(record.end) + "\n";
  return text;
}

}  // namespace vtsubmit
