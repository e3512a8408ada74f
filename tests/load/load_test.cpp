// Load test: VTSUBMIT_LOAD_JOBS jobs (default 1000) through the built vtsubmit, started as the
// agent starts it, VTSUBMIT_LOAD_PARALLEL at a time (default 30). Each job writes 0 B to 10 MiB
// on stdout and stderr and exits with a chosen code. Checked for every job: the .o contains exactly
// the job's stdout between the banners, the .e exactly its stderr, one correct tsend call, vtsubmit's
// exit code, and 3 open descriptors in the job. At the end: no process of the run left, no zombie.

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "load_stream.hpp"

namespace fs = std::filesystem;

namespace {

struct JobSpec {
  int index = 0;
  std::size_t out_bytes = 0;
  std::size_t err_bytes = 0;
  int exit_code = 0;
  fs::path folder;
  std::chrono::steady_clock::time_point started;
};

constexpr std::size_t mebibyte = 1024 * 1024;

// Sizes cycle through empty, small, medium and 10 MiB outputs; codes through 0 and failures.
JobSpec make_spec(int index, const fs::path& root) {
  JobSpec spec;
  spec.index = index;
  vtsubmit::load::Random random(static_cast<std::uint64_t>(index) + 1000);
  const auto pick = [&random](int slot) -> std::size_t {
    switch (slot) {
      case 0: return 0;
      case 1: return 1 + random.next() % 4096;
      case 2: return random.next() % mebibyte;
      default: return 10 * mebibyte;
    }
  };
  // One job in 25 writes 10 MiB on a stream, which keeps 1,000 jobs near 1.5 GB of output.
  const auto slot_of = [](int value) { return value % 25 == 0 ? 3 : value % 3; };
  spec.out_bytes = pick(slot_of(index));
  spec.err_bytes = pick(slot_of(index + 13));
  static const int codes[] = {0, 0, 0, 1, 2, 3, 42, 127, 255};
  spec.exit_code = codes[index % 9];
  spec.folder = root / ("job" + std::to_string(index));
  return spec;
}

std::string read_file(const fs::path& path) {
  std::ifstream stream(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(stream)), std::istreambuf_iterator<char>());
}

std::vector<std::vector<std::string>> read_calls(const fs::path& path) {
  const auto data = read_file(path);
  std::vector<std::string> fields;
  std::size_t start = 0;
  for (std::size_t i = 0; i < data.size(); ++i) {
    if (data[i] == '\0') {
      fields.push_back(data.substr(start, i - start));
      start = i + 1;
    }
  }
  std::vector<std::vector<std::string>> calls;
  for (std::size_t i = 0; i < fields.size();) {
    const auto count = std::stoul(fields[i++]);
    calls.emplace_back(fields.begin() + static_cast<long>(i), fields.begin() + static_cast<long>(i + count));
    i += count;
  }
  return calls;
}

