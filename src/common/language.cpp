#include "common/language.hpp"

namespace vtsubmit {

Language language_from_environment(const Environment& environment) {
  for (const char* name : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
    const auto value = environment.get_or(name);
    if (!value.empty()) {
      return value.rfind("fr", 0) == 0 ? Language::french : Language::english;
    }
  }
  return Language::english;
}

std::optional<Language> parse_language(std::string_view value) {
  if (value == "fr") {
    return Language::french;
  }
  if (value == "en") {
    return Language::english;
  }
  return std::nullopt;
}

}  // namespace vtsubmit
