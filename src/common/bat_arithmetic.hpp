#pragma once

// `set /a` of batch files: 32-bit signed integer arithmetic with cmd's operators.

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string_view>

#include "common/environment.hpp"

namespace vtsubmit::bat {

// Invalid `set /a` expression: missing operand or operator, invalid number, division by zero,
// nesting deeper than the evaluator accepts.
class ArithmeticError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Parses a set /a number: 0x hexadecimal, a leading 0 octal, otherwise decimal.
std::optional<std::int32_t> parse_number(std::string_view text);

// Evaluates a set /a expression with 32-bit signed integers and the C operators cmd accepts:
// ( ) ! ~ unary - and +, * / %, + -, << >>, &, ^, |, assignments (= *= /= %= += -= &= ^= |=
// <<= >>=) and ','. Names are variables of `environment`, and an unset or non-numeric variable
// counts as 0. Assignments are stored in `environment`. Throws ArithmeticError.
void evaluate_arithmetic(std::string_view expression, Environment& environment);

}  // namespace vtsubmit::bat
