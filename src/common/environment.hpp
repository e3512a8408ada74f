#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vtsubmit {

// Orders variable names; Windows compares them without case, POSIX with it.
struct VariableNameLess {
  bool case_insensitive = false;
  using is_transparent = void;
  bool operator()(std::string_view left, std::string_view right) const;
};

// A process environment: variable names to values, in a stable order.
class Environment {
 public:
  Environment() : Environment(false) {}
  explicit Environment(bool case_insensitive_names);

  // Builds an environment from "NAME=value" entries; an entry without '=' is ignored.
  static Environment from_entries(const std::vector<std::string>& entries, bool case_insensitive_names = false);

  std::optional<std::string> get(std::string_view name) const;
  std::string get_or(std::string_view name, std::string_view fallback = {}) const;
  // True when the variable is set and contains at least one character.
  bool has_value(std::string_view name) const;
  bool contains(std::string_view name) const;

  void set(std::string_view name, std::string_view value);
  void erase(std::string_view name);

  bool case_insensitive_names() const { return variables_.key_comp().case_insensitive; }
  const std::map<std::string, std::string, VariableNameLess>& variables() const { return variables_; }

  // Returns the "NAME=value" entries that execve and CreateProcess expect.
  std::vector<std::string> entries() const;

 private:
  std::map<std::string, std::string, VariableNameLess> variables_;
};

// Change of one variable between two environments, for diagnostics and dry runs.
struct EnvironmentChange {
  enum class Kind { added, changed, removed };
  Kind kind;
  std::string name;
  std::string old_value;
  std::string new_value;
};

std::vector<EnvironmentChange> diff_environments(const Environment& before, const Environment& after);

}  // namespace vtsubmit
