#include "common/bat_init.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>

#include "common/bat_arithmetic.hpp"
#include "common/bat_syntax.hpp"
#include "common/cmdline_tail.hpp"
#include "common/platform.hpp"

namespace vtsubmit {

using namespace bat;

namespace {

constexpr unsigned utf8_code_page = 65001;
// cmd.exe itself stops near this depth; deeper nesting in an init file is a loop in practice.
constexpr std::size_t max_call_depth = 16;

// Maximum length of a command line that cmd.exe runs once %VARIABLES% are expanded. A longer
// one gives "The input line is too long". The limit also keeps lines such as `set A=%A%%A%` from doubling without end.
constexpr std::size_t max_expanded_line = 8191;

// Characters of UTF-8 text: one per code point. cmd counts two for a code point outside the
// Basic Multilingual Plane, which makes no difference that matters for a limit.
std::size_t character_count(std::string_view utf8) {
  std::size_t count = 0;
  for (const char c : utf8) {
    count += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  }
  return count;
}

// Paths are UTF-8 strings; std::filesystem would read a plain std::string in the ANSI code page
// on Windows.
std::filesystem::path to_path(std::string_view utf8) {
  return std::filesystem::path(std::u8string(utf8.begin(), utf8.end()));
}

std::string from_path(const std::filesystem::path& path) {
  const auto text = path.u8string();
  return std::string(text.begin(), text.end());
}


std::string substring(const std::string& value, std::string_view spec) {
  // spec is "~start[,length]"
  spec.remove_prefix(1);
  const auto comma = spec.find(',');
  const auto start_text = spec.substr(0, comma);
  const auto size = static_cast<long>(value.size());
  long start = start_text.empty() ? 0 : std::stol(std::string(start_text));
  if (start < 0) {
    start = std::max(0L, size + start);
  }
  start = std::min(start, size);
  long end = size;
  if (comma != std::string_view::npos) {
    const auto length_text = spec.substr(comma + 1);
    const long length = length_text.empty() ? 0 : std::stol(std::string(length_text));
    end = length < 0 ? std::max(start, size + length) : std::min(size, start + length);
  }
  return value.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(std::max(0L, end - start)));
}

std::string replace_all_ignoring_case(const std::string& value, std::string_view from, std::string_view to) {
  bool up_to_first = false;
  if (!from.empty() && from.front() == '*') {
    up_to_first = true;
    from.remove_prefix(1);
  }
  if (from.empty()) {
    return value;
  }
  std::string result;
  std::size_t i = 0;
  while (i < value.size()) {
    if (i + from.size() <= value.size() && equals_ignoring_case(std::string_view(value).substr(i, from.size()), from)) {
      if (up_to_first) {
        return std::string(to) + value.substr(i + from.size());
      }
      result += to;
      i += from.size();
    } else {
      result += value[i++];
    }
  }
  return up_to_first ? value : result;
}

bool is_dynamic_variable(std::string_view name) {
  static constexpr std::string_view names[] = {"DATE", "TIME", "RANDOM", "CMDCMDLINE", "__CD__", "__APPDIR__",
                                               "HIGHESTNUMANODENUMBER"};
  for (const auto known : names) {
    if (equals_ignoring_case(name, known)) {
      return true;
    }
  }
  return false;
}

}  // namespace

// One batch file being evaluated, with its parameters.
struct BatInterpreter::Frame {
  std::string file;                      // %0, as given
  std::vector<std::string> arguments;    // %1, %2…
  std::string raw_arguments;             // %*
  std::vector<InitDiagnostic>* diagnostics = nullptr;
  std::size_t scope_base = 0;            // local_scopes_.size() when the file started
  unsigned decode_page = 0;
  bool ended = false;                    // goto :eof or exit /b ran
};

// Evaluates the lines of one file.
class BatInterpreter::LineRunner {
 public:
  LineRunner(BatInterpreter& interpreter, Frame& frame) : interpreter_(interpreter), frame_(frame) {}

