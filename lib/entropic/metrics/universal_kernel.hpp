// The universal kernel Q* of the Platonic representation (catalog T11; Ziyin & Chuang 2025):
//
//     Q* = Sigma_x^{-1} # B,   B = V*^T Sigma_eps V*,
//
// the unique SPD solution of Q Sigma_x Q = B for B SPD, the unique PSD one for B singular (the matrix
// geometric mean; Bhatia 2007, ch. 4).
//
//   geometric_mean_2x2     A # B for 2 x 2 SPD A, B by the closed form
//                              A # B = (ab)^{1/4} (sqrt(b) A + sqrt(a) B) / sqrt(det(sqrt(b) A + sqrt(a) B)),
//                          a = det A, b = det B; over Interval it is a certified enclosure
//   universal_kernel_2x2   Q* for a 2 x 2 Sigma_x through it
//   universal_kernel_rank_one
//                          Q* = B / sqrt(tr(Sigma_x B)) when V* has rank one (B = beta v v^T), in any
//                          dimension: the unique PSD solution, where the closed form above degenerates
//                          (det B = 0 makes it 0 / 0)
//   universal_kernel       Q* = Sigma_x^{-1} (Sigma_x B)^{1/2} in any dimension, the principal root
//                          by the Denman-Beavers iteration (Higham 2008, eq. 6.15), in Real at the
//                          working precision; kernel_residual reports ||Q Sigma_x Q - B||_F / ||B||_F
//   normalized             K / tr K: kernels are compared up to their scale c_i
#pragma once

#include <Eigen/LU>
#include <stdexcept>
#include <string>

#include "entropic/numeric/linear_solve.hpp"
#include "entropic/numeric/eigen_traits.hpp"
#include "entropic/numeric/elementary.hpp"

namespace entropic {

template <class T>
T det_2x2(const Mat<T>& M) {
  return M(0, 0) * M(1, 1) - M(0, 1) * M(1, 0);
}

template <class T>
Mat<T> inverse_2x2(const Mat<T>& M) {
  Mat<T> inv(2, 2);
  const T d = det_2x2(M);
  inv << M(1, 1) / d, -M(0, 1) / d, -M(1, 0) / d, M(0, 0) / d;
  return inv;
}

template <class T>
Mat<T> geometric_mean_2x2(const Mat<T>& A, const Mat<T>& B) {
  if (A.rows() != 2 || A.cols() != 2 || B.rows() != 2 || B.cols() != 2)
    throw std::invalid_argument("geometric_mean_2x2: A and B must be 2 x 2, got " +
                                std::to_string(A.rows()) + " x " + std::to_string(A.cols()) + " and " +
                                std::to_string(B.rows()) + " x " + std::to_string(B.cols()));
  const T a = det_2x2(A), b = det_2x2(B);
  const Mat<T> M = elem::sqrt(b) * A + elem::sqrt(a) * B;
  return Mat<T>(elem::sqrt(elem::sqrt(a * b)) / elem::sqrt(det_2x2(M)) * M);
}

template <class T>
Mat<T> universal_kernel_2x2(const Mat<T>& sigma_x, const Mat<T>& B) {
  return geometric_mean_2x2<T>(inverse_2x2(sigma_x), B);
}

// V* of rank one, V* = u v^T: B = V*^T Sigma_eps V* = beta v v^T with beta = u^T Sigma_eps u > 0,
// so M = Sigma_x^{1/2} B Sigma_x^{1/2} = beta w w^T (w = Sigma_x^{1/2} v) is PSD of rank one and
// M^{1/2} = M / sqrt(tr M). Then (catalog T11, the PSD case of its formula)
//     Q* = Sigma_x^{-1/2} M^{1/2} Sigma_x^{-1/2} = B / sqrt(tr(Sigma_x B)),   tr(Sigma_x B) = tr M.
// Q* Sigma_x Q* = B Sigma_x B / tr(Sigma_x B) = B because B Sigma_x B = beta^2 (v^T Sigma_x v) v v^T =
// tr(Sigma_x B) B. Q* is PSD of rank one with the kernel of B, i.e. of V* (not SPD). It is the unique
// PSD solution: for PSD Q, R = Sigma_x^{1/2} Q Sigma_x^{1/2} is PSD with R^2 = M, and a PSD matrix has
// one PSD square root (Horn & Johnson 2013, Thm. 7.2.6). B must have rank one; the result is not
// a solution otherwise (Q Sigma_x Q = B Sigma_x B / tr(Sigma_x B) then differs from B).
template <class T>
Mat<T> universal_kernel_rank_one(const Mat<T>& sigma_x, const Mat<T>& B) {
  if (sigma_x.rows() != sigma_x.cols() || B.rows() != B.cols() || B.rows() != sigma_x.rows())
    throw std::invalid_argument("universal_kernel_rank_one: Sigma_x and B must be square of one size, got " +
                                std::to_string(sigma_x.rows()) + " x " + std::to_string(sigma_x.cols()) +
                                " and " + std::to_string(B.rows()) + " x " + std::to_string(B.cols()));
  return Mat<T>(B / elem::sqrt(T((sigma_x * B).trace())));
}

// B = V*^T Sigma_eps V*.
template <class T>
Mat<T> target_kernel(const Mat<T>& V, const Mat<T>& sigma_eps) {
  if (sigma_eps.rows() != V.rows() || sigma_eps.cols() != V.rows())
    throw std::invalid_argument("target_kernel: Sigma_eps must be " + std::to_string(V.rows()) + " x " +
                                std::to_string(V.rows()));
  return V.transpose() * sigma_eps * V;
}

// Principal square root of M (no eigenvalue on the closed negative axis) by Denman-Beavers:
// Y_0 = M, Z_0 = I, Y_{k+1} = (Y_k + Z_k^{-1})/2, Z_{k+1} = (Z_k + Y_k^{-1})/2; Y_k -> M^{1/2}.
// Stops when an iteration changes Y by less than `tolerance` relative to ||Y||, or throws.
template <class T>
Mat<T> principal_sqrt(const Mat<T>& M, const T& tolerance, int max_iterations = 200) {
  Mat<T> Y = M, Z = Mat<T>::Identity(M.rows(), M.cols());
  for (int k = 0; k < max_iterations; ++k) {
    const Mat<T> Yi = matrix_inverse(Y), Zi = matrix_inverse(Z);
    const Mat<T> Y_next = (Y + Zi) / T(2);
    Z = (Z + Yi) / T(2);
    const T change = (Y_next - Y).norm();
    Y = Y_next;
    if (change <= tolerance * Y.norm()) return Y;
  }
  throw std::runtime_error("principal_sqrt: Denman-Beavers did not converge in " +
                           std::to_string(max_iterations) + " iterations");
}

template <class T>
Mat<T> universal_kernel(const Mat<T>& sigma_x, const Mat<T>& B, const T& tolerance) {
  const Mat<T> root = principal_sqrt<T>(Mat<T>(sigma_x * B), tolerance);
  const Mat<T> Q = linear_solve(sigma_x, root);
  return (Q + Q.transpose()) / T(2);
}

template <class T>
T kernel_residual(const Mat<T>& Q, const Mat<T>& sigma_x, const Mat<T>& B) {
  return (Q * sigma_x * Q - B).norm() / B.norm();
}

template <class T>
Mat<T> normalized(const Mat<T>& K) {
  return K / K.trace();
}

}  // namespace entropic
