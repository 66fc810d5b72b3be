// E4's mean-square parts and the uw example (the claim: e4_linear_stability.cpp; these parts:
// e4_mean_square.cpp).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "entropic/gen/generators.hpp"
#include "entropic/optim/expectation.hpp"
#include "entropic/verify/claim.hpp"

namespace entropic::e4 {

// An exact stability comparison: the prediction of a formula against the Jury (or root-location)
// verdict.
Verdict same_stability(bool observed, bool predicted, const std::string& what);

// A stability verdict as an observed or predicted value; compare_observed (found by argument-dependent
// lookup, also inside Quantities<Stability>) is same_stability.
struct Stability {
  bool stable = false;
};
inline Verdict compare_observed(const Stability& observed, const Stability& predicted, const std::string& what) {
  return same_stability(observed.stable, predicted.stable, what);
}

// kappa_S for a case with `samples()`, `batch` and `sampling`: the catalog's noise factor, or a
// mutant's.
template <class Case>
Rational catalog_kappa(const Case& c) {
  return noise_factor<Rational>(c.samples(), c.batch, c.sampling);
}
template <class Case>
Rational no_noise(const Case&) {
  return 0;
}
template <class Case>
Rational one_over_batch(const Case& c) {
  return Rational(1, c.batch);
}

// SGD in mean square, 1-D.
struct MeanSquareCase {
  static int parameter_count() { return 1; }  // w
  std::vector<Rational> x;  // samples of f = w x, y = 0: curvature h_i = x_i^2
  Rational eta, lambda, theta;
  int batch = 1;
  Sampling sampling = Sampling::with_replacement;
  int samples() const { return static_cast<int>(x.size()); }
  std::string show() const {
    std::string xs;
    for (const Rational& v : x) xs += (xs.empty() ? "" : ", ") + to_text(v);
    return "f = w x, y = 0, x = [" + xs + "]; eta = " + to_text(eta) + "; lambda = " + to_text(lambda) +
           "; theta = " + to_text(theta) + "; S = " + std::to_string(batch) + " (with and without replacement)";
  }
};
// n >= 2 samples with unequal curvatures, S in [2, n]; the factor is observed for both samplings
// (`sampling` is overwritten for each).
rc::Gen<MeanSquareCase> mean_square_cases();
Quantities<Rational> enumerated_factor(const MeanSquareCase& c);
std::function<Quantities<Rational>(const MeanSquareCase&)> mean_square_factor_with(Rational (*kappa)(const MeanSquareCase&));
bool curvatures_equal(const MeanSquareCase& c);
bool mean_square_stable(const MeanSquareCase& c);

// The operator T in d dimensions.
struct OperatorCase {
  int parameter_count() const { return static_cast<int>(M.rows()); }
  Mat<Rational> X;  // samples of f = W x (rows), per-sample Hessian x_i x_i^T
  Mat<Rational> M;  // symmetric
  Rational eta;
  int batch = 1;
  Sampling sampling = Sampling::with_replacement;
  int samples() const { return static_cast<int>(X.rows()); }
  ModelSpec spec() const {
    ModelSpec s;
    s.kind = ModelKind::deep_linear;
    s.widths = {static_cast<int>(X.cols()), 1};
    return s;
  }
  DataSet<Rational> data() const { return finite_data<Rational>(X, Mat<Rational>::Zero(X.rows(), 1)); }
  std::string show() const {
    return "f = W x, x = " + gen::show(X) + "; M = " + gen::show(M) + "; eta = " + to_text(eta) + "; S = " +
           std::to_string(batch) + (sampling == Sampling::with_replacement ? " with replacement" : " without replacement");
  }
};

rc::Gen<OperatorCase> operator_cases();
bool operator_noise_vanishes(const OperatorCase& c);
Mat<Rational> enumerated_operator(const OperatorCase& c);
std::function<Mat<Rational>(const OperatorCase&)> operator_with(Rational (*kappa)(const OperatorCase&));

// The uw example.
struct UwMinimum {
  static int parameter_count() { return 2; }  // u, w
  Rational u, w, eta;  // y = u w
  std::string show() const {
    return "l = 1/2 (u w x - y)^2, x = 1, y = " + to_text(Rational(u * w)) + "; (u, w) = (" + to_text(u) +
           ", " + to_text(w) + "); eta = " + to_text(eta);
  }
};
rc::Gen<UwMinimum> uw_minima();
std::function<Verdict(const UwMinimum&)> uw_minimum(Rational bound);

}  // namespace entropic::e4
