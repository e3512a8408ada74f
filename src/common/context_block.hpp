#pragma once

#include <ctime>
#include <string>
#include <vector>

#include "common/environment.hpp"
#include "common/messages.hpp"

namespace vtsubmit {

// The separator line of the standard queues: 71 underscores.
inline const std::string separator_line(71, '_');

// Formats `time` as `date +"%A %d/%m/%Y - %H:%M:%S"` does, with the day name in `language`.
std::string format_date_line(Language language, const std::tm& time);

// Returns the date line for the current local time.
std::string current_date_line(Language language);

// Input of the context block besides the environment.
struct ContextInput {
  const Environment* environment = nullptr;    // after the init files
  std::vector<std::string> parameters;         // job parameters, numbered from 1
  std::vector<std::string> init_files;         // init files loaded
  std::string user_name;                       // fallback when TOM_USER is unset
  std::string host_name;                       // fallback when TOM_HOST is unset
  // Secret names ([display] mask): matching parameters and TOM_SCRIPT words are shown as "****".
  // Empty: everything is shown as it is.
  std::vector<std::string> mask;
};

// Returns the lines of the job context block: separator, title, then one "label : value" line
// per Visual TOM variable (labels padded to 20 columns) and one per parameter.
std::vector<std::string> context_block_lines(Language language, const ContextInput& input);

// Returns the lines printed before the script runs: separator, date, "Begin of the script...",
// separator and a line holding one space.
std::vector<std::string> start_banner_lines(Language language, const std::string& date_line);

// Returns the lines printed after the script ends: separator, date, "End of the script." and a
// line holding one space.
std::vector<std::string> end_banner_lines(Language language, const std::string& date_line);

}  // namespace vtsubmit
