#include "entropic/numeric/exact_text.hpp"

#include <mpfr.h>

#include <cctype>
#include <charconv>
#include <algorithm>
#include <cmath>
#include <memory>

namespace entropic {

namespace {

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

[[noreturn]] void reject(std::string_view text, const std::string& why) {
  throw parse_error("malformed number \"" + echo_text(text) + "\": " + why +
                    " (write an integer, a decimal such as -0.125 or 1e-3, or a fraction p/q)");
}

// Boost reads a leading 0 as an octal prefix: strip leading zeros before conversion.
Integer decimal_integer(std::string digits) {
  const auto first = digits.find_first_not_of('0');
  digits = first == std::string::npos ? "0" : digits.substr(first);
  return Integer(digits);
}

// 10^e by GMP's binary powering: 1e100000 costs microseconds, not a multiplication per digit.
Integer pow10(long e) {
  Integer r;
  mpz_ui_pow_ui(r.backend().data(), 10, static_cast<unsigned long>(e));
  return r;
}

Rational parse_decimal(std::string_view text, std::string_view body, bool negative,
                       const NumberLimits& limits) {
  std::string_view mantissa = body, exponent;
  if (auto e = body.find_first_of("eE"); e != std::string_view::npos) {
    mantissa = body.substr(0, e);
    exponent = body.substr(e + 1);
    if (exponent.empty()) reject(text, "empty exponent");
  }
  std::string_view int_part = mantissa, frac_part;
  if (auto dot = mantissa.find('.'); dot != std::string_view::npos) {
    int_part = mantissa.substr(0, dot);
    frac_part = mantissa.substr(dot + 1);
    if (int_part.empty() && frac_part.empty()) reject(text, "no digits");
    if (!int_part.empty() && !all_digits(int_part)) reject(text, "bad integer part");
    if (!frac_part.empty() && !all_digits(frac_part)) reject(text, "bad fraction digits");
  } else if (!all_digits(int_part)) {
    reject(text, "not a number");
  }
  long exp10 = 0;
  if (!exponent.empty()) {
    bool eneg = false;
    if (exponent[0] == '+' || exponent[0] == '-') {
      eneg = exponent[0] == '-';
      exponent.remove_prefix(1);
    }
    if (!all_digits(exponent)) reject(text, "bad exponent");
    const auto significant = exponent.find_first_not_of('0');
    if (significant != std::string_view::npos) exponent.remove_prefix(significant);
    else exponent = "0";
    // Seven digits or fewer: std::stol cannot overflow, and the value's scale is checked below.
    if (exponent.size() > 7 || std::stol(std::string(exponent)) > limits.max_exponent)
      reject(text, "exponent beyond the limit of " +
                       std::to_string(std::min(limits.max_exponent, kMaxDecimalExponent)) +
                       " in absolute value");
    exp10 = std::stol(std::string(exponent));
    if (eneg) exp10 = -exp10;
  }
  exp10 -= static_cast<long>(frac_part.size());
  if (exp10 > kMaxDecimalExponent || exp10 < -kMaxDecimalExponent)
    reject(text, "exponent beyond the limit of " + std::to_string(kMaxDecimalExponent) +
                     " in absolute value, counting the digits after the point");
  const Integer digits = decimal_integer(std::string(int_part) + std::string(frac_part));
  Rational value = exp10 >= 0 ? Rational(digits * pow10(exp10)) : Rational(digits, pow10(-exp10));
  return negative ? Rational(-value) : value;
}

// Decimal digits of an MPFR number, rounded in the given direction, with enough digits that the
// text reads back to the same binary value (mpfr_get_str_ndigits).
// With digits > 0, at most that many significant digits (still rounded in the given direction).
std::string mpfr_text(mpfr_srcptr x, mpfr_rnd_t rounding, size_t max_digits = 0) {
  if (mpfr_nan_p(x)) return "nan";
  if (mpfr_inf_p(x)) return mpfr_sgn(x) > 0 ? "inf" : "-inf";
  if (mpfr_zero_p(x)) return "0";
  size_t n = mpfr_get_str_ndigits(10, mpfr_get_prec(x));
  if (max_digits > 0 && max_digits < n) n = max_digits;
  mpfr_exp_t e10 = 0;
  std::unique_ptr<char, void (*)(char*)> raw(mpfr_get_str(nullptr, &e10, 10, n, x, rounding),
                                             mpfr_free_str);
  std::string digits(raw.get());
  std::string sign;
  if (digits[0] == '-') {
    sign = "-";
    digits.erase(0, 1);
  }
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  // value = 0.d1d2... * 10^e10 = d1.d2... * 10^(e10-1)
  std::string out = sign + digits.substr(0, 1);
  if (digits.size() > 1) out += "." + digits.substr(1);
  if (e10 - 1 != 0) out += "e" + std::to_string(static_cast<long>(e10 - 1));
  return out;
}

}  // namespace

std::string echo_text(std::string_view text, std::size_t max_characters) {
  static const char* const hex = "0123456789abcdef";
  std::string out;
  std::size_t shown = 0, characters = 0;
  for (std::size_t i = 0; i < text.size();) {
    const auto byte = static_cast<unsigned char>(text[i]);
    // The length of a well-formed UTF-8 sequence starting here, or 0.
    std::size_t length = 0;
    if (byte < 0x80) length = 1;
    else if (byte >= 0xC2 && byte <= 0xDF) length = 2;
    else if (byte >= 0xE0 && byte <= 0xEF) length = 3;
    else if (byte >= 0xF0 && byte <= 0xF4) length = 4;
    if (length > 1) {
      if (i + length > text.size()) length = 0;
      for (std::size_t k = 1; k < length; ++k)
        if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) length = 0;
      // Overlong and surrogate forms, and code points beyond U+10FFFF.
      if (length == 3) {
        const auto next = static_cast<unsigned char>(text[i + 1]);
        if ((byte == 0xE0 && next < 0xA0) || (byte == 0xED && next >= 0xA0)) length = 0;
      }
      if (length == 4) {
        const auto next = static_cast<unsigned char>(text[i + 1]);
        if ((byte == 0xF0 && next < 0x90) || (byte == 0xF4 && next >= 0x90)) length = 0;
      }
    }
    ++characters;
    if (shown < max_characters) {
      ++shown;
      if (length == 1 && byte >= 0x20 && byte != 0x7F && byte != '\\') {
        out += static_cast<char>(byte);
      } else if (length == 1) {
        switch (byte) {
          case '\n': out += "\\n"; break;
          case '\r': out += "\\r"; break;
          case '\t': out += "\\t"; break;
          case '\0': out += "\\0"; break;
          case '\\': out += "\\\\"; break;
          default: out += std::string("\\x") + hex[byte >> 4] + hex[byte & 15];
        }
      } else if (length == 0) {
        out += std::string("\\x") + hex[byte >> 4] + hex[byte & 15];  // not UTF-8
      } else if (length == 2 && byte == 0xC2 && static_cast<unsigned char>(text[i + 1]) < 0xA0) {
        // C1 controls U+0080..U+009F (0x9B is CSI to some terminals)
        const auto low = static_cast<unsigned char>(text[i + 1]);
        out += std::string("\\u00") + hex[low >> 4] + hex[low & 15];
      } else if (length == 3 && byte == 0xE2 &&
                 ((static_cast<unsigned char>(text[i + 1]) == 0x80 &&
                   (static_cast<unsigned char>(text[i + 2]) & 0xF8) == 0xA8) ||
                  (static_cast<unsigned char>(text[i + 1]) == 0x81 &&
                   (static_cast<unsigned char>(text[i + 2]) & 0xF0) == 0xA0))) {
        // U+2028..U+202F and U+2060..U+206F: line separators and bidirectional controls
        const unsigned cp = ((byte & 0x0Fu) << 12) | ((static_cast<unsigned char>(text[i + 1]) & 0x3Fu) << 6) |
                            (static_cast<unsigned char>(text[i + 2]) & 0x3Fu);
        out += std::string("\\u") + hex[cp >> 12] + hex[(cp >> 8) & 15] + hex[(cp >> 4) & 15] + hex[cp & 15];
      } else {
        out.append(text.data() + i, length);
      }
    }
    i += length == 0 ? 1 : length;
  }
  if (characters > shown) out += "... (" + std::to_string(characters) + " characters)";
  return out;
}

