// One GD step and n steps of size eta/n on phi = l_lambda + eta c ||grad l_lambda||^2, as exact power
// series in eta (Series<Rational>, eta = Series::variable(kNStepOrder)), on a polynomial loss in two
// parameters (gen/polynomial_start.hpp): the observations and predictions of catalog T1 (c = c_n) and
// of its negative control N8 (c = 0).
//
//   gd_step_series(in)         theta - eta (grad l + lambda theta)
//   n_steps_series(in, c)      theta'_n = n_step_map (theory/n_step.hpp) with Lambda = eta I
#pragma once

#include <string>
#include <vector>

#include "entropic/gen/polynomial_start.hpp"
#include "entropic/theory/n_step.hpp"

namespace entropic {

// eta^0 .. eta^3: order-3 claims need the coefficients through eta^2, eta^3 shows the order sharp.
inline constexpr int kNStepOrder = 3;

struct NStepStart {
  PolynomialStart start;
  int n = 1;
  std::string show() const { return start.show() + "; n = " + std::to_string(n); }
};

// A loss of the given degree and n drawn from `ns`, shrinking toward ns.front() (rc::gen::elementOf
// does not shrink).
inline rc::Gen<NStepStart> n_step_starts(PolynomialDegree degree, std::vector<int> ns) {
  return rc::gen::exec([degree, ns]() {
    const PolynomialStart start = *gen::polynomial_start(degree);
    return NStepStart{start, ns.at(*gen::dimension(0, static_cast<int>(ns.size()) - 1))};
  });
}

inline Vec<Series<Rational>> gd_step_series(const NStepStart& in) {
  using Ser = Series<Rational>;
  const PolynomialStart& p = in.start;
  const Ser eta = Ser::variable(kNStepOrder);
  const Vec<Ser> theta = from_rational<Ser>(p.theta);
  const auto model = make_model<Ser>(p.spec);
  return theta - eta * (model->gradient(theta, p.data<Ser>(), p.batch()) + Ser(p.lambda) * theta);
}

inline Vec<Series<Rational>> n_steps_series(const NStepStart& in, const Rational& c) {
  using Ser = Series<Rational>;
  const PolynomialStart& p = in.start;
  const Ser eta = Ser::variable(kNStepOrder);
  const Vec<Ser> theta = from_rational<Ser>(p.theta);
  const Mat<Ser> Lambda = Mat<Ser>(Mat<Ser>::Identity(theta.size(), theta.size())) * eta;
  return n_step_map<Ser>(p.spec, p.data<Ser>(), p.batch(), Ser(p.lambda), Lambda, Ser(c), in.n, theta);
}

}  // namespace entropic
