#pragma once

#include <optional>
#include <string_view>

#include "common/environment.hpp"
#include "common/messages.hpp"

namespace vtsubmit {

// Picks the language from the locale variables, in POSIX precedence (LC_ALL, then LC_MESSAGES,
// then LANG; the first one set and non-empty decides): French when it starts with "fr".
Language language_from_environment(const Environment& environment);

// Parses a queue file's `language` value ("fr" or "en").
std::optional<Language> parse_language(std::string_view value);

}  // namespace vtsubmit
