#include "entropic/numeric/interval_expm.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

#include "entropic/numeric/exact_text.hpp"

namespace entropic {

Mat<Interval> certified_exp(const Mat<Interval>& A) {
  const Eigen::Index n = A.rows();
  if (A.cols() != n)
    throw std::invalid_argument("certified_exp: the matrix is not square (" + std::to_string(A.rows()) + " x " +
                                std::to_string(A.cols()) + ")");
  Real a = 0;  // an upper bound of ||A||_inf
  for (Eigen::Index i = 0; i < n; ++i) {
    Interval row(0);
    for (Eigen::Index j = 0; j < n; ++j) row += abs(A(i, j));
    a = std::max<Real>(a, Real(mp::upper(row)));
  }
  if (!(a <= kCertifiedExpMaxNorm))
    throw std::invalid_argument("certified_exp: ||A||_inf <= " + to_text(a) + " exceeds " +
                                std::to_string(kCertifiedExpMaxNorm) +
                                " (the Taylor series is not scaled and squared)");
  const Interval a_iv(a);
  const Real eps = std::numeric_limits<Real>::epsilon();
  Mat<Interval> term = Mat<Interval>::Identity(n, n), sum = term;
  Interval bound(1);  // a^N / N!
  for (int N = 1;; ++N) {
    term = Mat<Interval>(term * A) / Interval(N);
    bound = bound * a_iv / Interval(N);
    const Real tail = Real(mp::upper(Interval(2 * bound)));
    if (Real(N + 1) >= 2 * a && tail < eps) {
      const Interval slack(-tail, tail);
      for (Eigen::Index i = 0; i < n; ++i)
        for (Eigen::Index j = 0; j < n; ++j) sum(i, j) += slack;
      return sum;
    }
    sum += term;
  }
}

}  // namespace entropic
