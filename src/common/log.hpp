#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/messages.hpp"

namespace vtsubmit {

// vtsubmit's own lines in the job log: stdout is the .o file, stderr the .e file.
// Text is translated to the chosen language and converted to the log's encoding.
class Log {
 public:
  explicit Log(Language language) : language_(language) {}

  Language language() const { return language_; }
  void set_language(Language language) { language_ = language; }

  // Writes one line to stdout (the .o log).
  void out(std::string_view line);
  // Writes one line to stderr (the .e log).
  void err(std::string_view line);

  // Writes a translated message to stdout.
  void out(const Message& message) { out(message.text(language_)); }

  // Writes "vtsubmit: error: <message>" to stderr.
  void error(const Message& message);
  // Writes "vtsubmit: warning: <message>" to stderr.
  void warning(const Message& message);

  template <typename... Args>
  std::string text(Msg id, const Args&... args) const {
    return tr(language_, id, args...);
  }

  // Pushes buffered lines to the files, so they come before anything a child process writes.
  void flush();

 private:
  Language language_;
};

}  // namespace vtsubmit
