// libFuzzer target: the Windows command-line splitters, with two properties checked:
// quote_crt_argument's output reads back as the same argument, and the raw tail of a queue
// command line is a suffix of the command line (it is never rebuilt).

#include <cstdint>
#include <string>
#include <string_view>

#include "common/cmdline_tail.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  namespace cmdline = vtsubmit::cmdline;

  const auto line = cmdline::split_queue_command_line(text);
  vtsubmit::fuzz::check(line.raw_tail.size() <= text.size() &&
                            text.substr(text.size() - line.raw_tail.size()) == line.raw_tail,
                        "raw tail is not a suffix of the command line");
  (void)cmdline::split_crt_arguments(text);
  for (const auto& parameter : cmdline::split_batch_parameters(text)) {
    vtsubmit::fuzz::check(!parameter.empty(), "empty batch parameter");
    (void)cmdline::remove_quotes(parameter);
  }

  // The quoting round trip holds for any argument without NUL, which a command line cannot carry.
  if (text.find('\0') == std::string_view::npos) {
    const auto quoted = cmdline::quote_crt_argument(text);
    const auto read = cmdline::read_crt_argument(quoted);
    vtsubmit::fuzz::check(read.value == text, "quote_crt_argument does not read back unchanged");
    vtsubmit::fuzz::check(read.rest.empty(), "quote_crt_argument leaves text after the argument");
  }
  return 0;
}
