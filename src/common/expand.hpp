#pragma once

#include <string>
#include <string_view>

#include "common/environment.hpp"

namespace vtsubmit {

// Expands $VAR and ${VAR} in a queue-file value from `environment`; an unset variable expands to
// nothing, "$$" gives a literal "$", and a '$' not followed by a name stays as it is.
// Throws std::invalid_argument on an unterminated "${".
std::string expand_variables(std::string_view text, const Environment& environment);

}  // namespace vtsubmit
