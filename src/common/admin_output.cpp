#include "common/admin_output.hpp"

#include <string_view>

#include "common/secret_mask.hpp"

namespace vtsubmit {

void print_init_files(Log& log, const InitResult& init) {
  log.out(log.text(Msg::admin_init_files_title));
  if (init.loaded_files.empty()) {
    log.out("  " + log.text(Msg::admin_none));
  }
  for (const auto& file : init.loaded_files) {
    log.out("  " + file);
  }
  for (const auto& diagnostic : init.diagnostics) {
    const Message line{Msg::init_line_not_evaluated,
                       {diagnostic.file, std::to_string(diagnostic.line), diagnostic.construct, diagnostic.text}};
    log.out("  " + line.text(log.language()));
  }
}

void print_environment_changes(Log& log, const Environment& before, const Environment& after,
                               const std::vector<std::string>& mask_names) {
  log.out(log.text(Msg::admin_environment_changes_title));
  const auto changes = diff_environments(before, after);
  if (changes.empty()) {
    log.out("  " + log.text(Msg::admin_none));
  }
  for (const auto& change : changes) {
    const auto old_value = mask_variable(change.name, change.old_value, mask_names);
    const auto new_value = mask_variable(change.name, change.new_value, mask_names);
    switch (change.kind) {
      case EnvironmentChange::Kind::added:
        log.out("  " + log.text(Msg::admin_variable_added, change.name, new_value));
        break;
      case EnvironmentChange::Kind::changed:
        log.out("  " + log.text(Msg::admin_variable_changed, change.name, old_value, new_value));
        break;
      case EnvironmentChange::Kind::removed:
        log.out("  " + log.text(Msg::admin_variable_removed, change.name));
        break;
    }
  }
}

std::string shell_quote(const std::string& argument) {
  constexpr std::string_view safe =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-+=/.,:@%";
  if (!argument.empty() && argument.find_first_not_of(safe) == std::string::npos) {
    return argument;
  }
  std::string quoted = "'";
  for (const char c : argument) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  return quoted + "'";
}

}  // namespace vtsubmit
