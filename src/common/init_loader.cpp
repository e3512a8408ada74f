#include "common/init_loader.hpp"

#include <filesystem>
#include <stdexcept>

#include "common/bat_init.hpp"
#include "common/batch_quote.hpp"
#include "common/expand.hpp"
#include "common/platform.hpp"

namespace vtsubmit {

namespace {

// Paths are UTF-8; a plain std::string would be read in the ANSI code page on Windows.
std::filesystem::path utf8_path(const std::string& path) {
  return std::filesystem::path(std::u8string(path.begin(), path.end()));
}

}  // namespace

InitResult load_init_files(const QueueConfig& config, const Environment& agent_environment) {
  InitResult result{agent_environment, {}, {}};
  KshInterpreter shell(agent_environment);

  for (const auto& entry : config.init) {
    std::string path;
    try {
      path = expand_variables(entry, result.environment);
    } catch (const std::invalid_argument&) {
      throw InitFileError({Msg::expand_unterminated, {config.path, entry}});
    }

    std::error_code error;
    if (!std::filesystem::exists(utf8_path(path), error)) {
      if (config.init_is_default) {
        continue;
      }
      throw InitFileError({Msg::init_file_missing, {path, config.path}});
    }

    // Init files ending in .bat or .cmd (any case) follow cmd.exe's rules, all others ksh's.
    if (batch::is_batch_file(path)) {
      BatInterpreter interpreter(result.environment, platform::decode_code_page);
      interpreter.source(path, result.diagnostics);
      result.environment = interpreter.environment();
      // A ksh file after a batch file starts from the batch file's variables.
      shell = KshInterpreter(result.environment);
    } else {
      shell.source(path, result.diagnostics);
      result.environment = shell.exported();
    }
    result.loaded_files.push_back(path);
  }
  return result;
}

}  // namespace vtsubmit
