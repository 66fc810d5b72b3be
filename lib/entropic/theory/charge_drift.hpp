// The expected one-step drift of a quadratic Noether charge under minibatch SGD (catalog T2(b)).
//
// A quadratic charge is Q_A(theta) = theta^T A theta with A symmetric; a matrix-valued charge
// (GL: U^T U - W W^T) is one such form per entry. A is read off the charge by polarization,
//     A_jk = (Q(e_j + e_k) - Q(e_j) - Q(e_k)) / 2,
// so any Symmetry's charge gives its forms without knowing how the builder wrote it.
//
// If theta^T A grad l_i = 0 for every sample, the step theta' = (1 - eta lambda) theta - eta g_B has
// no cross term, and with E_B g_B = grad L, Cov(g_B) = kappa_S C, exactly
//
//   E[Q_A(theta') | theta] = (1 - eta lambda)^2 Q_A(theta) + eta^2 (grad L^T A grad L + kappa_S Tr(A C)).
//
// The first eta^2 term is the discretization part (present for GD), the second the noise part.
#pragma once

#include <string>
#include <vector>

#include "entropic/symmetry/symmetry.hpp"

namespace entropic {

// One quadratic form of a charge: entry (row, col) of the charge matrix is theta^T A theta.
template <class S>
struct ChargeForm {
  std::string name;
  int row = 0, col = 0;
  Mat<S> A;

  S operator()(const Vec<S>& theta) const { return S(theta.dot(A * theta)); }
  // The same form over another scalar (Dual<S> for forward mode, Series<S> for series).
  template <class T>
  Mat<T> matrix_as() const {
    return A.unaryExpr([](const S& a) { return T(a); });
  }
};

// The forms of every entry (row <= col) of a quadratic charge, by polarization.
template <class S>
std::vector<ChargeForm<S>> charge_forms(const Symmetry<S>& sym, int parameter_count) {
  if (sym.charge_degree != 2) throw std::invalid_argument(sym.name + " has no quadratic charge");
  const int P = parameter_count;
  auto unit = [P](int j) {
    Vec<S> e = Vec<S>::Zero(P);
    e[j] = S(1);
    return e;
  };
  std::vector<Mat<S>> diagonal(P);
  for (int j = 0; j < P; ++j) diagonal[j] = sym.charge(unit(j));
  const Eigen::Index rows = diagonal.empty() ? 0 : diagonal[0].rows();
  const Eigen::Index cols = diagonal.empty() ? 0 : diagonal[0].cols();
  std::vector<ChargeForm<S>> forms;
  for (Eigen::Index r = 0; r < rows; ++r)
    for (Eigen::Index c = r; c < cols; ++c) {
      ChargeForm<S> f;
      f.row = static_cast<int>(r);
      f.col = static_cast<int>(c);
      f.name = sym.name + (rows * cols > 1 ? " (" + std::to_string(r) + "," + std::to_string(c) + ")" : "");
      f.A = Mat<S>::Zero(P, P);
      for (int j = 0; j < P; ++j) {
        f.A(j, j) = diagonal[j](r, c);
        for (int k = j + 1; k < P; ++k) {
          const S q = sym.charge(Vec<S>(unit(j) + unit(k)))(r, c);
          f.A(j, k) = f.A(k, j) = (q - diagonal[j](r, c) - diagonal[k](r, c)) / S(2);
        }
      }
      forms.push_back(std::move(f));
    }
  return forms;
}

// (1 - eta lambda)^2 Q_A + eta^2 (grad L^T A grad L + kappa_S Tr(A C)).
template <class S>
S expected_charge_after_step(const ChargeForm<S>& Q, const Vec<S>& theta, const Vec<S>& full_gradient,
                             const Mat<S>& covariance, const S& kappa, const S& eta, const S& lambda) {
  const S decay = S(1) - eta * lambda;
  return decay * decay * Q(theta) +
         eta * eta * (Q(full_gradient) + kappa * S((Q.A * covariance).trace()));
}

}  // namespace entropic
