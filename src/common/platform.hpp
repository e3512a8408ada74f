#pragma once

// The narrow interface each platform folder implements (src/posix, src/win32).
// Everything above it (src/common) is the job flow and the parsers, free of platform code.

#include <chrono>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "common/environment.hpp"
#include "common/messages.hpp"

namespace vtsubmit::platform {

// Environment of the current process, in the platform's name case rule.
Environment current_environment();

// Reads a whole file into `contents`; files larger than `max_bytes` are rejected with EFBIG.
std::error_code read_file(const std::string& path, std::string& contents, std::size_t max_bytes);

// Default init file when the queue file names none, with variables still unexpanded.
std::string default_init_file();   // "$TOM_ADMIN/vtom_init.ksh" on POSIX

// Default argv prefix for an inline TOM_SCRIPT (a command line, not a file).
std::vector<std::string> default_inline_prefix();   // {"/bin/sh", "-c"} on POSIX

// Full path of a program next to another, e.g. tsend in ABM_BIN ("tsend.exe" on Windows).
std::string program_path(const std::string& directory, const std::string& name);

// Request to resolve the job's script into a command.
struct ScriptRequest {
  std::string script;                       // TOM_SCRIPT, as given
  std::vector<std::string> parameters;      // job parameters, unchanged
  std::string raw_parameters;               // Windows: the raw command-line tail (%*); empty on POSIX
  std::vector<std::string> interpreter;     // [script] interpreter from the queue file; empty: default
  std::vector<std::string> inline_prefix;   // [script] inline; empty: default_inline_prefix()
  std::string inline_arg0;                  // $0 for a shell running an inline command (the job name)
  std::string working_directory;            // where relative script paths resolve; empty: current
  const Environment* environment = nullptr; // PATH for the lookup of bare names
  std::string queue_file;                   // for messages
  bool legacy_batch_arguments = false;      // Windows: [script] batch_args = "legacy"
};

// A resolved command: exactly what will be executed.
struct JobCommand {
  std::string program;              // file passed to exec / CreateProcess
  std::vector<std::string> argv;    // argv[0] included
  std::string command_line;         // Windows: the exact command line; empty on POSIX
  bool script_is_file = false;      // TOM_SCRIPT named a file (false: an inline command)
  bool shell_fallback = false;      // POSIX: on ENOEXEC, run the file with /bin/sh (execvp's rule)
};

// Result of resolving a script: a command, or why the job cannot start.
struct ScriptPlan {
  bool ok = false;
  JobCommand command;
  int exit_code = 0;      // when !ok: 127 (not found) or 126 (cannot execute), as a shell returns
  Message error;          // when !ok: what is wrong and what to do
};

ScriptPlan plan_script(const ScriptRequest& request);

// How to stop the job and what to do with processes left behind.
enum class LeftoverPolicy { kill, wait, keep };

struct JobOptions {
  std::vector<std::string> environment;   // "NAME=value" entries: the child's whole environment
  std::string working_directory;          // empty: inherited
  std::chrono::seconds stop_grace{10};    // between TERM and KILL
  std::chrono::milliseconds drain_timeout{std::chrono::seconds(5)};  // output wait once the main process ended
  LeftoverPolicy leftovers = LeftoverPolicy::kill;
};

struct LeftoverProcess {
  long pid = 0;
  std::string command;
};

// Outcome of one job run.
struct JobResult {
  bool started = false;
  std::error_code start_error;     // when !started: the spawn error (ENOENT, EACCES…)
  int exit_code = 0;               // exit status, or 128+n when killed by signal n (POSIX)
  int term_signal = 0;             // signal that ended the main process, 0 if it exited
  bool core_dumped = false;
  int stop_signal = 0;             // stop request received by vtsubmit (SIGTERM…), 0 if none
  bool killed_after_grace = false; // KILL was needed after stop_grace
  bool drain_timed_out = false;    // a descendant kept the output open past drain_timeout
  std::vector<LeftoverProcess> leftovers;   // descendants alive after the main process ended
  // Problems that did not stop the run, for the log: a failed system call, an output that could
  // not be written (the rest of that stream was discarded), no watchdog process.
  std::vector<Message> warnings;
};

// Starts the job in its own process group (POSIX) or job object (Windows), with stdin on the null
// device, streams its stdout and stderr byte for byte to ours, and handles stop requests.
JobResult run_job(const JobCommand& command, const JobOptions& options);

// Installs the handlers that turn SIGTERM, SIGINT and SIGHUP (console events on Windows) into a
// stop request, and ignores SIGPIPE. Call once, first thing in main.
void install_stop_handlers();

// Returns the stop request received so far (a signal number), or 0.
int pending_stop_request();

// Outcome of a helper program (tsend, vtgestlog, gestlog).
struct HelperResult {
  bool started = false;
  std::error_code start_error;
  bool timed_out = false;
  int exit_code = 0;
};

// Runs a helper with inherited stdout/stderr and stdin on the null device; kills it after `timeout`.
HelperResult run_helper(const std::string& program, const std::vector<std::string>& args,
                        const std::vector<std::string>& environment, std::chrono::seconds timeout);

// Converts vtsubmit's own UTF-8 text to the job log's encoding (unchanged on POSIX; the
// queue file's code page on Windows). The job's own output is never converted.
std::string to_log_encoding(std::string_view utf8);

// Sets the encoding of vtsubmit's own log text from the queue file's [log] codepage:
// 0 is the ANSI code page, 1 the OEM code page, any other value a code page number (65001 is
// UTF-8). Windows only; POSIX logs stay UTF-8.
void set_log_codepage(unsigned code_page);

// Converts init-file bytes read in `code_page` (0: the code page cmd.exe reads batch files
// with) to UTF-8. Unchanged on POSIX.
std::string decode_code_page(std::string_view bytes, unsigned code_page);

// Returns the exit code in words when it is more than a number, for the job log:
// "0xC0000005 (access violation)" on Windows. Empty when there is nothing to add.
std::string describe_exit_code(int exit_code);

// Exit code reported for a job that a stop request ended: 128+signal on POSIX,
// 0xC000013A (STATUS_CONTROL_C_EXIT) on Windows.
int stop_exit_code(int stop_request);

// Name of a signal for the job log ("SIGTERM"); on Windows the name of a console event.
std::string signal_name(int signal_number);

// Names of the two steps of a stop, for the job log: the request the job may handle, then the
// forced end after the grace period.
struct StopSteps {
  std::string graceful;   // "SIGTERM"; "CTRL_BREAK_EVENT" on Windows
  std::string forced;     // "SIGKILL"; "TerminateJobObject" on Windows
};
StopSteps stop_steps();

// True when `path` names a file this process may execute.
bool is_executable_file(const std::string& path);

// Returns the user's name, for the context block.
std::string current_user_name();

// Returns this host's name, for the context block.
std::string host_name();

// Admin commands (vtsubmit install-queue, uninstall-queue, simulate).

// Returns the path of the running vtsubmit executable, or "" when the system cannot tell.
std::string self_executable_path();

// File name of a queue's program in ABM_BIN, the file that line 4 of queue.conf names:
// "NAME" on POSIX, "NAME.exe" on Windows.
std::string queue_program_file_name(const std::string& name);

// Creates the queue's program `link` that starts vtsubmit `target`: a symbolic link on POSIX,
// a copy of the executable on Windows (a link there needs a privilege that agents rarely have).
std::error_code create_program_link(const std::string& target, const std::string& link);

// Descriptors saved by redirect_output, for restore_output.
struct SavedOutput {
  int out = -1;
  int err = -1;
};

// Sends stdout and stderr (descriptors 1 and 2, and the standard handles on Windows) to the files
// `out_path` and `err_path`, created or truncated, as the agent does for a job's .o and .e logs.
// On failure nothing is redirected.
std::error_code redirect_output(const std::string& out_path, const std::string& err_path, SavedOutput& saved);

// Puts back the stdout and stderr that redirect_output saved.
void restore_output(SavedOutput& saved);

}  // namespace vtsubmit::platform
