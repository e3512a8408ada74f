#include "common/batch_quote.hpp"

namespace vtsubmit::batch {

namespace {

char lower_ascii(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool ends_with_ignoring_case(std::string_view text, std::string_view suffix) {
  if (text.size() < suffix.size()) {
    return false;
  }
  const auto tail = text.substr(text.size() - suffix.size());
  for (std::size_t i = 0; i < suffix.size(); ++i) {
    if (lower_ascii(tail[i]) != suffix[i]) {
      return false;
    }
  }
  return true;
}

// Characters that need no quotes: they mean nothing to cmd, and a script's "%~1" cannot be
// broken by them.
bool is_plain_ascii(char c) {
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
    return true;
  }
  switch (c) {
    case '#': case '$': case '*': case '+': case '-': case '.': case '/': case ':':
    case '?': case '@': case '\\': case '_':
      return true;
    default:
      return false;
  }
}

bool needs_quotes(std::string_view argument) {
  if (argument.empty() || argument.back() == '\\') {
    return true;
  }
  for (const char c : argument) {
    const auto byte = static_cast<unsigned char>(c);
    // Bytes of 0x80 and above are UTF-8 sequences of non-ASCII letters: they need no quotes.
    if (byte < 0x80 && !is_plain_ascii(c)) {
      return true;
    }
  }
  return false;
}

}  // namespace

bool is_batch_file(std::string_view path) {
  while (!path.empty() && (path.back() == '.' || path.back() == ' ')) {
    path.remove_suffix(1);
  }
  return ends_with_ignoring_case(path, ".bat") || ends_with_ignoring_case(path, ".cmd");
}

std::optional<std::string> escape_argument(std::string_view argument) {
  if (argument.find_first_of(std::string_view("\0\r\n", 3)) != std::string_view::npos) {
    return std::nullopt;
  }
  if (!needs_quotes(argument)) {
    return std::string(argument);
  }

  std::string escaped = "\"";
  std::size_t backslashes = 0;
  for (const char c : argument) {
    if (c == '\\') {
      ++backslashes;
      continue;
    }
    if (c == '"') {
      // cmd has no \" escape: a doubled quote keeps the number of quotes even, and doubled
      // backslashes keep "%~1" from reading \" in the script.
      escaped.append(backslashes * 2, '\\');
      escaped += "\"\"";
    } else if (c == '%') {
      // %cd:~,% is an empty substring of %CD%: it breaks every %NAME% without adding text.
      escaped.append(backslashes, '\\');
      escaped += "%%cd:~,%";
    } else {
      escaped.append(backslashes, '\\');
      escaped += c;
    }
    backslashes = 0;
  }
  escaped.append(backslashes * 2, '\\');
  escaped += '"';
  return escaped;
}

namespace {

CommandLineError check_script(std::string_view script) {
  if (script.find('"') != std::string_view::npos) {
    return CommandLineError::script_has_quote;
  }
  if (!script.empty() && (script.back() == '\\' || script.back() == '/')) {
    return CommandLineError::script_ends_with_slash;
  }
  return CommandLineError::none;
}

std::string cmd_prefix(std::string_view cmd_exe) {
  std::string line = "\"";
  line += cmd_exe;
  line += "\" /d /e:ON /v:OFF /s /c \"";
  return line;
}

}  // namespace

BatchCommandLine make_batch_command_line(std::string_view cmd_exe, std::string_view script,
                                         const std::vector<std::string>& arguments) {
  BatchCommandLine result;
  result.error = check_script(script);
  if (result.error != CommandLineError::none) {
    return result;
  }
  std::string line = cmd_prefix(cmd_exe);
  line += '"';
  line += script;
  line += '"';
  for (std::size_t i = 0; i < arguments.size(); ++i) {
    const auto escaped = escape_argument(arguments[i]);
    if (!escaped) {
      result.error = CommandLineError::argument_has_newline;
      result.argument_index = i;
      return result;
    }
    line += ' ';
    line += *escaped;
  }
  line += '"';
  result.command_line = std::move(line);
  return result;
}

BatchCommandLine make_legacy_call_command_line(std::string_view cmd_exe, std::string_view script,
                                               std::string_view raw_tail) {
  BatchCommandLine result;
  result.error = check_script(script);
  if (result.error != CommandLineError::none) {
    return result;
  }
  std::string line = cmd_prefix(cmd_exe);
  line += "call \"";
  line += script;
  line += '"';
  if (!raw_tail.empty()) {
    line += ' ';
    line += raw_tail;
  }
  line += '"';
  result.command_line = std::move(line);
  return result;
}

std::string make_inline_command_line(std::string_view cmd_exe, std::string_view command, std::string_view tail) {
  std::string line = cmd_prefix(cmd_exe);
  line += command;
  if (!tail.empty()) {
    line += ' ';
    line += tail;
  }
  line += '"';
  return line;
}

std::string escape_cmd_metacharacters(std::string_view text) {
  std::string escaped;
  for (const char c : text) {
    switch (c) {
      case '(': case ')': case '%': case '!': case '^': case '"': case '<': case '>': case '&': case '|':
        escaped += '^';
        break;
      default:
        break;
    }
    escaped += c;
  }
  return escaped;
}

}  // namespace vtsubmit::batch
