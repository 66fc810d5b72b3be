// FLINT and Arb behind Eigen's product and the exact and certified solves (numeric/matrix_kernels.hpp,
// numeric/linear_solve.hpp).
//
// How tight the Interval product is: for point operands within a few ulps of Eigen's scalar loop.
// A ball's radius carries about 30 bits (numeric/arb_interval.hpp), so for wide operands the
// enclosure is wider by about 2^-30 of the radius than the loop's, and an end at 0 can become
// 2^-30 r: a sign the loop would prove can be lost. Still certified.
#include "entropic/numeric/matrix_kernels.hpp"

#include <arb_mat.h>
#include <flint/fmpq_mat.h>

#include <stdexcept>
#include <string>

#include "entropic/numeric/arb_interval.hpp"
#include "entropic/numeric/elementary.hpp"
#include "entropic/numeric/linear_solve.hpp"

namespace entropic {

namespace {

using arb_interval::ArbMatrix;

void set_fmpq(fmpq_t out, const Rational& q) { fmpq_set(out, q.backend().data()); }

// An owned fmpq_mat_t, as ArbMatrix (numeric/arb_interval.hpp) owns an arb_mat_t.
struct FmpqMat {
  fmpq_mat_t m;
  FmpqMat(slong rows, slong cols) { fmpq_mat_init(m, rows, cols); }
  explicit FmpqMat(const Mat<Rational>& a) : FmpqMat(a.rows(), a.cols()) {
    for (slong i = 0; i < a.rows(); ++i)
      for (slong j = 0; j < a.cols(); ++j) set_fmpq(fmpq_mat_entry(m, i, j), a(i, j));
  }
  ~FmpqMat() { fmpq_mat_clear(m); }
  FmpqMat(const FmpqMat&) = delete;
  FmpqMat& operator=(const FmpqMat&) = delete;
};

template <class Scalar, class Set>
void load(slong rows, slong cols, const Scalar* from, Eigen::Index row_step, Eigen::Index col_step, Set&& set) {
  for (slong i = 0; i < rows; ++i)
    for (slong j = 0; j < cols; ++j) set(i, j, from[i * row_step + j * col_step]);
}

// Moves the entries out of m (left zero).
Mat<Rational> take_fmpq(fmpq_mat_t m) {
  Mat<Rational> out(fmpq_mat_nrows(m), fmpq_mat_ncols(m));
  for (slong i = 0; i < fmpq_mat_nrows(m); ++i)
    for (slong j = 0; j < fmpq_mat_ncols(m); ++j) fmpq_swap(out(i, j).backend().data(), fmpq_mat_entry(m, i, j));
  return out;
}

void check_solve_shapes(const char* what, Eigen::Index a_rows, Eigen::Index a_cols, Eigen::Index b_rows) {
  if (a_rows != a_cols)
    throw std::invalid_argument(std::string(what) + ": A is " + std::to_string(a_rows) + " x " +
                                std::to_string(a_cols) + ", not square");
  if (b_rows != a_rows)
    throw std::invalid_argument(std::string(what) + ": B has " + std::to_string(b_rows) + " rows, A " +
                                std::to_string(a_rows));
}

}  // namespace

namespace kernels {

void rational_product(Eigen::Index rows, Eigen::Index cols, Eigen::Index depth, const Rational* lhs,
                      Eigen::Index lhs_row, Eigen::Index lhs_col, const Rational* rhs, Eigen::Index rhs_row,
                      Eigen::Index rhs_col, Rational* res, Eigen::Index res_row, Eigen::Index res_col,
                      const Rational& alpha) {
  if (rows == 0 || cols == 0 || depth == 0) return;
  FmpqMat a(rows, depth), b(depth, cols), c(rows, cols);
  load(rows, depth, lhs, lhs_row, lhs_col,
       [&](slong i, slong k, const Rational& q) { set_fmpq(fmpq_mat_entry(a.m, i, k), q); });
  load(depth, cols, rhs, rhs_row, rhs_col,
       [&](slong k, slong j, const Rational& q) { set_fmpq(fmpq_mat_entry(b.m, k, j), q); });
  fmpq_mat_mul(c.m, a.m, b.m);
  const bool unit = alpha == 1;
  const fmpq* scale = alpha.backend().data();
  for (slong i = 0; i < rows; ++i)
    for (slong j = 0; j < cols; ++j) {
      fmpq* cij = fmpq_mat_entry(c.m, i, j);
      if (fmpq_is_zero(cij)) continue;
      if (!unit) fmpq_mul(cij, cij, scale);
      Rational& r = res[i * res_row + j * res_col];
      fmpq_add(r.backend().data(), r.backend().data(), cij);  // Eigen zeroes the destination of a = b * c
    }
}

void interval_product(Eigen::Index rows, Eigen::Index cols, Eigen::Index depth, const Interval* lhs,
                      Eigen::Index lhs_row, Eigen::Index lhs_col, const Interval* rhs, Eigen::Index rhs_row,
                      Eigen::Index rhs_col, Interval* res, Eigen::Index res_row, Eigen::Index res_col,
                      const Interval& alpha) {
  if (rows == 0 || cols == 0 || depth == 0) return;
  const slong prec = arb_interval::working_prec();
  ArbMatrix a(rows, depth), b(depth, cols), c(rows, cols);
  load(rows, depth, lhs, lhs_row, lhs_col,
       [&](slong i, slong k, const Interval& x) { arb_set(arb_mat_entry(a.m, i, k), x.backend().data()); });
  load(depth, cols, rhs, rhs_row, rhs_col,
       [&](slong k, slong j, const Interval& x) { arb_set(arb_mat_entry(b.m, k, j), x.backend().data()); });
  arb_mat_mul(c.m, a.m, b.m, prec);
  arb_srcptr scale = alpha.backend().data();
  const bool unit = arb_is_one(scale);
  for (slong i = 0; i < rows; ++i)
    for (slong j = 0; j < cols; ++j) {
      arb_ptr cij = arb_mat_entry(c.m, i, j);
      if (!unit) arb_mul(cij, cij, scale, prec);
      Interval& r = res[i * res_row + j * res_col];
      if (arb_is_zero(r.backend().data()))  // exactly 0: Eigen zeroes the destination of a = b * c
        arb_swap(r.backend().data(), cij);
      else
        arb_add(r.backend().data(), r.backend().data(), cij, prec);
    }
}

}  // namespace kernels

Mat<Rational> exact_solve(const Mat<Rational>& A, const Mat<Rational>& B) {
  check_solve_shapes("exact solve", A.rows(), A.cols(), B.rows());
  const FmpqMat a(A), b(B);
  FmpqMat x(A.cols(), B.cols());
  if (!fmpq_mat_solve(x.m, a.m, b.m)) throw std::domain_error("exact solve: A is singular");
  return take_fmpq(x.m);
}

Mat<Rational> exact_inverse(const Mat<Rational>& A) {
  check_solve_shapes("exact inverse", A.rows(), A.cols(), A.rows());
  const FmpqMat a(A);
  FmpqMat x(A.rows(), A.cols());
  if (!fmpq_mat_inv(x.m, a.m)) throw std::domain_error("exact inverse: A is singular");
  return take_fmpq(x.m);
}

Mat<Interval> certified_solve(const Mat<Interval>& A, const Mat<Interval>& B) {
  check_solve_shapes("certified solve", A.rows(), A.cols(), B.rows());
  const slong prec = arb_interval::working_prec();
  const ArbMatrix a(A), b(B);
  ArbMatrix x(A.cols(), B.cols());
  if (!arb_mat_solve(x.m, a.m, b.m, prec))
    throw interval_error("certified solve: A could not be proved invertible at " + std::to_string(prec) + " bits");
  return x.to_intervals();
}

Mat<Interval> certified_inverse(const Mat<Interval>& A) {
  check_solve_shapes("certified inverse", A.rows(), A.cols(), A.rows());
  const slong prec = arb_interval::working_prec();
  const ArbMatrix a(A);
  ArbMatrix x(A.rows(), A.cols());
  if (!arb_mat_inv(x.m, a.m, prec))
    throw interval_error("certified inverse: A could not be proved invertible at " + std::to_string(prec) + " bits");
  return x.to_intervals();
}

}  // namespace entropic
