#include "common/log.hpp"

#include <cstdio>

#include "common/platform.hpp"

namespace vtsubmit {

namespace {

// Write errors are ignored on purpose: a job log that cannot be written must not change the
// job's result or stop the report to the server.
void write_line(std::FILE* stream, std::string_view line) {
  const auto encoded = platform::to_log_encoding(line);
  std::fwrite(encoded.data(), 1, encoded.size(), stream);
  std::fputc('\n', stream);
}

}  // namespace

void Log::out(std::string_view line) {
  write_line(stdout, line);
}

void Log::err(std::string_view line) {
  // Keep the .o and .e logs in the order things happened: what is already buffered for
  // stdout goes first.
  std::fflush(stdout);
  write_line(stderr, line);
  std::fflush(stderr);
}

void Log::error(const Message& message) {
  err(tr(language_, Msg::error_prefix, message.text(language_)));
}

void Log::warning(const Message& message) {
  err(tr(language_, Msg::warning_prefix, message.text(language_)));
}

void Log::flush() {
  std::fflush(stdout);
  std::fflush(stderr);
}

}  // namespace vtsubmit
