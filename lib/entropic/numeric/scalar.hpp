// The scalar kinds of entropic. The scalar a computation runs on decides the kind of evidence it
// produces (design.md, "the scalar decides the kind of proof"):
//
//   double        screening only; a residual is a floating residual, never "exact"
//   Real          MPFR, precision chosen at run time (bits), residual reported in digits
//   StaticReal<D> MPFR with D decimal digits fixed at compile time, for hot paths
//   Rational      FLINT fmpq (fmpq_rational.hpp), exact: a residual is 0 or it is not
//   Interval      Arb ball (arb_ball.hpp), certified enclosure at a run-time precision (bits)
//
// All multiprecision types use expression templates off (et_off): Eigen's own expression templates
// and Boost's do not mix.
#pragma once

#include <boost/multiprecision/gmp.hpp>
#include <boost/multiprecision/mpfr.hpp>

#include "entropic/numeric/arb_ball.hpp"
#include "entropic/numeric/fmpq_rational.hpp"

#include <string>

namespace entropic {

namespace mp = boost::multiprecision;

using Rational = mp::number<backends::fmpq_rational, mp::et_off>;
using Integer = mp::number<mp::gmp_int, mp::et_off>;
using Real = mp::number<mp::mpfr_float_backend<0>, mp::et_off>;
using Interval = mp::number<backends::arb_ball, mp::et_off>;
template <unsigned Digits10>
using StaticReal = mp::number<mp::mpfr_float_backend<Digits10>, mp::et_off>;

// The enclosure an Interval certifies. lower and upper are its ends rounded outward to Real's
// precision; width is their distance (the ball's diameter) rounded up; midpoint is rounded to
// nearest.
inline Real lower(const Interval& x) {
  Real lo, hi;
  x.backend().bounds(lo.backend().data(), hi.backend().data());
  return lo;
}
inline Real upper(const Interval& x) {
  Real lo, hi;
  x.backend().bounds(lo.backend().data(), hi.backend().data());
  return hi;
}
inline Real width(const Interval& x) {
  arf_t d;
  arf_init(d);
  arf_set_mag(d, arb_radref(x.backend().data()));
  arf_mul_2exp_si(d, d, 1);
  Real w;
  arf_get_mpfr(w.backend().data(), d, MPFR_RNDU);
  arf_clear(d);
  return w;
}
inline Real midpoint(const Interval& x) {
  Real m;
  arf_get_mpfr(m.backend().data(), arb_midref(x.backend().data()), MPFR_RNDN);
  return m;
}
inline bool contains(const Interval& outer, const Interval& inner) {
  return arb_contains(outer.backend().data(), inner.backend().data()) != 0;
}
inline bool contains(const Interval& x, const Rational& q) {
  return arb_contains_fmpq(x.backend().data(), q.backend().data()) != 0;
}
inline bool contains(const Interval& x, const Real& r) {
  return arb_contains_mpfr(x.backend().data(), r.backend().data()) != 0;
}
// The smallest ball Arb finds that holds both.
inline Interval hull(const Interval& a, const Interval& b) {
  Interval r;
  arb_union(r.backend().data(), a.backend().data(), b.backend().data(), backends::arb_ball::prec());
  return r;
}
inline bool overlap(const Interval& a, const Interval& b) {
  return arb_overlaps(a.backend().data(), b.backend().data()) != 0;
}
// The intersection of two overlapping enclosures (interval_error when they are disjoint).
inline Interval intersect(const Interval& a, const Interval& b) {
  Interval r;
  if (!arb_intersection(r.backend().data(), a.backend().data(), b.backend().data(), backends::arb_ball::prec()))
    throw interval_error("the intersection of two disjoint intervals is empty");
  return r;
}
inline bool contains_zero(const Interval& x) { return arb_contains_zero(x.backend().data()) != 0; }
// Both ends finite (no NaN midpoint, no infinite radius).
inline bool is_finite(const Interval& x) { return arb_is_finite(x.backend().data()) != 0; }

// Binary precision of the run-time precision kinds. Boost sets precision in decimal digits; MPFR
// counts bits. `set_working_precision(bits)` picks the smallest decimal setting that gives at least
// `bits`, and returns the precision actually in force (which every verdict reports).
unsigned set_working_precision(unsigned bits);
unsigned working_precision_bits();

// RAII: run a block at a given precision and restore the previous one.
class PrecisionScope {
 public:
  explicit PrecisionScope(unsigned bits);
  ~PrecisionScope();
  PrecisionScope(const PrecisionScope&) = delete;
  PrecisionScope& operator=(const PrecisionScope&) = delete;
  unsigned bits() const { return bits_; }

 private:
  unsigned saved_real_digits10_;
  unsigned saved_interval_digits10_;
  unsigned bits_;
};

}  // namespace entropic
