// Eigen::NumTraits for the multiprecision scalars.
//
// Boost 1.74's boost/multiprecision/eigen.hpp predates Eigen 3.4: with it the eigen solvers, SVD and
// blueNorm do not compile for multiprecision types, rationals fail in matrices, and lowest() is wrong.
// These specialisations replace it, deriving from GenericNumTraits as Eigen's own
// test/boostmultiprec.cpp does. tests/numeric/eigen_traits_test.cpp proves them with a
// self-adjoint eigen solve on Real and an LU solve on Rational.
#pragma once

#include <Eigen/Core>

#include "entropic/numeric/scalar.hpp"

namespace Eigen {

template <>
struct NumTraits<entropic::Rational> : GenericNumTraits<entropic::Rational> {
  using Real = entropic::Rational;
  using NonInteger = entropic::Rational;
  using Literal = entropic::Rational;
  using Nested = entropic::Rational;
  enum { IsInteger = 0, IsSigned = 1, IsComplex = 0, RequireInitialization = 1,
         ReadCost = 8, AddCost = 64, MulCost = 64 };
  // Exact arithmetic: no rounding unit, and no tolerance.
  static inline Real epsilon() { return Real(0); }
  static inline Real dummy_precision() { return Real(0); }
  static inline int digits10() { return 0; }
  static inline int digits() { return 0; }
};

template <unsigned D10>
struct NumTraits<boost::multiprecision::number<boost::multiprecision::mpfr_float_backend<D10>,
                                               boost::multiprecision::et_off>>
    : GenericNumTraits<boost::multiprecision::number<
          boost::multiprecision::mpfr_float_backend<D10>, boost::multiprecision::et_off>> {
  using Self = boost::multiprecision::number<boost::multiprecision::mpfr_float_backend<D10>,
                                             boost::multiprecision::et_off>;
  using Real = Self;
  using NonInteger = Self;
  using Literal = Self;
  using Nested = Self;
  enum { IsInteger = 0, IsSigned = 1, IsComplex = 0, RequireInitialization = 1,
         ReadCost = 8, AddCost = 32, MulCost = 64 };
  static inline Real epsilon() { return std::numeric_limits<Self>::epsilon(); }
  // Eigen's double default is ~eps^(3/4); keep that relation at any precision.
  static inline Real dummy_precision() {
    using std::pow;
    return pow(epsilon(), Self(3) / 4);
  }
  static inline Real highest() { return (std::numeric_limits<Self>::max)(); }
  static inline Real lowest() { return -(std::numeric_limits<Self>::max)(); }
  // numeric_limits reports INT_MAX digits for the run-time precision (D10 = 0): use the precision
  // in force instead.
  static inline int digits10() {
    if constexpr (D10 != 0) return std::numeric_limits<Self>::digits10;
    else return static_cast<int>(Self::default_precision());
  }
  static inline int digits() {
    if constexpr (D10 != 0) return std::numeric_limits<Self>::digits;
    else return static_cast<int>(boost::multiprecision::detail::digits10_2_2(Self::default_precision()));
  }
};

template <>
struct NumTraits<entropic::Interval> : GenericNumTraits<entropic::Interval> {
  using Real = entropic::Interval;
  using NonInteger = entropic::Interval;
  using Literal = entropic::Interval;
  using Nested = entropic::Interval;
  enum { IsInteger = 0, IsSigned = 1, IsComplex = 0, RequireInitialization = 1,
         ReadCost = 16, AddCost = 64, MulCost = 128 };
  // An Arb ball has no numeric_limits (every value 0): derive the limits from the precision in
  // force, and the range from MPFR's, where an Interval's ends are read (lower, upper).
  static inline int digits() {
    return static_cast<int>(
        boost::multiprecision::detail::digits10_2_2(entropic::Interval::default_precision()));
  }
  static inline int digits10() { return static_cast<int>(entropic::Interval::default_precision()); }
  static inline Real epsilon() { return ldexp(Real(1), 1 - digits()); }
  static inline Real dummy_precision() { return Real(0); }
  static inline Real highest() {  // the largest finite Real at this precision
    entropic::Real h;
    mpfr_set_inf(h.backend().data(), 1);
    mpfr_nextbelow(h.backend().data());
    return Real(h);
  }
  static inline Real lowest() { return -highest(); }
};

}  // namespace Eigen

// Large Rational and Interval products go to FLINT and Arb.
#include "entropic/numeric/matrix_kernels.hpp"

namespace entropic {

template <class S>
using Mat = Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic>;
template <class S>
using Vec = Eigen::Matrix<S, Eigen::Dynamic, 1>;

}  // namespace entropic
