#include "common/environment.hpp"

#include <algorithm>

namespace vtsubmit {

namespace {

char fold_ascii(char c) {
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

}  // namespace

bool VariableNameLess::operator()(std::string_view left, std::string_view right) const {
  if (!case_insensitive) {
    return left < right;
  }
  return std::lexicographical_compare(left.begin(), left.end(), right.begin(), right.end(),
                                      [](char a, char b) { return fold_ascii(a) < fold_ascii(b); });
}

Environment::Environment(bool case_insensitive_names)
    : variables_(VariableNameLess{case_insensitive_names}) {}

Environment Environment::from_entries(const std::vector<std::string>& entries, bool case_insensitive_names) {
  Environment environment(case_insensitive_names);
  for (const auto& entry : entries) {
    // Windows keeps per-drive current directories as "=C:=C:\dir": the name starts after the first '='.
    const auto equals = entry.find('=', 1);
    if (equals == std::string::npos) {
      continue;
    }
    environment.variables_.emplace(entry.substr(0, equals), entry.substr(equals + 1));
  }
  return environment;
}

std::optional<std::string> Environment::get(std::string_view name) const {
  const auto found = variables_.find(name);
  if (found == variables_.end()) {
    return std::nullopt;
  }
  return found->second;
}

std::string Environment::get_or(std::string_view name, std::string_view fallback) const {
  const auto found = variables_.find(name);
  return found == variables_.end() ? std::string(fallback) : found->second;
}

bool Environment::has_value(std::string_view name) const {
  const auto found = variables_.find(name);
  return found != variables_.end() && !found->second.empty();
}

bool Environment::contains(std::string_view name) const {
  return variables_.find(name) != variables_.end();
}

void Environment::set(std::string_view name, std::string_view value) {
  const auto found = variables_.find(name);
  if (found != variables_.end()) {
    found->second = value;
    return;
  }
  variables_.emplace(std::string(name), std::string(value));
}

void Environment::erase(std::string_view name) {
  const auto found = variables_.find(name);
  if (found != variables_.end()) {
    variables_.erase(found);
  }
}

std::vector<std::string> Environment::entries() const {
  std::vector<std::string> result;
  result.reserve(variables_.size());
  for (const auto& [name, value] : variables_) {
    result.push_back(name + '=' + value);
  }
  return result;
}

std::vector<EnvironmentChange> diff_environments(const Environment& before, const Environment& after) {
  std::vector<EnvironmentChange> changes;
  for (const auto& [name, value] : after.variables()) {
    const auto old_value = before.get(name);
    if (!old_value) {
      changes.push_back({EnvironmentChange::Kind::added, name, {}, value});
    } else if (*old_value != value) {
      changes.push_back({EnvironmentChange::Kind::changed, name, *old_value, value});
    }
  }
  for (const auto& [name, value] : before.variables()) {
    if (!after.contains(name)) {
      changes.push_back({EnvironmentChange::Kind::removed, name, value, {}});
    }
  }
  return changes;
}

}  // namespace vtsubmit
