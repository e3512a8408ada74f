#pragma once

#include <string>

#include "common/environment.hpp"

namespace vtsubmit::posix {

// Returns `path` made absolute against `working_directory`, itself taken against the current
// directory when relative or empty. "." components are dropped; ".." components are kept,
// because removing them could change the file that a path through a symbolic link names.
std::string absolute_path(const std::string& path, const std::string& working_directory);

// Looks `name` (without '/') up in the PATH of `environment` as execvp does, with "/bin:/usr/bin"
// when PATH is unset, and an empty element meaning the working directory. Returns the absolute
// path of the first executable regular file, or an empty string.
std::string find_in_path(const std::string& name, const Environment* environment,
                         const std::string& working_directory);

}  // namespace vtsubmit::posix
