#include "entropic/io/arithmetic.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "entropic/numeric/exact_text.hpp"

namespace entropic {

namespace {

// Limits of set_working_precision (scalar.cpp).
constexpr unsigned long kMinBits = 8, kMaxBits = 1u << 20;

unsigned parse_bits(const std::string& text, const std::string& digits) {
  const bool all_digits = !digits.empty() && digits.size() <= 8 &&
                          std::all_of(digits.begin(), digits.end(),
                                      [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
  const unsigned long bits = all_digits ? std::stoul(digits) : 0;
  if (!all_digits || bits < kMinBits || bits > kMaxBits)
    throw std::invalid_argument("\"" + echo_text(text) + "\": the precision must be a number of bits from " +
                                std::to_string(kMinBits) + " to " + std::to_string(kMaxBits));
  return static_cast<unsigned>(bits);
}

}  // namespace

Arithmetic Arithmetic::parse(const std::string& text) {
  if (text == "rational") return rational();
  if (text == "double") return floating();
  const auto colon = text.find(':');
  const std::string name = text.substr(0, colon);
  if (name == "interval" || name == "real") {
    if (colon == std::string::npos)
      throw std::invalid_argument("\"" + echo_text(text) + "\" needs a precision in bits, e.g. \"" + name + ":128\"");
    const unsigned bits = parse_bits(text, text.substr(colon + 1));
    return name == "interval" ? interval(bits) : real(bits);
  }
  throw std::invalid_argument("unknown arithmetic \"" + echo_text(text) +
                              "\" (use rational, interval:BITS, real:BITS or double)");
}

std::string Arithmetic::text() const {
  switch (kind) {
    case Kind::rational: return "rational";
    case Kind::interval: return "interval:" + std::to_string(bits);
    case Kind::real: return "real:" + std::to_string(bits);
    case Kind::floating: return "double";
  }
  return "?";
}

}  // namespace entropic
