#pragma once

// Command lines for batch files (.bat, .cmd), which only cmd.exe can run. cmd does not know the
// C runtime's \" escape, expands %NAME% inside quotes and runs & | < > outside them, so the
// usual argv quoting lets a parameter run commands (the "BatBadBut" class of bugs, 2024).
// The escaping here is the one Rust (1.77.2 and later) and Zig use: the batch file receives
// every parameter unchanged, except that a '"' arrives doubled. Pure string functions.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vtsubmit::batch {

// True when Windows would run `path` as a batch file: its extension, after the trailing dots
// and spaces that Windows strips from file names, is .bat or .cmd in any case.
bool is_batch_file(std::string_view path);

// Escapes one parameter for a batch file run by `cmd /e:ON /v:OFF /s /c`. Returns nullopt when
// the parameter cannot reach the batch file unchanged: it contains NUL, CR or LF.
std::optional<std::string> escape_argument(std::string_view argument);

// Reason a batch command line cannot be built.
enum class CommandLineError {
  none,
  script_has_quote,       // a path cannot contain '"'; cmd would end the quoted path there
  script_ends_with_slash, // "C:\dir\" would escape the closing quote
  argument_has_newline,   // NUL, CR or LF in a parameter
};

struct BatchCommandLine {
  CommandLineError error = CommandLineError::none;
  std::size_t argument_index = 0;   // for argument_has_newline: 0-based index of the parameter
  std::string command_line;         // when error == none
};

// Builds `"<cmd_exe>" /d /e:ON /v:OFF /s /c ""<script>" <escaped arguments>"`.
// /d skips the AutoRun registry commands, /e:ON is needed by the %%cd:~,% escape of '%',
// /v:OFF keeps '!' literal whatever the registry sets, /s makes cmd remove exactly the first and
// last quote. Each argument is escaped with escape_argument.
BatchCommandLine make_batch_command_line(std::string_view cmd_exe, std::string_view script,
                                         const std::vector<std::string>& arguments);

// Builds the legacy form `"<cmd_exe>" /d /e:ON /v:OFF /s /c "call "<script>" <tail>"`: cmd parses
// the raw tail as the old `call "%TOM_SCRIPT%" %*` queue did, with its injection risk.
BatchCommandLine make_legacy_call_command_line(std::string_view cmd_exe, std::string_view script,
                                               std::string_view raw_tail);

// Builds `"<cmd_exe>" /d /e:ON /v:OFF /s /c "<command> <tail>"` for an inline command (a
// TOM_SCRIPT that names no file): the command text is cmd syntax, as the job defines it.
std::string make_inline_command_line(std::string_view cmd_exe, std::string_view command, std::string_view tail);

// Escapes text so that one cmd command-line parse gives it back unchanged: every
// ( ) % ! ^ " < > & | gets a '^' in front. For a program (not a batch file) started by cmd.
std::string escape_cmd_metacharacters(std::string_view text);

}  // namespace vtsubmit::batch