pid_t start_job(const JobSpec& spec, const fs::path& source_dir, const std::string& run_marker) {
  fs::create_directories(spec.folder / "spool");
  fs::create_directories(spec.folder / "bin");
  for (const char* name : {"tsend", "vtgestlog"}) {
    fs::copy_file(source_dir / "examples/agent/abm/bin" / name, spec.folder / "bin" / name);
  }
  { std::ofstream(spec.folder / "tom_submit.load") << ""; }

  const std::string job = LOAD_JOB_BINARY;
  const std::string script = job + " " + std::to_string(spec.out_bytes) + " " + std::to_string(spec.err_bytes) +
                             " " + std::to_string(spec.exit_code) + " " + std::to_string(spec.index) + " " +
                             (spec.folder / "fds").string();
  std::vector<std::string> environment{
      "PATH=/usr/bin:/bin", "LANG=C.UTF-8", "HOME=" + spec.folder.string(),
      "TOM_ADMIN=" + spec.folder.string(), "ABM_BIN=" + (spec.folder / "bin").string(),
      "ABM_SPOOL=" + (spec.folder / "spool").string(), "TOM_JOB_ID=" + std::to_string(spec.index),
      "job_id=" + std::to_string(spec.index), "TOM_JOB=LOAD", "TOM_JOB_EXEC=NORMAL", "TOM_LOG_ACTION=   ",
      "TOM_SCRIPT=" + script, "VTSUBMIT_LOAD_RUN=" + run_marker};

  const pid_t pid = fork();
  if (pid != 0) {
    return pid;
  }
  const int out = open((spec.folder / "job.o").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  const int err = open((spec.folder / "job.e").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  const int in = open("/dev/null", O_RDONLY);
  if (out < 0 || err < 0 || in < 0) {
    _exit(200);
  }
  dup2(in, 0);
  dup2(out, 1);
  dup2(err, 2);
  // The test's own descriptors must not reach vtsubmit, or the job's count would include them.
  for (int fd = 3; fd < 1024; ++fd) {
    close(fd);
  }
  const std::string program = VTSUBMIT_BINARY;
  const std::string queue_file = (spec.folder / "tom_submit.load").string();
  char* argv[] = {const_cast<char*>("-load"), const_cast<char*>(queue_file.c_str()), nullptr};
  std::vector<char*> envp;
  for (auto& entry : environment) envp.push_back(entry.data());
  envp.push_back(nullptr);
  execve(program.c_str(), argv, envp.data());
  _exit(201);
}

// Returns "" when the job's results are right, else what is wrong.
std::string check_job(const JobSpec& spec, int status, std::size_t& bytes_checked) {
  if (!WIFEXITED(status)) {
    return "vtsubmit ended by signal " + std::to_string(WTERMSIG(status));
  }
  if (WEXITSTATUS(status) != spec.exit_code) {
    return "exit code " + std::to_string(WEXITSTATUS(status)) + ", expected " + std::to_string(spec.exit_code);
  }
  const auto expected_out = vtsubmit::load::stream_bytes(static_cast<std::uint64_t>(spec.index), spec.out_bytes);
  const auto expected_err = vtsubmit::load::stream_bytes(static_cast<std::uint64_t>(spec.index) + 1, spec.err_bytes);
  const auto out = read_file(spec.folder / "job.o");
  const auto err = read_file(spec.folder / "job.e");

  const std::string separator(71, '_');
  const std::string begin = "Begin of the script...\n" + separator + "\n \n";
  const auto begin_at = out.find(begin);
  const auto end_text = out.rfind("\nEnd of the script.\n");
  const auto end_at = end_text == std::string::npos ? std::string::npos : out.rfind(separator + "\n", end_text);
  if (begin_at == std::string::npos || end_at == std::string::npos || end_at < begin_at + begin.size()) {
    return ".o banners not found";
  }
  const auto job_out = out.substr(begin_at + begin.size(), end_at - begin_at - begin.size());
  if (job_out != expected_out) {
    return ".o differs from the job's stdout (" + std::to_string(job_out.size()) + " bytes logged, " +
           std::to_string(expected_out.size()) + " written)";
  }
  if (err != expected_err) {
    return ".e differs from the job's stderr (" + std::to_string(err.size()) + " bytes logged, " +
           std::to_string(expected_err.size()) + " written)";
  }
  bytes_checked += job_out.size() + err.size();

  const auto calls = read_calls(spec.folder / "spool" / "tsend.argv");
  const auto code = std::to_string(spec.exit_code);
  const std::vector<std::string> expected_call =
      spec.exit_code == 0 ? std::vector<std::string>{"-sT", "-r0", "-mJob finished (0)"}
                          : std::vector<std::string>{"-sE", "-r" + code, "-mJob in error (" + code + ")"};
  if (calls.size() != 1 || calls[0] != expected_call) {
    return "wrong tsend calls (" + std::to_string(calls.size()) + ")";
  }
  if (read_file(spec.folder / "fds") != "3\n") {
    return "the job had descriptors other than 0, 1 and 2 open: " + read_file(spec.folder / "fds");
  }
  return "";
}

// Returns the pids of live processes whose environment contains the run's marker, and of zombies
// whose parent is this process.
std::vector<std::string> leftover_processes(const std::string& run_marker) {
  std::vector<std::string> found;
  const std::string needle = "VTSUBMIT_LOAD_RUN=" + run_marker;
  const std::string self = std::to_string(getpid());
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const auto name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos || name == self) {
      continue;
    }
    const auto environ = read_file(entry.path() / "environ");
    const auto stat = read_file(entry.path() / "stat");
    const auto close = stat.rfind(')');
    const bool zombie_child = close != std::string::npos && stat.size() > close + 4 && stat[close + 2] == 'Z' &&
                              stat.compare(close + 4, self.size() + 1, self + " ") == 0;
    if (environ.find(needle) != std::string::npos || zombie_child) {
      found.push_back(name + " " + stat.substr(0, close == std::string::npos ? 0 : close + 3));
    }
  }
  return found;
}

int env_int(const char* name, int fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? std::atoi(value) : fallback;
}

}  // namespace

int main() {
  const int job_count = env_int("VTSUBMIT_LOAD_JOBS", 1000);
  const int parallel = env_int("VTSUBMIT_LOAD_PARALLEL", 30);
  const fs::path source_dir = VTSUBMIT_SOURCE_DIR;
  std::string pattern = (fs::temp_directory_path() / "vtsubmit-load-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    std::perror("mkdtemp");
    return 1;
  }
  const fs::path root = pattern;
  const std::string run_marker = root.filename().string();

  const auto start = std::chrono::steady_clock::now();
  std::map<pid_t, JobSpec> running;
  int next = 0;
  int failures = 0;
  int finished = 0;
  std::size_t bytes_checked = 0;
  while (next < job_count || !running.empty()) {
    while (next < job_count && static_cast<int>(running.size()) < parallel) {
      JobSpec spec = make_spec(next++, root);
      spec.started = std::chrono::steady_clock::now();
      const pid_t pid = start_job(spec, source_dir, run_marker);
      running.emplace(pid, spec);
    }
    int status = 0;
    const pid_t pid = waitpid(-1, &status, 0);
    if (pid < 0) {
      std::perror("waitpid");
      return 1;
    }
    const auto it = running.find(pid);
    if (it == running.end()) {
      continue;
    }
    const auto problem = check_job(it->second, status, bytes_checked);
    if (!problem.empty()) {
      ++failures;
      std::fprintf(stderr, "job %d (%zu/%zu bytes, exit %d): %s\n", it->second.index, it->second.out_bytes,
                   it->second.err_bytes, it->second.exit_code, problem.c_str());
    } else {
      fs::remove_all(it->second.folder);
    }
    ++finished;
    running.erase(it);
  }
  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  const auto leftovers = leftover_processes(run_marker);
  for (const auto& process : leftovers) {
    std::fprintf(stderr, "process left after the run: %s\n", process.c_str());
  }
  std::printf("load test: %d jobs, %d at a time, %.1f s, %zu job bytes checked, %d failed, %zu processes left\n",
              finished, parallel, seconds, bytes_checked, failures, leftovers.size());
  if (failures == 0) {
    fs::remove_all(root);
  }
  return failures == 0 && leftovers.empty() ? 0 : 1;
}
