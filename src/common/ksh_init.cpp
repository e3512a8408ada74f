// Evaluation of ksh-style vtom_init files without a shell: the text is parsed, never run.
//
// Reference behaviour: ksh93u+m 1.0.4 (Debian package ksh), checked command by command.
//
// Whole-file parse. Like ksh93 for a dot script, the file is parsed completely before its first
// command takes effect. A syntax error anywhere (unterminated quote or ${...}, `fi` without `if`,
// an `if` without `fi`, `;;` outside `case`, a NUL byte outside a comment...) therefore skips the
// whole file, which is reported once as construct_unterminated_quote, construct_syntax_error or
// construct_deep_nesting.
//
// Evaluated as ksh93 does (the oracle tests compare the results with ksh byte for byte):
//   - comments, blank lines, `;` between commands, backslash-newline continuation;
//   - NAME=value and NAME+=value (append), several per line, left to right;
//   - export NAME[=value]..., typeset [-x] NAME[=value]... (as in ksh93u+m, typeset NAME=value
//     without -x removes the export attribute, except from ksh's built-in variables such as
//     PATH, and an operand that reads NAME=value once expanded is an assignment too),
//     unset [-v] NAME..., set -a / +a, set -o allexport / +o allexport, `. file` and
//     `source file`, return, `:`, true, false;
//   - single quotes, double quotes (\$ \` \" \\ and backslash-newline are the escapes), backslash
//     outside quotes, values spanning several lines;
//   - $NAME, ${NAME}, ${NAME:-word}, ${NAME-word}, ${NAME:=word}, ${NAME=word}, ${NAME:+word},
//     ${NAME+word}, with the word itself expanded;
//   - ~ and ~/path from HOME, at the start of a word and after '=' or ':' in assignments;
//   - field splitting on IFS of unquoted expansions in arguments (`unset $LIST`).
// A carriage return is an ordinary character, as in ksh: `A=b<CR>` assigns "b<CR>".
// Variables unset or unknown expand to the empty string. The initial environment is exported.
//
// Reported and skipped, never run: the whole top-level command (up to `;`, `&` or the end of
// the line, or the end of a multi-line compound command) that contains one of these, with one
// diagnostic at its first line:
//   - compound commands (if, for, while, until, case, select, { }, ( ), [[ ]], (( ))), function
//     definitions, pipelines and && || & ! time, redirections and here-documents;
//   - $(...), backquotes, $((...)), $'...', $"...", and '$' followed by a backslash-newline;
//   - special parameters ($1, $#, $$, $?, $_, RANDOM, SECONDS, LINENO, PPID, HISTCMD,
//     KSH_VERSION, SHLVL...) and other parameter operators (${#VAR}, ${VAR%x}, ${VAR:?x}...);
//   - arrays, a name followed by a non-ASCII byte, a value other than a plain number for an
//     integer variable of ksh (TMOUT, OPTIND...);
//   - ~ followed by anything but '/' (~user, ~"x", ~$NAME), and ~ with HOME unset;
//   - file name patterns and brace expansion in arguments, `VAR=x command`, invalid names,
//     options of the built-ins other than those above, and every other command (cd, echo,
//     readonly, alias, eval...).
//
// Errors that stop the loading (InitFileError): an unreadable file, an include not found (ksh
// stops there too), an include of a file that is already being loaded (ksh recurses until it
// fails), includes nested more than max_include_depth levels.
//
// ksh exits on some errors in its special built-ins, such as `export 1A=x` or `export A<CR>`.
// Here the command is reported and skipped, and the rest of the file is evaluated.

#include "common/ksh_init.hpp"

#include <algorithm>
#include <cstddef>
#include <deque>
#include <filesystem>
#include <initializer_list>
#include <system_error>
#include <utility>
#include <variant>

#include "common/platform.hpp"

