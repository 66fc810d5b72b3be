// The entropic loss of minibatch SGD, its discretization part and its noise part, and the forces
// they exert (catalog section 0 and T2(a)).
//
// Minibatches B of size S are drawn i.i.d. with replacement (kappa_S = 1/S) or as uniform S-subsets
// (kappa_S = (N - S) / (S (N - 1))); C = (1/N) sum_i (grad l_i - grad L)(grad l_i - grad L)^T.
// Since E_B g_B = grad L and Cov(g_B) = kappa_S C, exactly
//
//   E_B ||grad l_{lambda,B}||^2 = ||grad L_lambda||^2 + kappa_S Tr C,
//
//   phi_bar_eta = L_lambda + eta/4 E_B ||grad l_{lambda,B}||^2
//               = L_lambda + eta/4 ||grad L_lambda||^2 + eta/4 kappa_S Tr C,
//                            `--- discretization part   `--- noise part
//
// The discretization part is there for full-batch GD too (it is implicit gradient regularization,
// catalog E1); the noise part has temperature eta kappa_S. The entropic force is the force of the
// term added to L_lambda,
//
//   F = -eta/4 grad E_B ||grad l_{lambda,B}||^2 = -eta/2 E_B (H_B + lambda I)(g_B + lambda theta),
//
// and it splits the same way:
//
//   discretization force  -eta/4 grad ||grad L_lambda||^2  = -eta/2 (H + lambda I)(grad L + lambda theta)
//   noise force           -eta/4 kappa_S grad Tr C         = -eta/2 kappa_S ((1/N) sum_i H_i grad l_i - H grad L)
//
// Flows built from these words: -grad L_lambda + discretization_force is the IGR field of GD
// (catalog E1); -grad L_lambda + entropic_force = -grad phi_bar_eta is the entropic-loss field.
//
// Expectations enumerate every batch (optim/schedule.hpp), so everything here is exact over
// Rational and Series<Rational>. Hessian products are forward-mode derivatives of the hand-written
// gradient over Dual<S>, H_B v = d/de grad l_B(theta + e v), never finite differences.
#pragma once

#include "entropic/model/make_model.hpp"
#include "entropic/optim/expectation.hpp"
#include "entropic/theory/entropic_loss.hpp"

namespace entropic {

// How the minibatches of one step are drawn: size S, with or without replacement.
struct BatchSampling {
  int size = 1;
  Sampling sampling = Sampling::with_replacement;

  // kappa_S on a data set of n samples: Cov(g_B) = kappa_S C.
  template <class S>
  S noise_factor(int n) const { return entropic::noise_factor<S>(n, size, sampling); }
  // E_B[fn(B)] over every batch of this law from n samples.
  template <class S, class Fn>
  auto expectation(int n, Fn&& fn) const {
    return batch_expectation<S>(n, size, sampling, std::forward<Fn>(fn));
  }
};

// L_lambda = L + lambda/2 ||theta||^2.
template <class S>
S regularized_loss(const Model<S>& model, const DataSet<S>& data, const Vec<S>& theta,
                   const S& lambda) {
  return model.loss(theta, data) + lambda * S(theta.squaredNorm()) / S(2);
}

// grad L_lambda = grad L + lambda theta.
template <class S>
Vec<S> regularized_full_gradient(const Model<S>& model, const DataSet<S>& data,
                                 const Vec<S>& theta, const S& lambda) {
  return regularized_gradient(model, data, Model<S>::all(data), theta, lambda);
}

// C = (1/N) sum_i (grad l_i - grad L)(grad l_i - grad L)^T.
template <class S>
Mat<S> gradient_covariance(const Model<S>& model, const DataSet<S>& data, const Vec<S>& theta) {
  const Vec<S> mean = model.gradient(theta, data);
  Mat<S> C = Mat<S>::Zero(theta.size(), theta.size());
  for (int i = 0; i < data.size(); ++i) {
    const Vec<S> d = model.sample_gradient(theta, data.x(i), data.y(i)) - mean;
    C += d * d.transpose();
  }
  return Mat<S>(C / S(data.size()));
}

// Tr C = (1/N) sum_i ||grad l_i - grad L||^2.
template <class S>
S gradient_noise_trace(const Model<S>& model, const DataSet<S>& data, const Vec<S>& theta) {
  const Vec<S> mean = model.gradient(theta, data);
  S total(0);
  for (int i = 0; i < data.size(); ++i)
    total += S((model.sample_gradient(theta, data.x(i), data.y(i)) - mean).squaredNorm());
  return total / S(data.size());
}

// E_B ||grad l_{lambda,B}||^2 by enumeration of every batch.
template <class S>
S mean_squared_batch_gradient(const Model<S>& model, const DataSet<S>& data, const Vec<S>& theta,
                              const S& lambda, const BatchSampling& batches) {
  return batches.expectation<S>(data.size(), [&](const Batch& b) {
    return S(regularized_gradient(model, data, b, theta, lambda).squaredNorm());
  });
}

// eta/4 ||grad L_lambda||^2.
template <class S>
S discretization_part(const Model<S>& model, const DataSet<S>& data, const Vec<S>& theta,
                      const S& eta, const S& lambda) {
  return eta * S(regularized_full_gradient(model, data, theta, lambda).squaredNorm()) / S(4);
}

// eta/4 kappa_S Tr C.
template <class S>
S noise_part(const Model<S>& model, const DataSet<S>& data, const Vec<S>& theta, const S& eta,
             const BatchSampling& batches) {
  return eta * batches.noise_factor<S>(data.size()) * gradient_noise_trace(model, data, theta) /
         S(4);
}

// phi_bar_eta = L_lambda + eta/4 E_B ||grad l_{lambda,B}||^2, the expectation enumerated.
template <class S>
S phi_bar(const Model<S>& model, const DataSet<S>& data, const Vec<S>& theta, const S& eta,
          const S& lambda, const BatchSampling& batches) {
  return regularized_loss(model, data, theta, lambda) +
         eta * mean_squared_batch_gradient(model, data, theta, lambda, batches) / S(4);
}

// Hessian-vector products of batch losses by forward mode: the model and data over Dual<S>.
template <class S>
class HessianProduct {
 public:
  HessianProduct(const Model<S>& model, const DataSet<S>& data)
      : model_(make_model<Dual<S>>(model.spec())), data_(lift<Dual<S>>(data)) {}

