// GdPoint: a loss and a point at which the modified field of GD is expanded (catalog E1, N2, T1):
// a model with its data (L = mean of the per-sample losses), a rational theta0 and the weight decay
// lambda of L_lambda = L + lambda/2 ||theta||^2.
//
//   polynomial_loss(variables)   l(theta) = sum_t c_t prod_i theta_i^{e_ti} in 2 variables that always
//                                holds a mixed cubic c theta_1^2 theta_2 or c theta_1 theta_2^2, plus up
//                                to three terms of degree <= 4: never quadratic, never separable, so
//                                the third derivative T and the commutator [H, T[g]] are generically
//                                nonzero (a quadratic or a separable loss cannot tell f_3 from a
//                                gradient, catalog N2). Shrinks toward the single cubic term.
//   deep_linear_net()            f = W2 W1 x with widths [1, 1, 1], [2, 1, 1] or [1, 2, 1] and
//                                1 to 3 samples.
//   gd_point(losses)             a point and a weight decay (0, or shrinking toward 0) for them.
//   sized_polynomial_loss(), sized_deep_linear_net()
//                                the two above, and under `--profile large` (gen/by_size_profile.hpp)
//                                200 variables and [14, 14, 1] (210 parameters): see
//                                detail::large_polynomial_loss.
#pragma once

#include "entropic/gen/by_size_profile.hpp"
#include "entropic/gen/generators.hpp"
#include "entropic/gen/polynomial_start.hpp"
#include "entropic/gen/training_run.hpp"

namespace entropic {

struct GdPoint {
  ModelSpec spec;
  DataSet<Rational> data;
  Vec<Rational> theta0;
  Rational lambda = 0;