  // Evaluates one logical line; `line_number` is its first physical line.
  void run(const std::string& line, int line_number) {
    line_ = &line;
    line_number_ = line_number;
    const auto start = skip_command_lead(line);
    if (start.empty() || start.front() == ':') {
      return;   // blank line, label or ":: comment"
    }
    const auto word = split_command_word(line).first;
    if (equals_ignoring_case(word, "rem")) {
      return;
    }

    bool dynamic = false;
    const auto expanded = expand_percent(line, dynamic);
    if (dynamic) {
      report(Msg::bat_construct_dynamic_variable);
      return;
    }
    if (character_count(expanded) > max_expanded_line) {
      report(Msg::bat_construct_line_too_long);
      return;
    }
    std::vector<Command> commands;
    try {
      commands = parse_line(expanded);
    } catch (const Unsupported& unsupported) {
      report(unsupported.construct);
      return;
    }
    execute(commands);
  }

  void report(Msg construct) {
    report_line(*line_, line_number_, construct);
  }

  void report_line(const std::string& line, int line_number, Msg construct) {
    frame_.diagnostics->push_back({frame_.file, line_number, construct, line});
  }

 private:
  std::string parameter(int index) const {
    if (index == 0) {
      return frame_.file;
    }
    const auto position = static_cast<std::size_t>(index - 1);
    return position < frame_.arguments.size() ? frame_.arguments[position] : std::string();
  }

  // Applies %~ modifiers (f d p n x and no letter) to parameter `index`.
  std::optional<std::string> modified_parameter(std::string_view modifiers, int index) const {
    auto value = cmdline::remove_quotes(parameter(index));
    if (modifiers.empty()) {
      return value;
    }
    for (const char c : modifiers) {
      if (std::string_view("fdpnx").find(static_cast<char>(c | 0x20)) == std::string_view::npos) {
        return std::nullopt;
      }
    }

    std::error_code error;
    const auto path = std::filesystem::absolute(to_path(value), error);
    if (error) {
      return std::nullopt;
    }

    auto wants = [&](char letter) {
      return modifiers.find(letter) != std::string_view::npos || modifiers.find(upper_ascii(letter)) != std::string_view::npos;
    };
    if (wants('f') && modifiers.size() == 1) {
      return from_path(path);
    }

    std::string result;
    if (wants('d')) {
      result += from_path(path.root_name());
    }
    if (wants('p')) {
      auto directory = from_path(path.parent_path().relative_path());
      result += from_path(path.root_directory());
      if (!directory.empty()) {
        result += directory;
        result += static_cast<char>(std::filesystem::path::preferred_separator);
      }
    }
    if (wants('n')) {
      result += from_path(path.stem());
    }
    if (wants('x')) {
      result += from_path(path.extension());
    }
    return result;
  }

  // Expands % references as a batch file does when it reads a line: %% gives %, %NAME% the
  // variable or nothing, a lone % is dropped, %0-%9, %* and %~<modifiers><digit> the parameters.
  std::string expand_percent(std::string_view line, bool& dynamic) const {
    std::string result;
    std::size_t i = 0;
    while (i < line.size()) {
      if (line[i] != '%') {
        result += line[i++];
        continue;
      }
      if (i + 1 >= line.size()) {
        ++i;
        continue;
      }
      const char next = line[i + 1];
      if (next == '%') {
        result += '%';
        i += 2;
        continue;
      }
      if (next >= '0' && next <= '9') {
        result += parameter(next - '0');
        i += 2;
        continue;
      }
      if (next == '*') {
        result += frame_.raw_arguments;
        i += 2;
        continue;
      }
      if (next == '~') {
        std::size_t j = i + 2;
        while (j < line.size() && std::string_view("fdpnxsatzFDPNXSATZ$").find(line[j]) != std::string_view::npos) {
          ++j;
        }
        if (j < line.size() && line[j] >= '0' && line[j] <= '9') {
          const auto value = modified_parameter(line.substr(i + 2, j - i - 2), line[j] - '0');
          if (!value) {
            dynamic = true;
          } else {
            result += *value;
          }
          i = j + 1;
          continue;
        }
      }
      const auto close = line.find('%', i + 1);
      if (close == std::string_view::npos) {
        ++i;   // a lone % is dropped
        continue;
      }
      result += variable_reference(line.substr(i + 1, close - i - 1), dynamic);
      i = close + 1;
    }
    return result;
  }

