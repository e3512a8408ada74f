#include "failure_support.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace vtsubmit::test {

namespace fs = std::filesystem;

void install_failing_tsend(const AgentTree& agent) {
  fs::rename(agent.bin / "tsend", agent.bin / "tsend.real");
  agent.write_file(agent.bin / "tsend", R"SH(#!/bin/sh
echo "$$" >> "$ABM_SPOOL/tsend.pids"
count_file="$ABM_SPOOL/tsend.count"
count=$(( $(cat "$count_file" 2>/dev/null || echo 0) + 1 ))
echo "$count" > "$count_file"
if [ "$count" -le "${TSEND_FAILURES:-0}" ]; then
  VTSUBMIT_STANDIN_EXIT=${TSEND_FAIL_EXIT:-1} VTSUBMIT_STANDIN_SLEEP=${TSEND_FAIL_SLEEP:-} \
    exec "$(dirname "$0")/tsend.real" "$@"
fi
exec "$(dirname "$0")/tsend.real" "$@"
)SH", 0755);
}

fs::path pending_folder_of(const AgentTree& agent) {
  return agent.spool / "vtsubmit-pending";
}

std::vector<fs::path> pending_files(const fs::path& folder) {
  std::vector<fs::path> files;
  std::error_code error;
  for (fs::directory_iterator it(folder, error), end; !error && it != end; it.increment(error)) {
    if (it->path().extension() == ".pending") {
      files.push_back(it->path());
    }
  }
  return files;
}

int run_tool(const AgentTree& agent, const std::vector<std::string>& args, std::string& out) {
  const auto output = agent.home / "tool.out";
  const pid_t pid = fork();
  if (pid < 0) {
    throw std::runtime_error("fork failed");
  }
  if (pid == 0) {
    const int fd = ::open(output.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, 1);
    dup2(fd, 2);
    std::vector<std::string> env_strings;
    for (const auto& [name, value] : agent.environment) {
      env_strings.push_back(name + "=" + value);
    }
    const std::string program = vtsubmit_binary().string();
    std::vector<char*> argv{const_cast<char*>(program.c_str())};
    for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    std::vector<char*> envp;
    for (auto& entry : env_strings) envp.push_back(entry.data());
    envp.push_back(nullptr);
    execve(program.c_str(), argv.data(), envp.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  out = agent.read(output);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::vector<pid_t> read_pids(const fs::path& path, std::chrono::milliseconds limit) {
  std::istringstream stream(wait_for_file(path, limit));
  std::vector<pid_t> pids;
  long pid = 0;
  while (stream >> pid) {
    pids.push_back(static_cast<pid_t>(pid));
  }
  return pids;
}

bool all_ended(const std::vector<pid_t>& pids, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  for (;;) {
    bool alive = false;
    for (const auto pid : pids) {
      alive = alive || process_alive(pid);
    }
    if (!alive) {
      return true;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace vtsubmit::test
