#include "common/messages.hpp"

#include <array>

#include <fmt/args.h>
#include <fmt/format.h>

namespace vtsubmit {

namespace {

struct CatalogueEntry {
  std::string_view name;
  std::string_view english;
  std::string_view french;
};

constexpr std::array<CatalogueEntry, static_cast<std::size_t>(Msg::count_)> catalogue{{
#define VTSUBMIT_MESSAGE(id, english, french) {#id, english, french},
#include "common/messages.def"
#undef VTSUBMIT_MESSAGE
}};

}  // namespace

std::string_view message_format(Language language, Msg id) {
  const auto& entry = catalogue.at(static_cast<std::size_t>(id));
  return language == Language::french ? entry.french : entry.english;
}

Msg message_by_name(std::string_view name) {
  for (std::size_t i = 0; i < catalogue.size(); ++i) {
    if (catalogue[i].name == name) {
      return static_cast<Msg>(i);
    }
  }
  return Msg::count_;
}

std::string translate(Language language, Msg id, const std::vector<std::string>& args) {
  fmt::dynamic_format_arg_store<fmt::format_context> store;
  for (const auto& arg : args) {
    store.push_back(arg);
  }
  const auto format = message_format(language, id);
  try {
    return fmt::vformat(format, store);
  } catch (const fmt::format_error&) {
    // A catalogue entry with more placeholders than arguments is a programming error;
    // the unformatted text still gives the user more than an exception would.
    return std::string(format);
  }
}

std::string Message::text(Language language) const {
  std::vector<std::string> texts;
  texts.reserve(args.size());
  for (const auto& arg : args) {
    texts.push_back(arg.id == Msg::count_ ? arg.text : translate(language, arg.id));
  }
  return translate(language, id, texts);
}

}  // namespace vtsubmit
