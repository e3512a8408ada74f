#pragma once

#include <optional>
#include <string>
#include <vector>

namespace vtsubmit {

// Words that make argv[1] a sub-command instead of a queue file. The agent always passes the
// queue file as an absolute path, so a queue file can never be one of these words.
inline constexpr const char* subcommand_words[] = {"check", "explain", "simulate", "install-queue",
                                                   "uninstall-queue"};

// True when argv[1] selects tool mode: it starts with '-' or is exactly a sub-command word.
bool is_tool_mode(const std::string& first_argument);

// Runs --help, --version or a sub-command; `args` is argv without argv[0]. Returns the exit code.
int run_tool_mode(const std::vector<std::string>& args);

}  // namespace vtsubmit
