// PolynomialStart: a polynomial loss in two parameters (200 under `--profile large`), a rational start
// and a weight decay: the instances of the order claims whose residual is a power series in the
// learning rate (catalog T1, T3, E3, N8).
//
//   l(theta) = sum_{1 <= a + b <= 3} c_ab theta_1^a theta_2^b
//
// Every coefficient is drawn on its own, so no symmetry is built in. PolynomialDegree::cubic asks for
// a non-quadratic loss (some c_ab with a + b = 3 nonzero): only then is the third derivative T[a, b]
// of catalog T1's eta^3 residual nonzero; PolynomialDegree::quadratic keeps a + b <= 2 (constant
// Hessian: catalog N8's "even on a quadratic"). Coefficients shrink toward 0 (one cubic term survives
// when required),
// theta toward small fractions and lambda toward 0, so a counterexample shrinks to a loss of one or
// two terms.
#pragma once

#include <algorithm>
#include <initializer_list>
#include <string>
#include <vector>

#include "entropic/gen/generators.hpp"
#include "entropic/gen/size_profile.hpp"

namespace entropic {

enum class PolynomialDegree { quadratic, at_most_cubic, cubic };

struct PolynomialStart {
  ModelSpec spec;      // ModelKind::polynomial, two parameters (large profile: kLargeProfileParameters)
  Vec<Rational> theta;
  Rational lambda = 0;

  // The loss ignores the data: one sample, so that the batch mean is the loss itself.
  template <class S>
  DataSet<S> data() const {
    return DataSet<S>{Mat<S>::Zero(1, 1), Mat<S>::Zero(1, 1)};
  }
  static Batch batch() { return Batch{0}; }

  // "l = t1^3 - 1/2 t1 t2; theta = [1, -2]; lambda = 0"
  std::string show() const {
    std::string l;
    for (const Monomial& m : spec.polynomial) {
      if (m.coefficient == 0) continue;
      std::string term;
      for (size_t i = 0; i < m.exponents.size(); ++i)
        if (m.exponents[i] > 0)
          term += (term.empty() ? "" : " ") + ("t" + std::to_string(i + 1)) +
                  (m.exponents[i] > 1 ? "^" + std::to_string(m.exponents[i]) : "");
      const Rational a = abs(m.coefficient);
      const std::string sign = m.coefficient < 0 ? (l.empty() ? "-" : " - ") : (l.empty() ? "" : " + ");
      l += sign + (a == 1 ? "" : to_text(a) + " ") + term;
    }
    return "l = " + (l.empty() ? std::string("0") : l) + "; theta = " + gen::show(theta) +
           "; lambda = " + to_text(lambda);
  }
};

namespace gen {

namespace detail {
// theta_{i_1} ... theta_{i_k} in d variables (an index may repeat: theta_i^2 theta_j).
inline Monomial monomial(int d, const Rational& c, std::initializer_list<int> variables) {
  Monomial m{c, std::vector<int>(static_cast<size_t>(d), 0)};
  for (int i : variables) ++m.exponents[static_cast<size_t>(i)];
  return m;
}

// The loss under `--profile large`: d = kLargeProfileParameters variables, and for every i the terms
// theta_i, theta_i^2 and theta_i theta_j with a partner j != i drawn for it, and (cubic parts) one
// term theta_i theta_a theta_b with a, b drawn (gen::in_range: the whole range from size 10 on): 3d
// or 4d coefficients, each drawn on its own, the variables coupled at random (no symmetry built in),
// and O(d) terms so that the order claims' exact series stay cheap. `cubic` keeps a cubic
// coefficient nonzero, as the two-variable loss does.
inline PolynomialStart large_polynomial_start(PolynomialDegree degree, bool weight_decay) {
  const int d = kLargeProfileParameters;
  PolynomialStart p;
  p.spec.kind = ModelKind::polynomial;
  p.spec.widths = {d, 1};
  const auto coefficients = [d] { return *rc::gen::container<std::vector<Rational>>(d, rational(4, 4)); };
  const auto linear = coefficients(), square = coefficients(), coupling = coefficients();
  for (int i = 0; i < d; ++i) {
    const int partner = (i + *in_range(1, d)) % d;
    p.spec.polynomial.push_back(monomial(d, linear[i], {i}));
    p.spec.polynomial.push_back(monomial(d, square[i], {i, i}));
    p.spec.polynomial.push_back(monomial(d, coupling[i], {i, partner}));
  }
  if (degree != PolynomialDegree::quadratic) {
    std::vector<Rational> cubic = coefficients();
    if (degree == PolynomialDegree::cubic && std::all_of(cubic.begin(), cubic.end(), [](const Rational& c) { return c == 0; }))
      cubic[0] = 1;
    for (int i = 0; i < d; ++i)
      p.spec.polynomial.push_back(monomial(d, cubic[i], {i, *in_range(0, d), *in_range(0, d)}));
  }
  p.theta = *vector(d, rational(4, 4));
  if (weight_decay && *rc::gen::arbitrary<bool>()) p.lambda = *step_size(Rational(1, 2));
  return p;
}
}  // namespace detail

// A loss in two parameters of the given degree, a start and lambda in {0, > 0}; under `--profile
// large`, detail::large_polynomial_start.
inline rc::Gen<PolynomialStart> polynomial_start(PolynomialDegree degree, bool weight_decay = true) {
  return rc::gen::exec([degree, weight_decay]() {
    if (size_profile() == SizeProfile::large) return detail::large_polynomial_start(degree, weight_decay);
    // Monomials theta_1^a theta_2^b by degree: the quadratic part first, then the cubic part.
    const std::vector<std::vector<int>> low = {{1, 0}, {0, 1}, {2, 0}, {1, 1}, {0, 2}};
    const std::vector<std::vector<int>> top = {{3, 0}, {2, 1}, {1, 2}, {0, 3}};
    const auto low_c = *rc::gen::container<std::vector<Rational>>(low.size(), rational(4, 4));
    auto top_gen = rc::gen::container<std::vector<Rational>>(top.size(), rational(4, 4));
    std::vector<Rational> top_c(top.size(), Rational(0));
    if (degree == PolynomialDegree::at_most_cubic) top_c = *top_gen;
    if (degree == PolynomialDegree::cubic)
      top_c = *rc::gen::suchThat(top_gen, [](const std::vector<Rational>& c) {
        for (const Rational& x : c)
          if (x != 0) return true;
        return false;
      });
    PolynomialStart p;
    p.spec.kind = ModelKind::polynomial;
    p.spec.widths = {2, 1};
    for (size_t t = 0; t < low.size(); ++t) p.spec.polynomial.push_back(Monomial{low_c[t], low[t]});
    for (size_t t = 0; t < top.size(); ++t) p.spec.polynomial.push_back(Monomial{top_c[t], top[t]});
    p.theta = *vector(2, rational(4, 4));
    if (weight_decay && *rc::gen::arbitrary<bool>()) p.lambda = *step_size(Rational(1, 2));
    return p;
  });
}

}  // namespace gen
}  // namespace entropic