Rational parse_rational(std::string_view text) { return parse_rational(text, NumberLimits{}); }

Rational parse_rational(std::string_view text, const NumberLimits& limits) {
  std::size_t digits = 0;
  for (char c : text) digits += std::isdigit(static_cast<unsigned char>(c)) ? 1 : 0;
  if (digits > limits.max_digits)
    reject(text, std::to_string(digits) + " digits: more than the limit of " +
                     std::to_string(limits.max_digits) + " digits");
  std::string_view body = text;
  bool negative = false;
  if (!body.empty() && (body[0] == '-' || body[0] == '+')) {
    negative = body[0] == '-';
    body.remove_prefix(1);
  }
  if (body.empty()) reject(text, "empty");
  if (auto slash = body.find('/'); slash != std::string_view::npos) {
    std::string_view p = body.substr(0, slash), q = body.substr(slash + 1);
    if (!all_digits(p) || !all_digits(q)) reject(text, "numerator and denominator must be integers");
    const Integer den = decimal_integer(std::string{q});
    if (den == 0) reject(text, "zero denominator");
    Rational value(decimal_integer(std::string{p}), den);
    return negative ? Rational(-value) : value;
  }
  return parse_decimal(text, body, negative, limits);
}

// fmpq_get_str writes the canonical "p/q", or "p" when q = 1: the format of the whole project.
std::string to_text(const Rational& x) {
  const fmpq* q = x.backend().data();
  std::string text(fmpz_sizeinbase(fmpq_numref(q), 10) + fmpz_sizeinbase(fmpq_denref(q), 10) + 3, '\0');
  fmpq_get_str(text.data(), 10, q);
  text.resize(std::char_traits<char>::length(text.c_str()));
  return text;
}

std::string to_text(const Interval& x) {
  const Real lo = lower(x), hi = upper(x);
  return "[" + mpfr_text(lo.backend().data(), MPFR_RNDD) + ", " +
         mpfr_text(hi.backend().data(), MPFR_RNDU) + "]";
}

std::string to_short_text(const Interval& x, std::size_t digits) {
  const Real lo = lower(x), hi = upper(x);
  return "[" + mpfr_text(lo.backend().data(), MPFR_RNDD, digits) + ", " +
         mpfr_text(hi.backend().data(), MPFR_RNDU, digits) + "]";
}

std::string to_text(const Real& x) { return mpfr_text(x.backend().data(), MPFR_RNDN); }

std::string to_text(double x) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, x);
  return std::string(buf, end);
}

}  // namespace entropic
