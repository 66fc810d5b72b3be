// The Platonic representation of deep linear nets (catalog T11; Ziyin & Chuang 2025).
//
// A net sees the view Z x and computes f = M^O W_D ... W_1 M^I Z x (Z, M^I, M^O fixed, invertible).
// With N_i = W_i ... W_1 M^I Z (N_0 = M^I Z) and A_i = M^O W_D ... W_{i+1} (A_D = M^O), on the manifold
// of global minima A_i N_i = V* the entropic term of label-noise SGD is
//     phi_1 = 1/4 sum_{i=1..D} tr(A_i A_i^T Sigma_eps) tr(N_{i-1} Sigma_x N_{i-1}^T),
// and along the GL orbit (W_i, W_{i+1}) -> (e^{sX} W_i, W_{i+1} e^{-sX}), which keeps the product,
//     d phi_1 / ds = 1/2 tr(R_i X),
//     R_i = tr(A_{i+1} A_{i+1}^T Sigma_eps) N_i Sigma_x N_i^T - tr(N_{i-1} Sigma_x N_{i-1}^T) A_i^T Sigma_eps A_i.
// descend_entropic_term moves every orbit against R_i until all R_i vanish to the working precision;
// there every hidden kernel K_i = N_i^T N_i is c_i Q* (metrics/universal_kernel.hpp).
// LinearChain is the library's deep_linear model seen as this chain: its W_i are blocks of the
// model's parameter vector.
#pragma once

#include <Eigen/LU>
#include <algorithm>
#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "entropic/numeric/linear_solve.hpp"
#include "entropic/model/deep_linear.hpp"
#include "entropic/numeric/eigen_traits.hpp"
#include "entropic/metrics/universal_kernel.hpp"

namespace entropic {

// The chain as a view of the library's deep linear model (model/deep_linear.hpp): the weights
// W_1 .. W_D are the blocks "W1" .. "WD" of the model's Layout in the flat parameter vector theta
// (column-major, as the model stores them), and the fixed maps are the model's embeddings,
// M_in = M^I Z and M_out = M^O. The model's gradients and the library's SGD act on `theta` directly.
template <class T>
struct LinearChain {
  Mat<T> Z, MI, MO;  // the view and the fixed embeddings
  Layout layout;     // the deep_linear model's blocks W1 .. WD
  Vec<T> theta;      // its parameters

  LinearChain() = default;
  // The chain of the weights ws = {W_1, .., W_D}; std::invalid_argument if they do not compose
  // (W_{j+1} has as many columns as W_j has rows).
  LinearChain(Mat<T> z, Mat<T> mi, Mat<T> mo, const std::vector<Mat<T>>& ws)
      : Z(std::move(z)), MI(std::move(mi)), MO(std::move(mo)) {
    if (ws.empty()) throw std::invalid_argument("LinearChain: no layers");
    ModelSpec shape;
    shape.kind = ModelKind::deep_linear;
    shape.widths = {static_cast<int>(ws.front().cols())};
    for (std::size_t j = 0; j < ws.size(); ++j) {
      if (ws[j].cols() != shape.widths.back())
        throw std::invalid_argument("LinearChain: W_" + std::to_string(j + 1) + " is " + std::to_string(ws[j].rows()) +
                                    " x " + std::to_string(ws[j].cols()) + " but its input has " +
                                    std::to_string(shape.widths.back()) + " rows");
      shape.widths.push_back(static_cast<int>(ws[j].rows()));
    }
    layout = DeepLinear<T>(shape).layout();
    theta = Vec<T>::Zero(layout.size());
    for (std::size_t j = 0; j < ws.size(); ++j) W(static_cast<int>(j)) = ws[j];
  }