  std::string show() const {
    std::string out;
    if (spec.kind == ModelKind::polynomial) {
      out = "l = ";
      bool first = true;
      for (size_t t = 0; t < spec.polynomial.size(); ++t) {
        const Monomial& m = spec.polynomial[t];
        if (m.coefficient == 0 && spec.polynomial.size() > 1) continue;  // the large losses draw zeros
        std::string c = to_text(m.coefficient);
        std::string term;
        for (size_t i = 0; i < m.exponents.size(); ++i) {
          if (m.exponents[i] == 0) continue;
          term += (term.empty() ? "" : " ") + std::string("theta") + std::to_string(i + 1);
          if (m.exponents[i] > 1) term += "^" + std::to_string(m.exponents[i]);
        }
        if (!term.empty()) c = c == "1" ? "" : c == "-1" ? "-" : c + " ";
        const std::string text = c + term;
        out += first ? text : (text[0] == '-' ? " - " + text.substr(1) : " + " + text);
        first = false;
      }
      if (first) out += "0";
      out += "; theta0 = " + gen::show(theta0);
    } else {
      std::string widths;
      for (size_t i = 0; i < spec.widths.size(); ++i) widths += (i ? "," : "") + std::to_string(spec.widths[i]);
      out = spec.kind_name() + " [" + widths + "]; x = " + gen::show(data.X) + ", y = " +
            gen::show(data.Y) + "; theta0 = " +
            gen::show_parameters(make_model<Rational>(spec)->layout(), theta0);
    }
    return out + "; lambda = " + to_text(lambda);
  }
};

namespace gen {

// A 2-variable polynomial loss (see above) as a ModelSpec.
inline rc::Gen<ModelSpec> polynomial_loss() {
  const auto term = rc::gen::tuple(nonzero_rational(4, 3), gen::in_range(0, 4), gen::in_range(0, 4));
  const auto extra = rc::gen::mapcat(gen::in_range(0, 4), [term](int n) {
    return rc::gen::container<std::vector<std::tuple<Rational, int, int>>>(n, term);
  });
  return rc::gen::map(
      rc::gen::tuple(nonzero_rational(4, 3), rc::gen::arbitrary<bool>(), extra),
      [](const std::tuple<Rational, bool, std::vector<std::tuple<Rational, int, int>>>& t) {
        ModelSpec spec;
        spec.kind = ModelKind::polynomial;
        spec.widths = {2, 1};
        const bool swap = std::get<1>(t);
        spec.polynomial.push_back(Monomial{std::get<0>(t), {swap ? 1 : 2, swap ? 2 : 1}});
        for (const auto& [c, a, b] : std::get<2>(t))
          if (a + b <= 4 && a + b >= 1) spec.polynomial.push_back(Monomial{c, {a, b}});
        return spec;
      });
}

// f = W2 W1 x with widths [1, 1, 1], [2, 1, 1] or [1, 2, 1] (shrinks toward [1, 1, 1]).
inline rc::Gen<ModelSpec> deep_linear_net() {
  return rc::gen::map(gen::in_range(0, 3), [](int shape) {
    ModelSpec spec;
    spec.kind = ModelKind::deep_linear;
    spec.widths = shape == 0 ? std::vector<int>{1, 1, 1}
                  : shape == 1 ? std::vector<int>{2, 1, 1}
                               : std::vector<int>{1, 2, 1};
    return spec;
  });
}

namespace detail {

// The loss under `--profile large`: polynomial_loss() on theta_1, theta_2 (its mixed cubic included,
// so that N2's curl of f_3 on that pair is generically nonzero), and for every i of the
// d = kLargeProfileParameters variables the terms theta_i^2, theta_i theta_j with a partner j != i
// drawn for it and theta_i theta_a theta_b with a, b drawn: every variable coupled at random, no
// symmetry built in, O(d) terms so that exact series stay cheap.
inline rc::Gen<ModelSpec> large_polynomial_loss() {
  return rc::gen::exec([]() {
    const int d = kLargeProfileParameters;
    const ModelSpec pair = *polynomial_loss();
    ModelSpec spec;
    spec.kind = ModelKind::polynomial;
    spec.widths = {d, 1};
    for (const Monomial& m : pair.polynomial) {
      Monomial wide{m.coefficient, std::vector<int>(static_cast<size_t>(d), 0)};
      wide.exponents[0] = m.exponents[0];
      wide.exponents[1] = m.exponents[1];
      spec.polynomial.push_back(std::move(wide));
    }
    const auto coefficients = [d] { return *rc::gen::container<std::vector<Rational>>(d, rational(3, 3)); };
    const auto square = coefficients(), coupling = coefficients(), cubic = coefficients();
    for (int i = 0; i < d; ++i) {
      spec.polynomial.push_back(monomial(d, square[i], {i, i}));
      spec.polynomial.push_back(monomial(d, coupling[i], {i, (i + *in_range(1, d)) % d}));
      spec.polynomial.push_back(monomial(d, cubic[i], {i, *in_range(0, d), *in_range(0, d)}));
    }
    return spec;
  });
}

}  // namespace detail

// polynomial_loss() at the standard profile, detail::large_polynomial_loss() under `large`.
inline rc::Gen<ModelSpec> sized_polynomial_loss() {
  return by_size_profile(polynomial_loss(), detail::large_polynomial_loss());
}

// deep_linear_net() at the standard profile; under `large` its free widths take one common width,
// the smallest that reaches 200 parameters: [14, 14, 1].
inline rc::Gen<ModelSpec> sized_deep_linear_net() {
  return by_size_profile(deep_linear_net(), rc::gen::map(model_widths(ModelKind::deep_linear, {1, 1, 1}, {2, 2, 1}),
                                                         [](const std::vector<int>& widths) {
                                                           ModelSpec spec;
                                                           spec.kind = ModelKind::deep_linear;
                                                           spec.widths = widths;
                                                           return spec;
                                                         }));
}

// A point, data (1 to 3 samples; a polynomial loss takes one zero sample) and lambda for the losses.
inline rc::Gen<GdPoint> gd_point(rc::Gen<ModelSpec> losses, bool weight_decay = true) {
  return rc::gen::mapcat(std::move(losses), [weight_decay](const ModelSpec& spec) {
    const bool polynomial = spec.kind == ModelKind::polynomial;
    const auto data = polynomial ? rc::gen::just(DataSet<Rational>{Mat<Rational>::Zero(1, 1),
                                                                   Mat<Rational>::Zero(1, 1)})
                                 : rc::gen::mapcat(dimension(1, 3), [spec](int n) { return dataset(spec, n); });
    const auto lambda = weight_decay ? rc::gen::oneOf(rc::gen::just(Rational(0)), step_size())
                                     : rc::gen::just(Rational(0));
    return rc::gen::map(rc::gen::tuple(data, parameters(spec, rational(3, 3)), lambda),
                        [spec](const std::tuple<DataSet<Rational>, Vec<Rational>, Rational>& t) {
                          return GdPoint{spec, std::get<0>(t), std::get<1>(t), std::get<2>(t)};
                        });
  });
}

}  // namespace gen
}  // namespace entropic
