// Online SGD on deep linear chains (catalog T11 (c)), in double: floating point, never exact.
//
// f = M^O W_D ... W_1 M^I Z x, per-sample loss l = 1/2 ||f - y||^2 (catalog section 0). A chain is the
// library's deep_linear model and its parameters (theory/platonic.hpp); a step is the library's SGD
// step (optim/sgd.hpp) with the model's backward pass on one sample. Full-batch GD on the population
// loss (no sampling noise) is the same step on the full batch of the two inputs x_k = sqrt(2) L_x e_k
// with clean labels V* x_k, whose second moment is Sigma_x = L_x L_x^T: the label noise only adds a
// constant to the population loss, so d L / d W_j = A_j^T (P - V*) Sigma_x N_{j-1}^T.
#pragma once

#include <Eigen/QR>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <random>
#include <vector>

#include "entropic/metrics/universal_kernel.hpp"
#include "entropic/optim/sgd.hpp"
#include "entropic/theory/limiting_drift.hpp"
#include "entropic/theory/platonic.hpp"

namespace entropic::platonic_sgd {

using MatD = Mat<double>;
using VecD = Vec<double>;

// One step of the library's SGD (optim/sgd.hpp) of the chain's model on `batch` of `data`; returns
// the batch gradient it used.
inline VecD sgd_step(const Model<double>& model, LinearChain<double>& c, const DataSet<double>& data,
                     const Batch& batch, double eta) {
  SgdConfig<double> cfg;
  cfg.lr = eta;
  SgdState<double> state{std::move(c.theta), VecD()};
  VecD g = entropic::sgd_step(model, data, batch, cfg, state);
  c.theta = std::move(state.theta);
  return g;
}

// The data: x = L_x g, eps = L_eps g' with g, g' standard normal (std::mt19937_64), y = V* x + eps;
// Sigma_x = L_x L_x^T, Sigma_eps = L_eps L_eps^T.
struct Teacher {
  MatD V, Lx, Le;
  MatD sigma_x() const { return Lx * Lx.transpose(); }
  MatD sigma_eps() const { return Le * Le.transpose(); }
};

inline MatD mat2(double a, double b, double c, double d) {
  MatD m(2, 2);
  m << a, b, c, d;
  return m;
}

inline Teacher default_teacher() {
  // V* invertible; Sigma_x = [[1, 0.3], [0.3, 0.34]]; Sigma_eps = [[0.25, 0.35], [0.35, 1.0]] is far
  // from isotropic and oriented differently from Sigma_x and V*, so that Q* differs from
  // Sigma_x^{-1} # (V*^T V*) and from the starting kernels.
  return Teacher{mat2(1.0, 0.5, -0.4, 0.8), mat2(1.0, 0.0, 0.3, 0.5), mat2(0.5, 0.0, 0.7, std::sqrt(0.51))};
}

// The population of the teacher without label noise as a data set of two inputs, x_k = sqrt(2) L_x e_k,
// y_k = V* x_k: the mean of x x^T over it is Sigma_x, so its full-batch gradient is the population
// gradient of the noise-free loss (the noise adds a constant to L).
inline DataSet<double> population_without_noise(const Teacher& t) {
  const MatD X = std::sqrt(2.0) * t.Lx.transpose();  // rows x_k^T
  return finite_data<double>(X, MatD(X * t.V.transpose()));
}

// One full-batch GD step on the population loss L = E l (no noise: catalog N7): the library's SGD
// step on the full batch of population_without_noise(t).
inline void gd_step(const Model<double>& model, LinearChain<double>& c, const DataSet<double>& population,
                    double eta) {
  sgd_step(model, c, population, Model<double>::all(population), eta);
}

// Random chain: entries N(0, scale_j^2) for W_j (seeded; drawn row by row, W_1 first).
inline LinearChain<double> random_chain(std::mt19937_64& rng, const std::vector<int>& widths,
                                        const std::vector<double>& scales, const MatD& Z) {
  std::normal_distribution<double> n01;
  std::vector<MatD> ws;
  for (std::size_t j = 0; j + 1 < widths.size(); ++j) {
    MatD w(widths[j + 1], widths[j]);
    for (int r = 0; r < w.rows(); ++r)
      for (int k = 0; k < w.cols(); ++k) w(r, k) = scales[j] * n01(rng);
    ws.push_back(w);
  }
  return LinearChain<double>(Z, MatD::Identity(widths.front(), Z.rows()), MatD::Identity(2, widths.back()), ws);
}

// Batch-means estimate of the time average of K_i / tr K_i over the late steps: the averaging window
// is split into `batches` consecutive batches; each batch mean is one observation, their standard
// deviation s over sqrt(batches) is the standard error (valid when a batch is much longer than the
// autocorrelation time; Flegal & Jones 2010).
struct KernelAverage {
  MatD mean;      // mean of the batch means
  MatD std_err;   // entrywise s / sqrt(batches)
};

struct RunConfig {
  double eta;
  long burn_in;   // steps before averaging
  long averaged;  // steps averaged (after the burn-in)
  int batches;
};

// Runs online SGD on the chains from the same sample stream (each chain sees the same (x, y) at each
// step) and returns, for every chain, the averages of its hidden layers' normalized kernels.
inline std::vector<std::vector<KernelAverage>> run_sgd(std::vector<LinearChain<double>>& chains,
                                                       const Teacher& t, const RunConfig& cfg,
                                                       std::mt19937_64& rng) {
  std::normal_distribution<double> n01;
  const long per_batch = cfg.averaged / cfg.batches;
  std::vector<std::vector<std::vector<MatD>>> batch_means(chains.size());
  std::vector<std::vector<MatD>> acc(chains.size());
  for (std::size_t c = 0; c < chains.size(); ++c) {
    batch_means[c].resize(chains[c].depth() - 1);
    acc[c].assign(chains[c].depth() - 1, MatD::Zero(2, 2));
  }
  std::vector<std::unique_ptr<Model<double>>> models;
  for (const auto& chain : chains) models.push_back(chain.model());
  VecD g(2), e(2);
  DataSet<double> sample{MatD(1, 2), MatD(1, 2)};
  const Batch first{0};
  const long total = cfg.burn_in + per_batch * cfg.batches;
  for (long s = 0; s < total; ++s) {
    g << n01(rng), n01(rng);
    e << n01(rng), n01(rng);
    const VecD x = t.Lx * g;
    const VecD y = t.V * x + t.Le * e;
    sample.X.row(0) = x.transpose();
    sample.Y.row(0) = y.transpose();
    for (std::size_t c = 0; c < chains.size(); ++c) sgd_step(*models[c], chains[c], sample, first, cfg.eta);
    if (s < cfg.burn_in) continue;
    for (std::size_t c = 0; c < chains.size(); ++c)
      for (int i = 1; i < chains[c].depth(); ++i) acc[c][i - 1] += normalized(chains[c].kernel(i));
    if ((s - cfg.burn_in + 1) % per_batch == 0)
      for (std::size_t c = 0; c < chains.size(); ++c)
        for (int i = 1; i < chains[c].depth(); ++i) {
          batch_means[c][i - 1].push_back(acc[c][i - 1] / double(per_batch));
          acc[c][i - 1].setZero();
        }
  }
  std::vector<std::vector<KernelAverage>> out(chains.size());
  for (std::size_t c = 0; c < chains.size(); ++c)
    for (const auto& means : batch_means[c]) {
      MatD m = MatD::Zero(2, 2), m2 = MatD::Zero(2, 2);
      for (const auto& b : means) {
        m += b;
        m2 += b.cwiseProduct(b);
      }
      const double k = double(means.size());
      m /= k;
      const MatD var = ((m2 - k * m.cwiseProduct(m)) / (k - 1)).cwiseMax(0.0);
      out[c].push_back(KernelAverage{m, (var / k).cwiseSqrt()});
    }
  return out;
}

}  // namespace entropic::platonic_sgd