  std::string variable_reference(std::string_view reference, bool& dynamic) const {
    const auto colon = reference.find(':');
    const auto name = reference.substr(0, colon);
    std::optional<std::string> value = interpreter_.environment_.get(name);
    if (!value) {
      if (equals_ignoring_case(name, "CD")) {
        std::error_code error;
        value = from_path(std::filesystem::current_path(error));
      } else if (equals_ignoring_case(name, "ERRORLEVEL")) {
        value = std::string("0");
      } else if (equals_ignoring_case(name, "CMDEXTVERSION")) {
        value = std::string("2");
      } else if (is_dynamic_variable(name)) {
        dynamic = true;
        return {};
      }
    }
    if (!value) {
      return {};
    }
    if (colon == std::string_view::npos) {
      return *value;
    }
    const auto modifier = reference.substr(colon + 1);
    if (!modifier.empty() && modifier.front() == '~') {
      try {
        return substring(*value, modifier);
      } catch (const std::exception&) {
        dynamic = true;
        return {};
      }
    }
    const auto equals = modifier.find('=');
    if (equals == std::string_view::npos) {
      return *value;
    }
    return replace_all_ignoring_case(*value, modifier.substr(0, equals), modifier.substr(equals + 1));
  }

  bool holds(const Condition& condition) const {
    bool result = false;
    switch (condition.kind) {
      case Condition::Kind::defined:
        result = interpreter_.environment_.contains(condition.left);
        break;
      case Condition::Kind::exist: {
        std::error_code error;
        result = std::filesystem::exists(to_path(condition.left), error);
        break;
      }
      case Condition::Kind::compare:
        result = compare(condition);
        break;
    }
    return condition.negate ? !result : result;
  }

  static bool compare(const Condition& condition) {
    const auto same = condition.ignore_case ? equals_ignoring_case(condition.left, condition.right)
                                            : condition.left == condition.right;
    if (condition.op == "==") {
      return same;
    }
    const auto left = parse_number(condition.left);
    const auto right = parse_number(condition.right);
    int order = 0;
    if (left && right) {
      order = *left < *right ? -1 : (*left > *right ? 1 : 0);
    } else {
      order = condition.left < condition.right ? -1 : (condition.left > condition.right ? 1 : 0);
      if (same) {
        order = 0;
      }
    }
    const auto& op = condition.op;
    if (equals_ignoring_case(op, "EQU")) return order == 0;
    if (equals_ignoring_case(op, "NEQ")) return order != 0;
    if (equals_ignoring_case(op, "LSS")) return order < 0;
    if (equals_ignoring_case(op, "LEQ")) return order <= 0;
    if (equals_ignoring_case(op, "GTR")) return order > 0;
    return order >= 0;   // GEQ
  }

  void execute(const std::vector<Command>& commands) {
    for (const auto& command : commands) {
      if (frame_.ended) {
        return;
      }
      switch (command.kind) {
        case Command::Kind::comment:
          break;
        case Command::Kind::block:
          execute(command.then_commands);
          break;
        case Command::Kind::conditional:
          execute(holds(command.condition) ? command.then_commands : command.else_commands);
          break;
        case Command::Kind::simple:
          execute_simple(command);
          break;
      }
    }
  }

