// Polynomial loss l(theta) = sum_t c_t prod_i theta_i^{e_ti}, the same for every sample (the data
// set only fixes the mean). The non-quadratic, symmetry-free test losses of catalog T1, E1, N2.
// grad_i l = sum_t c_t e_ti theta_i^{e_ti - 1} prod_{j != i} theta_j^{e_tj}.
#pragma once

#include "entropic/model/model.hpp"

namespace entropic {

template <class S>
class PolynomialLoss : public Model<S> {
 public:
  explicit PolynomialLoss(const ModelSpec& spec) : Model<S>(spec) {
    this->layout_.add("W1", 1, spec.widths[0]);
    for (const Monomial& m : spec.polynomial) {
      coefficients_.push_back(from_rational<S>(m.coefficient));
      std::vector<Factor> factors;
      for (size_t i = 0; i < m.exponents.size(); ++i)
        if (m.exponents[i] > 0) factors.push_back({static_cast<int>(i), m.exponents[i]});
      factors_.push_back(std::move(factors));
    }
  }
  Vec<S> output(const Vec<S>& theta, const Vec<S>&) const override {
    Vec<S> f(1);
    f[0] = value(theta);
    return f;
  }
  S sample_loss(const Vec<S>& theta, const Vec<S>&, const Vec<S>&) const override {
    return value(theta);
  }
  void add_sample_gradient(const Vec<S>& theta, const Vec<S>&, const Vec<S>&, const S& weight,
                           Vec<S>& grad) const override {
    for (size_t t = 0; t < factors_.size(); ++t)
      for (const Factor& f : factors_[t]) {
        S d = weight * coefficients_[t] * S(f.exponent) * power(theta[f.variable], f.exponent - 1);
        for (const Factor& g : factors_[t])
          if (g.variable != f.variable) d *= power(theta[g.variable], g.exponent);
        grad[f.variable] += d;
      }
  }

 private:
  // theta_variable^exponent, exponent > 0: a term reads only the variables it contains, so a loss
  // of T terms in P variables costs O(T) per value, not O(T P).
  struct Factor {
    int variable, exponent;
  };
  static S power(const S& x, int e) {
    S r(1);
    for (int k = 0; k < e; ++k) r *= x;
    return r;
  }
  S value(const Vec<S>& theta) const {
    S total(0);
    for (size_t t = 0; t < factors_.size(); ++t) {
      S m = coefficients_[t];
      for (const Factor& f : factors_[t]) m *= power(theta[f.variable], f.exponent);
      total += m;
    }
    return total;
  }
  std::vector<S> coefficients_;
  std::vector<std::vector<Factor>> factors_;
};

}  // namespace entropic
