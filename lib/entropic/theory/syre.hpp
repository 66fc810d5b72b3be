// syre: weight decay toward a random centre (catalog S2; classical: Ziyin, Xu, Chuang, 2025; the exact
// equation is unconfirmed, this is the catalog's assumed form):
//
//   theta' = theta - eta (g + lambda (theta - theta_0)),      theta_0 fixed (drawn once)
//
// g the batch gradient without weight decay. With theta_0 = 0 it is SGD with weight decay lambda.
// For any matrix O, by linearity,
//
//   O^T theta' = (1 - eta lambda) O^T theta + eta lambda O^T theta_0 - eta O^T g.
//
// The optimizer of sgd.hpp stays PyTorch-exact; this is a separate map.
#pragma once

#include "entropic/numeric/kind.hpp"

namespace entropic {

template <class S>
Vec<S> syre_step(const Vec<S>& theta, const Vec<S>& g, const S& eta, const S& lambda, const Vec<S>& centre) {
  return theta - eta * (g + lambda * (theta - centre));
}

// The right side of the O^T theta law: (1 - eta lambda) O^T theta + eta lambda O^T theta_0 - eta O^T g.
template <class S>
Vec<S> syre_mirror_law(const Mat<S>& O, const Vec<S>& theta, const Vec<S>& g, const S& eta, const S& lambda,
                       const Vec<S>& centre) {
  return (S(1) - eta * lambda) * (O.transpose() * theta) + eta * lambda * (O.transpose() * centre) -
         eta * (O.transpose() * g);
}

}  // namespace entropic
