#include "common/cmdline_tail.hpp"

namespace vtsubmit::cmdline {

namespace {

bool is_blank(char c) {
  return c == ' ' || c == '\t';
}

std::string_view skip_blanks(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && is_blank(text[i])) {
    ++i;
  }
  return text.substr(i);
}

bool is_batch_separator(char c) {
  return c == ' ' || c == '\t' || c == ',' || c == ';' || c == '=' || c == '\v' || c == '\f';
}

}  // namespace

CrtArgument read_program_name(std::string_view command_line) {
  CrtArgument argument;
  argument.present = !command_line.empty();
  bool quoted = false;
  std::size_t i = 0;
  for (; i < command_line.size(); ++i) {
    const char c = command_line[i];
    if (c == '"') {
      quoted = !quoted;
      continue;
    }
    if (!quoted && is_blank(c)) {
      break;
    }
    argument.value += c;
  }
  argument.rest = skip_blanks(command_line.substr(i));
  return argument;
}

CrtArgument read_crt_argument(std::string_view text) {
  CrtArgument argument;
  text = skip_blanks(text);
  if (text.empty()) {
    argument.rest = text;
    return argument;
  }
  argument.present = true;

  bool quoted = false;
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (!quoted && is_blank(c)) {
      break;
    }
    if (c == '\\') {
      std::size_t count = 0;
      while (i < text.size() && text[i] == '\\') {
        ++count;
        ++i;
      }
      if (i < text.size() && text[i] == '"') {
        argument.value.append(count / 2, '\\');
        if (count % 2 == 1) {
          argument.value += '"';
          ++i;
        }
        // With an even count the '"' is handled by the next iteration as a quote.
      } else {
        argument.value.append(count, '\\');
      }
      continue;
    }
    if (c == '"') {
      if (quoted && i + 1 < text.size() && text[i + 1] == '"') {
        argument.value += '"';
        i += 2;
        continue;
      }
      quoted = !quoted;
      ++i;
      continue;
    }
    argument.value += c;
    ++i;
  }
  argument.rest = skip_blanks(text.substr(i));
  return argument;
}

std::vector<std::string> split_crt_arguments(std::string_view text) {
  std::vector<std::string> arguments;
  for (;;) {
    auto argument = read_crt_argument(text);
    if (!argument.present) {
      break;
    }
    arguments.push_back(std::move(argument.value));
    text = argument.rest;
  }
  return arguments;
}

std::string quote_crt_argument(std::string_view argument) {
  if (!argument.empty() && argument.find_first_of(" \t\n\v\"") == std::string_view::npos) {
    return std::string(argument);
  }
  std::string quoted = "\"";
  std::size_t backslashes = 0;
  for (const char c : argument) {
    if (c == '\\') {
      ++backslashes;
      continue;
    }
    if (c == '"') {
      quoted.append(backslashes * 2 + 1, '\\');
    } else {
      quoted.append(backslashes, '\\');
    }
    backslashes = 0;
    quoted += c;
  }
  quoted.append(backslashes * 2, '\\');
  quoted += '"';
  return quoted;
}

QueueCommandLine split_queue_command_line(std::string_view command_line) {
  QueueCommandLine parts;
  const auto program = read_program_name(command_line);
  parts.program = program.value;
  const auto queue_file = read_crt_argument(program.rest);
  parts.has_queue_file = queue_file.present;
  parts.queue_file = queue_file.value;
  parts.raw_tail = std::string(queue_file.rest);
  return parts;
}

std::vector<std::string> split_batch_parameters(std::string_view tail) {
  std::vector<std::string> parameters;
  std::size_t i = 0;
  while (i < tail.size()) {
    while (i < tail.size() && is_batch_separator(tail[i])) {
      ++i;
    }
    if (i == tail.size()) {
      break;
    }
    std::string parameter;
    bool quoted = false;
    for (; i < tail.size(); ++i) {
      const char c = tail[i];
      if (!quoted && is_batch_separator(c)) {
        break;
      }
      if (c == '"') {
        quoted = !quoted;
      }
      parameter += c;
    }
    parameters.push_back(std::move(parameter));
  }
  return parameters;
}

std::string remove_quotes(std::string_view parameter) {
  std::string value;
  for (const char c : parameter) {
    if (c != '"') {
      value += c;
    }
  }
  return value;
}

}  // namespace vtsubmit::cmdline
