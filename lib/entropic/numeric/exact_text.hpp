// Exact number text: parsing without rounding, and printing that says exactly what a value is.
//
//   parse_rational("3/4"), ("-0.125"), ("1e-3"), ("2.5E+2"), ("7")   exact; anything else throws
//   to_text(Rational)  "p/q", or "p" for integers
//   to_text(Interval)  "[lo, hi]", endpoints rounded outward to round-trip decimal digits
//   to_text(Real)      nearest decimal with enough digits to round-trip at its precision
//   to_text(double)    shortest round-trip decimal
#pragma once

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

std::string to_text(const Rational& x);
std::string to_text(const Interval& x);
std::string to_text(const Real& x);
std::string to_text(double x);
template <unsigned D>
std::string to_text(const StaticReal<D>& x) {
  return to_text(Real(x));
}

}  // namespace entropic
