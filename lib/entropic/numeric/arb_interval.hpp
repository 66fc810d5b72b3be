// MPFI intervals in and out of Arb balls, for the .cpp files that call Arb (matrix_kernels.cpp,
// interval_expm.cpp, certified_spectrum.cpp); not installed API.
//
//   to_ball(out, x, prec)   the ball that contains [a, b] (arb_set_interval_mpfr); an empty MPFI
//                           interval throws mp::interval_error (Arb would abort)
//   from_ball(x, ball)      the MPFI interval that contains the ball, at x's precision
//                           (arb_get_interval_mpfr rounds outward), with MPFI's signed zeros: a zero
//                           lower end is +0 and a zero upper end -0, as mpfi_inv and the other MPFI
//                           functions expect
//
// A ball's radius carries about 30 bits, so a wide interval comes back wider by about 2^-30 of its
// radius; a point interval comes back as the point.
#pragma once

#include <arb.h>
#include <mpfi.h>

#include <string>

#include "entropic/numeric/scalar.hpp"

namespace entropic::arb_interval {

inline void to_ball(arb_t out, const Interval& x, slong prec) {
  const auto* v = x.backend().data();
  if (mpfi_is_empty(v)) throw mp::interval_error("an empty interval cannot enter Arb");
  arb_set_interval_mpfr(out, &v->left, &v->right, prec);
}

inline void from_ball(Interval& x, const arb_t ball) {
  auto* v = x.backend().data();
  arb_get_interval_mpfr(&v->left, &v->right, ball);
  if (mpfr_zero_p(&v->left)) mpfr_set_zero(&v->left, 1);
  if (mpfr_zero_p(&v->right)) mpfr_set_zero(&v->right, -1);
}

}  // namespace entropic::arb_interval
