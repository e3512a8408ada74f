// UTF-8 and UTF-16 conversions for the Windows API. A Windows string (a command line, an
// environment variable, a file name) may hold a lone surrogate, which UTF-8 cannot encode.
// narrow() writes one as the three bytes of its code point, as WTF-8 does, and widen() reads
// these bytes back, so such a string survives the round trip: a job parameter reaches the job
// unchanged. Any other invalid UTF-8 sequence becomes one U+FFFD, and decoding resumes at the
// first byte that cannot continue it.

#include "win32/win32_util.hpp"

namespace vtsubmit::win32 {

namespace {

constexpr wchar_t replacement_character = 0xFFFD;

// Length of the sequence that a lead byte starts (0: not a lead byte) and the range of its
// second byte (RFC 3629), except that ED A0..BF, the surrogate code points, is accepted.
struct SequenceShape {
  std::size_t length = 0;
  unsigned char second_min = 0x80;
  unsigned char second_max = 0xBF;
};

SequenceShape shape_of(unsigned char lead) {
  if (lead < 0x80) {
    return {1};
  }
  if (lead >= 0xC2 && lead <= 0xDF) {
    return {2};
  }
  if (lead == 0xE0) {
    return {3, 0xA0, 0xBF};
  }
  if (lead >= 0xE1 && lead <= 0xEF) {
    return {3};
  }
  if (lead == 0xF0) {
    return {4, 0x90, 0xBF};
  }
  if (lead >= 0xF1 && lead <= 0xF3) {
    return {4};
  }
  if (lead == 0xF4) {
    return {4, 0x80, 0x8F};
  }
  return {};
}

void append_utf16(std::wstring& text, char32_t code_point) {
  if (code_point < 0x10000) {
    text.push_back(static_cast<wchar_t>(code_point));
    return;
  }
  code_point -= 0x10000;
  text.push_back(static_cast<wchar_t>(0xD800 + (code_point >> 10)));
  text.push_back(static_cast<wchar_t>(0xDC00 + (code_point & 0x3FF)));
}

void append_utf8(std::string& text, char32_t code_point) {
  if (code_point < 0x80) {
    text.push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    text.push_back(static_cast<char>(0xC0 | (code_point >> 6)));
    text.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else if (code_point < 0x10000) {
    text.push_back(static_cast<char>(0xE0 | (code_point >> 12)));
    text.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    text.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else {
    text.push_back(static_cast<char>(0xF0 | (code_point >> 18)));
    text.push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3F)));
    text.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    text.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  }
}

bool is_high_surrogate(char32_t unit) {
  return unit >= 0xD800 && unit <= 0xDBFF;
}

bool is_low_surrogate(char32_t unit) {
  return unit >= 0xDC00 && unit <= 0xDFFF;
}

}  // namespace

std::wstring widen(std::string_view utf8) {
  std::wstring result;
  result.reserve(utf8.size());
  std::size_t i = 0;
  while (i < utf8.size()) {
    const auto lead = static_cast<unsigned char>(utf8[i]);
    const auto shape = shape_of(lead);
    if (shape.length == 0) {
      result.push_back(replacement_character);
      ++i;
      continue;
    }
    // Payload bits of the lead byte: 7, 5, 4 or 3 for a sequence of 1 to 4 bytes.
    char32_t code_point = shape.length == 1 ? lead : lead & (0x7F >> shape.length);
    std::size_t length = 1;
    while (length < shape.length && i + length < utf8.size()) {
      const auto byte = static_cast<unsigned char>(utf8[i + length]);
      const bool valid = length == 1 ? (byte >= shape.second_min && byte <= shape.second_max) : (byte & 0xC0) == 0x80;
      if (!valid) {
        break;
      }
      code_point = (code_point << 6) | (byte & 0x3F);
      ++length;
    }
    if (length < shape.length) {
      result.push_back(replacement_character);
    } else {
      append_utf16(result, code_point);
    }
    i += length;
  }
  return result;
}

std::string narrow(std::wstring_view utf16) {
  std::string result;
  result.reserve(utf16.size());
  for (std::size_t i = 0; i < utf16.size(); ++i) {
    char32_t code_point = static_cast<char32_t>(utf16[i]);
    if (is_high_surrogate(code_point) && i + 1 < utf16.size() && is_low_surrogate(utf16[i + 1])) {
      code_point = 0x10000 + ((code_point - 0xD800) << 10) + (static_cast<char32_t>(utf16[i + 1]) - 0xDC00);
      ++i;
    }
    // A lone surrogate is written as its own three-byte sequence.
    append_utf8(result, code_point);
  }
  return result;
}

}  // namespace vtsubmit::win32
