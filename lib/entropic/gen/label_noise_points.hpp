// Rational points on the manifold of minima of deep linear nets with label-noise data, for the
// limiting drift of SGD (theory/limiting_drift.hpp; catalog T11 and the project's N9).
//
//   drift_instance: any point. Random rational chains (depth 2 without a view, or depth 3 with a view
//     Z and embeddings M^I, M^O; hidden widths 2, so that the GL orbits span the tangent space), and
//     V* := the chain's product, which puts the chain on the manifold by definition.
//   phi1_stationary_point: a depth-2 chain f = W_2 W_1 x where phi_1 is stationary along the GL orbit,
//     R_1 = tr(Sigma_eps) W_1 Sigma_x W_1^T - tr(Sigma_x) W_2^T Sigma_eps W_2 = 0, built in rationals:
//       anisotropic: W_1, W_2 invertible, Sigma_eps = mu C with C = W_2^{-T} W_1 Sigma_x W_1^T W_2^{-1},
//         so that W_2^T Sigma_eps W_2 = mu W_1 Sigma_x W_1^T and R_1 = mu (tr C - tr Sigma_x) W_1 Sigma_x
//         W_1^T; Sigma_x is chosen on the hyperplane tr C = tr Sigma_x, i.e.
//         tr((W_1^T W_2^{-1} W_2^{-T} W_1 - I) Sigma_x) = 0 (solved for its last entry);
//       isotropic: Sigma_eps = sigma^2 I needs W_2^T W_2 = (2 / tr Sigma_x) W_1 Sigma_x W_1^T; with
//         Sigma_x = L L^T, L = [[x + y, x - y], [z + w, z - w]] and (x, y, z, w) a rational point of the
//         unit 3-sphere (stereographic), tr Sigma_x = 2 and W_2 = O (W_1 L)^T for a rational rotation O.
//     Then K_1 = W_1^T W_1 = c Q* (T11), and V* := W_2 W_1.
//   balanced_label_noise_minimum: the anisotropic construction above with a finite data law, so that
//     every expectation is an exact finite sum: inputs x_1, x_2, x_3 with rational probabilities p_j
//     (p_3 solved from sum_j p_j x_j^T M x_j = 0, M = W_1^T W_2^{-1} W_2^{-T} W_1 - I, which is the
//     hyperplane condition), and label noise independent of x with support {+-q W_2^{-T} W_1 x_j},
//     probability p_j / 2 each: mean 0 and E eps eps^T = q^2 C. The pairs (x_i, eps_k) form a product
//     data set.
#pragma once

#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "entropic/theory/platonic.hpp"
#include "entropic/gen/platonic_nets.hpp"

