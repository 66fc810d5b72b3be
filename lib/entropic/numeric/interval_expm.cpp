#include "entropic/numeric/interval_expm.hpp"

#include <arb_mat.h>

#include <stdexcept>
#include <string>

namespace entropic {

Mat<Interval> certified_exp(const Mat<Interval>& A) {
  const Eigen::Index n = A.rows();
  if (A.cols() != n)
    throw std::invalid_argument("certified_exp: the matrix is not square (" + std::to_string(A.rows()) + " x " +
                                std::to_string(A.cols()) + ")");
  const slong prec = static_cast<slong>(working_precision_bits());
  arb_mat_t a, e;
  arb_mat_init(a, n, n);
  arb_mat_init(e, n, n);
  bool finite = true;
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = 0; j < n; ++j) {
      const auto* x = A(i, j).backend().data();
      arb_set_interval_mpfr(arb_mat_entry(a, i, j), &x->left, &x->right, prec);
      finite = finite && arb_is_finite(arb_mat_entry(a, i, j));
    }
  if (finite) arb_mat_exp(e, a, prec);
  Mat<Interval> out(n, n);
  for (Eigen::Index i = 0; finite && i < n; ++i)
    for (Eigen::Index j = 0; j < n; ++j) {
      auto* y = out(i, j).backend().data();
      arb_get_interval_mpfr(&y->left, &y->right, arb_mat_entry(e, i, j));
      finite = finite && mpfi_bounded_p(y);
    }
  arb_mat_clear(a);
  arb_mat_clear(e);
  if (!finite)
    throw std::invalid_argument(
        "certified_exp: an entry of A is not finite, or an entry of exp(A) is beyond MPFR's range");
  return out;
}

}  // namespace entropic
