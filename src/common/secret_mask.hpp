#pragma once

// Masking of secrets in what vtsubmit prints (context block, explain, check). The job itself
// always receives the real values; only the displayed copy is masked.

#include <string>
#include <string_view>
#include <vector>

namespace vtsubmit {

// Text shown in place of a masked value.
inline constexpr std::string_view masked_value = "****";

// Default of the queue file's `[display] mask`.
std::vector<std::string> default_mask_names();

// True when `name` (an option or variable name, leading '-' or '/' ignored) contains one of
// `mask_names`, compared without case. "--db-password" and "DB_PASSWORD" match "password".
bool is_secret_name(std::string_view name, const std::vector<std::string>& mask_names);

// Masks a list of job parameters: a value after an option whose name is secret
// ("--password", "-pwd", "/token"), and the value of a `name=value` pair ("password=x",
// "--token=x"). Each parameter is also read word by word, so "--user bob --password x" given
// as one parameter shows as "--user bob --password ****".
std::vector<std::string> mask_parameters(const std::vector<std::string>& parameters,
                                         const std::vector<std::string>& mask_names);

// Masks one command-line text (such as an inline TOM_SCRIPT) word by word with the rules of
// mask_parameters. Blanks between words are kept as they are.
std::string mask_command_text(std::string_view text, const std::vector<std::string>& mask_names);

// Returns `value`, or masked_value when the variable `name` is secret.
std::string mask_variable(std::string_view name, std::string_view value, const std::vector<std::string>& mask_names);

}  // namespace vtsubmit
