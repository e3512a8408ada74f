#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace vtsubmit {

enum class Language { english, french };

// Identifier of one user-facing text; the list and both translations are in messages.def.
enum class Msg {
#define VTSUBMIT_MESSAGE(id, english, french) id,
#include "common/messages.def"
#undef VTSUBMIT_MESSAGE
  count_
};

// Returns the catalogue's format string for `id` in `language` ({0}, {1}… are the arguments).
std::string_view message_format(Language language, Msg id);

// Returns the identifier spelled `name` in messages.def, or Msg::count_ when there is none.
Msg message_by_name(std::string_view name);

// Formats message `id` in `language` with positional arguments.
std::string translate(Language language, Msg id, const std::vector<std::string>& args = {});

template <typename... Args>
std::string tr(Language language, Msg id, const Args&... args) {
  return translate(language, id, std::vector<std::string>{std::string(args)...});
}

// One argument of a Message: plain text, or another catalogue entry translated with it.
struct MessageArg {
  MessageArg(std::string value) : text(std::move(value)) {}
  MessageArg(const char* value) : text(value) {}
  MessageArg(std::string_view value) : text(value) {}
  MessageArg(Msg message) : id(message) {}

  std::string text;
  Msg id = Msg::count_;
};

// A message with its arguments, formatted later in the language chosen by then.
struct Message {
  Msg id = Msg::count_;
  std::vector<MessageArg> args;

  std::string text(Language language) const;
};

}  // namespace vtsubmit
