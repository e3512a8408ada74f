#include "agent_harness.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace vtsubmit::test {

namespace fs = std::filesystem;

namespace {

std::vector<std::vector<std::string>> read_argv_records(const fs::path& path) {
  std::ifstream stream(path, std::ios::binary);
  std::string data((std::istreambuf_iterator<char>(stream)), std::istreambuf_iterator<char>());
  std::vector<std::string> fields;
  std::size_t start = 0;
  for (std::size_t i = 0; i < data.size(); ++i) {
    if (data[i] == '\0') {
      fields.push_back(data.substr(start, i - start));
      start = i + 1;
    }
  }
  std::vector<std::vector<std::string>> calls;
  std::size_t i = 0;
  while (i < fields.size()) {
    const auto count = static_cast<std::size_t>(std::stoul(fields[i++]));
    calls.emplace_back(fields.begin() + static_cast<long>(i), fields.begin() + static_cast<long>(i + count));
    i += count;
  }
  return calls;
}

[[noreturn]] void exec_vtsubmit(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                                const fs::path& out, const fs::path& err, const fs::path& cwd) {
  // Its own process group, so that a test can signal "vtsubmit's process group" as an agent may.
  setpgid(0, 0);
  const int out_fd = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  const int err_fd = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  // The agent's stdin is not the job's: a job that reads stdin must get end-of-file, not this.
  const int in_fd = open((cwd / "agent-stdin").c_str(), O_RDONLY);
  if (out_fd < 0 || err_fd < 0 || in_fd < 0 || chdir(cwd.c_str()) != 0) {
    _exit(200);
  }
  dup2(in_fd, 0);
  dup2(out_fd, 1);
  dup2(err_fd, 2);
  std::vector<char*> c_argv;
  for (const auto& arg : argv) c_argv.push_back(const_cast<char*>(arg.c_str()));
  c_argv.push_back(nullptr);
  std::vector<char*> c_env;
  for (const auto& entry : env) c_env.push_back(const_cast<char*>(entry.c_str()));
  c_env.push_back(nullptr);
  execve(vtsubmit_binary().c_str(), c_argv.data(), c_env.data());
  _exit(201);
}

}  // namespace

fs::path vtsubmit_binary() {
  if (const char* path = std::getenv("VTSUBMIT_EXE")) {
    return path;
  }
  return fs::path(VTSUBMIT_BINARY_DIR) / "vtsubmit";
}

bool process_alive(pid_t pid) {
  if (kill(pid, 0) != 0) {
    return errno == EPERM;
  }
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string content((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  const auto close = content.rfind(')');
  return close == std::string::npos || content.size() < close + 3 || content[close + 2] != 'Z';
}

std::string wait_for_file(const fs::path& path, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    std::ifstream stream(path);
    std::string content((std::istreambuf_iterator<char>(stream)), std::istreambuf_iterator<char>());
    if (!content.empty() && content.back() == '\n') {
      return content;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return "";
}

AgentTree::AgentTree() {
  std::string pattern = (fs::temp_directory_path() / "vtsubmit-e2e-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("mkdtemp failed");
  }
  home = pattern;
  admin = home / "admin";
  bin = home / "abm" / "bin";
  spool = home / "abm" / "spool";
  logs = home / "logs";
  scripts = home / "scripts";
  for (const auto& dir : {admin, bin, spool, logs, scripts}) {
    fs::create_directories(dir);
  }
  const fs::path standins = fs::path(VTSUBMIT_SOURCE_DIR) / "examples" / "agent" / "abm" / "bin";
  fs::copy_file(standins / "tsend", bin / "tsend");
  fs::copy_file(standins / "vtgestlog", bin / "vtgestlog");

  environment = {
      {"PATH", "/usr/bin:/bin"},
      {"HOME", home.string()},
      {"LANG", "C.UTF-8"},
      {"TOM_HOME", home.string()},
      {"TOM_ADMIN", admin.string()},
      {"ABM_BIN", bin.string()},
      {"ABM_SPOOL", spool.string()},
      {"TOM_JOB_ID", "-2"},
      {"TOM_SCRIPT", "true"},
      {"TOM_SCRIPT_ARGS", ""},
      {"TOM_ENVIRONMENT", "ENV"},
      {"TOM_APPLICATION", "APP"},
      {"TOM_JOB", "JOB"},
      {"TOM_JOB_EXEC", "NORMAL"},
      {"TOM_QUEUE", "queue_test"},
      {"TOM_HOST", "agent1"},
      {"TOM_USER", "vtom"},
      {"TOM_LOG_ACTION", "   "},
      {"TOM_LOG", (logs / "ENV_APP_JOB_000000-000000").string()},
      {"job_id", "9"},
  };
  write_queue_file("");
  write_file(home / "agent-stdin", "agent stdin must not reach the job\n");
}

AgentTree::~AgentTree() {
  std::error_code ignored;
  fs::remove_all(home, ignored);
}

void AgentTree::write_file(const fs::path& path, const std::string& text, unsigned mode) const {
  fs::create_directories(path.parent_path());
  {
    std::ofstream stream(path, std::ios::binary | std::ios::trunc);
    stream << text;
  }
  fs::permissions(path, static_cast<fs::perms>(mode));
}

void AgentTree::write_queue_file(const std::string& text, const std::string& queue) const {
  write_file(admin / ("tom_submit." + queue), text);
}

void AgentTree::write_init(const std::string& text) const {
  write_file(admin / "vtom_init.ksh", text);
}

fs::path AgentTree::write_script(const std::string& name, const std::string& text, unsigned mode) const {
  const auto path = scripts / name;
  write_file(path, text, mode);
  return path;
}

std::string AgentTree::read(const fs::path& path) const {
  std::ifstream stream(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(stream)), std::istreambuf_iterator<char>());
}

AgentRun AgentTree::run(const std::vector<std::string>& parameters, const std::string& queue,
                        std::chrono::seconds limit, RunningHook hook, const std::optional<fs::path>& queue_file) {
  std::vector<std::string> argv{"-" + queue, (queue_file ? *queue_file : admin / ("tom_submit." + queue)).string()};
  argv.insert(argv.end(), parameters.begin(), parameters.end());
  std::vector<std::string> env;
  for (const auto& [name, value] : environment) {
    env.push_back(name + "=" + value);
  }
  const auto out = logs / "job.o";
  const auto err = logs / "job.e";
  fs::remove(spool / "tsend.argv");
  fs::remove(spool / "vtgestlog.argv");

  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid == 0) {
    exec_vtsubmit(argv, env, out, err, home);
  }
  if (pid < 0) {
    throw std::runtime_error("fork failed");
  }
  setpgid(pid, pid);

  AgentRun result;
  if (hook != nullptr) {
    hook(pid, home);
  }
  int status = 0;
  while (true) {
    const pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) {
      break;
    }
    if (std::chrono::steady_clock::now() - start > limit) {
      kill(-pid, SIGKILL);
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      result.timed_out = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  result.duration = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = read(out);
  result.err = read(err);
  result.tsend_calls = read_argv_records(spool / "tsend.argv");
  result.vtgestlog_calls = read_argv_records(spool / "vtgestlog.argv");
  return result;
}

}  // namespace vtsubmit::test
