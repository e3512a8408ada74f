// libFuzzer target: the queue-file parser (TOML and key validation) on arbitrary text.

#include <cstdint>
#include <string_view>

#include "common/queue_file.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const auto config = vtsubmit::parse_queue_file(text, "/opt/vtom/admin/tom_submit.fuzz");
    vtsubmit::fuzz::check(config.stop_grace_seconds >= 0 && config.stop_grace_seconds <= 86400, "grace out of range");
    vtsubmit::fuzz::check(config.tsend_attempts >= 1 && config.tsend_attempts <= 100, "attempts out of range");
  } catch (const vtsubmit::QueueFileError& error) {
    // Every rejection must format in both languages without throwing.
    (void)error.message().text(vtsubmit::Language::english);
    (void)error.message().text(vtsubmit::Language::french);
  }
  return 0;
}
