#pragma once

#include <string>
#include <vector>

#include "common/environment.hpp"
#include "common/ksh_init.hpp"
#include "common/queue_file.hpp"

namespace vtsubmit {

// The agent environment after the queue's init files.
struct InitResult {
  Environment environment;                  // what the job receives
  std::vector<std::string> loaded_files;    // expanded paths, in load order
  std::vector<InitDiagnostic> diagnostics;  // constructs reported and skipped
};

// Loads the queue's init files in order, each path expanded ($VAR, ${VAR}) with the environment
// as the files before it left it. A missing default file is skipped; a missing file that the
// queue file lists is an error. Throws InitFileError.
InitResult load_init_files(const QueueConfig& config, const Environment& agent_environment);

}  // namespace vtsubmit
