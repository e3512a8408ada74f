#pragma once

#include <functional>
#include <string>
#include <vector>

#include "common/context_block.hpp"
#include "common/environment.hpp"
#include "common/init_loader.hpp"
#include "common/platform.hpp"
#include "common/queue_file.hpp"
#include "common/report.hpp"

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

// The steps below are shared by the real run and by the admin commands (explain, simulate),
// so that a dry run shows what a real start does.

// Path a start takes once the init files are loaded, in the order the standard ksh queue tests.
enum class JobBranch {
  resource_evaluation,   // TOM_RESOURCE_EVAL=1: the script runs, its exit code is the result, no tsend
  not_submitted,         // TOM_JOB_ID unset or empty: nothing runs, exit 0
  test_mode,             // TOM_JOB_EXEC=TEST: nothing runs, tsend -sT
  script,                // the normal start
};

JobBranch select_branch(const Environment& environment);

// The job's working directory: the queue file's `workdir` expanded, or "" to inherit ours.
struct WorkdirResolution {
  bool ok = true;
  std::string path;
  Message error;   // when !ok
};

WorkdirResolution resolve_working_directory(const QueueConfig& config, const Environment& environment);

// Builds the request that platform::plan_script turns into the job's command.
platform::ScriptRequest make_script_request(const QueueConfig& config, const Environment& environment,
                                            const QueueInvocation& invocation, const std::string& workdir);

// Builds the options of platform::run_job: environment, working directory, stop settings.
platform::JobOptions make_job_options(const QueueConfig& config, const Environment& environment,
                                      const std::string& workdir);

// Builds what the context block shows; secrets are masked with the queue file's [display] mask.
ContextInput make_context_input(const QueueConfig& config, const InitResult& init, const QueueInvocation& invocation);

// The report step: report_end in a real run, a stand-in in `vtsubmit simulate --dmz`.
using ReportFunction = std::function<bool(Log&, const ReportSettings&, JobStatus, long, const std::string&)>;

// Inputs of run_queue besides its command line.
struct RunOptions {
  Environment agent_environment;   // what the agent passed: the process environment in a real run
  ReportFunction report = report_end;
};

// Runs one job as the agent requests and returns the exit code for the agent: the job's code,
// 128+n when a signal n ended it, 126/127 when the script cannot run, 125 for a submitter error.
// The first form takes the agent environment from the process.
int run_queue(const QueueInvocation& invocation);
int run_queue(const QueueInvocation& invocation, const RunOptions& options);

}  // namespace vtsubmit
