#include "common/bat_arithmetic.hpp"

#include <string>

#include "common/bat_syntax.hpp"

namespace vtsubmit::bat {

namespace {

// Nesting of assignments, unary operators and parentheses that an expression may reach. The
// evaluator recurses once per level, and an init file needs a handful of them.
constexpr int max_nesting = 200;

std::int32_t wrap32(std::int64_t value) {
  return static_cast<std::int32_t>(static_cast<std::uint32_t>(static_cast<std::uint64_t>(value)));
}

}  // namespace

std::optional<std::int32_t> parse_number(std::string_view text) {
  if (text.empty()) {
    return std::nullopt;
  }
  bool negative = false;
  if (text.front() == '-' || text.front() == '+') {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  unsigned base = 10;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    base = 16;
    text.remove_prefix(2);
  } else if (text.size() > 1 && text[0] == '0') {
    base = 8;
    text.remove_prefix(1);
  }
  if (text.empty()) {
    return std::nullopt;
  }
  std::uint64_t value = 0;
  for (const char c : text) {
    unsigned digit = 0;
    if (c >= '0' && c <= '9') {
      digit = static_cast<unsigned>(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      digit = static_cast<unsigned>(c - 'a' + 10);
    } else if (c >= 'A' && c <= 'F') {
      digit = static_cast<unsigned>(c - 'A' + 10);
    } else {
      return std::nullopt;
    }
    if (digit >= base) {
      return std::nullopt;
    }
    value = value * base + digit;
    if (value > 0xFFFFFFFFull) {
      return std::nullopt;
    }
  }
  const auto result = wrap32(static_cast<std::int64_t>(value));
  return negative ? wrap32(-static_cast<std::int64_t>(result)) : result;
}

namespace {

class ArithmeticEvaluator {
 public:
  ArithmeticEvaluator(std::string_view text, Environment& environment) : text_(text), environment_(environment) {}

  void run() {
    skip();
    if (at_end()) {
      throw ArithmeticError("missing operand");
    }
    for (;;) {
      assignment();
      skip();
      if (at_end()) {
        return;
      }
      if (text_[pos_] != ',') {
        throw ArithmeticError("missing operator");
      }
      ++pos_;
    }
  }

 private:
  bool at_end() const { return pos_ >= text_.size(); }

  void skip() {
    while (!at_end() && is_blank(text_[pos_])) {
      ++pos_;
    }
  }

  bool take(std::string_view op) {
    skip();
    if (text_.substr(pos_, op.size()) == op) {
      pos_ += op.size();
      return true;
    }
    return false;
  }

  // Counts one level of recursion while it lives, and rejects the expression past max_nesting,
  // before deep input exhausts the stack.
  class Nesting {
   public:
    explicit Nesting(int& depth) : depth_(depth) {
      if (++depth_ > max_nesting) {
        --depth_;
        throw ArithmeticError("expression nested too deeply");
      }
    }
    ~Nesting() { --depth_; }
    Nesting(const Nesting&) = delete;
    Nesting& operator=(const Nesting&) = delete;

   private:
    int& depth_;
  };

  static bool is_name_char(char c) {
    return !(is_blank(c) || std::string_view("()!~-+*/%<>&^|=,").find(c) != std::string_view::npos);
  }

  std::int32_t variable(const std::string& name) const {
    return parse_number(environment_.get_or(name)).value_or(0);
  }

  std::int32_t assignment() {
    const Nesting level(depth_);
    skip();
    const auto start = pos_;
    std::string name;
    while (!at_end() && is_name_char(text_[pos_])) {
      name += text_[pos_++];
    }
    if (!name.empty() && !(name.front() >= '0' && name.front() <= '9')) {
      skip();
      static constexpr std::string_view ops[] = {"<<=", ">>=", "*=", "/=", "%=", "+=", "-=", "&=", "^=", "|=", "="};
      for (const auto op : ops) {
        if (text_.substr(pos_, op.size()) == op && !(op == "=" && text_.substr(pos_, 2) == "==")) {
          pos_ += op.size();
          const std::int64_t right = assignment();
          const std::int64_t left = variable(name);
          std::int64_t value = right;
          if (op == "*=") value = left * right;
          if (op == "/=") value = divide(left, right, false);
          if (op == "%=") value = divide(left, right, true);
          if (op == "+=") value = left + right;
          if (op == "-=") value = left - right;
          if (op == "&=") value = left & right;
          if (op == "^=") value = left ^ right;
          if (op == "|=") value = left | right;
          if (op == "<<=") value = shift(left, right, true);
          if (op == ">>=") value = shift(left, right, false);
          const auto result = wrap32(value);
          environment_.set(name, std::to_string(result));
          return result;
        }
      }
    }
    pos_ = start;
    return bit_or();
  }

  static std::int64_t divide(std::int64_t left, std::int64_t right, bool remainder) {
    if (right == 0) {
      throw ArithmeticError("divide by zero");
    }
    return remainder ? left % right : left / right;
  }

  static std::int64_t shift(std::int64_t left, std::int64_t right, bool to_left) {
    const auto count = static_cast<unsigned>(right) & 31u;
    const auto value = static_cast<std::int32_t>(left);
    return to_left ? wrap32(static_cast<std::int64_t>(static_cast<std::uint32_t>(value) << count)) : (value >> count);
  }

  std::int32_t bit_or() {
    std::int64_t value = bit_xor();
    while (peek_single('|')) {
      ++pos_;
      value |= bit_xor();
    }
    return wrap32(value);
  }

  std::int32_t bit_xor() {
    std::int64_t value = bit_and();
    while (peek_single('^')) {
      ++pos_;
      value ^= bit_and();
    }
    return wrap32(value);
  }

  std::int32_t bit_and() {
    std::int64_t value = shift_expression();
    while (peek_single('&')) {
      ++pos_;
      value &= shift_expression();
    }
    return wrap32(value);
  }

  // True when the next operator is `c` alone, not the start of an assignment operator.
  bool peek_single(char c) {
    skip();
    return !at_end() && text_[pos_] == c && (pos_ + 1 >= text_.size() || text_[pos_ + 1] != '=');
  }

  std::int32_t shift_expression() {
    std::int64_t value = additive();
    for (;;) {
      skip();
      if (text_.substr(pos_, 2) == "<<" && text_.substr(pos_, 3) != "<<=") {
        pos_ += 2;
        value = shift(value, additive(), true);
      } else if (text_.substr(pos_, 2) == ">>" && text_.substr(pos_, 3) != ">>=") {
        pos_ += 2;
        value = shift(value, additive(), false);
      } else {
        return wrap32(value);
      }
    }
  }

  std::int32_t additive() {
    std::int64_t value = multiplicative();
    for (;;) {
      if (peek_single('+')) {
        ++pos_;
        value = wrap32(value + multiplicative());
      } else if (peek_single('-')) {
        ++pos_;
        value = wrap32(value - multiplicative());
      } else {
        return wrap32(value);
      }
    }
  }

  std::int32_t multiplicative() {
    std::int64_t value = unary();
    for (;;) {
      if (peek_single('*')) {
        ++pos_;
        value = wrap32(value * unary());
      } else if (peek_single('/')) {
        ++pos_;
        value = wrap32(divide(value, unary(), false));
      } else if (peek_single('%')) {
        ++pos_;
        value = wrap32(divide(value, unary(), true));
      } else {
        return wrap32(value);
      }
    }
  }

  std::int32_t unary() {
    const Nesting level(depth_);
    skip();
    if (at_end()) {
      throw ArithmeticError("missing operand");
    }
    const char c = text_[pos_];
    if (c == '-' || c == '+' || c == '!' || c == '~') {
      ++pos_;
      const std::int64_t operand = unary();
      if (c == '-') return wrap32(-operand);
      if (c == '!') return operand == 0 ? 1 : 0;
      if (c == '~') return wrap32(~operand);
      return wrap32(operand);
    }
    if (c == '(') {
      ++pos_;
      std::int32_t value = 0;
      for (;;) {
        value = assignment();
        if (!take(",")) {
          break;
        }
      }
      if (!take(")")) {
        throw ArithmeticError("missing closing parenthesis");
      }
      return value;
    }
    std::string token;
    while (!at_end() && is_name_char(text_[pos_])) {
      token += text_[pos_++];
    }
    if (token.empty()) {
      throw ArithmeticError("missing operand");
    }
    if (token.front() >= '0' && token.front() <= '9') {
      const auto number = parse_number(token);
      if (!number) {
        throw ArithmeticError("invalid number");
      }
      return *number;
    }
    return variable(token);
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  int depth_ = 0;
  Environment& environment_;
};

}  // namespace

void evaluate_arithmetic(std::string_view expression, Environment& environment) {
  ArithmeticEvaluator(expression, environment).run();
}

}  // namespace vtsubmit::bat
