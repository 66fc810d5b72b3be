// The arithmetic a scenario asks for: "rational", "interval:BITS", "real:BITS" or "double".
// BITS is the requested binary precision; the precision in force can exceed it (scalar.hpp:
// Boost sets precision in decimal digits), and ScalarKind<S>::name() reports the one in force.
#pragma once

#include <string>

namespace entropic {

struct Arithmetic {
  enum class Kind { rational, interval, real, floating };
  Kind kind = Kind::rational;
  unsigned bits = 0;  // interval and real only

  // Throws std::invalid_argument saying what is accepted.
  static Arithmetic parse(const std::string& text);
  // The text parse() reads back (with the requested bits).
  std::string text() const;
};

}  // namespace entropic
