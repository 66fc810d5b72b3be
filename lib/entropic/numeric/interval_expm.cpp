#include "entropic/numeric/interval_expm.hpp"

#include <arb_mat.h>

#include <stdexcept>
#include <string>

#include "entropic/numeric/arb_interval.hpp"

namespace entropic {

namespace {
struct ArbMatrix {  // freed on every exit, a throw included
  arb_mat_t m;
  explicit ArbMatrix(slong n) { arb_mat_init(m, n, n); }
  ~ArbMatrix() { arb_mat_clear(m); }
  ArbMatrix(const ArbMatrix&) = delete;
  ArbMatrix& operator=(const ArbMatrix&) = delete;
};
}  // namespace

Mat<Interval> certified_exp(const Mat<Interval>& A) {
  const Eigen::Index n = A.rows();
  if (A.cols() != n)
    throw std::invalid_argument("certified_exp: the matrix is not square (" + std::to_string(A.rows()) + " x " +
                                std::to_string(A.cols()) + ")");
  const slong prec = static_cast<slong>(working_precision_bits());
  ArbMatrix a(n), e(n);
  bool finite = true;
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = 0; j < n; ++j) {
      arb_interval::to_ball(arb_mat_entry(a.m, i, j), A(i, j), prec);
      finite = finite && arb_is_finite(arb_mat_entry(a.m, i, j));
    }
  if (finite) arb_mat_exp(e.m, a.m, prec);
  Mat<Interval> out(n, n);
  for (Eigen::Index i = 0; finite && i < n; ++i)
    for (Eigen::Index j = 0; j < n; ++j) {
      arb_interval::from_ball(out(i, j), arb_mat_entry(e.m, i, j));
      finite = finite && mpfi_bounded_p(out(i, j).backend().data());
    }
  if (!finite)
    throw std::invalid_argument(
        "certified_exp: an entry of A is not finite, or an entry of exp(A) is beyond MPFR's range");
  return out;
}

}  // namespace entropic