  // H_B v = d/de grad l_B(theta + e v).
  Vec<S> operator()(const Vec<S>& theta, const Vec<S>& v, const Batch& batch) const {
    Vec<Dual<S>> t(theta.size());
    for (Eigen::Index i = 0; i < theta.size(); ++i) t[i] = Dual<S>(theta[i], v[i]);
    const Vec<Dual<S>> g = model_->gradient(t, data_, batch);
    Vec<S> hv(g.size());
    for (Eigen::Index i = 0; i < g.size(); ++i) hv[i] = g[i].tangent();
    return hv;
  }

 private:
  std::unique_ptr<Model<Dual<S>>> model_;
  DataSet<Dual<S>> data_;
};

// F = -eta/4 grad E_B ||grad l_{lambda,B}||^2 = -eta/2 E_B (H_B + lambda I)(g_B + lambda theta),
// one forward-mode Hessian product per batch.
template <class S>
Vec<S> entropic_force(const Model<S>& model, const DataSet<S>& data, const Vec<S>& theta,
                      const S& eta, const S& lambda, const BatchSampling& batches) {
  const HessianProduct<S> hessian(model, data);
  const Vec<S> mean = batches.expectation<S>(data.size(), [&](const Batch& b) {
    const Vec<S> v = regularized_gradient(model, data, b, theta, lambda);
    return Vec<S>(hessian(theta, v, b) + lambda * v);
  });
  return Vec<S>(-(eta / S(2)) * mean);
}

// -eta/4 grad ||grad L_lambda||^2 = -eta/2 (H + lambda I) grad L_lambda.
template <class S>
Vec<S> discretization_force(const Model<S>& model, const DataSet<S>& data, const Vec<S>& theta,
                            const S& eta, const S& lambda) {
  const HessianProduct<S> hessian(model, data);
  const Vec<S> v = regularized_full_gradient(model, data, theta, lambda);
  return Vec<S>(-(eta / S(2)) * Vec<S>(hessian(theta, v, Model<S>::all(data)) + lambda * v));
}

// -eta/4 kappa_S grad Tr C = -eta/2 kappa_S ((1/N) sum_i H_i grad l_i - H grad L).
template <class S>
Vec<S> noise_force(const Model<S>& model, const DataSet<S>& data, const Vec<S>& theta,
                   const S& eta, const BatchSampling& batches) {
  const HessianProduct<S> hessian(model, data);
  Vec<S> per_sample = Vec<S>::Zero(theta.size());
  for (int i = 0; i < data.size(); ++i)
    per_sample += hessian(theta, model.sample_gradient(theta, data.x(i), data.y(i)), Batch{i});
  const Vec<S> full = hessian(theta, model.gradient(theta, data), Model<S>::all(data));
  const S kappa = batches.noise_factor<S>(data.size());
  return Vec<S>(-(eta * kappa / S(2)) * Vec<S>(per_sample / S(data.size()) - full));
}

// grad phi_bar_eta = grad L_lambda - F.
template <class S>
Vec<S> phi_bar_gradient(const Model<S>& model, const DataSet<S>& data, const Vec<S>& theta,
                        const S& eta, const S& lambda, const BatchSampling& batches) {
  return regularized_full_gradient(model, data, theta, lambda) -
         entropic_force(model, data, theta, eta, lambda, batches);
}

}  // namespace entropic