  int depth() const { return layout.count(); }
  // W_{j+1}, j = 0..D-1, read from and written to theta.
  Eigen::Map<Mat<T>> W(int j) { return layout.view(theta, j); }
  Eigen::Map<const Mat<T>> W(int j) const { return layout.view(theta, j); }
  std::vector<Mat<T>> weights() const {
    std::vector<Mat<T>> out;
    for (int j = 0; j < depth(); ++j) out.push_back(W(j));
    return out;
  }
  // N_i = W_i ... W_1 M^I Z, i = 0..D.
  Mat<T> N(int i) const {
    Mat<T> n = MI * Z;
    for (int j = 0; j < i; ++j) n = W(j) * n;
    return n;
  }
  // A_i = M^O W_D ... W_{i+1}, i = 0..D.
  Mat<T> A(int i) const {
    Mat<T> a = MO;
    for (int j = depth() - 1; j >= i; --j) a = a * W(j);
    return a;
  }
  Mat<T> product() const { return A(0) * N(0); }
  // Kernel of hidden layer i (1 <= i < D) in the coordinates of x: K_i = N_i^T N_i.
  Mat<T> kernel(int i) const {
    const Mat<T> n = N(i);
    return n.transpose() * n;
  }

  // The library's model of the chain, f = M_out W_D ... W_1 M_in x with M_in = M^I Z, M_out = M^O
  // (exact rational embeddings: T = Rational or double), whose parameters are `theta`.
  ModelSpec spec() const {
    static_assert(std::is_same_v<T, Rational> || std::is_same_v<T, double>,
                  "LinearChain::spec: the embeddings are converted exactly (Rational or double)");
    auto exact = [](const Mat<T>& m) { return Mat<Rational>(m.unaryExpr([](const T& v) { return Rational(v); })); };
    ModelSpec s;
    s.kind = ModelKind::deep_linear;
    s.widths = {static_cast<int>(MI.rows())};
    for (int j = 0; j < depth(); ++j) s.widths.push_back(layout[j].rows);
    s.embed_in = exact(Mat<T>(MI * Z));
    s.embed_out = exact(MO);
    return s;
  }
  std::unique_ptr<Model<T>> model() const {
    auto m = std::make_unique<DeepLinear<T>>(spec());
    if (!(m->layout() == layout)) throw std::logic_error("LinearChain: the model's layout is not the chain's");
    return m;
  }
};

// The same chain over another scalar, every entry converted from its rational value.
template <class T>
LinearChain<T> chain_as(const LinearChain<Rational>& c) {
  LinearChain<T> out;
  out.Z = from_rational<T>(c.Z), out.MI = from_rational<T>(c.MI), out.MO = from_rational<T>(c.MO);
  out.layout = c.layout;
  out.theta = from_rational<T>(c.theta);
  return out;
}

template <class T>
T phi1_on_manifold(const LinearChain<T>& c, const Mat<T>& sigma_x, const Mat<T>& sigma_eps) {
  T sum(0);
  for (int i = 1; i <= c.depth(); ++i) {
    const Mat<T> a = c.A(i), n = c.N(i - 1);
    sum += (a * a.transpose() * sigma_eps).trace() * (n * sigma_x * n.transpose()).trace();
  }
  return sum / T(4);
}

// R_i for the orbit between W_i and W_{i+1}, 1 <= i < D.
template <class T>
Mat<T> orbit_gradient(const LinearChain<T>& c, const Mat<T>& sigma_x, const Mat<T>& sigma_eps, int i) {
  const Mat<T> a_next = c.A(i + 1), n = c.N(i), n_prev = c.N(i - 1), a = c.A(i);
  return (a_next * a_next.transpose() * sigma_eps).trace() * (n * sigma_x * n.transpose()) -
         (n_prev * sigma_x * n_prev.transpose()).trace() * (a.transpose() * sigma_eps * a);
}

// s_i = tr(A_{i+1} A_{i+1}^T Sigma_eps) ||N_i Sigma_x N_i^T|| + tr(N_{i-1} Sigma_x N_{i-1}^T) ||A_i^T Sigma_eps A_i||,
// the size of R_i's two terms: the scale its smallness is judged against.
template <class T>
T orbit_scale(const LinearChain<T>& c, const Mat<T>& sigma_x, const Mat<T>& sigma_eps, int i) {
  const Mat<T> a_next = c.A(i + 1), n = c.N(i), n_prev = c.N(i - 1), a = c.A(i);
  return (a_next * a_next.transpose() * sigma_eps).trace() * (n * sigma_x * n.transpose()).norm() +
         (n_prev * sigma_x * n_prev.transpose()).trace() * (a.transpose() * sigma_eps * a).norm();
}

struct DescentReport {
  int iterations = 0;
  bool converged = false;
};

namespace detail {

// The minimum of phi_1 along orbit i with the other layers fixed. With P = G^T G, the move
// (W_i, W_{i+1}) -> (G W_i, W_{i+1} G^{-1}) changes only the terms i and i + 1 of phi_1:
//     4 phi_1 = c tr(B P^{-1}) + d tr(C P) + const,
//     c = tr(N_{i-1} Sigma_x N_{i-1}^T), d = tr(A_{i+1} A_{i+1}^T Sigma_eps),
//     C = N_i Sigma_x N_i^T, B = A_i^T Sigma_eps A_i,
// so R_i = d C - c B, and the stationary P solves P C P = (c/d) B: P = sqrt(c/d) C^{-1} # B, the
// geometric mean (metrics/universal_kernel.hpp). Both traces are convex along the geodesics
// P^{1/2} e^{tX} P^{1/2} of the SPD cone (Bhatia 2007, ch. 6), so this stationary P is the minimum.
// C and B have rank 2 (N_i is h x 2), and when A_i annihilates the complement of U = col(N_i) (the
// chains of gen/platonic_nets.hpp: the last layer is solved on col(N_{D-1}), unused directions are
// projected out) the minimum is this mean on U, with G = P^{1/2} on U and the identity on its
// complement. Q is an orthonormal basis of U (Gram-Schmidt). Returns false, leaving G and G_inv
// untouched, when the input is not 2-dimensional, when A_i reads the complement of U (||A_i (I -
// Q Q^T)|| above 2^32 epsilons of ||A_i||: the restricted move could not shrink that block of R_i,
// and the gradient step must), or when a 2 x 2 restriction is not positive definite.
template <class T>
bool orbit_minimum(const LinearChain<T>& ch, const Mat<T>& sigma_x, const Mat<T>& sigma_eps, int i, Mat<T>& G,
                   Mat<T>& G_inv) {
  const Mat<T> n = ch.N(i), n_prev = ch.N(i - 1), a = ch.A(i), a_next = ch.A(i + 1);
  if (n.cols() != 2) return false;
  const T c = (n_prev * sigma_x * n_prev.transpose()).trace(), d = (a_next * a_next.transpose() * sigma_eps).trace();
  if (!(c > T(0)) || !(d > T(0))) return false;
  Mat<T> Q = n;
  const T n0 = Q.col(0).norm();
  if (!(n0 > T(0))) return false;
  Q.col(0) /= n0;
  Q.col(1) -= Q.col(0).dot(Q.col(1)) * Q.col(0);
  const T n1 = Q.col(1).norm();
  if (!(n1 > T(0))) return false;
  Q.col(1) /= n1;
  const T eps = Eigen::NumTraits<T>::epsilon();
  if (Mat<T>(a - a * Q * Q.transpose()).norm() > ldexp(eps, 32) * a.norm()) return false;
  const Mat<T> C = Q.transpose() * n * sigma_x * n.transpose() * Q, B = Q.transpose() * a.transpose() * sigma_eps * a * Q;
  if (!(C(0, 0) > T(0)) || !(det_2x2(C) > T(0)) || !(B(0, 0) > T(0)) || !(det_2x2(B) > T(0))) return false;
  const Mat<T> P = elem::sqrt(T(c / d)) * geometric_mean_2x2<T>(inverse_2x2(C), B);
  const Mat<T> I2 = Mat<T>::Identity(2, 2), root = geometric_mean_2x2<T>(P, I2);  // P # I = P^{1/2}
  const Mat<T> I = Mat<T>::Identity(n.rows(), n.rows());
  G = I + Q * (root - I2) * Q.transpose();
  G_inv = I + Q * (inverse_2x2(root) - I2) * Q.transpose();
  return true;
}

}  // namespace detail

// Block-coordinate descent on the orbits: W_i <- G W_i, W_{i+1} <- W_{i+1} G^{-1} for i = 1..D-1 in
// turn. Each move goes to the minimum of phi_1 along its orbit (detail::orbit_minimum), kept when
// phi_1 does not rise. Otherwise (an orbit where that minimum is not the mean on col(N_i), an input
// of another dimension) the move is a gradient step G = I - tau_i R_i: the safe step is
// tau_i = 1 / (2 s_i), s_i = tr(A_{i+1} A_{i+1}^T Sigma_eps) ||N_i Sigma_x N_i^T|| +
// tr(N_{i-1} Sigma_x N_{i-1}^T) ||A_i^T Sigma_eps A_i||, the inverse of a bound on the curvature along
// the orbit; the Barzilai-Borwein step <s, s> / <s, y> of the orbit (s the last move, y the change of
// R_i; Barzilai & Borwein 1988) replaces it when it is larger, up to 64 times the safe step and with
// ||tau_i R_i|| <= 1/2 so that G stays invertible, and only while phi_1 falls. Stops when every
// ||R_i|| is at most `tolerance` times s_i. The product of the chain is kept (up to rounding)
// whatever the steps. With one orbit (depth 2) the first exact move is the minimum.
template <class T>
DescentReport descend_entropic_term(LinearChain<T>& c, const Mat<T>& sigma_x, const Mat<T>& sigma_eps,
                                    const T& tolerance, int max_iterations) {
  DescentReport report;
  const int orbits = c.depth() - 1;
  std::vector<Mat<T>> last_R(orbits), last_move(orbits);
  for (; report.iterations < max_iterations; ++report.iterations) {
    bool small = true;
    for (int i = 1; i <= orbits; ++i) {
      const T scale = orbit_scale(c, sigma_x, sigma_eps, i);
      const Mat<T> R = orbit_gradient(c, sigma_x, sigma_eps, i);
      const T size = R.norm();
      if (size > tolerance * scale) small = false;
      const Mat<T> W_in = c.W(i - 1), W_out = c.W(i);
      const T before = phi1_on_manifold(c, sigma_x, sigma_eps);
      Mat<T> G, G_inv;
      if (detail::orbit_minimum(c, sigma_x, sigma_eps, i, G, G_inv)) {
        c.W(i - 1) = G * W_in;
        c.W(i) = W_out * G_inv;
        if (phi1_on_manifold(c, sigma_x, sigma_eps) <= before) {
          last_move[i - 1] = Mat<T>();  // no Barzilai-Borwein memory across an exact move
          continue;
        }
      }
      const T safe = T(1) / (T(2) * scale);
      T tau = safe;
      Mat<T>& s = last_move[i - 1];
      if (s.size()) {
        const T sy = (s.cwiseProduct(Mat<T>(R - last_R[i - 1]))).sum();
        if (sy > T(0)) tau = std::min<T>(std::max<T>(safe, s.squaredNorm() / sy), T(64) * safe);
      }
      if (size > T(0)) tau = std::min<T>(tau, T(1) / (T(2) * size));
      // A longer step is kept only if phi_1 falls; otherwise the safe step is taken.
      auto move = [&](const T& step) {
        const Mat<T> G = Mat<T>::Identity(R.rows(), R.cols()) - step * R;
        c.W(i - 1) = G * W_in;
        c.W(i) = W_out * matrix_inverse(G);
      };
      move(tau);
      if (tau > safe && !(phi1_on_manifold(c, sigma_x, sigma_eps) < before)) {
        tau = std::min<T>(safe, size > T(0) ? T(1) / (T(2) * size) : safe);
        move(tau);
      }
      last_R[i - 1] = R;
      s = -tau * R;
    }
    if (small) {
      report.converged = true;
      break;
    }
  }
  return report;
}

}  // namespace entropic
