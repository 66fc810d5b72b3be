// The modified field at a point from the step map's orbit: Gregory's formula D = log(1 + Delta).
//
// If Phi_h is, as a formal power series in h, the time-h flow of the modified field f~_h, then the
// orbit y_k = Phi_h^k(y0) samples the curve Y(tau) = exp(tau h f~_h)(y0) at tau = 0, 1, 2, ...
// Y(tau) = sum_j a_j tau^j with a_j = O(h^j) and a_1 = h f~_h(y0). On a polynomial in tau the
// forward difference Delta and the derivative D obey D = log(1 + Delta) exactly (Gregory's formula;
// Boole, A Treatise on the Calculus of Finite Differences, 1860, ch. VII), and Delta^n tau^j vanishes
// at 0 for n > j, so
//
//     h f~_h(y0) = sum_{n=1}^{N} (-1)^(n-1)/n Delta^n y_0 + O(h^(N+1)),
//     Delta^n y_0 = sum_{k=0}^{n} (-1)^(n-k) C(n, k) y_k.
//
// Collected by iterate: h f~_h(y0) = sum_{k=0}^{N} w_k y_k + O(h^(N+1)),
//     w_k = (-1)^(k+1) sum_{n=max(k,1)}^{N} C(n, k)/n      (w_0 = -H_N; the w_k sum to 0).
//
// With N = K + 1, the coefficients of h^1 .. h^(K+1) of the sum are f_1(y0) .. f_{K+1}(y0): the
// modified field to order K needs only the K + 1 steps of the map as series in h through h^(K+1),
// computed by the eta-series engine, instead of the Taylor polynomials of every f_j in all the
// parameters (theory/modified_field.hpp, which the tests hold this against). The cost is K + 1
// evaluations of the step on series with K + 2 coefficients: O(K^3) times one step, linear in the
// parameters for the models here.
#pragma once

#include <vector>

#include "entropic/model/model.hpp"
#include "entropic/numeric/eigen_traits.hpp"
#include "entropic/numeric/series.hpp"

namespace entropic {

// w_0 .. w_N of the formula above, exact.
std::vector<Rational> gregory_weights(int N);

// c_0 .. c_K, c_j = f_{j+1}(y0), from the orbit y_0 .. y_{K+1} of a step map known as series in h
// through h^(K+1) (each y_k[0] = y0: the map is the identity at h = 0). Throws std::invalid_argument
// for a shorter orbit, series known to a lower order, or iterates of different sizes.
template <class T>
std::vector<Vec<T>> modified_field_from_orbit(const std::vector<Vec<Series<T>>>& orbit, int K);

// The directional derivatives d/de f_1 .. f_{K+1}(theta0 + e v) of GD's modified field on
// L_lambda (the field of gradient_descent_modified_field, theory/modified_field.hpp): GD's orbit from
// theta0 + e v on Dual<Series<Rational>> (forward mode in e, series in h) gives the iterates' tangents,
// and Gregory's formula, linear in the iterates, turns them into the derivatives. Exact; K + 1 steps
// on dual series, so linear in the parameters like the field itself. Throws what
// gradient_descent_modified_field throws, and std::invalid_argument for a v of another size.
std::vector<Vec<Rational>> gradient_descent_modified_field_derivative(const ModelSpec& spec,
                                                                       const DataSet<Rational>& data,
                                                                       const Vec<Rational>& theta0,
                                                                       const Rational& lambda,
                                                                       const Vec<Rational>& v, int K);

}  // namespace entropic
