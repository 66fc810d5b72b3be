// ScalarKind<S>: what a scalar type means as evidence, and how values enter and leave it.
//
//   evidence   exact | certified | high_precision | floating   (design.md, the evidence table)
//   arithmetic()  the typed Arithmetic (carries the precision in force)
//   name()        its report name: "rational", "interval:128", "real:256", "double"
//   from_rational(q)  the value of q in S: exact for Rational, an enclosure for Interval,
//                     correctly rounded for Real and double
//   to_text(x)        exact_text.hpp's text for the kind
#pragma once

#include <mpfr.h>

#include <string>

#include "entropic/numeric/arithmetic.hpp"
#include "entropic/numeric/dual.hpp"
#include "entropic/numeric/eigen_traits.hpp"
#include "entropic/numeric/exact_text.hpp"
#include "entropic/numeric/series.hpp"

namespace entropic {

template <class S>
struct ScalarKind;

template <>
struct ScalarKind<Rational> {
  static constexpr Evidence evidence = Evidence::exact;
  static Arithmetic arithmetic() { return Arithmetic::rational(); }
  static std::string name() { return arithmetic().name(); }
  static Rational from_rational(const Rational& q) { return q; }
};

template <>
struct ScalarKind<Interval> {
  static constexpr Evidence evidence = Evidence::certified;
  static Arithmetic arithmetic() { return Arithmetic::interval(working_precision_bits()); }
  static std::string name() { return arithmetic().name(); }
  // q rounded to nearest at the working precision, with half an ulp as the radius (arb_ball.hpp).
  static Interval from_rational(const Rational& q) { return Interval(q); }
};

template <>
struct ScalarKind<Real> {
  static constexpr Evidence evidence = Evidence::high_precision;
  static Arithmetic arithmetic() { return Arithmetic::real(working_precision_bits()); }
  static std::string name() { return arithmetic().name(); }
  static Real from_rational(const Rational& q) { return Real(q); }
};

template <>
struct ScalarKind<double> {
  static constexpr Evidence evidence = Evidence::floating;
  static Arithmetic arithmetic() { return Arithmetic::floating(); }
  static std::string name() { return arithmetic().name(); }
  // Correctly rounded, subnormals included (fmpq_rational.hpp, nearest_double).
  static double from_rational(const Rational& q) { return backends::nearest_double(q.backend()); }
};

template <class T>
struct ScalarKind<Dual<T>> {
  static constexpr Evidence evidence = ScalarKind<T>::evidence;
  static Arithmetic arithmetic() { return ScalarKind<T>::arithmetic().dual(); }
  static std::string name() { return arithmetic().name(); }
  static Dual<T> from_rational(const Rational& q) { return Dual<T>(ScalarKind<T>::from_rational(q)); }
};

template <class T, int K>
struct ScalarKind<Series<T, K>> {
  static constexpr Evidence evidence = ScalarKind<T>::evidence;
  static Arithmetic arithmetic() { return ScalarKind<T>::arithmetic().series(); }
  static std::string name() { return arithmetic().name(); }
  static Series<T, K> from_rational(const Rational& q) {
    return Series<T, K>(ScalarKind<T>::from_rational(q));
  }
};

template <class S>
S from_rational(const Rational& q) { return ScalarKind<S>::from_rational(q); }

template <class S>
Mat<S> from_rational(const Mat<Rational>& m) {
  return m.unaryExpr([](const Rational& q) { return from_rational<S>(q); });
}
template <class S>
Vec<S> from_rational(const Vec<Rational>& v) {
  return v.unaryExpr([](const Rational& q) { return from_rational<S>(q); });
}

// Text of a series: "[c0, c1, ...; O(eta^n)]".
template <class T, int K>
std::string to_text(const Series<T, K>& s) {
  std::string out = "[";
  const int last = s.exact() ? s.degree() : s.order();
  for (int n = 0; n <= last; ++n) out += (n ? ", " : "") + to_text(s[n]);
  return out + "]";
}

}  // namespace entropic
