#pragma once

// Report sections that `vtsubmit check` and `vtsubmit explain` both print.

#include <string>
#include <vector>

#include "common/environment.hpp"
#include "common/init_loader.hpp"
#include "common/log.hpp"

namespace vtsubmit {

// Prints the init files loaded and each line they skipped, as "file:line: … not evaluated".
void print_init_files(Log& log, const InitResult& init);

// Prints what the init files added, changed and removed; values of secret variables
// (`mask_names`) are shown as "****".
void print_environment_changes(Log& log, const Environment& before, const Environment& after,
                               const std::vector<std::string>& mask_names);

// Returns `argument` quoted for a POSIX shell when it contains anything but safe characters, so
// that a printed command can be pasted back.
std::string shell_quote(const std::string& argument);

}  // namespace vtsubmit
