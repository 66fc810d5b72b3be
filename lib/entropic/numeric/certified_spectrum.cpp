#include "entropic/numeric/certified_spectrum.hpp"

#include <acb_mat.h>
#include <arb_mat.h>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

namespace entropic {

namespace {

struct ArbMat {
  arb_mat_t m;
  ArbMat(const Mat<Interval>& a, slong prec) {
    arb_mat_init(m, a.rows(), a.cols());
    for (slong i = 0; i < a.rows(); ++i)
      for (slong j = 0; j < a.cols(); ++j) {
        const auto* x = a(i, j).backend().data();
        arb_set_interval_mpfr(arb_mat_entry(m, i, j), &x->left, &x->right, prec);
      }
  }
  ~ArbMat() { arb_mat_clear(m); }
  ArbMat(const ArbMat&) = delete;
  ArbMat& operator=(const ArbMat&) = delete;
};

void check_symmetric(const char* what, const Mat<Interval>& A) {
  if (A.rows() != A.cols())
    throw std::invalid_argument(std::string(what) + ": the matrix is not square (" + std::to_string(A.rows()) +
                                " x " + std::to_string(A.cols()) + ")");
  for (Eigen::Index i = 0; i < A.rows(); ++i)
    for (Eigen::Index j = 0; j < i; ++j)
      if (!mp::overlap(A(i, j), A(j, i)))
        throw std::invalid_argument(std::string(what) + ": the matrix is not symmetric (entries (" +
                                    std::to_string(i) + ", " + std::to_string(j) + ") and (" + std::to_string(j) +
                                    ", " + std::to_string(i) + ") are disjoint)");
}

slong working_bits() { return static_cast<slong>(working_precision_bits()); }

}  // namespace

bool certified_positive_definite(const Mat<Interval>& A) {
  check_symmetric("certified_positive_definite", A);
  if (A.rows() == 0) return true;
  const slong prec = working_bits();
  const ArbMat a(A, prec);
  arb_mat_t L;
  arb_mat_init(L, A.rows(), A.cols());
  const int proved = arb_mat_cho(L, a.m, prec);
  arb_mat_clear(L);
  return proved != 0;
}

Vec<Interval> certified_symmetric_eigenvalues(const Mat<Interval>& A) {
  check_symmetric("certified_symmetric_eigenvalues", A);
  const slong n = A.rows(), prec = working_bits();
  if (n == 0) return Vec<Interval>();
  // A symmetric enclosure: the lower triangle's entries intersected with the upper's.
  Mat<Interval> S = A;
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = 0; j < i; ++j) S(i, j) = S(j, i) = mp::intersect(A(i, j), A(j, i));
  const ArbMat a(S, prec);
  acb_mat_t c, R;
  acb_mat_init(c, n, n);
  acb_mat_init(R, n, n);
  acb_mat_set_arb_mat(c, a.m);
  acb_ptr approx = _acb_vec_init(n), E = _acb_vec_init(n);
  acb_mat_approx_eig_qr(approx, nullptr, R, c, nullptr, 0, prec);
  const int proved = acb_mat_eig_simple(E, nullptr, nullptr, c, approx, R, prec);
  std::vector<Interval> values;
  if (proved) {
    for (slong k = 0; k < n; ++k) {
      Interval x;
      auto* y = x.backend().data();
      arb_get_interval_mpfr(&y->left, &y->right, acb_realref(E + k));
      values.push_back(x);
    }
  }
  _acb_vec_clear(approx, n);
  _acb_vec_clear(E, n);
  acb_mat_clear(c);
  acb_mat_clear(R);
  if (!proved)
    throw mp::interval_error("certified_symmetric_eigenvalues: the eigenvalues could not be proved simple at " +
                             std::to_string(prec) + " bits");
  // Disjoint enclosures of real numbers: ordered by their lower ends.
  std::sort(values.begin(), values.end(),
            [](const Interval& l, const Interval& r) { return mp::lower(l) < mp::lower(r); });
  Vec<Interval> out(n);
  for (slong k = 0; k < n; ++k) out[k] = values[static_cast<size_t>(k)];
  return out;
}

}  // namespace entropic
