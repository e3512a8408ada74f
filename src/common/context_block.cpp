#include "common/context_block.hpp"

#include <array>

#include <fmt/format.h>

#include "common/secret_mask.hpp"

namespace vtsubmit {

namespace {

constexpr std::size_t label_width = 20;

std::string labelled(Language language, Msg label, std::string_view value) {
  return fmt::format("{:<{}}: {}", translate(language, label), label_width, value);
}

std::string labelled(std::string_view label, std::string_view value) {
  return fmt::format("{:<{}}: {}", label, label_width, value);
}

// Shows control characters of a parameter as C escapes, so a value pasted with a trailing
// newline stays on one log line and the newline is visible.
std::string printable(std::string_view value) {
  std::string result;
  for (const char c : value) {
    if (c == '\n') {
      result += "\\n";
    } else if (c == '\r') {
      result += "\\r";
    } else if (static_cast<unsigned char>(c) < 0x20 && c != '\t') {
      result += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
    } else {
      result += c;
    }
  }
  return result;
}

}  // namespace

std::string format_date_line(Language language, const std::tm& time) {
  static constexpr std::array<Msg, 7> day_names{Msg::day_sunday,   Msg::day_monday, Msg::day_tuesday,
                                                Msg::day_wednesday, Msg::day_thursday, Msg::day_friday,
                                                Msg::day_saturday};
  const auto day = translate(language, day_names.at(static_cast<std::size_t>(time.tm_wday % 7)));
  return fmt::format("{} {:02}/{:02}/{:04} - {:02}:{:02}:{:02}", day, time.tm_mday, time.tm_mon + 1,
                     time.tm_year + 1900, time.tm_hour, time.tm_min, time.tm_sec);
}

std::string current_date_line(Language language) {
  const std::time_t now = std::time(nullptr);
  // std::localtime's static buffer is fine: vtsubmit formats dates from one thread only.
  const std::tm* local = std::localtime(&now);
  return local != nullptr ? format_date_line(language, *local) : std::string();
}

std::vector<std::string> context_block_lines(Language language, const ContextInput& input) {
  const Environment& env = *input.environment;
  const auto value = [&](std::string_view name, std::string_view fallback = {}) {
    const auto found = env.get(name);
    return found && !found->empty() ? *found : std::string(fallback);
  };

  std::vector<std::string> lines{separator_line, translate(language, Msg::context_title), " "};
  lines.push_back(labelled(language, Msg::label_host, value("TOM_HOST", input.host_name)));
  lines.push_back(labelled(language, Msg::label_user, value("TOM_USER", input.user_name)));
  lines.push_back(labelled(language, Msg::label_script, mask_command_text(value("TOM_SCRIPT"), input.mask)));
  lines.push_back(labelled(language, Msg::label_queue, value("TOM_QUEUE")));
  lines.push_back(labelled(language, Msg::label_server, value("TOM_REMOTE_SERVER")));
  lines.push_back("");
  lines.push_back(labelled(language, Msg::label_job, value("TOM_JOB")));
  lines.push_back(labelled(language, Msg::label_application, value("TOM_APPLICATION")));
  lines.push_back(labelled(language, Msg::label_environment, value("TOM_ENVIRONMENT")));
  lines.push_back(labelled(language, Msg::label_job_id, value("TOM_JOB_ID")));
  lines.push_back(labelled(language, Msg::label_ipid, value("job_id")));
  lines.push_back(labelled(language, Msg::label_retries, value("TOM_JOB_RETRY")));
  lines.push_back(labelled(language, Msg::label_restart_point, value("TOM_JOB_POINT")));
  lines.push_back(labelled(language, Msg::label_exec_mode, value("TOM_JOB_EXEC")));
  lines.push_back(labelled(language, Msg::label_date, value("TOM_DATE")));
  lines.push_back(labelled(language, Msg::label_date_value, value("TOM_DATE_VALUE")));
  lines.push_back(labelled(language, Msg::label_log, value("TOM_LOG")));
  for (const auto& file : input.init_files) {
    lines.push_back(labelled(language, Msg::label_init_file, file));
  }

  lines.push_back(labelled(language, Msg::label_parameters, std::to_string(input.parameters.size())));
  const auto shown = mask_parameters(input.parameters, input.mask);
  for (std::size_t i = 0; i < shown.size(); ++i) {
    const auto label = translate(language, Msg::label_parameter_n, {std::to_string(i + 1)});
    lines.push_back(labelled(label, printable(shown[i])));
  }
  return lines;
}

std::vector<std::string> start_banner_lines(Language language, const std::string& date_line) {
  return {separator_line, date_line, translate(language, Msg::begin_of_script), separator_line, " "};
}

std::vector<std::string> end_banner_lines(Language language, const std::string& date_line) {
  return {separator_line, date_line, translate(language, Msg::end_of_script), " "};
}

}  // namespace vtsubmit
