#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "common/environment.hpp"
#include "common/messages.hpp"

namespace vtsubmit {

// A line (or part of one) of an init file that was skipped because it is not a plain assignment.
struct InitDiagnostic {
  std::string file;
  int line = 0;
  Msg construct = Msg::count_;  // names what was skipped, e.g. Msg::construct_command_substitution
  std::string text;             // the skipped source text, as written
};

// Failure that stops the loading of an init file: unreadable file, include loop…
class InitFileError : public std::runtime_error {
 public:
  explicit InitFileError(Message message)
      : std::runtime_error("init file error"), message_(std::move(message)) {}
  const Message& message() const { return message_; }

 private:
  Message message_;
};

// Evaluates ksh-style vtom_init files without running a shell.
// It follows ksh93 for the subset it accepts: assignments, export, typeset [-x], unset, set -a/+a,
// quotes, backslashes, $VAR, ${VAR}, ${VAR:-word} and the other forms of - = +, ~, `. file` /
// `source file`, return. Every other construct is skipped and reported, never run. The list and
// the ksh93 details are at the top of ksh_init.cpp.
class KshInterpreter {
 public:
  // Starts as a new shell would: every variable of `environment` exists and is exported.
  explicit KshInterpreter(const Environment& environment);

  // Evaluates `file` as `. file` would and appends each skipped construct to `diagnostics`.
  // Throws InitFileError when the file, or a file it includes, cannot be read or includes itself.
  void source(const std::string& file, std::vector<InitDiagnostic>& diagnostics);

  // Evaluates init-file text; `file` names it in diagnostics and in include errors. As in ksh,
  // `. name` searches PATH when name has no '/', and other relative paths start from the
  // current directory, not from the including file.
  void evaluate(std::string_view text, const std::string& file, std::vector<InitDiagnostic>& diagnostics);

  // Returns the exported variables: the environment the job receives.
  Environment exported() const;

  // Returns the value of a shell variable, exported or not.
  std::optional<std::string> value(std::string_view name) const;

 private:
  friend class KshFileEvaluator;  // the parser and evaluator in ksh_init.cpp

  struct Variable {
    std::optional<std::string> value;  // nullopt: declared (export A, typeset A) but unset
    bool exported = false;
  };

  // Reads, parses and evaluates one file. `including_file`, `including_line` and `operand` locate
  // the `. operand` command that includes it; `including_file` is empty for the file of source().
  void source_file(const std::string& path, std::vector<InitDiagnostic>& diagnostics,
                   const std::string& including_file, int including_line, const std::string& operand);

  std::map<std::string, Variable, std::less<>> variables_;
  bool all_export_ = false;             // set -a is in effect
  bool case_insensitive_names_ = false; // copied from the initial Environment for exported()
  std::vector<std::string> including_;  // canonical paths of the files being sourced, outermost first
};

}  // namespace vtsubmit