  void execute_simple(const Command& command) {
    const auto& word = command.word;
    const auto arguments = skip_blanks(command.arguments);
    auto& environment = interpreter_.environment_;
    if (equals_ignoring_case(word, "set")) {
      set(command.arguments);
    } else if (equals_ignoring_case(word, "chcp")) {
      const auto page = parse_number(cmdline::remove_quotes(std::string(arguments.substr(0, arguments.find_first_of(" \t")))));
      if (page && *page > 0) {
        interpreter_.code_page_ = static_cast<unsigned>(*page);
        frame_.decode_page = interpreter_.code_page_;
      }
    } else if (equals_ignoring_case(word, "path")) {
      auto value = command.arguments;
      if (!value.empty() && (value.front() == '=' || is_blank(value.front()))) {
        value.erase(0, 1);
      }
      if (value == ";") {
        environment.erase("PATH");
      } else if (!value.empty()) {
        environment.set("PATH", value);
      }
    } else if (equals_ignoring_case(word, "setlocal")) {
      interpreter_.local_scopes_.push_back(environment);
    } else if (equals_ignoring_case(word, "endlocal")) {
      if (interpreter_.local_scopes_.size() > frame_.scope_base) {
        environment = std::move(interpreter_.local_scopes_.back());
        interpreter_.local_scopes_.pop_back();
      }
    } else if (equals_ignoring_case(word, "goto") || equals_ignoring_case(word, "exit")) {
      frame_.ended = true;   // goto :eof and exit /b, the only forms the parser lets through
    } else if (equals_ignoring_case(word, "call")) {
      call(arguments);
    }
    // echo, title, cls, ver and color change no variable.
  }

  void set(std::string_view text) {
    text = skip_blanks(text);
    auto& environment = interpreter_.environment_;
    if (starts_with_ignoring_case(text, "/a")) {
      auto expression = cmdline::remove_quotes(text.substr(2));
      try {
        evaluate_arithmetic(expression, environment);
      } catch (const ArithmeticError&) {
        report(Msg::bat_construct_arithmetic);
      }
      return;
    }
    std::string_view assignment = text;
    if (!text.empty() && text.front() == '"') {
      const auto last = text.rfind('"');
      assignment = last == 0 ? text.substr(1) : text.substr(1, last - 1);
    }
    const auto equals = assignment.find('=');
    if (equals == std::string_view::npos) {
      return;   // "set NAME" lists variables and changes nothing
    }
    const auto name = assignment.substr(0, equals);
    if (name.empty()) {
      report(Msg::bat_construct_set_syntax);
      return;
    }
    const auto value = assignment.substr(equals + 1);
    if (value.empty()) {
      environment.erase(name);
    } else {
      environment.set(name, value);
    }
  }

  std::optional<std::filesystem::path> find_batch_file(const std::string& name) const {
    std::vector<std::string> candidates;
    const auto extension = to_path(name).extension();
    if (extension.empty()) {
      candidates = {name + ".bat", name + ".cmd"};
    } else {
      candidates = {name};
    }
    std::vector<std::filesystem::path> directories{std::filesystem::path()};
    const auto given = to_path(name);
    if (given.is_relative() && !given.has_parent_path()) {
      const auto path_list = interpreter_.environment_.get_or("PATH");
      std::size_t start = 0;
      while (start <= path_list.size()) {
        const auto end = std::min(path_list.find(';', start), path_list.size());
        if (end > start) {
          directories.push_back(to_path(std::string_view(path_list).substr(start, end - start)));
        }
        start = end + 1;
      }
    }
    for (const auto& directory : directories) {
      for (const auto& candidate : candidates) {
        const auto path = directory.empty() ? to_path(candidate) : directory / to_path(candidate);
        std::error_code error;
        if (std::filesystem::is_regular_file(path, error)) {
          return path;
        }
      }
    }
    return std::nullopt;
  }

  void call(std::string_view arguments) {
    auto target = cmdline::read_crt_argument(arguments);
    // cmd reads the called name up to a blank, with quotes removed; CRT backslash rules do not
    // matter for a path without quotes inside.
    const auto name = cmdline::remove_quotes(target.value);
    if (name.empty()) {
      return;
    }
    const auto extension = to_path(name).extension();
    const auto extension_text = from_path(extension);
    if (!extension.empty() && !equals_ignoring_case(extension_text, ".bat") && !equals_ignoring_case(extension_text, ".cmd")) {
      report(Msg::bat_construct_call_program);
      return;
    }
    const auto path = find_batch_file(name);
    if (!path) {
      report(Msg::bat_construct_call_missing);
      return;
    }
    interpreter_.call_file(from_path(*path), std::string(target.rest), *frame_.diagnostics);
  }

