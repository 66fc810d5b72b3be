// The modified vector field of a one-step map, to any order (backward error analysis; catalog E1).
//
// A step map Phi_h(y) = y + h d_1(y) + h^2 d_2(y) + ... is, as a formal power series in h, the
// time-h flow of the modified field
//     f~ = f_1 + h f_2 + h^2 f_3 + ...,   f_1 = d_1,
// whose terms follow from the recursion of Hairer, Lubich & Wanner (2006, Ch. IX, eq. (1.4)):
//     f_j = d_j - sum_{i=2..j} 1/i! sum_{k_1 + ... + k_i = j, k_l >= 1} D_{k_1} ... D_{k_{i-1}} f_{k_i},
//     (D_k G)(y) = G'(y) f_k(y),
// the operators nesting: D_1 (D_2 f_1) differentiates the whole of D_2 f_1. For explicit Euler
// (d_1 = f, d_j = 0 for j >= 2) it gives f_2 = -1/2 f'f and f_3 = 1/12 f''(f, f) + 1/3 f'f'f; for GD
// on L_lambda = L + lambda/2 ||theta||^2, f = -g with g = grad L_lambda and H its Hessian,
//     f~ = -g - h/2 H g - h^2 (1/12 T[g, g] + 1/3 H^2 g) + O(h^3).
//
// How it is computed. Every field is carried as its Taylor polynomial around the expansion point y0:
// one Jet per coordinate (numeric/jet.hpp). The hand-written gradient evaluated on y0 + delta gives
// the polynomial of d_1 = -grad L_lambda to degree D; then D_k G is "derivative of a polynomial
// times a polynomial", exact with Rational coefficients and certified with Interval ones; nothing is
// differenced. Each derivative costs one degree, so f_j is known to degree D + 1 - j: D = K yields
// f_1 .. f_{K+1} at y0 (the constant terms), D = p + 1 the polynomials that the flow of the field
// truncated after h^p needs through h^{p+2}. A chain D_{k_1} ... D_{k_{i-1}} f_{k_i} is D_{k_1} of a
// shorter chain and is memoized by its indices; one whose indices sum to S is needed to degree
// D + 1 - S only. There are 2^{K+1} - 1 chains for K + 1 fields; each costs m^2 jet products for m
// parameters, on polynomials with C(m + D, D) coefficients.
//
// Rational is exact for polynomial models (deep linear, odd_cubic, polynomial losses) and rational
// ones (cosine_square); Interval certifies tanh, softmax, sqrt. A point on a ReLU kink has no Taylor
// polynomial and throws kink_unresolved.
#pragma once

#include <functional>
#include <vector>

#include "entropic/model/model.hpp"
#include "entropic/numeric/jet.hpp"

namespace entropic {

// A vector field as its Taylor polynomial at a point: one Jet per coordinate.
template <class T>
using FieldJet = Vec<Jet<T>>;

// Called before each chain of the recursion and each component of a Lie derivative: a caller that
// bounds the computation's time (the command line's deadline, io/budget.hpp) throws from it.
using Checkpoint = std::function<void()>;

// f_1 .. f_count from the step coefficients d_1, d_2, ... (step[j - 1] = d_j; missing ones are 0),
// all expanded around one point. f_j is known to degree D + 1 - j, D the degree d_1 is known to;
// throws std::invalid_argument if D < count - 1.
template <class T>
std::vector<FieldJet<T>> modified_field_jets(const std::vector<FieldJet<T>>& step, int count,
                                             const Checkpoint& checkpoint = {});

// Throws what gradient_descent_field_jet throws (a theta0 or data that does not fit the model,
// kink_unresolved on a ReLU kink, not_rational for T = Rational and a model that is not rational),
// at the cost of one gradient on jets in a single variable that moves every parameter: a branch
// argument that vanishes at theta0 then lies on a kink.
template <class T>
void check_expandable(const ModelSpec& spec, const DataSet<Rational>& data, const Vec<Rational>& theta0);

// d_1 = -grad L_lambda(theta0 + delta) for GD on the full batch, known to degree `degree` in delta.
template <class T>
FieldJet<T> gradient_descent_field_jet(const ModelSpec& spec, const DataSet<Rational>& data,
                                       const Vec<Rational>& theta0, const Rational& lambda,
                                       int degree);

// f_1 .. f_{K+1} of GD on L_lambda around theta0, with f_1 known to degree `degree` >= K (f_j to
// degree - j + 1).
template <class T>
std::vector<FieldJet<T>> gradient_descent_modified_field_jets(const ModelSpec& spec,
                                                               const DataSet<Rational>& data,
                                                               const Vec<Rational>& theta0,
                                                               const Rational& lambda, int K,
                                                               int degree,
                                                               const Checkpoint& checkpoint = {});

// The modified field of GD at a point, to order K (what `entropic expand --modified-field --order K`
// prints): the K + 1 coefficient vectors c_0 .. c_K of
//     f~(theta0) = c_0 + h c_1 + ... + h^K c_K,   c_j = f_{j+1}(theta0),   c_0 = -grad L_lambda(theta0),
// for GD (full batch, torch.optim.SGD weight decay lambda) on the model of `spec` with the data
// `data`. T = Rational: exact (throws not_rational for tanh, softmax, sqrt); T = Interval: certified
// enclosures at the working precision (set it with PrecisionScope, numeric/scalar.hpp). Throws
// std::invalid_argument for a theta0 or data that does not fit the model, kink_unresolved on a
// ReLU kink.
//
// Computed from GD's orbit by Gregory's formula (theory/modified_field_from_orbit.hpp): K + 1 steps
// on series in h, O(K^3) steps' work. The checkpoint is called before each step.
template <class T>
std::vector<Vec<T>> gradient_descent_modified_field(const ModelSpec& spec,
                                                    const DataSet<Rational>& data,
                                                    const Vec<Rational>& theta0,
                                                    const Rational& lambda, int K,
                                                    const Checkpoint& checkpoint = {});

// The same values from the jets of the recursion above (the constant terms of
// gradient_descent_modified_field_jets with degree K): an independent route, C(m + K, K)-sized
// polynomials in m parameters, which the tests hold the orbit's values against.
template <class T>
std::vector<Vec<T>> gradient_descent_modified_field_by_jets(const ModelSpec& spec,
                                                            const DataSet<Rational>& data,
                                                            const Vec<Rational>& theta0,
                                                            const Rational& lambda, int K,
                                                            const Checkpoint& checkpoint = {});

// The value of a field at the expansion point (the constant terms).
template <class T>
Vec<T> value_at_point(const FieldJet<T>& f) {
  Vec<T> v(f.size());
  for (Eigen::Index i = 0; i < f.size(); ++i) v[i] = f[i].constant();
  return v;
}

// The time-h flow, through h^order, of the modified field truncated after h^p,
//     f_1 + h f_2 + ... + h^p f_{p+1},
// from y0 (the expansion point of the jets): each f_j is its Taylor polynomial evaluated at
// y0 + delta, with delta the (t, h)-jet of the flow's displacement (theory/flow.hpp,
// modified_flow_series). Needs f_j known to degree order - j; a shorter jet truncates the result.
template <class T>
Vec<Series<T>> truncated_modified_flow(const std::vector<FieldJet<T>>& fields, const Vec<T>& y0,
                                       int p, int order);

}  // namespace entropic
