// libFuzzer target: the ksh init-file evaluator on arbitrary text. Includes (`. file`) may name
// real files, so the target runs in an empty temporary folder with PATH unset and stdin closed.

#include <cstdint>
#include <string_view>
#include <vector>

#include "common/ksh_init.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  vtsubmit::fuzz::isolate_process();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  vtsubmit::Environment environment;
  environment.set("HOME", "/home/fuzz");
  environment.set("TOM_ADMIN", "/opt/vtom/admin");
  vtsubmit::KshInterpreter interpreter(environment);
  std::vector<vtsubmit::InitDiagnostic> diagnostics;
  try {
    interpreter.evaluate(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.ksh", diagnostics);
  } catch (const vtsubmit::InitFileError&) {
    // An unreadable include or an include loop: the expected error for such input.
  }
  const auto exported = interpreter.exported();
  for (const auto& entry : exported.entries()) {
    vtsubmit::fuzz::check(entry.find('=') != std::string::npos, "exported entry without '='");
  }
  return 0;
}
