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
#pragma once

#include <Eigen/LU>
#include <algorithm>
#include <vector>

#include "entropic/numeric/eigen_traits.hpp"

namespace entropic {

template <class T>
struct LinearChain {
  Mat<T> Z, MI, MO;       // the view and the fixed embeddings
  std::vector<Mat<T>> W;  // W_1 .. W_D

  int depth() const { return static_cast<int>(W.size()); }
  // N_i = W_i ... W_1 M^I Z, i = 0..D.
  Mat<T> N(int i) const {
    Mat<T> n = MI * Z;
    for (int j = 0; j < i; ++j) n = W[j] * n;
    return n;
  }
  // A_i = M^O W_D ... W_{i+1}, i = 0..D.
  Mat<T> A(int i) const {
    Mat<T> a = MO;
    for (int j = depth() - 1; j >= i; --j) a = a * W[j];
    return a;
  }
  Mat<T> product() const { return A(0) * N(0); }
  // Kernel of hidden layer i (1 <= i < D) in the coordinates of x: K_i = N_i^T N_i.
  Mat<T> kernel(int i) const {
    const Mat<T> n = N(i);
    return n.transpose() * n;
  }
};

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

struct DescentReport {
  int iterations = 0;
  bool converged = false;
};

// Gradient descent on every orbit: W_i <- G W_i, W_{i+1} <- W_{i+1} G^{-1}, G = I - tau_i R_i. The
// safe step is tau_i = 1 / (2 s_i), s_i = tr(A_{i+1} A_{i+1}^T Sigma_eps) ||N_i Sigma_x N_i^T|| +
// tr(N_{i-1} Sigma_x N_{i-1}^T) ||A_i^T Sigma_eps A_i||, the inverse of a bound on the curvature along
// the orbit; the Barzilai-Borwein step <s, s> / <s, y> of the orbit (s the last move, y the change of
// R_i; Barzilai & Borwein 1988) replaces it when it is larger, up to 64 times the safe step and with
// ||tau_i R_i|| <= 1/2 so that G stays invertible, and only while phi_1 falls. Stops when every ||R_i|| is at most `tolerance`
// times s_i. The product of the chain is kept (up to rounding) whatever the steps.
template <class T>
DescentReport descend_entropic_term(LinearChain<T>& c, const Mat<T>& sigma_x, const Mat<T>& sigma_eps,
                                    const T& tolerance, int max_iterations) {
  DescentReport report;
  const int orbits = c.depth() - 1;
  std::vector<Mat<T>> last_R(orbits), last_move(orbits);
  for (; report.iterations < max_iterations; ++report.iterations) {
    bool small = true;
    for (int i = 1; i <= orbits; ++i) {
      const Mat<T> a_next = c.A(i + 1), n = c.N(i), n_prev = c.N(i - 1), a = c.A(i);
      const T scale = (a_next * a_next.transpose() * sigma_eps).trace() * (n * sigma_x * n.transpose()).norm() +
                      (n_prev * sigma_x * n_prev.transpose()).trace() * (a.transpose() * sigma_eps * a).norm();
      const Mat<T> R = orbit_gradient(c, sigma_x, sigma_eps, i);
      const T size = R.norm();
      if (size > tolerance * scale) small = false;
      const T safe = T(1) / (T(2) * scale);
      T tau = safe;
      Mat<T>& s = last_move[i - 1];
      if (s.size()) {
        const T sy = (s.cwiseProduct(Mat<T>(R - last_R[i - 1]))).sum();
        if (sy > T(0)) tau = std::min<T>(std::max<T>(safe, s.squaredNorm() / sy), T(64) * safe);
      }
      if (size > T(0)) tau = std::min<T>(tau, T(1) / (T(2) * size));
      // A longer step is kept only if phi_1 falls; otherwise the safe step is taken.
      const Mat<T> W_in = c.W[i - 1], W_out = c.W[i];
      const T before = tau > safe ? phi1_on_manifold(c, sigma_x, sigma_eps) : T(0);
      auto move = [&](const T& step) {
        const Mat<T> G = Mat<T>::Identity(R.rows(), R.cols()) - step * R;
        c.W[i - 1] = G * W_in;
        c.W[i] = W_out * G.partialPivLu().inverse();
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
