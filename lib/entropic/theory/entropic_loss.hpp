// The entropic quantities of catalog section 0.
//
//   phi_1 = 1/4 ||grad l_{lambda,B}||^2          (on the loss the step uses)
//   entropic term of phi_bar_eta = eta/4 E_B ||grad l_{lambda,B}||^2
#pragma once

#include "entropic/model/model.hpp"

namespace entropic {

// grad l_{lambda,B}(theta) = g_B + lambda theta.
template <class S>
Vec<S> regularized_gradient(const Model<S>& model, const DataSet<S>& data, const Batch& batch,
                            const Vec<S>& theta, const S& lambda) {
  return model.gradient(theta, data, batch) + lambda * theta;
}

// phi_1 = 1/4 ||g_B + lambda theta||^2.
template <class S>
S phi1(const Model<S>& model, const DataSet<S>& data, const Batch& batch, const Vec<S>& theta,
       const S& lambda) {
  return S(regularized_gradient(model, data, batch, theta, lambda).squaredNorm()) / S(4);
}

}  // namespace entropic
