#include "common/bat_syntax.hpp"

#include "common/cmdline_tail.hpp"

namespace vtsubmit::bat {

char upper_ascii(char c) {
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (upper_ascii(a[i]) != upper_ascii(b[i])) {
      return false;
    }
  }
  return true;
}

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && equals_ignoring_case(text.substr(0, prefix.size()), prefix);
}

bool is_blank(char c) {
  return c == ' ' || c == '\t';
}

bool is_command_lead(char c) {
  return is_blank(c) || c == '@' || c == ',' || c == ';' || c == '=';
}

std::string_view skip_blanks(std::string_view text) {
  while (!text.empty() && is_blank(text.front())) {
    text.remove_prefix(1);
  }
  return text;
}

std::string_view skip_command_lead(std::string_view text) {
  while (!text.empty() && is_command_lead(text.front())) {
    text.remove_prefix(1);
  }
  return text;
}

std::pair<std::string, std::string_view> split_command_word(std::string_view text) {
  text = skip_command_lead(text);
  std::size_t end = 0;
  while (end < text.size()) {
    const char c = text[end];
    if (is_command_lead(c) || c == '/' || c == '(' || c == '.' || c == '"' || c == '&' || c == '|' ||
        c == '<' || c == '>') {
      break;
    }
    ++end;
  }
  return {std::string(text.substr(0, end)), text.substr(end)};
}

namespace {


// Removes the carets that escape characters outside quotes, and the redirections (`>file`,
// `2>&1`, `<file`) with their targets. The blank before a redirection stays, as in cmd.
std::string strip_escapes_and_redirections(std::string_view text) {
  std::string result;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') {
      quoted = !quoted;
      result += c;
      continue;
    }
    if (quoted) {
      result += c;
      continue;
    }
    if (c == '^') {
      if (i + 1 < text.size()) {
        result += text[++i];
      }
      continue;
    }
    if (c == '>' || c == '<') {
      // A handle number directly before the operator belongs to it: "2>nul".
      if (!result.empty() && result.back() >= '0' && result.back() <= '9' &&
          (result.size() == 1 || is_blank(result[result.size() - 2]))) {
        result.pop_back();
      }
      ++i;
      if (i < text.size() && text[i] == '>') {
        ++i;
      }
      if (i < text.size() && text[i] == '&') {
        ++i;
      }
      while (i < text.size() && is_blank(text[i])) {
        ++i;
      }
      bool target_quoted = false;
      while (i < text.size() && (target_quoted || !is_blank(text[i]))) {
        if (text[i] == '"') {
          target_quoted = !target_quoted;
        }
        ++i;
      }
      --i;
      continue;
    }
    result += c;
  }
  return result;
}

bool is_supported_word(std::string_view word) {
  static constexpr std::string_view words[] = {"set", "echo", "title", "cls", "ver", "color", "chcp", "path",
                                               "setlocal", "endlocal", "call", "goto", "exit", "rem"};
  for (const auto known : words) {
    if (equals_ignoring_case(word, known)) {
      return true;
    }
  }
  return false;
}

// Blocks and `if` commands nested in one line. The parser recurses once per level, and an init
// file needs a few of them.
constexpr int max_command_nesting = 200;

// Parses one expanded line into commands, following cmd's phase 2: quotes, ^ escapes, & between
// commands and ( ) blocks.
class LineParser {
 public:
  explicit LineParser(std::string_view text) : text_(text) {}

  std::vector<Command> parse() {
    auto commands = sequence(false);
    if (pos_ < text_.size()) {
      throw Unsupported{Msg::bat_construct_block};
    }
    return commands;
  }

 private:
  bool at_end() const { return pos_ >= text_.size(); }
  char current() const { return text_[pos_]; }

  void skip_lead() {
    while (!at_end() && is_command_lead(current())) {
      ++pos_;
    }
  }

