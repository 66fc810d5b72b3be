// The arithmetic a scenario asks for: "rational", "interval:BITS", "real:BITS" or "double".
// BITS is the requested binary precision; the precision in force can exceed it (scalar.hpp:
// Boost sets precision in decimal digits), and ScalarKind<S>::arithmetic() reports the one in force.
// The type itself is numeric/arithmetic.hpp; parse() and text() are defined in io/arithmetic.cpp.
#pragma once

#include "entropic/numeric/arithmetic.hpp"
