#pragma once

#include <string>
#include <vector>

namespace vtsubmit {

// Command line of a queue start: the queue file and the job parameters.
struct QueueInvocation {
  std::string queue_file;
  std::vector<std::string> parameters;   // one element per job parameter, unchanged
  std::string raw_parameters;            // Windows: the raw command-line tail (%*); empty on POSIX
};

// Exit code of vtsubmit when it fails before the job runs (invalid queue file, init file error,
// working directory missing). The log and the tsend message name the cause.
inline constexpr int submitter_error_code = 125;

// Runs one job as the agent asks and returns the exit code for the agent: the job's code,
// 128+n when a signal n ended it, 126/127 when the script cannot run, 125 for a submitter error.
int run_queue(const QueueInvocation& invocation);

}  // namespace vtsubmit
