#include "entropic/numeric/exact_text.hpp"

#include <mpfr.h>

#include <cctype>
#include <charconv>
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
  throw parse_error("malformed number \"" + std::string(text) + "\": " + why +
                    " (write an integer, a decimal such as -0.125 or 1e-3, or a fraction p/q)");
}

// Boost reads a leading 0 as an octal prefix: strip leading zeros before conversion.
Integer decimal_integer(std::string digits) {
  const auto first = digits.find_first_not_of('0');
  digits = first == std::string::npos ? "0" : digits.substr(first);
  return Integer(digits);
}

Integer pow10(long e) {
  Integer r = 1;
  for (long i = 0; i < e; ++i) r *= 10;
  return r;
}

Rational parse_decimal(std::string_view text, std::string_view body, bool negative) {
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
    if (exponent.size() > 6) reject(text, "exponent out of range");
    exp10 = std::stol(std::string(exponent));
    if (eneg) exp10 = -exp10;
  }
  exp10 -= static_cast<long>(frac_part.size());
  if (exp10 > kMaxDecimalExponent || exp10 < -kMaxDecimalExponent)
    reject(text, "exponent out of range");
  const Integer digits = decimal_integer(std::string(int_part) + std::string(frac_part));
  Rational value = exp10 >= 0 ? Rational(digits * pow10(exp10)) : Rational(digits, pow10(-exp10));
  return negative ? Rational(-value) : value;
}

// Decimal digits of an MPFR number, rounded in the given direction, with enough digits that the
// text reads back to the same binary value (mpfr_get_str_ndigits).
std::string mpfr_text(mpfr_srcptr x, mpfr_rnd_t rounding) {
  if (mpfr_nan_p(x)) return "nan";
  if (mpfr_inf_p(x)) return mpfr_sgn(x) > 0 ? "inf" : "-inf";
  if (mpfr_zero_p(x)) return "0";
  const size_t n = mpfr_get_str_ndigits(10, mpfr_get_prec(x));
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

Rational parse_rational(std::string_view text) {
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
  return parse_decimal(text, body, negative);
}

// mpq_get_str writes the canonical "p/q", or "p" when q = 1: the format of the whole project.
std::string to_text(const Rational& x) {
  const mpq_srcptr q = x.backend().data();
  std::string text(mpz_sizeinbase(mpq_numref(q), 10) + mpz_sizeinbase(mpq_denref(q), 10) + 3, '\0');
  mpq_get_str(text.data(), 10, q);
  text.resize(std::char_traits<char>::length(text.c_str()));
  return text;
}

std::string to_text(const Interval& x) {
  const Real lo = mp::lower(x), hi = mp::upper(x);
  return "[" + mpfr_text(lo.backend().data(), MPFR_RNDD) + ", " +
         mpfr_text(hi.backend().data(), MPFR_RNDU) + "]";
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
