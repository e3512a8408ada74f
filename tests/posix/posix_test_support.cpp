#include "posix_test_support.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace vtsubmit::posix_test {

namespace {

struct ChildCounts {
  int children = 0;
  int zombies = 0;
};

ChildCounts count_children(pid_t parent) {
  ChildCounts counts;
  DIR* proc = opendir("/proc");
  if (proc == nullptr) {
    return counts;
  }
  while (const dirent* entry = readdir(proc)) {
    if (entry->d_name[0] < '0' || entry->d_name[0] > '9') {
      continue;
    }
    const std::string stat = read_file(std::string("/proc/") + entry->d_name + "/stat");
    const auto close = stat.rfind(')');
    if (close == std::string::npos) {
      continue;
    }
    char state = '?';
    long ppid = 0;
    if (std::sscanf(stat.c_str() + close + 1, " %c %ld", &state, &ppid) == 2 && ppid == parent) {
      ++counts.children;
      if (state == 'Z') {
        ++counts.zombies;
      }
    }
  }
  closedir(proc);
  return counts;
}

std::string one_line(std::string text) {
  for (char& c : text) {
    if (c == '\n') {
      c = ' ';
    }
  }
  return text;
}

std::string serialize(const platform::JobResult& result, const ChildCounts& counts, double seconds) {
  std::ostringstream text;
  text << "started " << result.started << "\n"
       << "start_error " << result.start_error.value() << "\n"
       << "exit_code " << result.exit_code << "\n"
       << "term_signal " << result.term_signal << "\n"
       << "core_dumped " << result.core_dumped << "\n"
       << "stop_signal " << result.stop_signal << "\n"
       << "killed_after_grace " << result.killed_after_grace << "\n"
       << "drain_timed_out " << result.drain_timed_out << "\n"
       << "children_after " << counts.children << "\n"
       << "zombies_after " << counts.zombies << "\n"
       << "seconds " << seconds << "\n";
  for (const auto& leftover : result.leftovers) {
    text << "leftover " << leftover.pid << " " << one_line(leftover.command) << "\n";
  }
  for (const auto& warning : result.warnings) {
    text << "warning " << one_line(warning.text(Language::english)) << "\n";
  }
  return text.str();
}

JobRun parse(const CapturedProcess::Outcome& outcome) {
  JobRun run;
  run.out = outcome.out;
  run.err = outcome.err;
  run.status = outcome.status;
  std::istringstream lines(outcome.returned);
  std::string line;
  while (std::getline(lines, line)) {
    const auto space = line.find(' ');
    const std::string key = line.substr(0, space);
    const std::string value = space == std::string::npos ? "" : line.substr(space + 1);
    auto& result = run.result;
    if (key == "started") result.started = value == "1";
    else if (key == "start_error") result.start_error = std::error_code(std::stoi(value), std::generic_category());
    else if (key == "exit_code") result.exit_code = std::stoi(value);
    else if (key == "term_signal") result.term_signal = std::stoi(value);
    else if (key == "core_dumped") result.core_dumped = value == "1";
    else if (key == "stop_signal") result.stop_signal = std::stoi(value);
    else if (key == "killed_after_grace") result.killed_after_grace = value == "1";
    else if (key == "drain_timed_out") result.drain_timed_out = value == "1";
    else if (key == "children_after") run.children_after = std::stoi(value);
    else if (key == "zombies_after") run.zombies_after = std::stoi(value);
    else if (key == "seconds") run.seconds = std::stod(value);
    else if (key == "warning") run.warnings.push_back(value);
    else if (key == "leftover") {
      const auto separator = value.find(' ');
      result.leftovers.push_back({std::stol(value.substr(0, separator)), value.substr(separator + 1)});
    }
  }
  return run;
}

}  // namespace

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/vtsubmit-posix-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("mkdtemp failed: " + std::string(std::strerror(errno)));
  }
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string read_file(const std::string& path) {
  // read(2), because libstdc++'s filebuf throws when a /proc file's process exits (ESRCH).
  std::string contents;
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return contents;
  }
  char buffer[65536];
  ssize_t count;
  while ((count = read(fd, buffer, sizeof buffer)) > 0 || (count < 0 && errno == EINTR)) {
    if (count > 0) {
      contents.append(buffer, static_cast<std::size_t>(count));
    }
  }
  close(fd);
  return contents;
}

void write_file(const std::string& path, const std::string& contents, mode_t mode) {
  {
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file << contents;
  }
  chmod(path.c_str(), mode);
}