namespace entropic {
namespace gen {

enum class LabelNoise { isotropic, anisotropic };

struct DriftInstance {
  Mat<Rational> sigma_x, sigma_eps;
  LinearChain<Rational> net;  // on the manifold of V* = net.product()
  std::string show() const {
    std::ostringstream out;
    out << "Sigma_x = " << gen::show(sigma_x) << ", Sigma_eps = " << gen::show(sigma_eps) << "; depth "
        << net.depth();
    if (net.depth() > 2)
      out << ", Z = " << gen::show(net.Z) << ", M^I = " << gen::show(net.MI) << ", M^O = " << gen::show(net.MO);
    for (int i = 0; i < net.depth(); ++i) out << ", W" << i + 1 << " = " << gen::show(Mat<Rational>(net.W(i)));
    out << " (V* = their product)";
    return out.str();
  }
};

inline Mat<Rational> isotropic_noise() {
  return Mat<Rational>(*positive_rational(3, 3) * Mat<Rational>::Identity(2, 2));
}

inline rc::Gen<DriftInstance> drift_instance(LabelNoise noise) {
  return rc::gen::exec([noise]() {
    DriftInstance d;
    d.sigma_x = *spd_2x2();
    d.sigma_eps = noise == LabelNoise::isotropic ? isotropic_noise() : *spd_2x2();
    const int depth = *dimension(2, 3);
    if (depth == 2) {
      const Mat<Rational> I = Mat<Rational>::Identity(2, 2);
      const Mat<Rational> W1 = *invertible_2x2(), W2 = *invertible_2x2();
      d.net = LinearChain<Rational>(I, I, I, {W1, W2});
    } else {
      const Mat<Rational> Z = *invertible_2x2(), MI = *invertible_2x2(), MO = *invertible_2x2();
      const Mat<Rational> W1 = *invertible_2x2(), W2 = *invertible_2x2(), W3 = *invertible_2x2();
      d.net = LinearChain<Rational>(Z, MI, MO, {W1, W2, W3});
    }
    return d;
  });
}

namespace detail {

// M with R_1 = 0 iff tr(M Sigma_x) = 0 for Sigma_eps proportional to W_2^{-T} W_1 Sigma_x W_1^T W_2^{-1}
// (the header comment): M = W_1^T W_2^{-1} W_2^{-T} W_1 - I.
inline Mat<Rational> balance_hyperplane(const Mat<Rational>& W1, const Mat<Rational>& W2inv) {
  return W1.transpose() * W2inv * W2inv.transpose() * W1 - Mat<Rational>::Identity(2, 2);
}

inline Candidate<DriftInstance> anisotropic_stationary() {
  Candidate<DriftInstance> c;
  DriftInstance& d = c.value;
  const Mat<Rational> W1 = *invertible_2x2(), W2 = *invertible_2x2();
  const Mat<Rational> W2inv = inverse_2x2(W2);
  const Mat<Rational> M = balance_hyperplane(W1, W2inv);
  d.sigma_x = Mat<Rational>(2, 2);
  d.sigma_x(0, 0) = *positive_rational(3, 3);
  d.sigma_x(0, 1) = d.sigma_x(1, 0) = *rational(3, 3);
  if (M(1, 1) == 0) return c;
  d.sigma_x(1, 1) = -(M(0, 0) * d.sigma_x(0, 0) + 2 * M(0, 1) * d.sigma_x(0, 1)) / M(1, 1);
  if (!(d.sigma_x(1, 1) > 0 && det_2x2(d.sigma_x) > 0)) return c;
  const Mat<Rational> C = W2inv.transpose() * W1 * d.sigma_x * W1.transpose() * W2inv;
  d.sigma_eps = *positive_rational(3, 3) * C;
  const Mat<Rational> I = Mat<Rational>::Identity(2, 2);
  d.net = LinearChain<Rational>(I, I, I, {W1, W2});
  c.valid = true;
  return c;
}

inline Candidate<DriftInstance> isotropic_stationary() {
  Candidate<DriftInstance> c;
  DriftInstance& d = c.value;
  const Rational t1 = *rational(3, 3), t2 = *rational(3, 3), t3 = *rational(3, 3);
  const Rational s = 1 + t1 * t1 + t2 * t2 + t3 * t3;
  const Rational x = 2 * t1 / s, y = 2 * t2 / s, z = 2 * t3 / s, w = (1 - t1 * t1 - t2 * t2 - t3 * t3) / s;
  Mat<Rational> L(2, 2);
  L << x + y, x - y, z + w, z - w;
  if (det_2x2(L) == 0) return c;
  d.sigma_x = L * L.transpose();
  d.sigma_eps = isotropic_noise();
  const Mat<Rational> W1 = *invertible_2x2();
  const Mat<Rational> O = *cayley_rotation(2);
  const Mat<Rational> I = Mat<Rational>::Identity(2, 2);
  d.net = LinearChain<Rational>(I, I, I, {W1, Mat<Rational>(O * (W1 * L).transpose())});
  c.valid = true;
  return c;
}

}  // namespace detail

inline rc::Gen<DriftInstance> phi1_stationary_point(LabelNoise noise) {
  return valid_only(rc::gen::exec([noise]() {
    return noise == LabelNoise::isotropic ? detail::isotropic_stationary() : detail::anisotropic_stationary();
  }));
}

// A label-noise minimum of f = W_2 W_1 x on a finite product data set (see the header comment).
struct FiniteLabelNoiseMinimum {
  Mat<Rational> W1, W2;
  std::vector<Vec<Rational>> x;    // inputs
  std::vector<Rational> p;         // their probabilities
  std::vector<Vec<Rational>> eps;  // noise support
  std::vector<Rational> p_eps;     // its probabilities
  std::string show() const {
    std::ostringstream out;
    out << "W1 = " << gen::show(W1) << ", W2 = " << gen::show(W2) << "; x (probability):";
    for (std::size_t j = 0; j < x.size(); ++j) out << " " << gen::show(x[j]) << " (" << to_text(p[j]) << ")";
    out << "; eps (probability):";
    for (std::size_t k = 0; k < eps.size(); ++k) out << " " << gen::show(eps[k]) << " (" << to_text(p_eps[k]) << ")";
    out << "; y = W2 W1 x + eps";
    return out.str();
  }
  // f = W_2 W_1 x as a chain (the library's deep_linear model and its parameters, platonic.hpp) at
  // (s W_1, W_2 / s), a point of the same manifold of minima (s = 1: the phi_1-balanced one).
  LinearChain<Rational> chain(const Rational& s = Rational(1)) const {
    const Mat<Rational> I = Mat<Rational>::Identity(2, 2);
    return LinearChain<Rational>(I, I, I, {Mat<Rational>(s * W1), Mat<Rational>(W2 / s)});
  }
};

namespace detail {

inline Candidate<FiniteLabelNoiseMinimum> finite_minimum() {
  Candidate<FiniteLabelNoiseMinimum> c;
  FiniteLabelNoiseMinimum& m = c.value;
  m.W1 = *invertible_2x2();
  m.W2 = *invertible_2x2();
  const Mat<Rational> W2inv = inverse_2x2(m.W2);
  const Mat<Rational> M = balance_hyperplane(m.W1, W2inv);
  m.x = {*vector(2, rational(3, 3)), *vector(2, rational(3, 3)), *vector(2, rational(3, 3))};
  std::vector<Rational> q(3);
  for (int j = 0; j < 3; ++j) q[j] = m.x[j].dot(M * m.x[j]);
  if (q[2] == 0) return c;
  m.p = {*positive_rational(3, 3), *positive_rational(3, 3), Rational(0)};
  m.p[2] = -(m.p[0] * q[0] + m.p[1] * q[1]) / q[2];
  if (!(m.p[2] > 0)) return c;
  const Rational total = m.p[0] + m.p[1] + m.p[2];
  for (auto& pj : m.p) pj /= total;
  Mat<Rational> sigma_x = Mat<Rational>::Zero(2, 2);
  for (int j = 0; j < 3; ++j) sigma_x += m.p[j] * m.x[j] * m.x[j].transpose();
  if (det_2x2(sigma_x) == 0) return c;
  const Rational scale = *positive_rational(3, 3);
  for (int j = 0; j < 3; ++j) {
    const Vec<Rational> e = scale * (W2inv.transpose() * m.W1 * m.x[j]);
    m.eps.push_back(e);
    m.eps.push_back(-e);
    m.p_eps.push_back(m.p[j] / 2);
    m.p_eps.push_back(m.p[j] / 2);
  }
  c.valid = true;
  return c;
}

}  // namespace detail

inline rc::Gen<FiniteLabelNoiseMinimum> balanced_label_noise_minimum() {
  return valid_only(rc::gen::exec(detail::finite_minimum));
}

}  // namespace gen
}  // namespace entropic
