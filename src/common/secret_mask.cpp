#include "common/secret_mask.hpp"

#include <algorithm>
#include <cctype>

namespace vtsubmit {

namespace {

std::string lower(std::string_view text) {
  std::string result(text);
  std::transform(result.begin(), result.end(), result.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return result;
}

// "-p", "--password", or a Windows-style "/password". A word with a second '/' is a POSIX
// path, not an option.
bool is_option_word(std::string_view word) {
  if (word.size() < 2) {
    return false;
  }
  return word.front() == '-' || (word.front() == '/' && word.find('/', 1) == std::string_view::npos);
}

bool is_blank(char c) {
  return c == ' ' || c == '\t';
}

// Masks one word. `pending` is true when the word before was a secret option, so this word is
// its value. On return it states whether the next word is a value to mask.
std::string mask_word(std::string_view word, bool& pending, const std::vector<std::string>& mask_names) {
  if (pending) {
    pending = false;
    return std::string(masked_value);
  }
  // name=value, and for options also /name:value and -name:value.
  auto separator = word.find('=');
  if (separator == std::string_view::npos && is_option_word(word)) {
    separator = word.find(':');
  }
  if (separator != std::string_view::npos && separator > 0) {
    if (is_secret_name(word.substr(0, separator), mask_names)) {
      return std::string(word.substr(0, separator + 1)) + std::string(masked_value);
    }
    return std::string(word);
  }
  if (is_option_word(word) && is_secret_name(word, mask_names)) {
    pending = true;
  }
  return std::string(word);
}

std::string mask_words(std::string_view text, bool& pending, const std::vector<std::string>& mask_names) {
  std::string result;
  std::size_t position = 0;
  while (position < text.size()) {
    if (is_blank(text[position])) {
      result += text[position++];
      continue;
    }
    std::size_t end = position;
    while (end < text.size() && !is_blank(text[end])) {
      ++end;
    }
    result += mask_word(text.substr(position, end - position), pending, mask_names);
    position = end;
  }
  return result;
}

}  // namespace

std::vector<std::string> default_mask_names() {
  return {"password", "passwd", "pwd", "token", "secret", "key"};
}

bool is_secret_name(std::string_view name, const std::vector<std::string>& mask_names) {
  while (!name.empty() && (name.front() == '-' || name.front() == '/')) {
    name.remove_prefix(1);
  }
  if (name.empty()) {
    return false;
  }
  const auto folded = lower(name);
  return std::any_of(mask_names.begin(), mask_names.end(), [&](const std::string& mask) {
    return !mask.empty() && folded.find(lower(mask)) != std::string::npos;
  });
}

std::vector<std::string> mask_parameters(const std::vector<std::string>& parameters,
                                         const std::vector<std::string>& mask_names) {
  std::vector<std::string> result;
  result.reserve(parameters.size());
  bool pending = false;
  for (const auto& parameter : parameters) {
    if (pending) {
      // The whole parameter is the secret option's value, blanks included.
      pending = false;
      result.emplace_back(masked_value);
      continue;
    }
    result.push_back(mask_words(parameter, pending, mask_names));
  }
  return result;
}

std::string mask_command_text(std::string_view text, const std::vector<std::string>& mask_names) {
  bool pending = false;
  return mask_words(text, pending, mask_names);
}

std::string mask_variable(std::string_view name, std::string_view value, const std::vector<std::string>& mask_names) {
  return is_secret_name(name, mask_names) ? std::string(masked_value) : std::string(value);
}

}  // namespace vtsubmit
