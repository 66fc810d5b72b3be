// What the expansion tests share: exact vectors written inline.
#pragma once

#include <initializer_list>

#include "entropic/numeric/eigen_traits.hpp"

namespace entropic::test {

inline Vec<Rational> vec(std::initializer_list<Rational> v) {
  Vec<Rational> out(static_cast<Eigen::Index>(v.size()));
  Eigen::Index i = 0;
  for (const Rational& x : v) out[i++] = x;
  return out;
}

}  // namespace entropic::test
