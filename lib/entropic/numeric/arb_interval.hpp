// MPFI intervals in and out of Arb balls, for the .cpp files that call Arb (matrix_kernels.cpp,
// interval_expm.cpp, certified_spectrum.cpp); not installed API.
//
//   to_ball(out, x, prec)   the ball that contains [a, b] (arb_set_interval_mpfr); an empty MPFI
//                           interval throws mp::interval_error (Arb would abort)
//   from_ball(x, ball)      the MPFI interval that contains the ball, at x's precision
//                           (arb_get_interval_mpfr rounds outward), with MPFI's signed zeros: a zero
//                           lower end is +0 and a zero upper end -0, as mpfi_inv and the other MPFI
//                           functions expect
//   ArbMatrix               an arb_mat_t owned, so that a throw between init and clear frees it;
//                           built from a Mat<Interval> by to_ball, read back by to_intervals()
//   working_prec()          the working precision (PrecisionScope) as Arb's slong
//
// A ball's radius carries about 30 bits, so a wide interval comes back wider by about 2^-30 of its
// radius; a point interval comes back as the point.
#pragma once

#include <arb.h>
#include <arb_mat.h>
#include <mpfi.h>

#include <string>

#include "entropic/numeric/eigen_traits.hpp"

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

inline slong working_prec() { return static_cast<slong>(working_precision_bits()); }

class ArbMatrix {
 public:
  ArbMatrix(slong rows, slong cols) { arb_mat_init(m, rows, cols); }
  // Delegating: constructed (and so cleared) before an entry can throw.
  ArbMatrix(const Mat<Interval>& a, slong prec) : ArbMatrix(a.rows(), a.cols()) {
    for (slong i = 0; i < a.rows(); ++i)
      for (slong j = 0; j < a.cols(); ++j) to_ball(arb_mat_entry(m, i, j), a(i, j), prec);
  }
  ~ArbMatrix() { arb_mat_clear(m); }
  ArbMatrix(const ArbMatrix&) = delete;
  ArbMatrix& operator=(const ArbMatrix&) = delete;

  Mat<Interval> to_intervals() const {
    Mat<Interval> out(arb_mat_nrows(m), arb_mat_ncols(m));
    for (slong i = 0; i < arb_mat_nrows(m); ++i)
      for (slong j = 0; j < arb_mat_ncols(m); ++j) from_ball(out(i, j), arb_mat_entry(m, i, j));
    return out;
  }

  arb_mat_t m;
};

}  // namespace entropic::arb_interval
