#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "common/messages.hpp"
#include "common/platform.hpp"
#include "common/secret_mask.hpp"

namespace vtsubmit {

// Settings of one queue, read from its queue file ($TOM_ADMIN/tom_submit.<name>, TOML).
// An empty file gives the defaults, which behave like the standard ksh queue.
struct QueueConfig {
  std::string path;
  std::optional<Language> language;         // unset: from LC_ALL / LC_MESSAGES / LANG
  std::vector<std::string> init;            // init files, variables not yet expanded
  bool init_is_default = true;              // `init` absent: a missing default file is skipped
  std::string workdir;                      // empty: inherited from the agent
  std::vector<std::string> interpreter;     // [script] interpreter: argv prefix for a script file
  std::vector<std::string> inline_prefix;   // [script] inline: argv prefix for an inline command
  int stop_grace_seconds = 10;              // [stop] grace: TERM → KILL
  int drain_seconds = 5;                    // [stop] drain: output wait after the main process ends
  platform::LeftoverPolicy leftovers = platform::LeftoverPolicy::kill;   // [stop] leftovers
  int tsend_timeout_seconds = 60;           // [tsend] timeout: limit of one tsend attempt
  int tsend_attempts = 5;                   // [tsend] attempts: tsend runs at most this many times
  int tsend_retry_delay_seconds = 5;        // [tsend] retry_delay: wait after the first failure, then doubled
  int tsend_retry_delay_max_seconds = 60;   // [tsend] retry_delay_max: cap of that wait
  std::string pending_dir;                  // [tsend] pending_dir, unexpanded; empty: the default folder
  bool legacy_batch_arguments = false;      // [script] batch_args = "legacy" (Windows)
  unsigned log_code_page = 0;               // [log] codepage (Windows): 0 ANSI, 1 OEM, else a code page
  std::vector<std::string> mask = default_mask_names();   // [display] mask: secret option and variable names
};

// Invalid queue file; the message names the file, the line, the key and the fix.
class QueueFileError : public std::runtime_error {
 public:
  explicit QueueFileError(Message message)
      : std::runtime_error("queue file error"), message_(std::move(message)) {}
  const Message& message() const { return message_; }

 private:
  Message message_;
};

// Largest queue file accepted; a queue file is a few lines of settings.
inline constexpr std::size_t max_queue_file_bytes = 1024 * 1024;

// Parses queue-file text; `path` names the file in error messages. Throws QueueFileError.
QueueConfig parse_queue_file(std::string_view text, const std::string& path);

// Reads and parses a queue file. Throws QueueFileError.
QueueConfig load_queue_file(const std::string& path);

}  // namespace vtsubmit
