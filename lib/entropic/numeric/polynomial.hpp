// Exact polynomials of matrices: the characteristic polynomial by Faddeev-LeVerrier and the monic
// polynomial with given roots, as coefficient vectors c_0 .. c_n (c_n = 1). Over Rational they
// certify a spectrum without an eigenvalue solver: det(x I - H) = prod_i (x - lambda_i) coefficient
// by coefficient (catalog T12).
#pragma once

#include <vector>

#include "entropic/numeric/kind.hpp"

namespace entropic {

// det(x I - M) = sum_k c_k x^k for square M (Faddeev-LeVerrier; exact in a field of characteristic 0):
//     M_0 = 0, c_n = 1;   M_k = M M_{k-1} + c_{n-k+1} I,   c_{n-k} = -tr(M M_k) / k,   k = 1 .. n.
template <class S>
Vec<S> characteristic_polynomial(const Mat<S>& M) {
  const Eigen::Index n = M.rows();
  Vec<S> c = Vec<S>::Zero(n + 1);
  c[n] = S(1);
  Mat<S> Mk = Mat<S>::Zero(n, n);
  const Mat<S> I = Mat<S>::Identity(n, n);
  for (Eigen::Index k = 1; k <= n; ++k) {
    Mk = M * Mk + c[n - k + 1] * I;
    c[n - k] = -S((M * Mk).trace()) / S(static_cast<int>(k));
  }
  return c;
}

// prod_i (x - roots_i) = sum_k c_k x^k.
template <class S>
Vec<S> polynomial_from_roots(const std::vector<S>& roots) {
  Vec<S> c = Vec<S>::Zero(roots.size() + 1);
  c[0] = S(1);
  for (std::size_t m = 0; m < roots.size(); ++m) {  // c holds the product of the first m factors
    for (Eigen::Index i = static_cast<Eigen::Index>(m) + 1; i >= 1; --i) c[i] = c[i - 1] - roots[m] * c[i];
    c[0] = -roots[m] * c[0];
  }
  return c;
}

}  // namespace entropic
