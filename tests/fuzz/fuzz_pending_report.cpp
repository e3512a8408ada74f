// libFuzzer target: the pending-report reader, which reads files a crash may have cut short.
// Any report it accepts must format back to the same text.

#include <cstdint>
#include <string_view>

#include "common/pending_report.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto report = vtsubmit::parse_pending_report(text);
  if (report) {
    const auto formatted = vtsubmit::format_pending_report(*report);
    const auto again = vtsubmit::parse_pending_report(formatted);
    vtsubmit::fuzz::check(again.has_value(), "formatted report does not parse");
    vtsubmit::fuzz::check(again->tsend_arguments == report->tsend_arguments, "arguments changed");
    vtsubmit::fuzz::check(again->environment == report->environment, "environment changed");
  }
  return 0;
}
