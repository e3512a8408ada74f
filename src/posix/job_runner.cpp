#include <cerrno>
#include <chrono>
#include <cstdio>

#include <sys/prctl.h>
#include <unistd.h>

#include "common/platform.hpp"
#include "posix/child_signals.hpp"
#include "posix/descriptors.hpp"
#include "posix/job_supervisor.hpp"
#include "posix/posix_error.hpp"
#include "posix/spawn.hpp"
#include "posix/wakeup_pipe.hpp"
#include "posix/watchdog.hpp"

namespace vtsubmit::platform {

JobResult run_job(const JobCommand& command, const JobOptions& options) {
  JobResult result;
  // Text vtsubmit printed through stdio must reach the log before the job's output.
  std::fflush(nullptr);
  const posix::ScopedChildSignals child_signals;
  if (posix::wakeup_read_fd() < 0) {
    result.warnings.push_back(posix::system_call_failure("pipe2 (wakeup pipe)", errno));
  }

  // Orphaned descendants of the job become children of vtsubmit instead of init, so vtsubmit
  // reaps them and they cannot escape the leftover check by double-forking.
  if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0) {
    result.warnings.push_back(posix::system_call_failure("prctl(PR_SET_CHILD_SUBREAPER)", errno));
  }

  int stdout_pipe[2];
  int stderr_pipe[2];
  if (const int error = posix::make_pipe(stdout_pipe); error != 0) {
    result.start_error = posix::errno_code(error);
    return result;
  }
  if (const int error = posix::make_pipe(stderr_pipe); error != 0) {
    close(stdout_pipe[0]);
    close(stdout_pipe[1]);
    result.start_error = posix::errno_code(error);
    return result;
  }

  posix::SpawnRequest request;
  request.program = command.program;
  request.argv = command.argv;
  request.environment = &options.environment;
  request.working_directory = options.working_directory;
  request.stdout_fd = stdout_pipe[1];
  request.stderr_fd = stderr_pipe[1];
  request.shell_fallback = command.shell_fallback;
  const posix::SpawnResult spawned = posix::spawn_process(request);
  // Only the job may hold the write ends, or the pipes would never reach end-of-file.
  close(stdout_pipe[1]);
  close(stderr_pipe[1]);
  if (spawned.pid < 0) {
    close(stdout_pipe[0]);
    close(stderr_pipe[0]);
    result.start_error = spawned.error;
    return result;
  }
  result.started = true;
  posix::Watchdog watchdog;
  const char* failed_call = "";
  if (const int error = watchdog.start(spawned.pid, options.stop_grace, &failed_call); error != 0) {
    result.warnings.push_back(Message{Msg::watchdog_not_started, {failed_call, posix::errno_text(error)}});
  }

  posix::JobSupervisor supervisor(spawned.pid, options, watchdog, stdout_pipe[0], stderr_pipe[0], result);
  supervisor.run();
  watchdog.disarm();
  return result;
}

}  // namespace vtsubmit::platform
