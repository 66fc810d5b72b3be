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

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "entropic/symmetry/symmetry.hpp"

namespace entropic {

// One quadratic form of a charge: entry (row, col) of the charge matrix is theta^T A theta. A is kept
// as its nonzero entries on and above the diagonal: the charges of a layer or a unit touch O(P) of the
// P^2 entries, so Q(theta), x^T A y and Tr(A C) cost O(nnz) instead of O(P^2) or O(P^3).
template <class S>
struct ChargeForm {
  struct Entry {
    int j = 0, k = 0;  // j <= k; A(j, k) = A(k, j) = a
    S a;
  };
  std::string name;
  int row = 0, col = 0, parameters = 0;
  std::vector<Entry> entries;

  // x^T A y, over any scalar the entries convert to (Dual<S> for forward mode, Series<S> for series).
  template <class T>
  T bilinear(const Vec<T>& x, const Vec<T>& y) const {
    T sum(0);
    for (const Entry& e : entries) {
      const T a(e.a);
      sum += e.j == e.k ? T(a * x[e.j] * y[e.j]) : T(a * (x[e.j] * y[e.k] + x[e.k] * y[e.j]));
    }
    return sum;
  }
  template <class T>
  T operator()(const Vec<T>& theta) const { return bilinear(theta, theta); }
  // Tr(A C) = sum_jk A_jk C_kj.
  S trace_product(const Mat<S>& C) const {
    S sum(0);
    for (const Entry& e : entries) sum += e.j == e.k ? S(e.a * C(e.j, e.j)) : S(e.a * (C(e.j, e.k) + C(e.k, e.j)));
    return sum;
  }
  // A as a dense matrix (for display and tests).
  Mat<S> matrix() const {
    Mat<S> A = Mat<S>::Zero(parameters, parameters);
    for (const Entry& e : entries) A(e.j, e.k) = A(e.k, e.j) = e.a;
    return A;
  }
};

// The forms of every entry (row <= col) of a quadratic charge, by polarization on the coordinates
// the charge reads (Symmetry::charge_support; all of them when it is empty): one charge evaluation
// at e_j and at e_j + e_k for each pair j <= k of them gives entry (j, k) of every form.
template <class S>
std::vector<ChargeForm<S>> charge_forms(const Symmetry<S>& sym, int parameter_count) {
  if (sym.charge_degree != 2) throw std::invalid_argument(sym.name + " has no quadratic charge");
  const int P = parameter_count;
  std::vector<int> coords = sym.charge_support;
  if (coords.empty())
    for (int j = 0; j < P; ++j) coords.push_back(j);
  for (size_t a = 0; a < coords.size(); ++a) {
    if (coords[a] < 0 || coords[a] >= P)
      throw std::invalid_argument(sym.name + ": charge coordinate " + std::to_string(coords[a]) + " outside the " +
                                  std::to_string(P) + " parameters");
    if (a > 0 && coords[a] <= coords[a - 1])
      throw std::invalid_argument(sym.name + ": the charge support is not strictly ascending");
  }
  const int n = static_cast<int>(coords.size());
  Vec<S> x = Vec<S>::Zero(P);  // e_j, then e_j + e_k: set and reset in place
  std::vector<Mat<S>> diagonal(n);
  for (int a = 0; a < n; ++a) {
    x[coords[a]] = S(1);
    diagonal[a] = sym.charge(x);
    x[coords[a]] = S(0);
  }
  const Mat<S> at_zero = sym.charge(x);  // only its shape: the charge's rows and columns
  const Eigen::Index rows = at_zero.rows(), cols = at_zero.cols();
  std::vector<ChargeForm<S>> forms;
  std::vector<int> index(static_cast<size_t>(rows * cols), -1);  // of the form of entry (r, c), r <= c
  for (Eigen::Index r = 0; r < rows; ++r)
    for (Eigen::Index c = r; c < cols; ++c) {
      index[static_cast<size_t>(r * cols + c)] = static_cast<int>(forms.size());
      ChargeForm<S> f;
      f.row = static_cast<int>(r);
      f.col = static_cast<int>(c);
      f.parameters = P;
      f.name = sym.name + (rows * cols > 1 ? " (" + std::to_string(r) + "," + std::to_string(c) + ")" : "");
      forms.push_back(std::move(f));
    }
  auto add = [&](Eigen::Index r, Eigen::Index c, int j, int k, const S& value) {
    if (value != 0) forms[static_cast<size_t>(index[static_cast<size_t>(r * cols + c)])].entries.push_back({j, k, value});
  };
  for (int a = 0; a < n; ++a) {
    const int j = coords[a];
    for (Eigen::Index r = 0; r < rows; ++r)
      for (Eigen::Index c = r; c < cols; ++c) add(r, c, j, j, diagonal[a](r, c));
    x[j] = S(1);
    for (int b = a + 1; b < n; ++b) {
      const int k = coords[b];
      x[k] = S(1);
      const Mat<S> q = sym.charge(x);
      x[k] = S(0);
      for (Eigen::Index r = 0; r < rows; ++r)
        for (Eigen::Index c = r; c < cols; ++c)
          add(r, c, std::min(j, k), std::max(j, k), S((q(r, c) - diagonal[a](r, c) - diagonal[b](r, c)) / S(2)));
    }
    x[j] = S(0);
  }
  return forms;
}

// (1 - eta lambda)^2 Q_A + eta^2 (grad L^T A grad L + kappa_S Tr(A C)).
template <class S>
S expected_charge_after_step(const ChargeForm<S>& Q, const Vec<S>& theta, const Vec<S>& full_gradient,
                             const Mat<S>& covariance, const S& kappa, const S& eta, const S& lambda) {
  const S decay = S(1) - eta * lambda;
  return decay * decay * Q(theta) +
         eta * eta * (Q(full_gradient) + kappa * Q.trace_product(covariance));
}

}  // namespace entropic
