#include "common/queue_file.hpp"

#include <algorithm>

#include <toml++/toml.h>

#include "common/language.hpp"

namespace vtsubmit {

namespace {

constexpr int max_seconds = 86400;

std::string line_of(const toml::node& node) {
  return std::to_string(node.source().begin.line);
}

std::string type_name(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table: return "table";
    case toml::node_type::array: return "array";
    case toml::node_type::string: return "string";
    case toml::node_type::integer: return "integer";
    case toml::node_type::floating_point: return "float";
    case toml::node_type::boolean: return "boolean";
    case toml::node_type::date: return "date";
    case toml::node_type::time: return "time";
    case toml::node_type::date_time: return "date-time";
    default: return "none";
  }
}

// Validates the keys of one table and reads them through the visitor given for each key.
class TableReader {
 public:
  TableReader(const toml::table& table, std::string prefix, const std::string& path)
      : table_(table), prefix_(std::move(prefix)), path_(path) {}

  void reject_unknown_keys(std::initializer_list<std::string_view> known) const {
    for (const auto& [key, node] : table_) {
      bool found = false;
      for (const auto name : known) {
        found = found || key.str() == name;
      }
      if (!found) {
        std::string valid;
        for (const auto name : known) {
          valid += valid.empty() ? "" : ", ";
          valid += prefix_ + std::string(name);
        }
        throw QueueFileError({Msg::queue_file_unknown_key,
                              {path_, line_of(node), prefix_ + std::string(key.str()), valid}});
      }
    }
  }

  const toml::node* find(std::string_view key) const { return table_.get(key); }

  std::string full_key(std::string_view key) const { return prefix_ + std::string(key); }

  [[noreturn]] void wrong_type(std::string_view key, const toml::node& node, Msg expected) const {
    throw QueueFileError({Msg::queue_file_wrong_type,
                          {path_, line_of(node), full_key(key), expected,
                           type_name(node)}});
  }

  [[noreturn]] void bad_value(std::string_view key, const toml::node& node, std::string value, Msg hint) const {
    throw QueueFileError({Msg::queue_file_bad_value,
                          {path_, line_of(node), full_key(key), std::move(value),
                           hint}});
  }

  std::optional<std::string> string(std::string_view key) const {
    const auto* node = find(key);
    if (node == nullptr) {
      return std::nullopt;
    }
    if (!node->is_string()) {
      wrong_type(key, *node, Msg::type_string);
    }
    return node->as_string()->get();
  }

  std::optional<std::vector<std::string>> string_array(std::string_view key, bool allow_empty) const {
    const auto* node = find(key);
    if (node == nullptr) {
      return std::nullopt;
    }
    const auto* array = node->as_array();
    if (array == nullptr) {
      wrong_type(key, *node, Msg::type_string_array);
    }
    std::vector<std::string> values;
    for (const auto& element : *array) {
      if (!element.is_string()) {
        wrong_type(key, element, Msg::type_string_array);
      }
      values.push_back(element.as_string()->get());
    }
    if (values.empty() && !allow_empty) {
      bad_value(key, *node, "[]", Msg::hint_non_empty_array);
    }
    return values;
  }

  std::optional<int> seconds(std::string_view key) const {
    const auto* node = find(key);
    if (node == nullptr) {
      return std::nullopt;
    }
    if (!node->is_integer()) {
      wrong_type(key, *node, Msg::type_positive_number);
    }
    const auto value = node->as_integer()->get();
    if (value < 0 || value > max_seconds) {
      bad_value(key, *node, std::to_string(value), Msg::hint_seconds);
    }
    return static_cast<int>(value);
  }

  const toml::table* subtable(std::string_view key) const {
    const auto* node = find(key);
    if (node == nullptr) {
      return nullptr;
    }
    if (!node->is_table()) {
      wrong_type(key, *node, Msg::type_table);
    }
    return node->as_table();
  }

