#pragma once

// The syntax of batch-file lines as cmd.exe reads them, for BatInterpreter: command words,
// quotes, ^ escapes, & between commands, ( ) blocks, one-line IF, and physical lines.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/messages.hpp"

namespace vtsubmit::bat {

char upper_ascii(char c);
bool equals_ignoring_case(std::string_view a, std::string_view b);
bool starts_with_ignoring_case(std::string_view text, std::string_view prefix);
bool is_blank(char c);
// Characters that cmd skips before a command word: blanks, '@' and the separators , ; =.
bool is_command_lead(char c);
std::string_view skip_blanks(std::string_view text);
std::string_view skip_command_lead(std::string_view text);

// Returns the command word at the start of `text` (after blanks, '@' and separators) and the
// text after it. The word ends at a blank, a separator, '/', '(' or '.', as `echo.` and
// `set/a` show.
std::pair<std::string, std::string_view> split_command_word(std::string_view text);

struct Condition {
  enum class Kind { defined, exist, compare } kind = Kind::compare;
  bool negate = false;
  bool ignore_case = false;
  std::string left;
  std::string op;
  std::string right;
};

struct Command {
  enum class Kind { simple, block, conditional, comment } kind = Kind::simple;
  std::string word;        // simple: the command word, as written
  std::string arguments;   // simple: the text after the word, escapes and redirections removed
  Condition condition;     // conditional
  std::vector<Command> then_commands;   // block and conditional
  std::vector<Command> else_commands;   // conditional
};

// Raised while parsing a line that contains something the interpreter does not evaluate.
struct Unsupported {
  Msg construct;
};

// Parses one line, after % expansion, into commands, following cmd's phase 2: quotes, ^ escapes,
// & between commands and ( ) blocks. Throws Unsupported for what BatInterpreter does not evaluate.
std::vector<Command> parse_line(std::string_view text);

// Counts the block parentheses a line leaves open: those of a line that starts with '(' or
// with IF or FOR, outside quotes and escapes.
int open_parentheses(std::string_view line);

// Returns how much a line inside a block changes the parenthesis depth.
int count_parentheses_change(std::string_view line);

// Splits file bytes into physical lines: LF ends a line, CR is dropped, Ctrl-Z counts as LF.
std::vector<std::string> physical_lines(std::string_view text);

// True when the line ends with an odd number of carets: the last one escapes the line end.
bool continues_on_next_line(std::string_view line);

}  // namespace vtsubmit::bat