bool process_running(pid_t pid) {
  const std::string stat = read_file("/proc/" + std::to_string(pid) + "/stat");
  const auto close = stat.rfind(')');
  if (close == std::string::npos || close + 2 >= stat.size()) {
    return false;
  }
  const char state = stat[close + 2];
  return state != 'Z' && state != 'X';
}

bool wait_until(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= deadline) {
      return condition();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

pid_t wait_for_pid_file(const std::string& path, std::chrono::milliseconds timeout) {
  pid_t pid = 0;
  wait_until(
      [&] {
        const std::string text = read_file(path);
        if (text.empty() || text.back() != '\n') {
          return false;
        }
        pid = static_cast<pid_t>(std::stol(text));
        return true;
      },
      timeout);
  return pid;
}

std::vector<std::string> environment_entries() {
  std::vector<std::string> entries;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    entries.emplace_back(*entry);
  }
  return entries;
}

CapturedProcess::CapturedProcess(const std::function<std::string()>& body) {
  const std::string out_path = directory_.file("stdout");
  const std::string err_path = directory_.file("stderr");
  const std::string returned_path = directory_.file("returned");
  // Text Catch2 buffered would otherwise be written a second time by the child.
  std::fflush(nullptr);
  pid_ = fork();
  if (pid_ < 0) {
    throw std::runtime_error("fork failed: " + std::string(std::strerror(errno)));
  }
  if (pid_ != 0) {
    return;
  }
  // In the forked copy of the test process, no Catch2 assertion may run, and _exit replaces exit.
  // The three files are opened first, because `body` may drop privileges or change fd 1 and 2.
  const int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  const int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  const int returned_fd = open(returned_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (out < 0 || err < 0 || returned_fd < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0) {
    _exit(120);
  }
  close(out);
  close(err);
  try {
    const std::string returned = body();
    const bool written = write(returned_fd, returned.data(), returned.size()) == static_cast<ssize_t>(returned.size());
    _exit(written ? 0 : 121);
  } catch (const std::exception& error) {
    const std::string text = std::string("exception: ") + error.what() + "\n";
    [[maybe_unused]] const auto written = write(2, text.data(), text.size());
    _exit(122);
  } catch (...) {
    _exit(122);
  }
}

CapturedProcess::~CapturedProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

CapturedProcess::Outcome CapturedProcess::finish() {
  Outcome outcome;
  while (waitpid(pid_, &outcome.status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
  outcome.out = read_file(directory_.file("stdout"));
  outcome.err = read_file(directory_.file("stderr"));
  outcome.returned = read_file(directory_.file("returned"));
  return outcome;
}

VtsubmitProcess::VtsubmitProcess(const platform::JobCommand& command, const platform::JobOptions& options,
                                 const VtsubmitSetup& setup)
    : process_([&]() -> std::string {
        if (setup.install_stop_handlers) {
          platform::install_stop_handlers();
        }
        if (setup.before_run) {
          setup.before_run();
        }
        const auto start = std::chrono::steady_clock::now();
        const platform::JobResult result = platform::run_job(command, options);
        const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
        return serialize(result, count_children(getpid()), elapsed.count());
      }) {}

JobRun VtsubmitProcess::finish() {
  const auto outcome = process_.finish();
  const bool killed_by_test = WIFSIGNALED(outcome.status) && WTERMSIG(outcome.status) == SIGKILL;
  if (outcome.returned.empty() && !killed_by_test) {
    throw std::runtime_error("the vtsubmit test process ended without a result, wait status " +
                             std::to_string(outcome.status) + ", stderr: " + outcome.err);
  }
  return parse(outcome);
}

JobRun run_job_captured(const platform::JobCommand& command, const platform::JobOptions& options,
                        const VtsubmitSetup& setup) {
  return VtsubmitProcess(command, options, setup).finish();
}

platform::JobCommand shell_command(const std::string& script, const std::vector<std::string>& parameters) {
  platform::JobCommand command;
  command.program = "/bin/sh";
  command.argv = {"sh", "-c", script, "job"};
  command.argv.insert(command.argv.end(), parameters.begin(), parameters.end());
  return command;
}

platform::JobOptions test_options() {
  platform::JobOptions options;
  options.environment = environment_entries();
  options.stop_grace = std::chrono::seconds(1);
  options.drain_timeout = std::chrono::seconds(1);
  options.leftovers = platform::LeftoverPolicy::kill;
  return options;
}

}  // namespace vtsubmit::posix_test
