#pragma once

// Windows command-line text as cmd.exe and the Microsoft C runtime read it. Pure string
// functions on UTF-8 text, so they build and are tested on every platform.

#include <string>
#include <string_view>
#include <vector>

namespace vtsubmit::cmdline {

// One argument read from the start of a command line.
struct CrtArgument {
  std::string value;       // the argument after quote and backslash processing
  std::string_view rest;   // the text after it, with the spaces and tabs that follow removed
  bool present = false;    // false when the text held only spaces and tabs
};

// Reads argv[0] with the C runtime's program-name rule: '"' switches quoted mode and is
// removed, backslashes are literal, and the name ends at the first space or tab outside quotes.
CrtArgument read_program_name(std::string_view command_line);

// Reads one of argv[1..] with the C runtime's argument rules (the rules of VS2008 and later):
// 2n backslashes before '"' give n backslashes and toggle quoted mode, 2n+1 give n and a
// literal '"', and "" inside quotes gives a literal '"'.
CrtArgument read_crt_argument(std::string_view text);

// Splits argument text (without argv[0]) into argv with read_crt_argument.
std::vector<std::string> split_crt_arguments(std::string_view text);

// Quotes one argument so that read_crt_argument gives it back unchanged: arguments without
// space, tab, newline, vertical tab or '"' stay as they are.
std::string quote_crt_argument(std::string_view argument);

// The parts of vtsubmit.exe's command line: program, queue file and the job's parameters.
struct QueueCommandLine {
  std::string program;       // argv[0]
  std::string queue_file;    // argv[1], decoded by the C runtime rules; empty when absent
  bool has_queue_file = false;
  std::string raw_tail;      // everything after the queue-file token and its following blanks,
                             // byte for byte: the job's parameters as a batch file's %* would hold them
};

// Splits GetCommandLineW()'s text (converted to UTF-8). The tail is never rebuilt from argv.
QueueCommandLine split_queue_command_line(std::string_view command_line);

// Splits a parameter tail the way cmd.exe numbers %1, %2…: separators are space, tab, ',', ';',
// '=', vertical tab and form feed (a run counts as one); '"' switches quoted mode, where separators
// do not split, and stays part of the parameter. There is no escape for '"'.
// NOTE: community sources also list the no-break space (0xFF in OEM code pages) as a separator;
// it is not treated as one here, because that is not verified.
std::vector<std::string> split_batch_parameters(std::string_view tail);

// Returns the text a batch parameter stands for: the parameter without its '"' characters.
std::string remove_quotes(std::string_view parameter);

}  // namespace vtsubmit::cmdline