namespace entropic::platonic_sgd {

// A chain at a phi_1-minimizer on the manifold A_0 N_0 = V* (platonic.hpp): the last layer is solved
// for the product, W_{i+1} is projected onto col(N_i) where the hidden width exceeds rank V* (the
// closure of docs/claims/T11.md), and the GL orbits are descended until every R_i vanishes.
inline bool place_at_phi1_minimizer(LinearChain<double>& c, const Teacher& t) {
  const int D = c.depth();
  c.W(D - 1) = MatD(c.MO.inverse() * t.V * c.N(D - 1).completeOrthogonalDecomposition().pseudoInverse());
  for (int i = 1; i < D; ++i) {
    const MatD n = c.N(i);
    c.W(i) = MatD(c.W(i) * n * (n.transpose() * n).inverse() * n.transpose());
  }
  return descend_entropic_term<double>(c, t.sigma_x(), t.sigma_eps(), 1e-12, 200000).converged;
}

// The corrected prediction: the normalized hidden kernels where the limiting drift of label-noise SGD
// (theory/limiting_drift.hpp; Li, Wang & Arora 2022) settles, followed from the chain's
// phi_1-minimizer until every ||d/dt K_i|| is below 2^-40 tr K_i. Empty if either step fails.
inline std::vector<MatD> limiting_kernels(LinearChain<double> c, const Teacher& t) {
  if (!place_at_phi1_minimizer(c, t)) return {};
  if (follow_limiting_drift<double>(c, t.sigma_x(), t.sigma_eps(), 0.5, std::ldexp(1.0, -40), 100000) < 0) return {};
  std::vector<MatD> out;
  for (int i = 1; i < c.depth(); ++i) out.push_back(normalized(c.kernel(i)));
  return out;
}

// The half-width factor of a batch-means interval from K batch means: the two-sided Student-t quantile
// t_{K-1, 1 - alpha/2} (K = 20, alpha = 0.001: 3.88; the normal 3.29 would be anti-conservative).
inline double batch_means_quantile(int batches, double alpha = 0.001) {
  return boost::math::quantile(boost::math::students_t_distribution<double>(batches - 1), 1 - alpha / 2);
}

// Frobenius distance of an averaged normalized kernel to a target, with a conservative half-width:
// if every entry lies within z standard errors of its mean, the distance lies within z ||se||_F.
struct Distance {
  double value, half_width;
};
inline Distance distance(const KernelAverage& a, const MatD& target, double z) {
  return Distance{(a.mean - target).norm(), z * a.std_err.norm()};
}

}  // namespace entropic::platonic_sgd