  BatInterpreter& interpreter_;
  Frame& frame_;
  const std::string* line_ = nullptr;
  int line_number_ = 0;
};

BatInterpreter::BatInterpreter(const Environment& environment, CodePageDecoder decoder, unsigned code_page)
    : environment_(environment), decoder_(std::move(decoder)), code_page_(code_page) {}

void BatInterpreter::source(const std::string& file, std::vector<InitDiagnostic>& diagnostics) {
  call_file(file, {}, diagnostics);
}

void BatInterpreter::call_file(const std::string& file, const std::string& raw_arguments,
                               std::vector<InitDiagnostic>& diagnostics) {
  std::error_code error;
  auto canonical = std::filesystem::weakly_canonical(to_path(file), error);
  const auto key = error ? file : from_path(canonical);
  for (const auto& active : calling_) {
    if (equals_ignoring_case(active, key)) {
      throw InitFileError({Msg::bat_call_loop, {file}});
    }
  }
  if (calling_.size() >= max_call_depth) {
    throw InitFileError({Msg::bat_call_loop, {file}});
  }

  std::string text;
  if (const auto read_error = platform::read_file(file, text, max_bat_init_bytes)) {
    throw InitFileError({Msg::init_file_unreadable, {file, read_error.message()}});
  }
  calling_.push_back(key);
  try {
    evaluate(text, file, diagnostics, raw_arguments);
  } catch (...) {
    calling_.pop_back();
    throw;
  }
  calling_.pop_back();
}

void BatInterpreter::evaluate(std::string_view text, const std::string& file, std::vector<InitDiagnostic>& diagnostics,
                              const std::string& raw_arguments) {
  Frame frame;
  frame.file = file;
  frame.raw_arguments = raw_arguments;
  frame.arguments = cmdline::split_batch_parameters(raw_arguments);
  frame.diagnostics = &diagnostics;
  frame.scope_base = local_scopes_.size();
  frame.decode_page = code_page_;
  // A UTF-8 byte order mark would break cmd's first line; vtsubmit reads such a file as UTF-8.
  if (text.substr(0, 3) == "\xEF\xBB\xBF") {
    text.remove_prefix(3);
    frame.decode_page = utf8_code_page;
  }
  run_file(text, frame);

  // The implicit endlocal at the end of a batch file drops what its setlocal scopes changed.
  if (local_scopes_.size() > frame.scope_base) {
    environment_ = std::move(local_scopes_[frame.scope_base]);
    local_scopes_.resize(frame.scope_base);
  }
}

void BatInterpreter::run_file(std::string_view text, Frame& frame) {
  const auto lines = physical_lines(text);
  const auto decode = [&](const std::string& bytes) {
    if (!decoder_ || frame.decode_page == utf8_code_page) {
      return bytes;
    }
    return decoder_(bytes, frame.decode_page);
  };

  LineRunner runner(*this, frame);
  std::size_t i = 0;
  while (i < lines.size() && !frame.ended) {
    const int line_number = static_cast<int>(i + 1);
    std::string line = decode(lines[i++]);
    while (continues_on_next_line(line) && i < lines.size()) {
      line.pop_back();
      line += decode(lines[i++]);
    }

    int depth = open_parentheses(line);
    if (depth > 0) {
      // A block over several lines: cmd reads it whole and expands %VAR% once for all its lines,
      // which this interpreter does not model. Report every line of it.
      runner.report_line(line, line_number, Msg::bat_construct_block);
      while (depth > 0 && i < lines.size()) {
        const int number = static_cast<int>(i + 1);
        const auto next = decode(lines[i++]);
        depth += count_parentheses_change(next);
        runner.report_line(next, number, Msg::bat_construct_block);
      }
      continue;
    }
    runner.run(line, line_number);
  }
}

}  // namespace vtsubmit
