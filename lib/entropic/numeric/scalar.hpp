// The scalar kinds of entropic. The scalar a computation runs on decides the kind of evidence it
// produces (design.md, "the scalar decides the kind of proof"):
//
//   double        screening only; a residual is a floating residual, never "exact"
//   Real          MPFR, precision chosen at run time (bits), residual reported in digits
//   StaticReal<D> MPFR with D decimal digits fixed at compile time, for hot paths
//   Rational      GMP, exact: a residual is 0 or it is not
//   Interval      MPFI, certified enclosure at a run-time precision (bits)
//
// All multiprecision types use expression templates off (et_off): Eigen's own expression templates
// and Boost's do not mix.
#pragma once

#include <boost/multiprecision/gmp.hpp>
#include <boost/multiprecision/mpfi.hpp>
#include <boost/multiprecision/mpfr.hpp>

#include <string>

namespace entropic {

namespace mp = boost::multiprecision;

using Rational = mp::number<mp::gmp_rational, mp::et_off>;
using Integer = mp::number<mp::gmp_int, mp::et_off>;
using Real = mp::number<mp::mpfr_float_backend<0>, mp::et_off>;
using Interval = mp::number<mp::mpfi_float_backend<0>, mp::et_off>;
template <unsigned Digits10>
using StaticReal = mp::number<mp::mpfr_float_backend<Digits10>, mp::et_off>;

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
