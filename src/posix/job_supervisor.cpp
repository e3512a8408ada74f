#include "posix/job_supervisor.hpp"

#include <algorithm>
#include <cerrno>
#include <string>

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "posix/posix_error.hpp"
#include "posix/process_group.hpp"
#include "posix/wakeup_pipe.hpp"

namespace vtsubmit::posix {

namespace {

// Members of the group that are not vtsubmit's children end without a SIGCHLD to vtsubmit, so
// while it waits for the group to empty, it checks it at this interval. Also the polling interval
// when the wakeup pipe could not be created.
constexpr std::chrono::milliseconds group_check_interval{50};

// A process whose exit closed the output pipes stays in the group until its exit completes. This
// margin, an estimate far above that time, keeps such a process out of the leftovers.
constexpr std::chrono::milliseconds exit_completion_margin{100};

// After SIGKILL the group empties as soon as the kernel has ended its processes. The limit only
// covers a process stuck in uninterruptible sleep (state D), which vtsubmit then leaves behind.
constexpr std::chrono::seconds kill_completion_timeout{5};

std::string group_signal_call(pid_t pgid, int signal_number) {
  return "kill(-" + std::to_string(pgid) + ", " + platform::signal_name(signal_number) + ")";
}

}  // namespace

JobSupervisor::JobSupervisor(pid_t job_pid, const platform::JobOptions& options, Watchdog& watchdog,
                             int stdout_pipe, int stderr_pipe, platform::JobResult& result)
    : job_pid_(job_pid),
      options_(options),
      watchdog_(watchdog),
      result_(result),
      stdout_pump_(stdout_pipe, 1),
      stderr_pump_(stderr_pipe, 2) {}

void JobSupervisor::run() {
  // A stop request that arrived before the spawn stops the job at once.
  check_stop_request();
  while (!job_exited_) {
    wait_for_events(std::nullopt);
  }
  drain_output();
  handle_leftovers();
  handle_escapees();
  finish_output();
  reap_children();
  store_exit_status();
}

void JobSupervisor::wait_for_events(std::optional<TimePoint> deadline) {
  const TimePoint now = Clock::now();
  const int wakeup_fd = wakeup_read_fd();
  TimePoint wake_at = deadline.value_or(TimePoint::max());
  if (kill_deadline_) {
    wake_at = std::min(wake_at, *kill_deadline_);
  }
  // Without the wakeup pipe, a child's exit or a stop request only shows at the next check.
  if (watching_group_ || wakeup_fd < 0) {
    wake_at = std::min(wake_at, now + group_check_interval);
  }
  int timeout_ms = -1;
  if (wake_at != TimePoint::max()) {
    const auto remaining = std::chrono::ceil<std::chrono::milliseconds>(wake_at - now).count();
    timeout_ms = static_cast<int>(std::clamp<long long>(remaining, 0, 24 * 3600 * 1000));
  }

  pollfd fds[3];
  nfds_t count = 0;
  fds[count++] = {wakeup_fd, POLLIN, 0};
  OutputPump* polled[2] = {nullptr, nullptr};
  for (OutputPump* pump : {&stdout_pump_, &stderr_pump_}) {
    if (!pump->finished()) {
      polled[count - 1] = pump;
      fds[count++] = {pump->poll_fd(), pump->poll_events(), 0};
    }
  }

  if (poll(fds, count, timeout_ms) < 0 && errno != EINTR && !poll_failure_reported_) {
    poll_failure_reported_ = true;
    result_.warnings.push_back(system_call_failure("poll", errno));
  }
  if (fds[0].revents != 0) {
    clear_wakeups();
  }
  reap_children();
  check_stop_request();
  for (nfds_t i = 1; i < count; ++i) {
    if (fds[i].revents != 0) {
      polled[i - 1]->transfer();
    }
  }
  enforce_grace();
}

void JobSupervisor::reap_children() {
  // vtsubmit is a child subreaper, so orphaned descendants of the job become its children: every
  // zombie is reaped here, not only the job's main process.
  for (;;) {
    int status = 0;
    const pid_t pid = waitpid(-1, &status, WNOHANG);
    if (pid > 0) {
      if (pid == job_pid_) {
        job_exited_ = true;
        exit_status_known_ = true;
        wait_status_ = status;
      } else if (pid == watchdog_.pid()) {
        watchdog_.mark_reaped();
      }
      continue;
    }
    if (pid < 0 && errno == EINTR) {
      continue;
    }
    if (pid < 0 && errno == ECHILD && !job_exited_) {
      // Someone else reaped the job, so its status is lost. Waiting longer would never end.
      result_.warnings.push_back(system_call_failure("waitpid(" + std::to_string(job_pid_) + ")", ECHILD));
      job_exited_ = true;
    }
    return;
  }
}

void JobSupervisor::check_stop_request() {
  if (result_.stop_signal != 0) {
    return;
  }
  const int request = platform::pending_stop_request();
  if (request == 0) {
    return;
  }
  result_.stop_signal = request;
  start_stopping_group();
}

void JobSupervisor::start_stopping_group() {
  if (term_sent_) {
    return;
  }
  term_sent_ = true;
  signal_group(SIGTERM);
  kill_deadline_ = Clock::now() + options_.stop_grace;
}

void JobSupervisor::enforce_grace() {
  if (!kill_deadline_ || Clock::now() < *kill_deadline_) {
    return;
  }
  kill_deadline_.reset();
  reap_children();
  if (group_exists(job_pid_)) {
    signal_group(SIGKILL);
    result_.killed_after_grace = true;
    killed_at_ = Clock::now();
  }
}

void JobSupervisor::signal_group(int signal_number) {
  // The job's pid is its process group id (spawned with POSIX_SPAWN_SETPGROUP and group 0).
  if (kill(-job_pid_, signal_number) != 0 && errno != ESRCH) {
    result_.warnings.push_back(system_call_failure(group_signal_call(job_pid_, signal_number), errno));
  }
}

void JobSupervisor::drain_output() {
  // A background process can keep the pipes open for ever, hence the deadline.
  const TimePoint deadline = Clock::now() + options_.drain_timeout;
  while (!stdout_pump_.finished() || !stderr_pump_.finished()) {
    if (Clock::now() >= deadline) {
      result_.drain_timed_out = true;
      return;
    }
    wait_for_events(deadline);
  }
}

void JobSupervisor::handle_leftovers() {
  reap_children();
  watching_group_ = true;
  if (!result_.drain_timed_out) {
    const TimePoint deadline = Clock::now() + exit_completion_margin;
    while (group_exists(job_pid_) && Clock::now() < deadline) {
      wait_for_events(deadline);
    }
  }
  if (!group_exists(job_pid_)) {
    return;
  }
  result_.leftovers = list_group_members(job_pid_);
  if (result_.leftovers.empty() && !term_sent_) {
    return;   // only zombies are left, and their parents reap them
  }

  if (result_.stop_signal == 0 && options_.leftovers == platform::LeftoverPolicy::keep) {
    return;
  }
  if (result_.stop_signal == 0 && options_.leftovers == platform::LeftoverPolicy::wait) {
    // The pipes are still read meanwhile, so a leftover that writes does not block vtsubmit's wait.
    while (group_exists(job_pid_) && result_.stop_signal == 0) {
      wait_for_events(std::nullopt);
    }
  }
  if (group_exists(job_pid_)) {
    start_stopping_group();
    wait_for_empty_group();
  }
}

void JobSupervisor::handle_escapees() {
  // A descendant that called setsid or setpgid is out of reach of signals to the job's group. Once
  // its parent has ended, vtsubmit (the child subreaper) is its parent, which finds it here;
  // without this, it would outlive vtsubmit unreported.
  reap_children();
  const auto escapees = list_escaped_children(getpid(), job_pid_, watchdog_.pid());
  if (escapees.empty()) {
    return;
  }
  result_.leftovers.insert(result_.leftovers.end(), escapees.begin(), escapees.end());
  const bool stopping = result_.stop_signal != 0;
  if (!stopping && options_.leftovers == platform::LeftoverPolicy::keep) {
    return;
  }

  const auto any_alive = [&escapees] {
    for (const auto& process : escapees) {
      if (kill(static_cast<pid_t>(process.pid), 0) == 0) {
        return true;
      }
    }
    return false;
  };
  const auto signal_all = [&](int signal_number) {
    for (const auto& process : escapees) {
      const auto pid = static_cast<pid_t>(process.pid);
      // An escapee that leads its own group may have started more processes in it.
      if (getpgid(pid) == pid) {
        kill(-pid, signal_number);
      }
      if (kill(pid, signal_number) != 0 && errno != ESRCH) {
        result_.warnings.push_back(system_call_failure(
            "kill(" + std::to_string(pid) + ", " + platform::signal_name(signal_number) + ")", errno));
      }
    }
  };

  watching_group_ = true;
  if (!stopping && options_.leftovers == platform::LeftoverPolicy::wait) {
    while (any_alive() && result_.stop_signal == 0) {
      wait_for_events(std::nullopt);
    }
  }
  if (!any_alive()) {
    return;
  }
  signal_all(SIGTERM);
  const TimePoint kill_at = Clock::now() + options_.stop_grace;
  while (any_alive() && Clock::now() < kill_at) {
    wait_for_events(kill_at);
  }
  if (!any_alive()) {
    return;
  }
  signal_all(SIGKILL);
  result_.killed_after_grace = true;
  const TimePoint give_up = Clock::now() + kill_completion_timeout;
  while (any_alive() && Clock::now() < give_up) {
    wait_for_events(give_up);
  }
}

void JobSupervisor::wait_for_empty_group() {
  while (group_exists(job_pid_)) {
    if (killed_at_ && Clock::now() >= *killed_at_ + kill_completion_timeout) {
      return;
    }
    wait_for_events(std::nullopt);
  }
}

void JobSupervisor::finish_output() {
  // What the job wrote before its processes ended is still in the pipes.
  const struct {
    OutputPump& pump;
    const char* name;
  } streams[] = {{stdout_pump_, "stdout"}, {stderr_pump_, "stderr"}};
  for (const auto& stream : streams) {
    stream.pump.transfer_available();
    stream.pump.close();
    if (stream.pump.write_error()) {
      result_.warnings.push_back(
          Message{Msg::output_write_failed, {stream.name, stream.pump.write_error().message()}});
    }
  }
}

void JobSupervisor::store_exit_status() {
  if (exit_status_known_) {
    if (WIFEXITED(wait_status_)) {
      result_.exit_code = WEXITSTATUS(wait_status_);
    } else if (WIFSIGNALED(wait_status_)) {
      result_.term_signal = WTERMSIG(wait_status_);
      result_.exit_code = 128 + result_.term_signal;
      result_.core_dumped = WCOREDUMP(wait_status_);
    }
  } else {
    result_.exit_code = 255;
  }
  // A stopped job ends with the code a shell gives for the stop signal, whatever its main
  // process returned while it was stopping.
  if (result_.stop_signal != 0) {
    result_.exit_code = 128 + result_.stop_signal;
  }
}

}  // namespace vtsubmit::posix
