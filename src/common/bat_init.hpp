#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/environment.hpp"
#include "common/ksh_init.hpp"

namespace vtsubmit {

// Converts one line of an init file from code page `code_page` to UTF-8. Code page 65001 is
// UTF-8 itself; 0 means the system's OEM code page, the one cmd.exe reads batch files with.
using CodePageDecoder = std::function<std::string(std::string_view bytes, unsigned code_page)>;

// Largest init file read; a vtom_init file contains a few dozen settings.
inline constexpr std::size_t max_bat_init_bytes = 1024 * 1024;

// Evaluates vtom_init.bat-style files without running cmd.exe, with cmd's rules for what it
// accepts: the set family (set NAME=value with trailing blanks kept, set "NAME=value"junk,
// set NAME= deletes, set /a), %VAR% expanded when a line is read (%%, substrings, replacements,
// %0 and %~dp0), case-insensitive names, ^ escapes, & between commands, redirections to files,
// setlocal/endlocal (with the implicit endlocal at the end of each file), rem and ::, @echo,
// chcp, path, call of another batch file, goto :eof, exit /b, and one-line `if` with defined,
// exist and string comparisons. Every other line is reported with its file and line number
// and skipped, never run.
class BatInterpreter {
 public:
  // `decoder` converts lines read in a code page other than UTF-8; without one, bytes are kept.
  explicit BatInterpreter(const Environment& environment, CodePageDecoder decoder = {},
                          unsigned code_page = 0);

  // Evaluates `file` as `call file` would and appends each skipped line to `diagnostics`.
  // Throws InitFileError when the file cannot be read, or when calls nest too deep or loop.
  void source(const std::string& file, std::vector<InitDiagnostic>& diagnostics);

  // Evaluates batch text; `file` is %0 and names the file in diagnostics, `raw_arguments` is %*.
  void evaluate(std::string_view text, const std::string& file, std::vector<InitDiagnostic>& diagnostics,
                const std::string& raw_arguments = {});

  const Environment& environment() const { return environment_; }

  // The code page after the files' chcp commands; 0 when none ran.
  unsigned code_page() const { return code_page_; }

 private:
  struct Frame;
  class LineRunner;

  void run_file(std::string_view text, Frame& frame);
  void call_file(const std::string& file, const std::string& raw_arguments, std::vector<InitDiagnostic>& diagnostics);

  Environment environment_;
  CodePageDecoder decoder_;
  unsigned code_page_;
  std::vector<Environment> local_scopes_;   // saved by setlocal, innermost last
  std::vector<std::string> calling_;        // files being evaluated, to detect call loops
};

}  // namespace vtsubmit