namespace vtsubmit {

namespace {

namespace fs = std::filesystem;

constexpr int max_compound_depth = 200;       // nested compound commands, for the parser's stack
constexpr int max_expansion_depth = 32;       // nested ${...} and quotes inside one word
constexpr std::size_t max_include_depth = 64;  // nested `. file`
// Larger files are rejected: a vtom_init file contains a few kilobytes.
constexpr std::size_t max_init_file_bytes = std::size_t{64} * 1024 * 1024;

bool is_name_start(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

bool is_name_char(char c) {
  return is_name_start(c) || (c >= '0' && c <= '9');
}

bool is_non_ascii(char c) {
  return static_cast<unsigned char>(c) >= 0x80;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool is_valid_name(std::string_view name) {
  if (name.empty() || !is_name_start(name.front())) {
    return false;
  }
  return std::all_of(name.begin(), name.end(), is_name_char);
}

bool is_blank(char c) {
  return c == ' ' || c == '\t';
}

// Characters that end an unquoted word.
bool is_metacharacter(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '&' || c == '|' || c == '(' ||
         c == ')' || c == '<' || c == '>';
}

// The built-in variables of ksh93u+m (shtab_variables in src/cmd/ksh93/data/variables.c).
// `typeset NAME=value` keeps their export attribute, while it removes that of other variables.
bool is_ksh_builtin_variable(std::string_view name) {
  static constexpr std::string_view names[] = {
      "PATH",     "PS1",        "PS2",        "IFS",         "PWD",        "HOME",    "MAIL",    "REPLY",
      "SHELL",    "EDITOR",     "MAILCHECK",  "RANDOM",      "ENV",        "HISTFILE", "HISTSIZE", "HISTEDIT",
      "HISTCMD",  "FCEDIT",     "CDPATH",     "MAILPATH",    "PS3",        "OLDPWD",  "VISUAL",  "COLUMNS",
      "LINES",    "PPID",       "_",          "TMOUT",       "SECONDS",    "LINENO",  "OPTARG",  "OPTIND",
      "PS4",      "FPATH",      "LANG",       "LC_ALL",      "LC_COLLATE", "LC_CTYPE", "LC_MESSAGES",
      "LC_NUMERIC", "LC_TIME",  "FIGNORE",    "KSH_VERSION", "JOBMAX",     "SHLVL"};
  return std::find(std::begin(names), std::end(names), name) != std::end(names);
}

// Built-in variables with the integer attribute: ksh evaluates what is assigned to them as an
// arithmetic expression.
bool is_ksh_integer_variable(std::string_view name) {
  static constexpr std::string_view names[] = {"MAILCHECK", "RANDOM", "HISTCMD", "PPID",   "TMOUT",
                                               "SECONDS",   "LINENO", "OPTIND",  "JOBMAX", "SHLVL"};
  return std::find(std::begin(names), std::end(names), name) != std::end(names);
}

// True for 0 or a decimal number without leading zero, the values that arithmetic leaves unchanged.
bool is_plain_integer(std::string_view text) {
  if (text.empty() || !std::all_of(text.begin(), text.end(), is_digit)) {
    return false;
  }
  return text == "0" || text.front() != '0';
}

// Variables whose value ksh computes itself: expanding them is reported.
bool is_shell_computed_variable(std::string_view name) {
  static constexpr std::string_view names[] = {"_",       "RANDOM",      "SECONDS", "LINENO",
                                               "PPID",    "HISTCMD",     "KSH_VERSION", "SHLVL"};
  return std::find(std::begin(names), std::end(names), name) != std::end(names);
}

// ---------------------------------------------------------------------------------------------
// Lexer: cuts the text into words and operators. A word keeps its raw text (quotes included);
// the word parser below reads it again for evaluation.

enum class TokenKind { word, op, io_number, arithmetic, newline, end };

struct Token {
  TokenKind kind = TokenKind::end;
  std::string_view text;
  int line = 0;
  std::size_t begin = 0;
  std::size_t end = 0;
};

// Ends the parse of a file: nothing of it is evaluated.
struct SyntaxError {
  Msg construct;
  int line;
};

class Lexer {
 public:
  // Words joined across a backslash-newline are stored in `joined_words`, which must outlive the
  // tokens.
  Lexer(std::string_view text, std::deque<std::string>& joined_words) : text_(text), joined_words_(joined_words) {}

  Token next();

 private:
  enum class Context {
    single_quote,
    ansi_quote,  // $'...'
    double_quote,
    parameter,                   // ${...} outside double quotes
    parameter_in_double_quotes,  // ${...} inside double quotes: single quotes are literal there
    command_substitution,        // $(...)
    arithmetic,                  // $((...))
    backquote,
    pattern_group,  // ksh extended pattern such as @(a|b)
  };

  struct Frame {
    Context context;
    int line;
    bool in_double_quotes = false;  // this frame, or the ${...} frames around it, is in "..."
    int parentheses = 0;
    int case_depth = 0;  // open `case` inside $(...), whose patterns end with an unmatched ')'
  };

  struct HereDocument {
    std::string delimiter;
    bool strip_tabs;
  };

  char at(std::size_t index) const { return index < text_.size() ? text_[index] : '\0'; }
  void advance(std::size_t count);
  void skip_blanks_and_comments();
  Token make_token(TokenKind kind, std::size_t begin, int line) const;
  bool scan_arithmetic_command();
  Token scan_operator();
  Token scan_word();
  void scan_dollar(std::vector<Frame>& stack);
  void step_command_substitution(std::vector<Frame>& stack);
  bool at_word_start_in_substitution() const;
  void push(std::vector<Frame>& stack, Context context) const;
  void skip_backslash(const std::vector<Frame>& stack);
  void read_here_documents();

  std::string_view text_;
  std::deque<std::string>& joined_words_;
  std::vector<std::size_t> continuations_;  // backslash-newline positions in the word being scanned
  std::size_t pos_ = 0;
  int line_ = 1;
  std::vector<HereDocument> pending_here_documents_;
  bool expect_here_delimiter_ = false;
  bool strip_here_tabs_ = false;
  bool separator_after_comment_ = false;  // a comment ended at a NUL byte
  bool arithmetic_scan_reached_end_ = false;
};

void Lexer::advance(std::size_t count) {
  const std::size_t stop = std::min(text_.size(), pos_ + count);
  for (; pos_ < stop; ++pos_) {
    if (text_[pos_] == '\n') {
      ++line_;
    }
  }
}

void Lexer::skip_blanks_and_comments() {
  while (pos_ < text_.size()) {
    const char c = text_[pos_];
    if (is_blank(c)) {
      ++pos_;
    } else if (c == '\\' && at(pos_ + 1) == '\n') {
      advance(2);
    } else if (c == '#') {
      // ksh93u+m ends a comment at a NUL byte too, and reads what follows as a new command.
      while (pos_ < text_.size() && text_[pos_] != '\n' && text_[pos_] != '\0') {
        ++pos_;
      }
      if (pos_ < text_.size() && text_[pos_] == '\0') {
        ++pos_;
        separator_after_comment_ = true;
        return;
      }
    } else {
      return;
    }
  }
}

Token Lexer::make_token(TokenKind kind, std::size_t begin, int line) const {
  return Token{kind, text_.substr(begin, pos_ - begin), line, begin, pos_};
}

Token Lexer::next() {
  skip_blanks_and_comments();
  const std::size_t begin = pos_;
  const int line = line_;
  if (separator_after_comment_) {
    separator_after_comment_ = false;
    return make_token(TokenKind::newline, begin, line);
  }
  if (pos_ >= text_.size()) {
    if (expect_here_delimiter_) {
      throw SyntaxError{Msg::construct_syntax_error, line};
    }
    return make_token(TokenKind::end, begin, line);
  }

  const char c = text_[pos_];
  if (c == '\0') {
    // ksh93u+m: "syntax error: `zero byte' unexpected".
    throw SyntaxError{Msg::construct_syntax_error, line};
  }
  if (c == '\n') {
    if (expect_here_delimiter_) {
      throw SyntaxError{Msg::construct_syntax_error, line};
    }
    advance(1);
    Token token = make_token(TokenKind::newline, begin, line);
    read_here_documents();
    return token;
  }
  if (c == '(' && at(pos_ + 1) == '(' && scan_arithmetic_command()) {
    return make_token(TokenKind::arithmetic, begin, line);
  }
  if (is_metacharacter(c)) {
    if (expect_here_delimiter_) {
      throw SyntaxError{Msg::construct_syntax_error, line};
    }
    return scan_operator();
  }

  Token token = scan_word();
  if (expect_here_delimiter_) {
    // Quote removal, enough for a delimiter: EOF, 'EOF', "EOF" and \EOF.
    std::string delimiter;
    for (const char d : token.text) {
      if (d != '\'' && d != '"' && d != '\\') {
        delimiter += d;
      }
    }
    pending_here_documents_.push_back({std::move(delimiter), strip_here_tabs_});
    expect_here_delimiter_ = false;
  } else if (std::all_of(token.text.begin(), token.text.end(), is_digit) &&
             (at(pos_) == '<' || at(pos_) == '>')) {
    token.kind = TokenKind::io_number;
  }
  return token;
}

// Recognizes ((...)) as an arithmetic command. Returns false, consuming nothing, when the
// parentheses are rather two subshells, as in ((cd /tmp) && ls).
bool Lexer::scan_arithmetic_command() {
  if (arithmetic_scan_reached_end_) {
    return false;  // a text of many "((" without "))" would otherwise be scanned once per "(("
  }
  int depth = 0;
  for (std::size_t i = pos_ + 2; i < text_.size(); ++i) {
    const char c = text_[i];
    if (c == '(') {
      ++depth;
    } else if (c == ')') {
      if (depth > 0) {
        --depth;
      } else if (at(i + 1) == ')') {
        advance(i + 2 - pos_);
        return true;
      } else {
        return false;
      }
    }
  }
  arithmetic_scan_reached_end_ = true;
  return false;
}

Token Lexer::scan_operator() {
  static constexpr std::string_view operators[] = {
      ";;&", ";;", ";&", ";", "&&", "&", "||", "|&", "|", "(", ")", "<<<", "<<-",
      "<<",  "<&", "<>", "<", ">>", ">&", ">|", ">"};
  const std::size_t begin = pos_;
  const int line = line_;
  const std::string_view rest = text_.substr(pos_);
  for (const auto op : operators) {
    if (rest.substr(0, op.size()) == op) {
      advance(op.size());
      if (op == "<<" || op == "<<-") {
        expect_here_delimiter_ = true;
        strip_here_tabs_ = op == "<<-";
      }
      return make_token(TokenKind::op, begin, line);
    }
  }
  // Unreachable: every metacharacter except blank and newline starts an operator.
  advance(1);
  return make_token(TokenKind::op, begin, line);
}

// Opens a context. Double quotes reach through ${...} only: $(...) and `...` start afresh.
void Lexer::push(std::vector<Frame>& stack, Context context) const {
  bool in_double_quotes = context == Context::double_quote || context == Context::parameter_in_double_quotes;
  if (context == Context::parameter && !stack.empty()) {
    in_double_quotes = stack.back().in_double_quotes;
  }
  stack.push_back({context, line_, in_double_quotes});
}

// Steps over a backslash and the character it escapes. A backslash-newline outside single quotes
// is a line continuation, which ksh removes before reading the word: A\<newline>B=1 assigns AB.
// Right after '$' or "${" ksh93u+m reads it inconsistently, so it is kept for the word parser to
// report.
void Lexer::skip_backslash(const std::vector<Frame>& stack) {
  const bool after_dollar = (pos_ >= 1 && text_[pos_ - 1] == '$') ||
                            (pos_ >= 2 && text_[pos_ - 1] == '{' && text_[pos_ - 2] == '$');
  if (at(pos_ + 1) == '\n' && !after_dollar && (stack.empty() || stack.back().context != Context::ansi_quote)) {
    continuations_.push_back(pos_);
  }
  advance(2);
}

// Opens the context that starts with '$' at pos_, or steps over a plain '$'.
void Lexer::scan_dollar(std::vector<Frame>& stack) {
  const char next = at(pos_ + 1);
  const bool quoted = !stack.empty() && stack.back().in_double_quotes;
  if (next == '{') {
    push(stack, quoted ? Context::parameter_in_double_quotes : Context::parameter);
    advance(2);
  } else if (next == '(' && at(pos_ + 2) == '(') {
    push(stack, Context::arithmetic);
    advance(3);
  } else if (next == '(') {
    push(stack, Context::command_substitution);
    advance(2);
  } else if (next == '\'' && !quoted) {
    push(stack, Context::ansi_quote);
    advance(2);
  } else if (next == '"' && !quoted) {
    push(stack, Context::double_quote);
    advance(2);
  } else {
    advance(1);
  }
}

bool Lexer::at_word_start_in_substitution() const {
  if (pos_ == 0) {
    return true;
  }
  const char previous = text_[pos_ - 1];
  return is_metacharacter(previous);
}

// One step inside $(...): quotes, nested expansions, comments and parentheses are followed well
// enough to find the closing ')'. The command itself is never evaluated.
// NOTE: a here-document inside $(...) is not recognized, so a ')' in its body ends the scan early.
void Lexer::step_command_substitution(std::vector<Frame>& stack) {
  Frame& frame = stack.back();
  const char c = text_[pos_];
  if (at_word_start_in_substitution()) {
    const std::string_view rest = text_.substr(pos_);
    const auto keyword = [&](std::string_view word) {
      return rest.substr(0, word.size()) == word &&
             (rest.size() == word.size() || is_metacharacter(rest[word.size()]));
    };
    if (c == '#') {
      while (pos_ < text_.size() && text_[pos_] != '\n') {
        ++pos_;
      }
      return;
    }
    if (keyword("case")) {
      ++frame.case_depth;
      advance(4);
      return;
    }
    if (keyword("esac")) {
      frame.case_depth = std::max(0, frame.case_depth - 1);
      advance(4);
      return;
    }
  }
  switch (c) {
    case '\\':
      skip_backslash(stack);
      break;
    case '\'':
      push(stack, Context::single_quote);
      advance(1);
      break;
    case '"':
      push(stack, Context::double_quote);
      advance(1);
      break;
    case '`':
      push(stack, Context::backquote);
      advance(1);
      break;
    case '$':
      scan_dollar(stack);
      break;
    case '(':
      ++frame.parentheses;
      advance(1);
      break;
    case ')':
      if (frame.parentheses > 0) {
        --frame.parentheses;
      } else if (frame.case_depth == 0) {
        stack.pop_back();
      }
      advance(1);
      break;
    default:
      advance(1);
      break;
  }
}

// Scans one word with an explicit stack of open quotes and expansions, so that any nesting
// depth costs memory, not recursion, and the scan stays linear.
Token Lexer::scan_word() {
  const std::size_t begin = pos_;
  const int line = line_;
  std::vector<Frame> stack;
  continuations_.clear();

  while (true) {
    if (pos_ >= text_.size()) {
      if (stack.empty()) {
        break;
      }
      const Frame& outermost = stack.front();
      const bool is_quote = outermost.context == Context::single_quote ||
                            outermost.context == Context::ansi_quote ||
                            outermost.context == Context::double_quote ||
                            outermost.context == Context::backquote;
      throw SyntaxError{is_quote ? Msg::construct_unterminated_quote : Msg::construct_syntax_error,
                        outermost.line};
    }
    const char c = text_[pos_];
    if (c == '\0') {
      throw SyntaxError{Msg::construct_syntax_error, line_};
    }

    if (stack.empty()) {
      if (is_metacharacter(c)) {
        break;
      }
      if ((c == '@' || c == '*' || c == '+' || c == '?' || c == '!') && at(pos_ + 1) == '(') {
        push(stack, Context::pattern_group);
        advance(2);
        continue;
      }
      switch (c) {
        case '\\':
          skip_backslash(stack);
          break;
        case '\'':
          push(stack, Context::single_quote);
          advance(1);
          break;
        case '"':
          push(stack, Context::double_quote);
          advance(1);
          break;
        case '`':
          push(stack, Context::backquote);
          advance(1);
          break;
        case '$':
          scan_dollar(stack);
          break;
        default:
          advance(1);
          break;
      }
      continue;
    }

    Frame& frame = stack.back();
    switch (frame.context) {
      case Context::single_quote:
        if (c == '\'') {
          stack.pop_back();
        }
        advance(1);
        break;
      case Context::ansi_quote:
      case Context::backquote:
        if (c == '\\') {
          skip_backslash(stack);
        } else {
          if ((frame.context == Context::ansi_quote && c == '\'') ||
              (frame.context == Context::backquote && c == '`')) {
            stack.pop_back();
          }
          advance(1);
        }
        break;
      case Context::double_quote:
        if (c == '\\') {
          skip_backslash(stack);
        } else if (c == '"') {
          stack.pop_back();
          advance(1);
        } else if (c == '$') {
          scan_dollar(stack);
        } else if (c == '`') {
          push(stack, Context::backquote);
          advance(1);
        } else {
          advance(1);
        }
        break;
      case Context::parameter:
      case Context::parameter_in_double_quotes:
        if (c == '}') {
          stack.pop_back();
          advance(1);
        } else if (c == '\\') {
          skip_backslash(stack);
        } else if (c == '\'' && frame.context == Context::parameter) {
          push(stack, Context::single_quote);
          advance(1);
        } else if (c == '"') {
          push(stack, Context::double_quote);
          advance(1);
        } else if (c == '$') {
          scan_dollar(stack);
        } else if (c == '`') {
          push(stack, Context::backquote);
          advance(1);
        } else {
          advance(1);
        }
        break;
      case Context::command_substitution:
        step_command_substitution(stack);
        break;
      case Context::arithmetic:
        if (c == '(') {
          ++frame.parentheses;
          advance(1);
        } else if (c == ')') {
          if (frame.parentheses > 0) {
            --frame.parentheses;
            advance(1);
          } else if (at(pos_ + 1) == ')') {
            stack.pop_back();
            advance(2);
          } else {
            // $( (subshell) ... ): a command substitution after all, its inner subshell closed.
            frame.context = Context::command_substitution;
            advance(1);
          }
        } else if (c == '$') {
          scan_dollar(stack);
        } else if (c == '\\') {
          skip_backslash(stack);
        } else if (c == '"') {
          push(stack, Context::double_quote);
          advance(1);
        } else if (c == '\'') {
          push(stack, Context::single_quote);
          advance(1);
        } else if (c == '`') {
          push(stack, Context::backquote);
          advance(1);
        } else {
          advance(1);
        }
        break;
      case Context::pattern_group:
        if (c == '(') {
          ++frame.parentheses;
          advance(1);
        } else if (c == ')') {
          if (frame.parentheses > 0) {
            --frame.parentheses;
          } else {
            stack.pop_back();
          }
          advance(1);
        } else if (c == '\\') {
          skip_backslash(stack);
        } else if (c == '\'') {
          push(stack, Context::single_quote);
          advance(1);
        } else if (c == '"') {
          push(stack, Context::double_quote);
          advance(1);
        } else if (c == '$') {
          scan_dollar(stack);
        } else {
          advance(1);
        }
        break;
    }
  }

  Token token = make_token(TokenKind::word, begin, line);
  if (!continuations_.empty()) {
    std::string joined;
    std::size_t copied = begin;
    for (const std::size_t continuation : continuations_) {
      joined.append(text_.substr(copied, continuation - copied));
      copied = continuation + 2;
    }
    joined.append(text_.substr(copied, pos_ - copied));
    token.text = joined_words_.emplace_back(std::move(joined));
  }
  return token;
}

// Skips the bodies of the here-documents opened on the line that just ended.
void Lexer::read_here_documents() {
  for (const auto& document : pending_here_documents_) {
    while (pos_ < text_.size()) {
      const std::size_t line_end = std::min(text_.find('\n', pos_), text_.size());
      std::string_view body_line = text_.substr(pos_, line_end - pos_);
      advance(line_end - pos_ + 1);
      if (document.strip_tabs) {
        body_line.remove_prefix(std::min(body_line.find_first_not_of('\t'), body_line.size()));
      }
      if (body_line == document.delimiter) {
        break;
      }
    }
  }
  pending_here_documents_.clear();
}

// ---------------------------------------------------------------------------------------------
// Parser: splits the file into top-level commands and checks the grammar of compound commands,
// which are skipped but must be well formed, as ksh refuses the whole file otherwise.
// NOTE: the check follows the POSIX grammar plus the ksh forms above. A file that ksh93 rejects
// for a finer rule (inside [[ ]] or an arithmetic command, for instance) is evaluated here.

struct ParsedCommand {
  Msg construct = Msg::count_;  // Msg::count_: a simple command to evaluate
  int line = 0;
  std::size_t begin = 0;
  std::size_t end = 0;
  std::vector<Token> words;  // words of the simple command
};

class Parser {
 public:
  // The words of the returned commands may point into `joined_words`.
  Parser(std::string_view text, std::deque<std::string>& joined_words) : lexer_(text, joined_words) {}

  std::vector<ParsedCommand> parse_program();

 private:
  // First construct found in the command being parsed: the one it is reported as.
  struct Marks {
    Msg construct = Msg::count_;
    void mark(Msg found) {
      if (construct == Msg::count_) {
        construct = found;
      }
    }
  };

  void advance();
  bool is_op(std::string_view op) const { return token_.kind == TokenKind::op && token_.text == op; }
  bool is_word(std::string_view word) const {
    return token_.kind == TokenKind::word && token_.text == word;
  }
  bool is_redirection() const;
  bool at_terminator(std::initializer_list<std::string_view> terminators) const;
  void skip_newlines();
  void skip_empty_commands();
  [[noreturn]] void unexpected() const;
  void expect_word(std::string_view word);
  void expect_op(std::string_view op);

  void parse_and_or(Marks& marks, std::vector<Token>* words, int depth);
  void parse_pipeline(Marks& marks, std::vector<Token>* words, int depth);
  void parse_command(Marks& marks, std::vector<Token>* words, int depth);
  void parse_simple_command(Marks& marks, std::vector<Token>* words, int depth);
  void parse_compound_list(Marks& marks, std::initializer_list<std::string_view> terminators, int depth,
                           bool allow_empty = false);
  void parse_if(Marks& marks, int depth);
  void parse_loop(Marks& marks, int depth);
  void parse_for(Marks& marks, int depth);
  void parse_case(Marks& marks, int depth);
  void parse_function_keyword(Marks& marks, int depth);
  void parse_redirections(Marks& marks);
  void skip_parenthesized_list();

  Lexer lexer_;
  Token token_;
  std::size_t previous_end_ = 0;
  int command_line_ = 1;  // first line of the top-level command being parsed
};

void Parser::advance() {
  previous_end_ = token_.end;
  token_ = lexer_.next();
}

bool Parser::is_redirection() const {
  if (token_.kind == TokenKind::io_number) {
    return true;
  }
  if (token_.kind != TokenKind::op) {
    return false;
  }
  const char first = token_.text.front();
  return first == '<' || first == '>';
}

bool Parser::at_terminator(std::initializer_list<std::string_view> terminators) const {
  if (token_.kind != TokenKind::word && token_.kind != TokenKind::op) {
    return false;
  }
  return std::find(terminators.begin(), terminators.end(), token_.text) != terminators.end();
}

void Parser::skip_newlines() {
  while (token_.kind == TokenKind::newline) {
    advance();
  }
}

// ksh93 accepts a ';' where a command may start, as an empty command ("; A=1", "A=1; ; B=2").
void Parser::skip_empty_commands() {
  while (token_.kind == TokenKind::newline || is_op(";")) {
    advance();
  }
}

void Parser::unexpected() const {
  // At the end of the text the command that is still open is the useful line to show.
  throw SyntaxError{Msg::construct_syntax_error, token_.kind == TokenKind::end ? command_line_ : token_.line};
}

void Parser::expect_word(std::string_view word) {
  if (!is_word(word)) {
    unexpected();
  }
  advance();
}

void Parser::expect_op(std::string_view op) {
  if (!is_op(op)) {
    unexpected();
  }
  advance();
}

std::vector<ParsedCommand> Parser::parse_program() {
  std::vector<ParsedCommand> commands;
  advance();
  skip_empty_commands();
  while (token_.kind != TokenKind::end) {
    ParsedCommand command;
    command.line = token_.line;
    command.begin = token_.begin;
    command_line_ = token_.line;

    Marks marks;
    parse_and_or(marks, &command.words, 0);
    if (is_op("&")) {
      marks.mark(Msg::construct_pipeline);
    }
    command.end = previous_end_;
    command.construct = marks.construct;
    if (command.construct != Msg::count_) {
      command.words.clear();
    }
    commands.push_back(std::move(command));

    if (is_op(";") || is_op("&")) {
      advance();
    } else if (token_.kind != TokenKind::newline && token_.kind != TokenKind::end) {
      unexpected();
    }
    skip_empty_commands();
  }
  return commands;
}

void Parser::parse_and_or(Marks& marks, std::vector<Token>* words, int depth) {
  parse_pipeline(marks, words, depth);
  while (is_op("&&") || is_op("||")) {
    marks.mark(Msg::construct_pipeline);
    advance();
    skip_newlines();
    parse_pipeline(marks, nullptr, depth);
  }
}

void Parser::parse_pipeline(Marks& marks, std::vector<Token>* words, int depth) {
  while (is_word("!") || is_word("time")) {
    marks.mark(Msg::construct_pipeline);
    advance();
  }
  parse_command(marks, words, depth);
  while (is_op("|") || is_op("|&")) {
    marks.mark(Msg::construct_pipeline);
    advance();
    skip_newlines();
    parse_command(marks, nullptr, depth);
  }
}

void Parser::parse_command(Marks& marks, std::vector<Token>* words, int depth) {
  if (depth > max_compound_depth) {
    throw SyntaxError{Msg::construct_deep_nesting, token_.line};
  }
  if (token_.kind == TokenKind::arithmetic) {
    marks.mark(Msg::construct_arithmetic);
    advance();
    parse_redirections(marks);
    return;
  }
  if (is_op("(")) {
    marks.mark(Msg::construct_compound);
    advance();
    parse_compound_list(marks, {")"}, depth + 1);
    expect_op(")");
    parse_redirections(marks);
    return;
  }
  if (token_.kind == TokenKind::word) {
    static constexpr std::string_view closers[] = {"then", "else", "elif", "fi", "do", "done", "esac", "}"};
    if (std::find(std::begin(closers), std::end(closers), token_.text) != std::end(closers)) {
      unexpected();
    }
    const std::string_view word = token_.text;
    if (word == "if") {
      marks.mark(Msg::construct_compound);
      parse_if(marks, depth + 1);
    } else if (word == "while" || word == "until") {
      marks.mark(Msg::construct_compound);
      parse_loop(marks, depth + 1);
    } else if (word == "for" || word == "select") {
      marks.mark(Msg::construct_compound);
      parse_for(marks, depth + 1);
    } else if (word == "case") {
      marks.mark(Msg::construct_compound);
      parse_case(marks, depth + 1);
    } else if (word == "{") {
      marks.mark(Msg::construct_compound);
      advance();
      parse_compound_list(marks, {"}"}, depth + 1);
      expect_word("}");
    } else if (word == "[[") {
      marks.mark(Msg::construct_compound);
      advance();
      while (!is_word("]]")) {
        if (token_.kind == TokenKind::end) {
          unexpected();
        }
        advance();
      }
      advance();
    } else if (word == "function") {
      marks.mark(Msg::construct_function);
      parse_function_keyword(marks, depth + 1);
      return;
    } else {
      parse_simple_command(marks, words, depth);
      return;
    }
    parse_redirections(marks);
    return;
  }
  if (is_redirection()) {
    parse_simple_command(marks, words, depth);
    return;
  }
  unexpected();
}

void Parser::parse_simple_command(Marks& marks, std::vector<Token>* words, int depth) {
  std::size_t count = 0;
  while (true) {
    if (token_.kind == TokenKind::word) {
      const Token word = token_;
      if (words != nullptr) {
        words->push_back(word);
      }
      ++count;
      advance();
      if (!is_op("(")) {
        continue;
      }
      if (word.text.back() == '=' && token_.begin == word.end) {
        // NAME=(a b c): an array assignment, possibly over several lines.
        marks.mark(Msg::construct_array);
        skip_parenthesized_list();
        continue;
      }
      if (count == 1) {
        // name() compound-command
        advance();
        expect_op(")");
        marks.mark(Msg::construct_function);
        skip_newlines();
        parse_command(marks, nullptr, depth + 1);
        return;
      }
      unexpected();
    } else if (is_redirection()) {
      parse_redirections(marks);
      ++count;
    } else {
      break;
    }
  }
  if (count == 0) {
    unexpected();
  }
}

void Parser::parse_redirections(Marks& marks) {
  while (is_redirection()) {
    marks.mark(Msg::construct_redirection);
    if (token_.kind == TokenKind::io_number) {
      advance();
      if (!is_redirection() || token_.kind == TokenKind::io_number) {
        unexpected();
      }
    }
    advance();
    if (token_.kind != TokenKind::word) {
      unexpected();
    }
    advance();
  }
}

void Parser::skip_parenthesized_list() {
  int depth = 0;
  while (true) {
    if (token_.kind == TokenKind::end) {
      unexpected();
    }
    if (is_op("(")) {
      ++depth;
    } else if (is_op(")") && --depth == 0) {
      advance();
      return;
    }
    advance();
  }
}

void Parser::parse_compound_list(Marks& marks, std::initializer_list<std::string_view> terminators, int depth,
                                 bool allow_empty) {
  skip_empty_commands();
  int count = 0;
  while (!at_terminator(terminators)) {
    if (token_.kind == TokenKind::end) {
      unexpected();
    }
    parse_and_or(marks, nullptr, depth);
    ++count;
    if (is_op(";") || is_op("&") || token_.kind == TokenKind::newline) {
      advance();
      skip_empty_commands();
    } else if (!at_terminator(terminators)) {
      unexpected();
    }
  }
  if (count == 0 && !allow_empty) {
    unexpected();
  }
}

void Parser::parse_if(Marks& marks, int depth) {
  advance();
  parse_compound_list(marks, {"then"}, depth);
  expect_word("then");
  parse_compound_list(marks, {"elif", "else", "fi"}, depth);
  while (is_word("elif")) {
    advance();
    parse_compound_list(marks, {"then"}, depth);
    expect_word("then");
    parse_compound_list(marks, {"elif", "else", "fi"}, depth);
  }
  if (is_word("else")) {
    advance();
    parse_compound_list(marks, {"fi"}, depth);
  }
  expect_word("fi");
}

void Parser::parse_loop(Marks& marks, int depth) {
  advance();
  parse_compound_list(marks, {"do"}, depth);
  expect_word("do");
  parse_compound_list(marks, {"done"}, depth);
  expect_word("done");
}

void Parser::parse_for(Marks& marks, int depth) {
  advance();
  if (token_.kind == TokenKind::arithmetic) {
    advance();  // for ((init; test; step))
  } else if (token_.kind == TokenKind::word) {
    advance();
    skip_newlines();
    if (is_word("in")) {
      advance();
      while (token_.kind == TokenKind::word) {
        advance();
      }
      if (!is_op(";") && token_.kind != TokenKind::newline) {
        unexpected();
      }
      advance();
    }
  } else {
    unexpected();
  }
  if (is_op(";")) {
    advance();
  }
  skip_newlines();
  expect_word("do");
  parse_compound_list(marks, {"done"}, depth);
  expect_word("done");
}

void Parser::parse_case(Marks& marks, int depth) {
  advance();
  if (token_.kind != TokenKind::word) {
    unexpected();
  }
  advance();
  skip_newlines();
  expect_word("in");
  skip_newlines();
  while (!is_word("esac")) {
    if (is_op("(")) {
      advance();
    }
    if (token_.kind != TokenKind::word) {
      unexpected();
    }
    advance();
    while (is_op("|")) {
      advance();
      if (token_.kind != TokenKind::word) {
        unexpected();
      }
      advance();
    }
    expect_op(")");
    parse_compound_list(marks, {";;", ";&", ";;&", "esac"}, depth, true);
    if (is_op(";;") || is_op(";&") || is_op(";;&")) {
      advance();
      skip_newlines();
    }
  }
  advance();
}

void Parser::parse_function_keyword(Marks& marks, int depth) {
  advance();
  if (token_.kind != TokenKind::word) {
    unexpected();
  }
  advance();
  // ksh93u+m rejects `function name()`: the parentheses belong to the other form only.
  skip_newlines();
  parse_command(marks, nullptr, depth);
}

// ---------------------------------------------------------------------------------------------
// Word parser: reads the raw text of one word into literal text, parameter expansions and
// tildes, or names the first construct that is not supported.

struct WordPart {
  enum class Kind { literal, parameter, tilde };
  Kind kind = Kind::literal;
  std::string text;        // literal text, or the parameter name
  bool splittable = false;  // an unquoted expansion, or unquoted text in a ${NAME-word} word
  bool quoted = false;      // inside quotes: an empty quoted literal still makes a field ("")
  char operation = 0;       // parameter: 0, '-', '=' or '+'
  bool colon = false;       // parameter: the operation also applies to an empty value
  std::vector<WordPart> operand;
};

struct ParsedWord {
  std::vector<WordPart> parts;
  bool has_pattern = false;  // unquoted *, ? or [, or a brace expansion {a,b}
  bool has_tilde = false;
  bool has_parameter = false;
};

class WordParser {
 public:
  // `assignment`: the value of NAME=value, where tildes also follow ':' and nothing is split.
  WordParser(std::string_view raw, bool assignment) : raw_(raw), assignment_(assignment) {}

  // Returns the parsed word, or the construct that makes it unsupported.
  std::variant<ParsedWord, Msg> parse();

 private:
  enum class Context { unquoted, double_quoted, operand, operand_in_double_quotes };

  char at(std::size_t index) const { return index < raw_.size() ? raw_[index] : '\0'; }
  bool fail(Msg construct) {
    if (error_ == Msg::count_) {
      error_ = construct;
    }
    return false;
  }
  bool parse_sequence(Context context, std::vector<WordPart>& out, int depth);
  bool parse_unquoted_character(Context context, std::vector<WordPart>& out, int depth, bool& tilde_allowed);
  bool parse_double_quoted_character(Context context, std::vector<WordPart>& out, int depth);
  bool parse_tilde(Context context, std::vector<WordPart>& out);
  bool parse_dollar(bool in_double_quotes, std::vector<WordPart>& out, int depth);
  bool parse_named_parameter(bool in_double_quotes, std::vector<WordPart>& out);
  bool parse_braced_parameter(bool in_double_quotes, std::vector<WordPart>& out, int depth);
  static void append_literal(std::vector<WordPart>& out, std::string_view text, bool quoted, bool splittable);

  std::string_view raw_;
  bool assignment_;
  std::size_t pos_ = 0;
  Msg error_ = Msg::count_;
  ParsedWord word_;
  int open_brace_state_ = 0;  // brace expansion: 1 after an unquoted '{', 2 after a ',' in it
};

std::variant<ParsedWord, Msg> WordParser::parse() {
  if (!parse_sequence(Context::unquoted, word_.parts, 0)) {
    return error_ == Msg::count_ ? Msg::construct_syntax_error : error_;
  }
  if (pos_ != raw_.size()) {
    return Msg::construct_syntax_error;
  }
  return std::move(word_);
}

void WordParser::append_literal(std::vector<WordPart>& out, std::string_view text, bool quoted, bool splittable) {
  if (!out.empty() && out.back().kind == WordPart::Kind::literal && out.back().quoted == quoted &&
      out.back().splittable == splittable) {
    out.back().text += text;
    return;
  }
  WordPart part;
  part.text = std::string(text);
  part.quoted = quoted;
  part.splittable = splittable;
  out.push_back(std::move(part));
}

bool WordParser::parse_sequence(Context context, std::vector<WordPart>& out, int depth) {
  if (depth > max_expansion_depth) {
    return fail(Msg::construct_deep_nesting);
  }
  const bool unquoted = context == Context::unquoted || context == Context::operand;
  bool tilde_allowed = unquoted;
  while (pos_ < raw_.size()) {
    const char c = raw_[pos_];
    if (c == '}' && (context == Context::operand || context == Context::operand_in_double_quotes)) {
      return true;
    }
    if (c == '"' && context == Context::double_quoted) {
      return true;
    }
    if (unquoted) {
      if (tilde_allowed && c == '~') {
        if (!parse_tilde(context, out)) {
          return false;
        }
        tilde_allowed = false;
        continue;
      }
      if (!parse_unquoted_character(context, out, depth, tilde_allowed)) {
        return false;
      }
    } else if (!parse_double_quoted_character(context, out, depth)) {
      return false;
    }
  }
  return context == Context::unquoted;
}

// Reads ~ or ~/... at pos_. Any other prefix is reported: ksh93 expands and unquotes it first,
// then expands ~"" or ~$EMPTY to HOME, ~name from the user database, and leaves the rest as is.
bool WordParser::parse_tilde(Context context, std::vector<WordPart>& out) {
  const char next = at(pos_ + 1);
  const bool ends_prefix = pos_ + 1 >= raw_.size() || next == '/' || (assignment_ && next == ':') ||
                           (context == Context::operand && next == '}');
  if (!ends_prefix) {
    return fail(Msg::construct_tilde_user);
  }
  WordPart part;
  part.kind = WordPart::Kind::tilde;
  out.push_back(std::move(part));
  word_.has_tilde = true;
  ++pos_;
  return true;
}

bool WordParser::parse_unquoted_character(Context context, std::vector<WordPart>& out, int depth,
                                          bool& tilde_allowed) {
  const bool in_operand = context == Context::operand;
  const char c = raw_[pos_];
  tilde_allowed = false;
  switch (c) {
    case '\\':
      if (pos_ + 1 >= raw_.size()) {
        append_literal(out, "\\", false, false);
        pos_ += 1;
      } else {
        if (raw_[pos_ + 1] != '\n') {
          append_literal(out, raw_.substr(pos_ + 1, 1), true, false);
        }
        pos_ += 2;
      }
      return true;
    case '\'': {
      const std::size_t close = raw_.find('\'', pos_ + 1);
      if (close == std::string_view::npos) {
        return fail(Msg::construct_unterminated_quote);
      }
      append_literal(out, raw_.substr(pos_ + 1, close - pos_ - 1), true, false);
      pos_ = close + 1;
      return true;
    }
    case '"':
      ++pos_;
      append_literal(out, "", true, false);
      if (!parse_sequence(Context::double_quoted, out, depth + 1)) {
        return false;
      }
      if (at(pos_) != '"') {
        return fail(Msg::construct_unterminated_quote);
      }
      ++pos_;
      return true;
    case '`':
      return fail(Msg::construct_command_substitution);
    case '$':
      return parse_dollar(false, out, depth);
    default:
      break;
  }

  if (!assignment_ && !in_operand) {
    if (c == '*' || c == '?' || c == '[') {
      word_.has_pattern = true;
    } else if (c == '{') {
      open_brace_state_ = 1;
    } else if (c == ',' && open_brace_state_ == 1) {
      open_brace_state_ = 2;
    } else if (c == '.' && open_brace_state_ == 1 && at(pos_ + 1) == '.') {
      open_brace_state_ = 2;
    } else if (c == '}' && open_brace_state_ == 2) {
      word_.has_pattern = true;
    }
  }
  append_literal(out, raw_.substr(pos_, 1), false, in_operand);
  ++pos_;
  // In an assignment, ~ also expands after ':' (PATH=~/bin:~/lib), but not inside ${NAME-word}.
  tilde_allowed = assignment_ && !in_operand && c == ':';
  return true;
}

bool WordParser::parse_double_quoted_character(Context context, std::vector<WordPart>& out, int depth) {
  const char c = raw_[pos_];
  switch (c) {
    case '\\': {
      const char next = at(pos_ + 1);
      if (next == '$' || next == '`' || next == '"' || next == '\\' ||
          (next == '}' && context == Context::operand_in_double_quotes)) {
        append_literal(out, raw_.substr(pos_ + 1, 1), true, false);
        pos_ += 2;
      } else if (next == '\n') {
        pos_ += 2;
      } else {
        append_literal(out, "\\", true, false);
        pos_ += 1;
      }
      return true;
    }
    case '"':
      // Only reached in ${NAME-word} inside double quotes, where "..." nests.
      ++pos_;
      append_literal(out, "", true, false);
      if (!parse_sequence(Context::double_quoted, out, depth + 1)) {
        return false;
      }
      if (at(pos_) != '"') {
        return fail(Msg::construct_unterminated_quote);
      }
      ++pos_;
      return true;
    case '`':
      return fail(Msg::construct_command_substitution);
    case '$':
      return parse_dollar(true, out, depth);
    default:
      append_literal(out, raw_.substr(pos_, 1), true, false);
      ++pos_;
      return true;
  }
}

bool WordParser::parse_dollar(bool in_double_quotes, std::vector<WordPart>& out, int depth) {
  if (pos_ + 1 >= raw_.size()) {
    append_literal(out, "$", in_double_quotes, false);
    ++pos_;
    return true;
  }

  const char next = raw_[pos_ + 1];
  if (next == '\\' && at(pos_ + 2) == '\n') {
    return fail(Msg::construct_dollar_continuation);
  }
  if (next == '{') {
    return parse_braced_parameter(in_double_quotes, out, depth);
  }
  if (next == '(') {
    return fail(at(pos_ + 2) == '(' ? Msg::construct_arithmetic : Msg::construct_command_substitution);
  }
  if ((next == '\'' || next == '"') && !in_double_quotes) {
    return fail(Msg::construct_ansi_quote);
  }
  if (is_name_start(next)) {
    return parse_named_parameter(in_double_quotes, out);
  }
  if (is_digit(next) || std::string_view("#?$!@*-").find(next) != std::string_view::npos) {
    return fail(Msg::construct_special_parameter);
  }
  if (is_non_ascii(next)) {
    return fail(Msg::construct_non_ascii_name);
  }

  // '$' before any other character is literal, as in ksh ("$/", "$.", "$ ").
  append_literal(out, "$", in_double_quotes, false);
  ++pos_;
  return true;
}

// Reads $NAME at pos_.
bool WordParser::parse_named_parameter(bool in_double_quotes, std::vector<WordPart>& out) {
  std::size_t end = pos_ + 1;
  while (end < raw_.size() && is_name_char(raw_[end])) {
    ++end;
  }
  if (end < raw_.size() && is_non_ascii(raw_[end])) {
    return fail(Msg::construct_non_ascii_name);
  }
  const std::string_view name = raw_.substr(pos_ + 1, end - pos_ - 1);
  if (is_shell_computed_variable(name)) {
    return fail(Msg::construct_special_parameter);
  }

  WordPart part;
  part.kind = WordPart::Kind::parameter;
  part.text = std::string(name);
  part.quoted = in_double_quotes;
  part.splittable = !in_double_quotes;
  out.push_back(std::move(part));
  word_.has_parameter = true;
  pos_ = end;
  return true;
}

bool WordParser::parse_braced_parameter(bool in_double_quotes, std::vector<WordPart>& out, int depth) {
  if (depth >= max_expansion_depth) {
    return fail(Msg::construct_deep_nesting);
  }
  pos_ += 2;
  const char first = at(pos_);
  if (first == '#') {
    return fail(at(pos_ + 1) == '}' ? Msg::construct_special_parameter : Msg::construct_parameter_operator);
  }
  if (is_digit(first) || std::string_view("?$@*-.").find(first) != std::string_view::npos) {
    return fail(Msg::construct_special_parameter);
  }
  if (is_non_ascii(first)) {
    return fail(Msg::construct_non_ascii_name);
  }
  if (!is_name_start(first)) {
    return fail(Msg::construct_parameter_operator);  // ${}, ${!NAME}, ${ NAME}...
  }

  std::size_t end = pos_;
  while (end < raw_.size() && is_name_char(raw_[end])) {
    ++end;
  }
  if (end < raw_.size() && is_non_ascii(raw_[end])) {
    return fail(Msg::construct_non_ascii_name);
  }
  WordPart part;
  part.kind = WordPart::Kind::parameter;
  part.text = std::string(raw_.substr(pos_, end - pos_));
  part.quoted = in_double_quotes;
  part.splittable = !in_double_quotes;
  if (is_shell_computed_variable(part.text)) {
    return fail(Msg::construct_special_parameter);
  }
  pos_ = end;
  word_.has_parameter = true;

  const char c = at(pos_);
  if (c == '}') {
    ++pos_;
    out.push_back(std::move(part));
    return true;
  }
  if (c == '[' || c == '.') {
    return fail(Msg::construct_array);
  }
  if (c == ':' && (at(pos_ + 1) == '-' || at(pos_ + 1) == '=' || at(pos_ + 1) == '+')) {
    part.colon = true;
    part.operation = at(pos_ + 1);
    pos_ += 2;
  } else if (c == '-' || c == '=' || c == '+') {
    part.operation = c;
    pos_ += 1;
  } else {
    return fail(Msg::construct_parameter_operator);
  }

  const Context context = in_double_quotes ? Context::operand_in_double_quotes : Context::operand;
  if (!parse_sequence(context, part.operand, depth + 1)) {
    return false;
  }
  if (at(pos_) != '}') {
    return fail(Msg::construct_syntax_error);
  }
  ++pos_;
  out.push_back(std::move(part));
  return true;
}

// Shape of a word at the start of a command, or of an export/typeset operand.
struct AssignmentForm {
  enum class Kind { none, assign, append, array, non_ascii_name };
  Kind kind = Kind::none;
  std::string_view name;
  std::string_view value;  // raw text after '=' or "+="
};

AssignmentForm classify_assignment(std::string_view raw) {
  AssignmentForm form;
  if (raw.empty() || !(is_name_start(raw.front()) || is_non_ascii(raw.front()))) {
    return form;
  }
  std::size_t end = 0;
  while (end < raw.size() && is_name_char(raw[end])) {
    ++end;
  }
  if (end > 0 && end < raw.size() && raw[end] == '=') {
    return {AssignmentForm::Kind::assign, raw.substr(0, end), raw.substr(end + 1)};
  }
  if (end > 0 && end + 1 < raw.size() && raw[end] == '+' && raw[end + 1] == '=') {
    return {AssignmentForm::Kind::append, raw.substr(0, end), raw.substr(end + 2)};
  }
  if (end > 0 && end < raw.size() && (raw[end] == '[' || raw[end] == '.')) {
    // NAME[index]=value, NAME.field=value
    const auto equals = raw.find('=', end);
    if (equals != std::string_view::npos && raw.substr(end, equals - end).find_first_of("\"'$`\\") ==
                                                std::string_view::npos) {
      form.kind = AssignmentForm::Kind::array;
    }
    return form;
  }
  if (end < raw.size() && is_non_ascii(raw[end])) {
    // In a UTF-8 locale ksh takes letters such as 'é' as name characters: `Aé=1` assigns.
    std::size_t scan = end;
    while (scan < raw.size() && (is_name_char(raw[scan]) || is_non_ascii(raw[scan]))) {
      ++scan;
    }
    if (scan < raw.size() && (raw[scan] == '=' || (raw[scan] == '+' && scan + 1 < raw.size() && raw[scan + 1] == '='))) {
      form.kind = AssignmentForm::Kind::non_ascii_name;
    }
  }
  return form;
}

// Builds the fields of an expanded word: one string for an assignment, a list of arguments with
// field splitting for a command.
class FieldBuilder {
 public:
  FieldBuilder(bool split, std::string_view separators) : split_(split), separators_(separators) {}

  void add(std::string_view text, bool splittable) {
    if (!split_ || !splittable) {
      current_ += text;
      if (!text.empty()) {
        has_current_ = true;
      }
      return;
    }
    for (const char c : text) {
      if (c == '*' || c == '?' || c == '[') {
        pattern_ = true;
      }
      if (separators_.find(c) == std::string_view::npos) {
        current_ += c;
        has_current_ = true;
        after_blank_separator_ = false;
        continue;
      }
      const bool blank = c == ' ' || c == '\t' || c == '\n';
      if (blank) {
        if (has_current_) {
          end_field();
          after_blank_separator_ = true;
        }
      } else {
        if (!after_blank_separator_) {
          end_field();
        }
        after_blank_separator_ = false;
      }
    }
  }

  void add_quoted_empty() { has_current_ = true; }

  std::vector<std::string> finish() {
    if (has_current_) {
      end_field();
    }
    return std::move(fields_);
  }

  std::string joined() const { return current_; }

  // True when an unquoted expansion produced *, ? or [: ksh would match file names.
  bool pattern() const { return pattern_; }

 private:
  void end_field() {
    fields_.push_back(std::move(current_));
    current_.clear();
    has_current_ = false;
  }

  bool split_;
  std::string_view separators_;
  std::vector<std::string> fields_;
  std::string current_;
  bool has_current_ = false;
  bool after_blank_separator_ = false;
  bool pattern_ = false;
};

std::string text_of_command(std::string_view text, std::size_t begin, std::size_t end) {
  end = std::min(end, text.size());
  std::string_view command = text.substr(begin, end - begin);
  const auto newline = command.find('\n');
  const bool continues = newline != std::string_view::npos;
  std::string_view first_line = command.substr(0, newline);
  while (!first_line.empty() && (first_line.back() == '\r' || is_blank(first_line.back()))) {
    first_line.remove_suffix(1);
  }
  std::string result(first_line);
  if (continues) {
    result += " ...";
  }
  return result;
}

std::string text_of_line(std::string_view text, int line) {
  std::size_t begin = 0;
  for (int current = 1; current < line; ++current) {
    const auto newline = text.find('\n', begin);
    if (newline == std::string_view::npos) {
      return {};
    }
    begin = newline + 1;
  }
  return text_of_command(text, begin, text.find('\n', begin));
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Evaluation of the parsed commands of one file.

class KshFileEvaluator {
 public:
  KshFileEvaluator(KshInterpreter& shell, std::string_view text, const std::string& file,
                   std::vector<InitDiagnostic>& diagnostics)
      : shell_(shell), text_(text), file_(file), diagnostics_(diagnostics) {}

  void run();

 private:
  enum class Flow { next, stop };

  struct Operand {
    const Token* token = nullptr;
    AssignmentForm form;
    ParsedWord word;  // the value for an assignment, the whole word otherwise
  };

  void report(const ParsedCommand& command, Msg construct);
  Flow execute(const ParsedCommand& command);
  bool parse_operands(const ParsedCommand& command, std::size_t first, bool assignments_allowed,
                      bool patterns_allowed, std::vector<Operand>& operands);
  bool check_home(const ParsedCommand& command, const std::vector<Operand>& operands);

  void execute_assignments(const std::vector<Operand>& operands);
  void execute_declaration(const ParsedCommand& command, const std::string& name);
  static Msg check_declaration_field(const std::string& field);
  void declare(const std::string& name, std::string value, bool append, bool export_attribute);
  void execute_unset(const ParsedCommand& command);
  void execute_set(const ParsedCommand& command);
  void execute_source(const ParsedCommand& command);
  void execute_no_op(const ParsedCommand& command);

  std::string expand_to_string(const std::vector<WordPart>& parts);
  std::vector<std::string> expand_to_fields(const std::vector<WordPart>& parts, bool& pattern);
  void expand_parts(const std::vector<WordPart>& parts, FieldBuilder& out);
  void expand_parameter(const WordPart& part, FieldBuilder& out);

  // Returns the value of a set variable, or nullptr. The pointer is valid until the variable changes.
  const std::string* lookup(std::string_view name) const;
  void assign(const std::string& name, std::string value);

  KshInterpreter& shell_;
  std::string_view text_;
  const std::string& file_;
  std::vector<InitDiagnostic>& diagnostics_;
};

void KshFileEvaluator::run() {
  std::vector<ParsedCommand> commands;
  std::deque<std::string> joined_words;
  try {
    commands = Parser(text_, joined_words).parse_program();
  } catch (const SyntaxError& error) {
    diagnostics_.push_back({file_, error.line, error.construct, text_of_line(text_, error.line)});
    return;
  }
  for (const auto& command : commands) {
    if (command.construct != Msg::count_) {
      report(command, command.construct);
      continue;
    }
    if (execute(command) == Flow::stop) {
      return;
    }
  }
}

void KshFileEvaluator::report(const ParsedCommand& command, Msg construct) {
  diagnostics_.push_back({file_, command.line, construct, text_of_command(text_, command.begin, command.end)});
}

const std::string* KshFileEvaluator::lookup(std::string_view name) const {
  const auto found = shell_.variables_.find(name);
  if (found == shell_.variables_.end() || !found->second.value) {
    return nullptr;
  }
  return &*found->second.value;
}

void KshFileEvaluator::assign(const std::string& name, std::string value) {
  auto& variable = shell_.variables_[name];
  variable.value = std::move(value);
  if (shell_.all_export_) {
    variable.exported = true;
  }
}

KshFileEvaluator::Flow KshFileEvaluator::execute(const ParsedCommand& command) {
  const auto& words = command.words;

  // Leading NAME=value words.
  std::size_t first_argument = 0;
  while (first_argument < words.size()) {
    const AssignmentForm form = classify_assignment(words[first_argument].text);
    if (form.kind == AssignmentForm::Kind::array) {
      report(command, Msg::construct_array);
      return Flow::next;
    }
    if (form.kind == AssignmentForm::Kind::non_ascii_name) {
      report(command, Msg::construct_non_ascii_name);
      return Flow::next;
    }
    if (form.kind == AssignmentForm::Kind::none) {
      break;
    }
    ++first_argument;
  }

  if (first_argument == words.size()) {
    std::vector<Operand> operands;
    if (parse_operands(command, 0, true, true, operands) && check_home(command, operands)) {
      execute_assignments(operands);
    }
    return Flow::next;
  }
  if (first_argument > 0) {
    report(command, Msg::construct_prefix_assignment);
    return Flow::next;
  }

  // The command name: any quoting is removed, but an expansion makes it a command to run.
  const auto parsed_name = WordParser(words[0].text, false).parse();
  if (const auto* construct = std::get_if<Msg>(&parsed_name)) {
    report(command, *construct);
    return Flow::next;
  }
  const auto& name_word = std::get<ParsedWord>(parsed_name);
  if (name_word.has_parameter || name_word.has_tilde) {
    report(command, Msg::construct_command);
    return Flow::next;
  }
  const std::string name = expand_to_string(name_word.parts);
  if (name.find('\r') != std::string::npos) {
    report(command, Msg::construct_carriage_return);
    return Flow::next;
  }

  if (name == "export" || name == "typeset") {
    execute_declaration(command, name);
  } else if (name == "unset") {
    execute_unset(command);
  } else if (name == "set") {
    execute_set(command);
  } else if (name == "." || name == "source") {
    execute_source(command);
  } else if (name == ":" || name == "true" || name == "false") {
    execute_no_op(command);
  } else if (name == "return") {
    // Ends the current file, as `return` does in a dot script; the status is not used.
    return Flow::stop;
  } else {
    report(command, Msg::construct_command);
  }
  return Flow::next;
}

// Parses words[first...] into operands. Returns false after reporting the command when a word
// contains an unsupported construct.
bool KshFileEvaluator::parse_operands(const ParsedCommand& command, std::size_t first, bool assignments_allowed,
                                      bool patterns_allowed, std::vector<Operand>& operands) {
  for (std::size_t i = first; i < command.words.size(); ++i) {
    Operand operand;
    operand.token = &command.words[i];
    if (assignments_allowed) {
      operand.form = classify_assignment(operand.token->text);
    }
    switch (operand.form.kind) {
      case AssignmentForm::Kind::array:
        report(command, Msg::construct_array);
        return false;
      case AssignmentForm::Kind::non_ascii_name:
        report(command, Msg::construct_non_ascii_name);
        return false;
      default:
        break;
    }
    const bool assignment =
        operand.form.kind == AssignmentForm::Kind::assign || operand.form.kind == AssignmentForm::Kind::append;
    if (assignment && is_ksh_integer_variable(operand.form.name) &&
        (operand.form.kind == AssignmentForm::Kind::append || !is_plain_integer(operand.form.value))) {
      report(command, Msg::construct_arithmetic);  // TMOUT=$X, OPTIND+=1...
      return false;
    }
    auto parsed = WordParser(assignment ? operand.form.value : operand.token->text, assignment).parse();
    if (const auto* construct = std::get_if<Msg>(&parsed)) {
      report(command, *construct);
      return false;
    }
    operand.word = std::move(std::get<ParsedWord>(parsed));
    if (operand.word.has_pattern && !patterns_allowed) {
      report(command, Msg::construct_pattern);
      return false;
    }
    operands.push_back(std::move(operand));
  }
  return true;
}

// ~ needs HOME; without it ksh reads the user database, which is reported instead.
bool KshFileEvaluator::check_home(const ParsedCommand& command, const std::vector<Operand>& operands) {
  const bool has_tilde = std::any_of(operands.begin(), operands.end(),
                                     [](const Operand& operand) { return operand.word.has_tilde; });
  if (has_tilde && !lookup("HOME")) {
    report(command, Msg::construct_tilde_user);
    return false;
  }
  return true;
}

void KshFileEvaluator::execute_assignments(const std::vector<Operand>& operands) {
  for (const auto& operand : operands) {
    const std::string name(operand.form.name);
    std::string value = expand_to_string(operand.word.parts);
    if (operand.form.kind == AssignmentForm::Kind::append) {
      // NOTE: ksh93u+m 1.0.4 leaves PATH and FPATH unchanged by PATH+=x when x equals their
      // value (PATH=a; PATH+=a gives "a"). This bug is not reproduced.
      if (const std::string* previous = lookup(name)) {
        value.insert(0, *previous);
      }
    }
    assign(name, std::move(value));
  }
}

// export [--] operand...   typeset [-x...] [--] operand...
void KshFileEvaluator::execute_declaration(const ParsedCommand& command, const std::string& name) {
  bool export_attribute = name == "export";
  std::size_t first = 1;
  for (; first < command.words.size(); ++first) {
    const std::string_view word = command.words[first].text;
    if (word == "--") {
      ++first;
      break;
    }
    if (word.size() < 2 || (word[0] != '-' && word[0] != '+')) {
      break;
    }
    if (name == "typeset" && word[0] == '-' && word.find_first_not_of('x', 1) == std::string_view::npos) {
      export_attribute = true;
      continue;
    }
    report(command, Msg::construct_builtin_option);  // export -p, typeset -r, typeset +x...
    return;
  }
  if (first == command.words.size()) {
    report(command, Msg::construct_command);  // lists the variables
    return;
  }

  std::vector<Operand> operands;
  if (!parse_operands(command, first, true, false, operands) || !check_home(command, operands)) {
    return;
  }
  for (const auto& operand : operands) {
    if (operand.form.kind == AssignmentForm::Kind::append) {
      report(command, Msg::construct_invalid_name);  // ksh93: "export: A+: is not an identifier"
      return;
    }
    if (operand.form.kind != AssignmentForm::Kind::none || operand.word.has_parameter) {
      continue;
    }
    bool pattern = false;
    for (const auto& field : expand_to_fields(operand.word.parts, pattern)) {
      if (const Msg invalid = check_declaration_field(field); invalid != Msg::count_) {
        report(command, invalid);
        return;
      }
    }
  }

  // Left to right, as ksh: `export A=1 B=$A` sets B to 1.
  for (const auto& operand : operands) {
    if (operand.form.kind == AssignmentForm::Kind::assign) {
      declare(std::string(operand.form.name), expand_to_string(operand.word.parts), false, export_attribute);
      continue;
    }
    bool pattern = false;
    for (const auto& field : expand_to_fields(operand.word.parts, pattern)) {
      if (const Msg invalid = check_declaration_field(field); invalid != Msg::count_) {
        // The operands before this one already took effect, while ksh stops the shell here.
        report(command, invalid);
        return;
      }
      // After expansion ksh93 still reads NAME=value and NAME+=value: `export "A=a b"`, `export $LIST`.
      const auto equals = field.find('=');
      if (equals == std::string::npos) {
        if (export_attribute) {
          shell_.variables_[field].exported = true;
        }
        continue;
      }
      std::string variable_name = field.substr(0, equals);
      const bool append = variable_name.back() == '+';
      if (append) {
        variable_name.pop_back();
      }
      declare(variable_name, field.substr(equals + 1), append, export_attribute);
    }
  }
}

// Checks an export or typeset operand after expansion: NAME, NAME=value or NAME+=value.
// Returns the construct to report, or Msg::count_ when it is valid.
Msg KshFileEvaluator::check_declaration_field(const std::string& field) {
  std::string_view name = field;
  const auto equals = name.find('=');
  if (equals != std::string_view::npos) {
    name = name.substr(0, equals);
    if (!name.empty() && name.back() == '+') {
      name.remove_suffix(1);
    }
  }
  if (is_valid_name(name)) {
    return Msg::count_;
  }
  return name.find('\r') != std::string_view::npos ? Msg::construct_carriage_return : Msg::construct_invalid_name;
}

void KshFileEvaluator::declare(const std::string& name, std::string value, bool append, bool export_attribute) {
  auto& variable = shell_.variables_[name];
  if (append) {
    value = variable.value.value_or("") + value;
  }
  variable.value = std::move(value);
  // ksh93u+m: `typeset NAME=value` without -x removes the export attribute, but not from its own
  // built-in variables (HOME, PATH, LANG...).
  if (export_attribute || shell_.all_export_) {
    variable.exported = true;
  } else if (!is_ksh_builtin_variable(name)) {
    variable.exported = false;
  }
}

// unset [-v] [--] name...
void KshFileEvaluator::execute_unset(const ParsedCommand& command) {
  std::size_t first = 1;
  for (; first < command.words.size(); ++first) {
    const std::string_view word = command.words[first].text;
    if (word == "--") {
      ++first;
      break;
    }
    if (word == "-v") {
      continue;
    }
    if (word.size() >= 2 && word[0] == '-') {
      report(command, Msg::construct_builtin_option);  // unset -f, unset -n
      return;
    }
    break;
  }
  if (first == command.words.size()) {
    report(command, Msg::construct_command);  // ksh93u+m: a usage error that stops the shell
    return;
  }

  std::vector<Operand> operands;
  if (!parse_operands(command, first, false, false, operands) || !check_home(command, operands)) {
    return;
  }
  std::vector<std::string> names;
  for (const auto& operand : operands) {
    bool pattern = false;
    auto fields = expand_to_fields(operand.word.parts, pattern);
    if (pattern) {
      report(command, Msg::construct_pattern);
      return;
    }
    names.insert(names.end(), fields.begin(), fields.end());
  }

  // ksh unsets every valid name and complains about the others.
  Msg invalid = Msg::count_;
  for (const auto& variable_name : names) {
    if (is_valid_name(variable_name)) {
      shell_.variables_.erase(variable_name);
    } else if (invalid == Msg::count_) {
      invalid = variable_name.find('\r') != std::string::npos ? Msg::construct_carriage_return
                                                              : Msg::construct_invalid_name;
    }
  }
  if (invalid != Msg::count_) {
    report(command, invalid);
  }
}

// set -a, set +a, set -o allexport, set +o allexport, one or several of them.
void KshFileEvaluator::execute_set(const ParsedCommand& command) {
  const auto& words = command.words;
  if (words.size() == 1) {
    report(command, Msg::construct_command);  // lists the variables
    return;
  }
  bool all_export = shell_.all_export_;
  for (std::size_t i = 1; i < words.size(); ++i) {
    const std::string_view word = words[i].text;
    if (word == "-a" || word == "+a") {
      all_export = word == "-a";
    } else if ((word == "-o" || word == "+o") && i + 1 < words.size() && words[i + 1].text == "allexport") {
      all_export = word == "-o";
      ++i;
    } else {
      report(command, Msg::construct_builtin_option);
      return;
    }
  }
  shell_.all_export_ = all_export;
}

// . file [argument...]   source file [argument...]
void KshFileEvaluator::execute_source(const ParsedCommand& command) {
  std::vector<Operand> operands;
  if (!parse_operands(command, 1, false, false, operands) || !check_home(command, operands)) {
    return;
  }
  std::vector<std::string> arguments;
  for (const auto& operand : operands) {
    bool pattern = false;
    auto fields = expand_to_fields(operand.word.parts, pattern);
    if (pattern) {
      report(command, Msg::construct_pattern);
      return;
    }
    arguments.insert(arguments.end(), fields.begin(), fields.end());
  }
  if (arguments.empty()) {
    report(command, Msg::construct_command);
    return;
  }

  // The arguments after the file become $1... in ksh; reading them is reported as a special
  // parameter, so they are not kept.
  const std::string& operand = arguments.front();
  std::string path;
  if (operand.find('/') != std::string::npos) {
    path = operand;
  } else {
    // ksh searches only PATH for a name without '/', never the current directory unless PATH
    // lists it (an empty entry or "."). With PATH unset it finds nothing.
    const std::string* search_path_value = lookup("PATH");
    const std::string search_path = search_path_value != nullptr ? *search_path_value : std::string();
    std::size_t start = search_path_value != nullptr ? 0 : search_path.size() + 1;
    while (start <= search_path.size()) {
      const std::size_t colon = std::min(search_path.find(':', start), search_path.size());
      const std::string directory = search_path.substr(start, colon - start);
      const std::string candidate = directory.empty() ? operand : directory + "/" + operand;
      std::error_code error;
      if (fs::exists(candidate, error) && !fs::is_directory(candidate, error)) {
        path = candidate;
        break;
      }
      start = colon + 1;
    }
  }
  std::error_code error;
  if (path.empty() || !fs::exists(path, error)) {
    throw InitFileError({Msg::init_include_not_found, {file_, std::to_string(command.line), operand}});
  }
  shell_.source_file(path, diagnostics_, file_, command.line, operand);
}

// `:`, true and false: the arguments are expanded for their ${NAME:=word} side effects.
void KshFileEvaluator::execute_no_op(const ParsedCommand& command) {
  std::vector<Operand> operands;
  if (!parse_operands(command, 1, false, true, operands) || !check_home(command, operands)) {
    return;
  }
  for (const auto& operand : operands) {
    bool pattern = false;
    expand_to_fields(operand.word.parts, pattern);
  }
}

std::string KshFileEvaluator::expand_to_string(const std::vector<WordPart>& parts) {
  FieldBuilder builder(false, {});
  expand_parts(parts, builder);
  return builder.joined();
}

std::vector<std::string> KshFileEvaluator::expand_to_fields(const std::vector<WordPart>& parts, bool& pattern) {
  const std::string* ifs = lookup("IFS");
  const std::string separators = ifs != nullptr ? *ifs : std::string(" \t\n");
  FieldBuilder builder(true, separators);
  expand_parts(parts, builder);
  pattern = builder.pattern();
  return builder.finish();
}

void KshFileEvaluator::expand_parts(const std::vector<WordPart>& parts, FieldBuilder& out) {
  for (const auto& part : parts) {
    switch (part.kind) {
      case WordPart::Kind::literal:
        out.add(part.text, part.splittable);
        if (part.quoted && part.text.empty()) {
          out.add_quoted_empty();
        }
        break;
      case WordPart::Kind::tilde:
        if (const std::string* home = lookup("HOME")) {
          out.add(*home, false);
        }
        break;
      case WordPart::Kind::parameter:
        expand_parameter(part, out);
        break;
    }
  }
}

void KshFileEvaluator::expand_parameter(const WordPart& part, FieldBuilder& out) {
  const std::string* value = lookup(part.text);
  const bool set = value != nullptr && (!part.colon || !value->empty());
  switch (part.operation) {
    case '-':
      if (!set) {
        expand_parts(part.operand, out);
        return;
      }
      break;
    case '=':
      if (!set) {
        std::string assigned = expand_to_string(part.operand);
        assign(part.text, assigned);
        out.add(assigned, part.splittable);
        return;
      }
      break;
    case '+':
      if (set) {
        expand_parts(part.operand, out);
      }
      return;
    default:
      break;
  }
  if (value != nullptr) {
    out.add(*value, part.splittable);
  }
}

// ---------------------------------------------------------------------------------------------

KshInterpreter::KshInterpreter(const Environment& environment)
    : case_insensitive_names_(environment.case_insensitive_names()) {
  for (const auto& [name, value] : environment.variables()) {
    variables_[name] = Variable{value, true};
  }

  // Values ksh93u+m gives these variables when the environment has none; they are not exported.
  static constexpr std::pair<std::string_view, std::string_view> shell_defaults[] = {
      {"IFS", " \t\n"}, {"PS2", "> "},      {"PS3", "#? "},      {"PS4", "+ "}, {"OPTIND", "1"},
      {"MAILCHECK", "600"}, {"FCEDIT", "ed"}, {"TMOUT", "0"},   {"SHELL", "/bin/sh"}};
  for (const auto& [name, value] : shell_defaults) {
    variables_.try_emplace(std::string(name), Variable{std::string(value), false});
  }

  // ksh sets PWD to the current directory, keeping an inherited value that names the same
  // directory (a path through a symbolic link). ksh also exports PWD, but here it stays exported
  // only when the environment had it, so the job receives PWD only from the agent.
  std::error_code error;
  const fs::path current = fs::current_path(error);
  if (!error) {
    auto& pwd = variables_["PWD"];
    const bool inherited_is_current =
        pwd.value && !pwd.value->empty() && fs::path(*pwd.value).is_absolute() && fs::equivalent(*pwd.value, current, error);
    if (!inherited_is_current || error) {
      pwd.value = current.string();
    }
  }
}

void KshInterpreter::source(const std::string& file, std::vector<InitDiagnostic>& diagnostics) {
  source_file(file, diagnostics, {}, 0, file);
}

void KshInterpreter::source_file(const std::string& path, std::vector<InitDiagnostic>& diagnostics,
                                 const std::string& including_file, int including_line, const std::string& operand) {
  const bool included = !including_file.empty();
  const std::string line = std::to_string(including_line);

  std::error_code error;
  fs::path canonical = fs::weakly_canonical(path, error);
  if (error) {
    canonical = fs::absolute(path, error);
  }
  const std::string key = canonical.string();
  if (std::find(including_.begin(), including_.end(), key) != including_.end()) {
    throw InitFileError({Msg::init_include_loop, {including_file, line, operand, path}});
  }
  if (including_.size() >= max_include_depth) {
    throw InitFileError({Msg::init_include_too_deep, {including_file, line, std::to_string(max_include_depth)}});
  }

  std::string text;
  if (const auto read_error = platform::read_file(path, text, max_init_file_bytes)) {
    if (included) {
      throw InitFileError({Msg::init_include_unreadable, {including_file, line, path, read_error.message()}});
    }
    throw InitFileError({Msg::init_file_unreadable, {path, read_error.message()}});
  }

  including_.push_back(key);
  try {
    evaluate(text, path, diagnostics);
  } catch (...) {
    including_.pop_back();
    throw;
  }
  including_.pop_back();
}

void KshInterpreter::evaluate(std::string_view text, const std::string& file, std::vector<InitDiagnostic>& diagnostics) {
  KshFileEvaluator(*this, text, file, diagnostics).run();
}

Environment KshInterpreter::exported() const {
  Environment environment(case_insensitive_names_);
  for (const auto& [name, variable] : variables_) {
    if (variable.exported && variable.value) {
      environment.set(name, *variable.value);
    }
  }
  return environment;
}

std::optional<std::string> KshInterpreter::value(std::string_view name) const {
  const auto found = variables_.find(name);
  if (found == variables_.end()) {
    return std::nullopt;
  }
  return found->second.value;
}

}  // namespace vtsubmit
