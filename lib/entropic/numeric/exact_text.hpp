// Exact number text: parsing without rounding, and printing that says exactly what a value is.
//
//   parse_rational("3/4"), ("-0.125"), ("1e-3"), ("2.5E+2"), ("7")   exact; anything else throws
//   to_text(Rational)  "p/q", or "p" for integers
//   to_text(Interval)  "[lo, hi]", endpoints rounded outward to round-trip decimal digits
//   to_text(Real)      nearest decimal with enough digits to round-trip at its precision
//   to_text(double)    shortest round-trip decimal
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

#include "entropic/numeric/scalar.hpp"

namespace entropic {

struct parse_error : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

// Exponents of decimal literals are limited so that a typo cannot ask for a gigabyte integer.
inline constexpr long kMaxDecimalExponent = 100000;

Rational parse_rational(std::string_view text);

// Tighter limits for a number read from a file (io/exact_values.hpp): the exponent as written
// ("1e10000": 10000; by default only the value's scale is limited, by kMaxDecimalExponent) and the
// number of digits in the whole text.
struct NumberLimits {
  long max_exponent = 9999999;
  std::size_t max_digits = static_cast<std::size_t>(-1);
};
Rational parse_rational(std::string_view text, const NumberLimits& limits);

// Text from input as a message may show it, on one line and briefly: control characters escaped
// (\n, \r, \t, \0, \\, \x1b; C1 controls, line separators and bidirectional controls as \u0085,
// \u202e), bytes that are not UTF-8 as \xff, and at most `max_characters` characters, followed by
// "... (N characters)" when there were more. Every message built from input uses it.
inline constexpr std::size_t kEchoCharacters = 60;
std::string echo_text(std::string_view text, std::size_t max_characters = kEchoCharacters);

std::string to_text(const Rational& x);
std::string to_text(const Interval& x);
std::string to_text(const Real& x);
// An enclosure for a message: each endpoint rounded outward to at most `digits` significant digits,
// so that the line stays short at any precision ("[-1.2561940288493723e-6021, 1.2561940288493723e-6021]").
std::string to_short_text(const Interval& x, std::size_t digits = 17);
std::string to_text(double x);
template <unsigned D>
std::string to_text(const StaticReal<D>& x) {
  return to_text(Real(x));
}

}  // namespace entropic
