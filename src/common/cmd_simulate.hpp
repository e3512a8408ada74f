#pragma once

// `vtsubmit simulate --env N.env [--par N.par] [--logs DIR] [--dmz] QUEUE_FILE [PARAM…]`:
// runs one job as the agent would from its spool files, in this process, through the same job
// flow as a real start.

#include <string>
#include <vector>

#include "common/log.hpp"

namespace vtsubmit {

struct SimulateOptions {
  std::string env_file;                  // N.env: the job's environment; N is the IPID
  std::string par_file;                  // N.par: one parameter per line; empty: the PARAMs
  std::string logs_directory;            // where the .o/.e go; empty: $TOM_HOME/logs
  bool dmz = false;                      // write job_<IPID>.dmp instead of calling tsend
  std::string queue_file;
  std::vector<std::string> parameters;
};

// Runs the job with the current environment overlaid by N.env (plus job_id = IPID and TOM_LOG),
// stdout and stderr sent to <ENV>_<APP>_<JOB>_<yymmdd>-<hhmmss>.o/.e, and prints where the logs
// and the report went. When $ABM_BIN/tsend is absent or `dmz` is set, a built-in stand-in writes
// job_<IPID>.dmp in $ABM_SPOOL (else beside N.env). Returns the job's exit code, or 2 when the
// spool files or the log folder are unusable.
int run_simulate(const SimulateOptions& options, Log& log);

}  // namespace vtsubmit
