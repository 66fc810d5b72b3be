// The n-step entropic loss (catalog T1, T3; negative control N8).
//
// One step theta - Lambda grad l_lambda with a constant matrix learning rate (Lambda = eta I for SGD,
// Lambda = eta P preconditioned, catalog section 0) is approximated by n small steps on
//
//     phi = l_lambda + c grad l_lambda^T Lambda grad l_lambda,
//     grad phi = g_lambda + 2 c H_lambda Lambda g_lambda,      g_lambda = g + lambda theta,
//                                                             H_lambda = H + lambda I,
//     theta <- theta - (Lambda / n) grad phi      (n times).
//
// Plain steps (c = 0) give theta - Lambda g_lambda + (n-1)/(2n) Lambda H Lambda g_lambda + O(Lambda^3);
// the correction adds -2 c Lambda H Lambda g_lambda, so c_n = (n-1)/(4n) makes the n steps exact to
// O(Lambda^3) (catalog T1 [derived]; c_n -> 1/4, implicit gradient regularization, as n -> infinity).
// Over S = Series<Rational> with Lambda = eta P and eta = Series::variable(K) the map is the exact
// eta-expansion of the n-step iterate.
#pragma once

#include <stdexcept>
#include <string>

#include "entropic/metrics/hessian.hpp"

namespace entropic {

// c_n = (n - 1) / (4 n): the coefficient of the n-step entropic loss (catalog T1).
inline Rational n_step_coefficient(int n) { return Rational(n - 1, 4 * n); }

// theta after n steps theta <- theta - (Lambda / n) grad phi on the batch loss of `spec`, with
// phi = l_lambda + c grad l_lambda^T Lambda grad l_lambda (c = 0: the uncorrected steps, phi = l_lambda).
template <class S>
Vec<S> n_step_map(const ModelSpec& spec, const DataSet<S>& data, const Batch& batch, const S& lambda,
                  const Mat<S>& Lambda, const S& c, int n, Vec<S> theta) {
  if (n < 1) throw std::invalid_argument("n-step map: n must be >= 1");
  if (Lambda.rows() != theta.size() || Lambda.cols() != theta.size())
    throw std::invalid_argument("n-step map: Lambda is " + std::to_string(Lambda.rows()) + "x" +
                                std::to_string(Lambda.cols()) + ", theta has " + std::to_string(theta.size()) +
                                " entries");
  const auto model = make_model<S>(spec);
  const S step_fraction = S(1) / S(n);
  for (int k = 0; k < n; ++k) {
    const Vec<S> g = model->gradient(theta, data, batch) + lambda * theta;
    const Vec<S> v = Lambda * g;
    const Vec<S> Hv = hessian_vector_product(spec, data, batch, theta, v) + lambda * v;
    const Vec<S> grad_phi = g + S(2) * c * Hv;
    theta = theta - step_fraction * (Lambda * grad_phi);
  }
  return theta;
}

}  // namespace entropic
