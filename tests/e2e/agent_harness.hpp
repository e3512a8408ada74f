#pragma once

// Starts the built vtsubmit exactly as the Visual TOM agent does, in a temporary agent tree:
// argv = ["-<queue>", "$TOM_ADMIN/tom_submit.<queue>", PARAM…], a spool-like environment,
// stdout and stderr on the job's .o and .e files. The tsend and vtgestlog stand-ins of
// examples/agent record their argv in the tree's spool folder.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace vtsubmit::test {

struct AgentRun {
  int exit_code = -1;          // vtsubmit's exit status, or 128+n when a signal n ended it
  bool timed_out = false;      // the harness had to kill vtsubmit
  std::string out;             // the .o log
  std::string err;             // the .e log
  std::vector<std::vector<std::string>> tsend_calls;
  std::vector<std::vector<std::string>> vtgestlog_calls;
  std::chrono::milliseconds duration{0};
};

// Hook called while vtsubmit runs, with its pid (it leads its own process group).
using RunningHook = void (*)(pid_t vtsubmit_pid, const std::filesystem::path& home);

class AgentTree {
 public:
  AgentTree();
  ~AgentTree();
  AgentTree(const AgentTree&) = delete;
  AgentTree& operator=(const AgentTree&) = delete;

  std::filesystem::path home;    // TOM_HOME
  std::filesystem::path admin;   // TOM_ADMIN
  std::filesystem::path bin;     // ABM_BIN
  std::filesystem::path spool;   // ABM_SPOOL
  std::filesystem::path logs;
  std::filesystem::path scripts;

  // Job environment as in a spool N.env file, plus the agent's own TOM_HOME/TOM_ADMIN/PATH;
  // tests change entries before calling run().
  std::map<std::string, std::string> environment;

  void write_file(const std::filesystem::path& path, const std::string& text, unsigned mode = 0644) const;
  void write_queue_file(const std::string& text, const std::string& queue = "test") const;
  void write_init(const std::string& text) const;
  // Writes an executable script into scripts/ and returns its path.
  std::filesystem::path write_script(const std::string& name, const std::string& text, unsigned mode = 0755) const;

  // Runs vtsubmit for queue `queue`; kills it (and fails the run) after `limit`.
  AgentRun run(const std::vector<std::string>& parameters, const std::string& queue = "test",
               std::chrono::seconds limit = std::chrono::seconds(60), RunningHook hook = nullptr,
               const std::optional<std::filesystem::path>& queue_file = std::nullopt);

  std::string read(const std::filesystem::path& path) const;
};

// Path of the vtsubmit binary under test.
std::filesystem::path vtsubmit_binary();

// True while `pid` exists and is not a zombie.
bool process_alive(pid_t pid);

// Waits up to `limit` for a file to appear and returns its content ("" on time-out).
std::string wait_for_file(const std::filesystem::path& path, std::chrono::milliseconds limit);

}  // namespace vtsubmit::test
