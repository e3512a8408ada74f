#include "common/tool_mode.hpp"

#include <cstdio>

#include "common/language.hpp"
#include "common/log.hpp"
#include "common/platform.hpp"
#include "vtsubmit/version.hpp"

namespace vtsubmit {

namespace {

// Exit code for a command line that vtsubmit does not understand.
constexpr int usage_error_code = 2;

}  // namespace

bool is_tool_mode(const std::string& first_argument) {
  if (!first_argument.empty() && first_argument.front() == '-') {
    return true;
  }
  for (const char* word : subcommand_words) {
    if (first_argument == word) {
      return true;
    }
  }
  return false;
}

int run_tool_mode(const std::vector<std::string>& args) {
  Log log(language_from_environment(platform::current_environment()));
  if (args.empty()) {
    log.error({Msg::missing_queue_file, {}});
    return usage_error_code;
  }

  const auto& command = args.front();
  if (command == "--help" || command == "-h") {
    log.out(log.text(Msg::usage));
    log.flush();
    return 0;
  }
  if (command == "--version") {
    log.out(std::string("vtsubmit ") + version);
    log.flush();
    return 0;
  }
  if (command.front() == '-') {
    log.error({Msg::unknown_option, {command}});
    return usage_error_code;
  }
  log.error({Msg::subcommand_not_available, {command}});
  return usage_error_code;
}

}  // namespace vtsubmit
