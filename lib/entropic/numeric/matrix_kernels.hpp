// Exact and certified matrix kernels on FLINT and Arb, under Eigen's own product.
//
// Eigen multiplies large dense matrices through internal::general_matrix_matrix_product (the entry
// point its BLAS back end replaces, Eigen/src/Core/products/GeneralMatrixMatrix_BLAS.h). The
// specialisations below hand that product to the libraries built for these scalars:
//
//   Rational   fmpq_mat_mul (FLINT): common denominators, then one multi-modular integer product;
//              the result is the same exact matrix as the scalar loop's.
//   Interval   arb_mat_mul (Arb) at the working precision: the entries are Arb balls already
//              (numeric/arb_ball.hpp) and are copied in and out; the ball product encloses every
//              product of points of the operands. Certified, as the scalar loop is; the enclosure
//              can be wider or narrower than the loop's by a few ulps.
//
// Eigen keeps products of small matrices (rows + cols + depth < 20) on its coefficient loop, and so
// do the matrix-vector specialisations below (rows + cols < 20): these calls are for the sizes where
// they pay.
//
// The solves are functions, not Eigen decompositions (an LU on intervals compares overlapping pivots):
//   exact_solve / exact_inverse          fmpq_mat_solve / fmpq_mat_inv; throw std::domain_error for a
//                                        singular matrix
//   certified_solve / certified_inverse  arb_mat_solve / arb_mat_inv: an enclosure of the solution
//                                        for every point matrix in A's enclosure; throw
//                                        interval_error when Arb cannot prove A invertible at the
//                                        working precision
#pragma once

#include <Eigen/Core>

#include "entropic/numeric/scalar.hpp"

namespace entropic {
namespace kernels {

// res(i, j) += alpha sum_k lhs(i, k) rhs(k, j), entry (i, k) of lhs at lhs[i * lhs_row + k * lhs_col],
// and so on: the strides of any storage order.
void rational_product(Eigen::Index rows, Eigen::Index cols, Eigen::Index depth, const Rational* lhs,
                      Eigen::Index lhs_row, Eigen::Index lhs_col, const Rational* rhs, Eigen::Index rhs_row,
                      Eigen::Index rhs_col, Rational* res, Eigen::Index res_row, Eigen::Index res_col,
                      const Rational& alpha);
void interval_product(Eigen::Index rows, Eigen::Index cols, Eigen::Index depth, const Interval* lhs,
                      Eigen::Index lhs_row, Eigen::Index lhs_col, const Interval* rhs, Eigen::Index rhs_row,
                      Eigen::Index rhs_col, Interval* res, Eigen::Index res_row, Eigen::Index res_col,
                      const Interval& alpha);

}  // namespace kernels
}  // namespace entropic

namespace Eigen {
namespace internal {

#define ENTROPIC_LIBRARY_PRODUCT(Scalar, kernel)                                                            \
  template <typename Index, int LhsStorageOrder, bool ConjugateLhs, int RhsStorageOrder, bool ConjugateRhs> \
  struct general_matrix_matrix_product<Index, Scalar, LhsStorageOrder, ConjugateLhs, Scalar, RhsStorageOrder, \
                                       ConjugateRhs, ColMajor, 1> {                                         \
    typedef gebp_traits<Scalar, Scalar> Traits;                                                             \
    static void run(Index rows, Index cols, Index depth, const Scalar* lhs, Index lhsStride,               \
                    const Scalar* rhs, Index rhsStride, Scalar* res, Index resIncr, Index resStride,       \
                    Scalar alpha, level3_blocking<Scalar, Scalar>&, GemmParallelInfo<Index>* = 0) {        \
      const bool lhs_col_major = LhsStorageOrder == ColMajor, rhs_col_major = RhsStorageOrder == ColMajor;  \
      ::entropic::kernels::kernel(rows, cols, depth, lhs, lhs_col_major ? 1 : lhsStride,                   \
                                  lhs_col_major ? lhsStride : 1, rhs, rhs_col_major ? 1 : rhsStride,       \
                                  rhs_col_major ? rhsStride : 1, res, resIncr, resStride, alpha);          \
    }                                                                                                       \
  };

ENTROPIC_LIBRARY_PRODUCT(::entropic::Rational, rational_product)
ENTROPIC_LIBRARY_PRODUCT(::entropic::Interval, interval_product)
#undef ENTROPIC_LIBRARY_PRODUCT

// Matrix-vector products (GeneralProduct.h's gemv_dense_selector): res[i resIncr] += alpha (A x)_i,
// with A's storage order and the vector's mapper Eigen passes for it. Below Eigen's own threshold
// for small products (rows + cols < 20) the coefficient loop is cheaper than the copy.
#define ENTROPIC_LIBRARY_GEMV(Scalar, kernel, LhsOrder, RhsOrder)                                            \
  template <typename Index, bool ConjugateLhs, bool ConjugateRhs, int Version>                               \
  struct general_matrix_vector_product<Index, Scalar, const_blas_data_mapper<Scalar, Index, LhsOrder>,       \
                                       LhsOrder, ConjugateLhs, Scalar,                                       \
                                       const_blas_data_mapper<Scalar, Index, RhsOrder>, ConjugateRhs, Version> { \
    typedef const_blas_data_mapper<Scalar, Index, LhsOrder> LhsMapper;                                       \
    typedef const_blas_data_mapper<Scalar, Index, RhsOrder> RhsMapper;                                       \
    static void run(Index rows, Index cols, const LhsMapper& lhs, const RhsMapper& rhs, Scalar* res,        \
                    Index resIncr, Scalar alpha) {                                                           \
      if (rows + cols < 20) {                                                                                \
        for (Index i = 0; i < rows; ++i) {                                                                   \
          Scalar s(0);                                                                                       \
          for (Index j = 0; j < cols; ++j) s += lhs(i, j) * rhs(j, 0);                                       \
          res[i * resIncr] += alpha * s;                                                                     \
        }                                                                                                    \
        return;                                                                                              \
      }                                                                                                      \
      const bool lhs_col_major = LhsOrder == ColMajor;                                                       \
      const Index rhs_step = RhsOrder == RowMajor ? rhs.stride() : 1; /* entry (k, 0) at data()[k rhs_step] */ \
      ::entropic::kernels::kernel(rows, 1, cols, lhs.data(), lhs_col_major ? 1 : lhs.stride(),              \
                                  lhs_col_major ? lhs.stride() : 1, rhs.data(), rhs_step, 0, res, resIncr, 0, \
                                  alpha);                                                                    \
    }                                                                                                        \
  };

ENTROPIC_LIBRARY_GEMV(::entropic::Rational, rational_product, ColMajor, RowMajor)
ENTROPIC_LIBRARY_GEMV(::entropic::Rational, rational_product, RowMajor, ColMajor)
ENTROPIC_LIBRARY_GEMV(::entropic::Interval, interval_product, ColMajor, RowMajor)
ENTROPIC_LIBRARY_GEMV(::entropic::Interval, interval_product, RowMajor, ColMajor)
#undef ENTROPIC_LIBRARY_GEMV

}  // namespace internal
}  // namespace Eigen
