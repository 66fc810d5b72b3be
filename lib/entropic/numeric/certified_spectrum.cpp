#include "entropic/numeric/certified_spectrum.hpp"

#include <acb_mat.h>
#include <arb_mat.h>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "entropic/numeric/arb_interval.hpp"

namespace entropic {

namespace {

using arb_interval::ArbMatrix;

struct AcbMat {
  acb_mat_t m;
  explicit AcbMat(slong n) { acb_mat_init(m, n, n); }
  ~AcbMat() { acb_mat_clear(m); }
  AcbMat(const AcbMat&) = delete;
  AcbMat& operator=(const AcbMat&) = delete;
};
struct AcbVec {
  acb_ptr v;
  slong n;
  explicit AcbVec(slong size) : v(_acb_vec_init(size)), n(size) {}
  ~AcbVec() { _acb_vec_clear(v, n); }
  AcbVec(const AcbVec&) = delete;
  AcbVec& operator=(const AcbVec&) = delete;
};

void check_symmetric(const char* what, const Mat<Interval>& A) {
  if (A.rows() != A.cols())
    throw std::invalid_argument(std::string(what) + ": the matrix is not square (" + std::to_string(A.rows()) +
                                " x " + std::to_string(A.cols()) + ")");
  for (Eigen::Index i = 0; i < A.rows(); ++i)
    for (Eigen::Index j = 0; j < i; ++j)
      if (!overlap(A(i, j), A(j, i)))
        throw std::invalid_argument(std::string(what) + ": the matrix is not symmetric (entries (" +
                                    std::to_string(i) + ", " + std::to_string(j) + ") and (" + std::to_string(j) +
                                    ", " + std::to_string(i) + ") are disjoint)");
}

}  // namespace

bool certified_positive_definite(const Mat<Interval>& A) {
  check_symmetric("certified_positive_definite", A);
  if (A.rows() == 0) return true;
  const slong prec = arb_interval::working_prec();
  const ArbMatrix a(A);
  arb_mat_t L;
  arb_mat_init(L, A.rows(), A.cols());
  const int proved = arb_mat_cho(L, a.m, prec);
  arb_mat_clear(L);
  return proved != 0;
}

Vec<Interval> certified_symmetric_eigenvalues(const Mat<Interval>& A) {
  check_symmetric("certified_symmetric_eigenvalues", A);
  const slong n = A.rows(), prec = arb_interval::working_prec();
  if (n == 0) return Vec<Interval>();
  // A symmetric enclosure: the lower triangle's entries intersected with the upper's.
  Mat<Interval> S = A;
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = 0; j < i; ++j) S(i, j) = S(j, i) = intersect(A(i, j), A(j, i));
  const ArbMatrix a(S);
  AcbMat c(n), R(n);
  acb_mat_set_arb_mat(c.m, a.m);
  AcbVec approx(n), E(n);
  acb_mat_approx_eig_qr(approx.v, nullptr, R.m, c.m, nullptr, 0, prec);
  if (!acb_mat_eig_simple(E.v, nullptr, nullptr, c.m, approx.v, R.m, prec))
    throw interval_error("certified_symmetric_eigenvalues: the eigenvalues could not be proved simple at " +
                             std::to_string(prec) + " bits");
  std::vector<Interval> values(static_cast<size_t>(n));
  for (slong k = 0; k < n; ++k) arb_set(values[static_cast<size_t>(k)].backend().data(), acb_realref(E.v + k));
  // Disjoint enclosures of real numbers: ordered by their lower ends.
  std::sort(values.begin(), values.end(),
            [](const Interval& l, const Interval& r) { return lower(l) < lower(r); });
  Vec<Interval> out(n);
  for (slong k = 0; k < n; ++k) out[k] = values[static_cast<size_t>(k)];
  return out;
}

}  // namespace entropic
