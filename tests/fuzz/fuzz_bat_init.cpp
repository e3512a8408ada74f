// libFuzzer target: the batch init-file evaluator on arbitrary text, with the first byte as
// %* selector. `call file` may name real files, so the target runs in an empty temporary folder.

#include <cstdint>
#include <string_view>
#include <vector>

#include "common/bat_init.hpp"
#include "common/ksh_init.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  vtsubmit::fuzz::isolate_process();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  vtsubmit::Environment environment(true);
  environment.set("PATH", "C:\\Windows\\system32");
  environment.set("TOM_ADMIN", "C:\\vtom\\admin");
  vtsubmit::BatInterpreter interpreter(environment);
  std::vector<vtsubmit::InitDiagnostic> diagnostics;
  try {
    interpreter.evaluate(text, "C:\\vtom\\admin\\fuzz.bat", diagnostics, "first \"second arg\" 3");
  } catch (const vtsubmit::InitFileError&) {
    // A call loop or an unreadable called file: the expected error for such input.
  }
  for (const auto& entry : interpreter.environment().entries()) {
    vtsubmit::fuzz::check(entry.find('=', 1) != std::string::npos, "environment entry without '='");
  }
  return 0;
}