  std::vector<Command> sequence(bool in_block) {
    std::vector<Command> commands;
    for (;;) {
      skip_lead();
      if (at_end() || (in_block && current() == ')')) {
        return commands;
      }
      commands.push_back(command(in_block));
      while (!at_end() && is_blank(current())) {
        ++pos_;
      }
      if (at_end() || (in_block && current() == ')')) {
        return commands;
      }
      if (current() == '&') {
        if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '&') {
          throw Unsupported{Msg::bat_construct_pipe};
        }
        ++pos_;
        continue;
      }
      if (current() == '|') {
        throw Unsupported{Msg::bat_construct_pipe};
      }
      // Text after a block's ')', as in `(set A=1) x`: reported rather than guessed.
      throw Unsupported{Msg::bat_construct_block};
    }
  }

  Command block() {
    ++pos_;   // '('
    Command command;
    command.kind = Command::Kind::block;
    command.then_commands = sequence(true);
    if (at_end()) {
      throw Unsupported{Msg::bat_construct_block};
    }
    ++pos_;   // ')'
    return command;
  }

  Command command(bool in_block) {
    // Deeper nesting is reported before it exhausts the stack.
    if (depth_ >= max_command_nesting) {
      throw Unsupported{Msg::bat_construct_block};
    }
    ++depth_;
    auto parsed = command_at_depth(in_block);
    --depth_;
    return parsed;
  }

  Command command_at_depth(bool in_block) {
    if (current() == '(') {
      return block();
    }
    const auto [word, rest] = split_command_word(text_.substr(pos_));
    if (equals_ignoring_case(word, "rem")) {
      pos_ = text_.size();
      Command comment;
      comment.kind = Command::Kind::comment;
      return comment;
    }
    if (equals_ignoring_case(word, "if")) {
      pos_ = static_cast<std::size_t>(rest.data() - text_.data());
      return conditional(in_block);
    }
    if (equals_ignoring_case(word, "for")) {
      throw Unsupported{Msg::bat_construct_for};
    }
    if (word.empty() && !at_end() && current() == ':') {
      throw Unsupported{Msg::bat_construct_command};
    }

    // A simple command runs to the next unquoted, unescaped & or |, or to the block's ')'.
    const auto start = pos_;
    bool quoted = false;
    while (!at_end()) {
      const char c = current();
      if (c == '"') {
        quoted = !quoted;
      } else if (!quoted && c == '^') {
        ++pos_;
      } else if (!quoted && (c == '&' || c == '|' || (in_block && c == ')'))) {
        break;
      }
      ++pos_;
    }
    if (pos_ > text_.size()) {
      pos_ = text_.size();
    }
    const auto cleaned = strip_escapes_and_redirections(text_.substr(start, pos_ - start));
    auto [clean_word, clean_rest] = split_command_word(cleaned);
    Command command;
    command.word = clean_word;
    command.arguments = std::string(clean_rest);
    check_simple(command);
    return command;
  }

  static void check_simple(const Command& command) {
    if (!is_supported_word(command.word)) {
      throw Unsupported{Msg::bat_construct_command};
    }
    const auto arguments = skip_blanks(command.arguments);
    if (equals_ignoring_case(command.word, "set") && starts_with_ignoring_case(arguments, "/p")) {
      throw Unsupported{Msg::bat_construct_set_prompt};
    }
    if (equals_ignoring_case(command.word, "call") && !arguments.empty() && arguments.front() == ':') {
      throw Unsupported{Msg::bat_construct_call_label};
    }
    if (equals_ignoring_case(command.word, "goto")) {
      const auto target = arguments.substr(0, arguments.find_first_of(" \t"));
      if (!equals_ignoring_case(target, ":eof")) {
        throw Unsupported{Msg::bat_construct_goto};
      }
    }
    if (equals_ignoring_case(command.word, "exit") && !starts_with_ignoring_case(arguments, "/b")) {
      throw Unsupported{Msg::bat_construct_exit};
    }
    if (equals_ignoring_case(command.word, "setlocal")) {
      if (arguments.find("elayed") != std::string_view::npos || arguments.find("ELAYED") != std::string_view::npos) {
        if (!(starts_with_ignoring_case(arguments, "disabledelayedexpansion"))) {
          throw Unsupported{Msg::bat_construct_delayed_expansion};
        }
      }
      if (starts_with_ignoring_case(arguments, "disableextensions")) {
        throw Unsupported{Msg::bat_construct_extensions};
      }
    }
  }

  // Reads one IF operand: a quoted string with what follows it up to a blank or "==", or a word.
  std::string operand() {
    while (!at_end() && is_blank(current())) {
      ++pos_;
    }
    std::string value;
    bool quoted = false;
    while (!at_end()) {
      const char c = current();
      if (!quoted && (is_blank(c) || text_.substr(pos_, 2) == "==")) {
        break;
      }
      if (c == '"') {
        quoted = !quoted;
      }
      if (!quoted && c == '^' && pos_ + 1 < text_.size()) {
        ++pos_;
      }
      value += text_[pos_];
      ++pos_;
    }
    return value;
  }

  Command conditional(bool in_block) {
    Command command;
    command.kind = Command::Kind::conditional;
    auto& condition = command.condition;
    auto word = operand();
    if (equals_ignoring_case(word, "/i")) {
      condition.ignore_case = true;
      word = operand();
    }
    if (equals_ignoring_case(word, "not")) {
      condition.negate = true;
      word = operand();
    }
    if (equals_ignoring_case(word, "defined")) {
      condition.kind = Condition::Kind::defined;
      condition.left = operand();
    } else if (equals_ignoring_case(word, "exist")) {
      condition.kind = Condition::Kind::exist;
      condition.left = cmdline::remove_quotes(operand());
    } else if (equals_ignoring_case(word, "errorlevel") || equals_ignoring_case(word, "cmdextversion")) {
      throw Unsupported{Msg::bat_construct_command};
    } else {
      condition.kind = Condition::Kind::compare;
      condition.left = word;
      while (!at_end() && is_blank(current())) {
        ++pos_;
      }
      if (text_.substr(pos_, 2) == "==") {
        condition.op = "==";
        pos_ += 2;
      } else {
        condition.op = operand();
        static constexpr std::string_view ops[] = {"EQU", "NEQ", "LSS", "LEQ", "GTR", "GEQ"};
        bool known = false;
        for (const auto op : ops) {
          known = known || equals_ignoring_case(condition.op, op);
        }
        if (!known) {
          throw Unsupported{Msg::bat_construct_command};
        }
      }
      condition.right = operand();
    }

    while (!at_end() && is_blank(current())) {
      ++pos_;
    }
    if (at_end()) {
      throw Unsupported{Msg::bat_construct_command};
    }
    if (current() != '(') {
      // Without parentheses the rest of the line, & included, belongs to the IF.
      command.then_commands = sequence(in_block);
      return command;
    }
    command.then_commands = block().then_commands;
    const auto save = pos_;
    while (!at_end() && is_blank(current())) {
      ++pos_;
    }
    const auto [next_word, after] = split_command_word(text_.substr(pos_));
    if (equals_ignoring_case(next_word, "else")) {
      pos_ = static_cast<std::size_t>(after.data() - text_.data());
      while (!at_end() && is_blank(current())) {
        ++pos_;
      }
      if (!at_end() && current() == '(') {
        command.else_commands = block().then_commands;
      } else {
        command.else_commands = sequence(in_block);
      }
    } else {
      pos_ = save;
    }
    return command;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  int depth_ = 0;
};

}  // namespace