 private:
  const toml::table& table_;
  std::string prefix_;
  const std::string& path_;
};

void read_script_table(const TableReader& root, QueueConfig& config) {
  const auto* table = root.subtable("script");
  if (table == nullptr) {
    return;
  }
  const TableReader script(*table, "script.", config.path);
  script.reject_unknown_keys({"interpreter", "inline", "batch_args"});
  config.interpreter = script.string_array("interpreter", false).value_or(std::vector<std::string>{});
  config.inline_prefix = script.string_array("inline", false).value_or(std::vector<std::string>{});
  if (const auto mode = script.string("batch_args")) {
    if (*mode == "legacy") {
      config.legacy_batch_arguments = true;
    } else if (*mode != "safe") {
      script.bad_value("batch_args", *script.find("batch_args"), *mode, Msg::hint_batch_args);
    }
  }
}

// [log] codepage: a Windows code page number, or "ansi" (the default), "oem" or "utf-8".
void read_log_table(const TableReader& root, QueueConfig& config) {
  const auto* table = root.subtable("log");
  if (table == nullptr) {
    return;
  }
  const TableReader log(*table, "log.", config.path);
  log.reject_unknown_keys({"codepage"});
  const auto* node = log.find("codepage");
  if (node == nullptr) {
    return;
  }
  if (const auto* number = node->as_integer()) {
    const auto value = number->get();
    // Code pages 0 and 1 are the ANSI and OEM aliases; real ones go up to 65001 (UTF-8).
    if (value < 2 || value > 65001) {
      log.bad_value("codepage", *node, std::to_string(value), Msg::hint_code_page);
    }
    config.log_code_page = static_cast<unsigned>(value);
    return;
  }
  if (const auto* text = node->as_string()) {
    const auto& name = text->get();
    if (name == "ansi") {
      config.log_code_page = 0;
    } else if (name == "oem") {
      config.log_code_page = 1;
    } else if (name == "utf-8" || name == "utf8") {
      config.log_code_page = 65001;
    } else {
      log.bad_value("codepage", *node, name, Msg::hint_code_page);
    }
    return;
  }
  log.wrong_type("codepage", *node, Msg::type_code_page);
}

void read_stop_table(const TableReader& root, QueueConfig& config) {
  const auto* table = root.subtable("stop");
  if (table == nullptr) {
    return;
  }
  const TableReader stop(*table, "stop.", config.path);
  stop.reject_unknown_keys({"grace", "drain", "leftovers"});
  config.stop_grace_seconds = stop.seconds("grace").value_or(config.stop_grace_seconds);
  config.drain_seconds = stop.seconds("drain").value_or(config.drain_seconds);

  if (const auto policy = stop.string("leftovers")) {
    if (*policy == "kill") {
      config.leftovers = platform::LeftoverPolicy::kill;
    } else if (*policy == "wait") {
      config.leftovers = platform::LeftoverPolicy::wait;
    } else if (*policy == "keep") {
      config.leftovers = platform::LeftoverPolicy::keep;
    } else {
      stop.bad_value("leftovers", *stop.find("leftovers"), *policy, Msg::hint_leftovers);
    }
  }
}

void read_tsend_table(const TableReader& root, QueueConfig& config) {
  const auto* table = root.subtable("tsend");
  if (table == nullptr) {
    return;
  }
  const TableReader tsend(*table, "tsend.", config.path);
  tsend.reject_unknown_keys({"timeout", "attempts", "retry_delay", "retry_delay_max", "pending_dir"});
  config.tsend_timeout_seconds = tsend.seconds("timeout").value_or(config.tsend_timeout_seconds);
  config.tsend_retry_delay_seconds = tsend.seconds("retry_delay").value_or(config.tsend_retry_delay_seconds);
  config.tsend_retry_delay_max_seconds =
      tsend.seconds("retry_delay_max").value_or(config.tsend_retry_delay_max_seconds);
  config.pending_dir = tsend.string("pending_dir").value_or("");
  if (const auto* node = tsend.find("attempts")) {
    if (!node->is_integer()) {
      tsend.wrong_type("attempts", *node, Msg::type_attempts);
    }
    const auto value = node->as_integer()->get();
    // More than 100 attempts would hold the agent's queue slot for days with the maximum delay.
    if (value < 1 || value > 100) {
      tsend.bad_value("attempts", *node, std::to_string(value), Msg::hint_attempts);
    }
    config.tsend_attempts = static_cast<int>(value);
  }
}

// [display] mask: names whose values vtsubmit prints as "****". An empty array masks nothing.
void read_display_table(const TableReader& root, QueueConfig& config) {
  const auto* table = root.subtable("display");
  if (table == nullptr) {
    return;
  }
  const TableReader display(*table, "display.", config.path);
  display.reject_unknown_keys({"mask"});
  if (auto mask = display.string_array("mask", true)) {
    for (const auto& name : *mask) {
      if (name.empty()) {
        display.bad_value("mask", *display.find("mask"), "\"\"", Msg::hint_mask_name);
      }
    }
    config.mask = std::move(*mask);
  }
}

// toml++ 3.3.0 reaches __builtin_unreachable() (in is_non_ascii_horizontal_whitespace, for U+0278
// among others) when it reads some non-ASCII characters outside strings and comments, as
// fuzz_queue_file found. TOML accepts non-ASCII text only in strings and comments, and so does
// '@', so a copy with every non-ASCII byte replaced by '@' parses exactly when the original is
// safe to parse. Throws QueueFileError when the copy does not parse.
void check_ascii_copy(std::string_view text, const std::string& path) {
  const auto is_non_ascii = [](char c) { return static_cast<unsigned char>(c) >= 0x80; };
  if (std::none_of(text.begin(), text.end(), is_non_ascii)) {
    return;
  }
  std::string copy(text);
  std::replace_if(copy.begin(), copy.end(), is_non_ascii, '@');
  try {
    (void)toml::parse(copy, path);
  } catch (const toml::parse_error& error) {
    // The error may come from a replaced byte, so the message names the first one on its line.
    const auto line_number = error.source().begin.line;
    std::size_t line_start = 0;
    for (std::size_t line = 1; line < line_number && line_start != std::string_view::npos; ++line) {
      line_start = text.find('\n', line_start);
      line_start = line_start == std::string_view::npos ? line_start : line_start + 1;
    }
    const auto line_text = line_start == std::string_view::npos ? std::string_view() : text.substr(line_start);
    const auto line_end = std::min(line_text.find('\n'), line_text.size());
    const auto replaced = std::find_if(line_text.begin(), line_text.begin() + static_cast<long>(line_end), is_non_ascii);
    if (replaced != line_text.begin() + static_cast<long>(line_end)) {
      throw QueueFileError({Msg::queue_file_non_ascii,
                            {path, std::to_string(line_number), std::to_string(replaced - line_text.begin() + 1)}});
    }
    throw QueueFileError({Msg::queue_file_syntax,
                          {path, std::to_string(line_number), std::to_string(error.source().begin.column),
                           std::string(error.description())}});
  }
}

}  // namespace

