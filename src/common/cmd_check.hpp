#pragma once

// `vtsubmit check QUEUE_FILE [--script PATH] [--strict]`: validates a queue before the agent
// uses it.

#include <string>

#include "common/log.hpp"

namespace vtsubmit {

struct CheckOptions {
  std::string queue_file;
  std::string script;    // TOM_SCRIPT to check; empty: none
  bool strict = false;   // init-file lines that are not evaluated count as problems
};

// Validates the queue file and its init files in the current environment, prints the init
// results and the environment changes, checks the script when one is given, and lists every
// problem. Returns 0 when there is none, 1 otherwise.
int run_check(const CheckOptions& options, Log& log);

}  // namespace vtsubmit