std::vector<Command> parse_line(std::string_view text) {
  return LineParser(text).parse();
}

int open_parentheses(std::string_view line) {
  const auto word = split_command_word(line).first;
  const auto start = skip_command_lead(line);
  if (!(equals_ignoring_case(word, "if") || equals_ignoring_case(word, "for") ||
        (!start.empty() && start.front() == '('))) {
    return 0;
  }
  int depth = 0;
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == '"') {
      quoted = !quoted;
    } else if (!quoted && c == '^') {
      ++i;
    } else if (!quoted && c == '(') {
      ++depth;
    } else if (!quoted && c == ')' && depth > 0) {
      --depth;
    }
  }
  return depth;
}

int count_parentheses_change(std::string_view line) {
  int change = 0;
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == '"') {
      quoted = !quoted;
    } else if (!quoted && c == '^') {
      ++i;
    } else if (!quoted && c == '(') {
      ++change;
    } else if (!quoted && c == ')') {
      --change;
    }
  }
  return change;
}

std::vector<std::string> physical_lines(std::string_view text) {
  std::vector<std::string> lines;
  std::string line;
  for (const char c : text) {
    if (c == '\n' || c == '\x1a') {
      lines.push_back(std::move(line));
      line.clear();
    } else if (c != '\r') {
      line += c;
    }
  }
  if (!line.empty()) {
    lines.push_back(std::move(line));
  }
  return lines;
}

bool continues_on_next_line(std::string_view line) {
  std::size_t carets = 0;
  while (carets < line.size() && line[line.size() - 1 - carets] == '^') {
    ++carets;
  }
  return carets % 2 == 1;
}

}  // namespace vtsubmit::bat
