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
//
// The catalog's variant with a positive diagonal D = diag(d) (penalty lambda/2 (theta - theta_0)^T D
// (theta - theta_0)):
//
//   theta' = theta - eta (g + lambda D (theta - theta_0)),
//   O^T theta' = O^T theta - eta lambda O^T D (theta - theta_0) - eta O^T g.
//
// [derived] For a mirror R = I - 2 P, P = O (O^T O)^{-1} O^T, the term O^T D x is a function of O^T x
// exactly when D commutes with R (equivalently D P = P D: the span of O is D-invariant). Then
// O^T D x = O^T D P x = M O^T x with M = O^T D O (O^T O)^{-1}, since O^T D (I - P) x = O^T (I - P) D x = 0,
// and
//
//   O^T theta' = (I - eta lambda M) O^T theta + eta lambda M O^T theta_0 - eta O^T g;
//
// with O^T O = I and D O = d O this is the scalar law with (1 - eta lambda d). Otherwise some x with
// O^T x = 0 has O^T D x != 0 (if O^T D x = 0 whenever O^T x = 0, then O^T D = M O^T for some M, so
// D O = O M^T and the span of O is D-invariant): the law does not close on O^T theta.
#pragma once

#include <stdexcept>
#include <string>

#include <Eigen/LU>

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

// The diagonal variant: theta - eta (g + lambda D (theta - theta_0)), D = diag(d).
template <class S>
Vec<S> syre_step(const Vec<S>& theta, const Vec<S>& g, const S& eta, const S& lambda, const Vec<S>& d,
                 const Vec<S>& centre) {
  if (d.size() != theta.size() || g.size() != theta.size() || centre.size() != theta.size())
    throw std::invalid_argument("syre step: D has " + std::to_string(d.size()) + " entries, g " +
                                std::to_string(g.size()) + ", the centre " + std::to_string(centre.size()) +
                                ", theta " + std::to_string(theta.size()));
  return theta - eta * (g + lambda * Vec<S>(d.cwiseProduct(theta - centre)));
}

// M = O^T D O (O^T O)^{-1}, the rate of the closed law when D commutes with the mirror of O.
template <class S>
Mat<S> syre_mirror_rate(const Mat<S>& O, const Vec<S>& d) {
  if (d.size() != O.rows())
    throw std::invalid_argument("syre mirror rate: D has " + std::to_string(d.size()) + " entries, O has " +
                                std::to_string(O.rows()) + " rows");
  const Mat<S> gram = O.transpose() * O;
  Eigen::FullPivLU<Mat<S>> lu(gram);
  if (!lu.isInvertible()) throw std::invalid_argument("syre mirror rate: the columns of O are dependent");
  return Mat<S>(O.transpose() * d.asDiagonal() * O) * lu.inverse();
}

// The right side of the closed law for diagonal D commuting with the mirror of O:
// (I - eta lambda M) O^T theta + eta lambda M O^T theta_0 - eta O^T g, M = syre_mirror_rate(O, d).
template <class S>
Vec<S> syre_mirror_law(const Mat<S>& O, const Vec<S>& theta, const Vec<S>& g, const S& eta, const S& lambda,
                       const Vec<S>& d, const Vec<S>& centre) {
  const Mat<S> M = syre_mirror_rate(O, d);
  const Vec<S> ot = O.transpose() * theta;
  return ot - eta * lambda * (M * Vec<S>(ot - O.transpose() * centre)) - eta * (O.transpose() * g);
}

}  // namespace entropic
