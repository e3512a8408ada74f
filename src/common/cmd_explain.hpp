#pragma once

// `vtsubmit explain QUEUE_FILE [PARAM…]`: prints what a real start would do, without doing it.

#include <string>
#include <vector>

#include "common/log.hpp"

namespace vtsubmit {

struct ExplainOptions {
  std::string queue_file;
  std::vector<std::string> parameters;
};

// Prints what a start with the current environment would do: the init results, the environment
// changes, the context block and the path the start takes. Then come the working directory, the
// exact argv (and the command line on Windows) and the report calls. Secrets are masked. Returns 0 when the job would start, 1 when the start would fail first.
int run_explain(const ExplainOptions& options, Log& log);

}  // namespace vtsubmit
