#pragma once

// Shared pieces of the failure-matrix tests (test_failure_*.cpp): a tsend stand-in that fails a
// chosen number of times, the pending-report folder, and process checks.

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "agent_harness.hpp"

namespace vtsubmit::test {

// Replaces $ABM_BIN/tsend by a wrapper of the recording stand-in: calls up to TSEND_FAILURES
// (a job environment variable) fail with TSEND_FAIL_EXIT (default 1), after sleeping
// TSEND_FAIL_SLEEP seconds when set. Each call's pid goes to $ABM_SPOOL/tsend.pids.
void install_failing_tsend(const AgentTree& agent);

// The default pending-report folder of a tree: $ABM_SPOOL/vtsubmit-pending.
std::filesystem::path pending_folder_of(const AgentTree& agent);

// The .pending files of a folder.
std::vector<std::filesystem::path> pending_files(const std::filesystem::path& folder);

// Runs `vtsubmit ARGS…` as a tool (no job) with the tree's environment; returns the exit code and
// fills `out` with stdout and stderr.
int run_tool(const AgentTree& agent, const std::vector<std::string>& args, std::string& out);

// True when `text` contains `part`.
bool contains(const std::string& text, const std::string& part);

// Pids written one per line (or space-separated) into a file by a job, waiting for it.
std::vector<pid_t> read_pids(const std::filesystem::path& path, std::chrono::milliseconds limit);

// True when every pid has ended (or is a zombie) within `limit`.
bool all_ended(const std::vector<pid_t>& pids, std::chrono::milliseconds limit);

}  // namespace vtsubmit::test
