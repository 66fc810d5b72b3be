// An Arb matrix of Intervals, for the .cpp files that call Arb's matrix routines (matrix_kernels.cpp,
// interval_expm.cpp, certified_spectrum.cpp); not installed API.
//
//   ArbMatrix         an arb_mat_t owned, so that a throw between init and clear frees it; built
//                     from a Mat<Interval> entry by entry (an Interval is an Arb ball: arb_set, no
//                     widening), read back by to_intervals()
//   working_prec()    the working precision (PrecisionScope) as Arb's slong
#pragma once

#include <arb.h>
#include <arb_mat.h>

#include "entropic/numeric/eigen_traits.hpp"

namespace entropic::arb_interval {

inline slong working_prec() { return backends::arb_ball::prec(); }

class ArbMatrix {
 public:
  ArbMatrix(slong rows, slong cols) { arb_mat_init(m, rows, cols); }
  explicit ArbMatrix(const Mat<Interval>& a) : ArbMatrix(a.rows(), a.cols()) {
    for (slong i = 0; i < a.rows(); ++i)
      for (slong j = 0; j < a.cols(); ++j) arb_set(arb_mat_entry(m, i, j), a(i, j).backend().data());
  }
  ~ArbMatrix() { arb_mat_clear(m); }
  ArbMatrix(const ArbMatrix&) = delete;
  ArbMatrix& operator=(const ArbMatrix&) = delete;

  Mat<Interval> to_intervals() const {
    Mat<Interval> out(arb_mat_nrows(m), arb_mat_ncols(m));
    for (slong i = 0; i < arb_mat_nrows(m); ++i)
      for (slong j = 0; j < arb_mat_ncols(m); ++j) arb_set(out(i, j).backend().data(), arb_mat_entry(m, i, j));
    return out;
  }

  arb_mat_t m;
};

}  // namespace entropic::arb_interval
