#include "common/expand.hpp"

#include <stdexcept>

namespace vtsubmit {

namespace {

bool is_name_start(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

bool is_name_char(char c) {
  return is_name_start(c) || (c >= '0' && c <= '9');
}

}  // namespace

std::string expand_variables(std::string_view text, const Environment& environment) {
  std::string result;
  result.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c != '$' || i + 1 == text.size()) {
      result += c;
      ++i;
      continue;
    }

    const char next = text[i + 1];
    if (next == '$') {
      result += '$';
      i += 2;
    } else if (next == '{') {
      const auto close = text.find('}', i + 2);
      if (close == std::string_view::npos) {
        throw std::invalid_argument(std::string(text));
      }
      result += environment.get_or(text.substr(i + 2, close - i - 2));
      i = close + 1;
    } else if (is_name_start(next)) {
      std::size_t end = i + 1;
      while (end < text.size() && is_name_char(text[end])) {
        ++end;
      }
      result += environment.get_or(text.substr(i + 1, end - i - 1));
      i = end;
    } else {
      result += c;
      ++i;
    }
  }
  return result;
}

}  // namespace vtsubmit