QueueConfig parse_queue_file(std::string_view text, const std::string& path) {
  QueueConfig config;
  config.path = path;
  config.init = {platform::default_init_file()};

  check_ascii_copy(text, path);

  toml::table document;
  try {
    document = toml::parse(text, path);
  } catch (const toml::parse_error& error) {
    throw QueueFileError({Msg::queue_file_syntax,
                          {path, std::to_string(error.source().begin.line),
                           std::to_string(error.source().begin.column), std::string(error.description())}});
  }

  const TableReader root(document, "", path);
  root.reject_unknown_keys({"language", "init", "workdir", "script", "stop", "tsend", "log", "display"});

  if (const auto language = root.string("language")) {
    config.language = parse_language(*language);
    if (!config.language) {
      root.bad_value("language", *root.find("language"), *language, Msg::hint_language);
    }
  }
  if (auto init = root.string_array("init", true)) {
    config.init = std::move(*init);
    config.init_is_default = false;
  }
  config.workdir = root.string("workdir").value_or("");

  read_script_table(root, config);
  read_stop_table(root, config);
  read_tsend_table(root, config);
  read_log_table(root, config);
  read_display_table(root, config);
  return config;
}

QueueConfig load_queue_file(const std::string& path) {
  std::string text;
  if (const auto error = platform::read_file(path, text, max_queue_file_bytes)) {
    throw QueueFileError({Msg::queue_file_unreadable, {path, error.message()}});
  }
  return parse_queue_file(text, path);
}

}  // namespace vtsubmit
