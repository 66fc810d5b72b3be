#include "entropic/numeric/interval_expm.hpp"

#include <arb_mat.h>

#include <stdexcept>
#include <string>

#include "entropic/numeric/arb_interval.hpp"

namespace entropic {

Mat<Interval> certified_exp(const Mat<Interval>& A) {
  const Eigen::Index n = A.rows();
  if (A.cols() != n)
    throw std::invalid_argument("certified_exp: the matrix is not square (" + std::to_string(A.rows()) + " x " +
                                std::to_string(A.cols()) + ")");
  const slong prec = arb_interval::working_prec();
  const arb_interval::ArbMatrix a(A);
  arb_interval::ArbMatrix e(n, n);
  if (!arb_mat_is_finite(a.m)) throw std::invalid_argument("certified_exp: an entry of A is not finite");
  arb_mat_exp(e.m, a.m, prec);
  if (!arb_mat_is_finite(e.m)) throw std::invalid_argument("certified_exp: an entry of exp(A) is not finite");
  return e.to_intervals();
}

}  // namespace entropic
