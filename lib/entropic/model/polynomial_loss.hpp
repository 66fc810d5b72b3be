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
    for (const Monomial& m : spec.polynomial) coefficients_.push_back(from_rational<S>(m.coefficient));
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
    const auto& terms = this->spec_.polynomial;
    for (size_t t = 0; t < terms.size(); ++t)
      for (int i = 0; i < theta.size(); ++i) {
        const int e = terms[t].exponents[i];
        if (e == 0) continue;
        S d = weight * coefficients_[t] * S(e) * power(theta[i], e - 1);
        for (int j = 0; j < theta.size(); ++j)
          if (j != i) d *= power(theta[j], terms[t].exponents[j]);
        grad[i] += d;
      }
  }

 private:
  static S power(const S& x, int e) {
    S r(1);
    for (int k = 0; k < e; ++k) r *= x;
    return r;
  }
  S value(const Vec<S>& theta) const {
    S total(0);
    const auto& terms = this->spec_.polynomial;
    for (size_t t = 0; t < terms.size(); ++t) {
      S m = coefficients_[t];
      for (int i = 0; i < theta.size(); ++i) m *= power(theta[i], terms[t].exponents[i]);
      total += m;
    }
    return total;
  }
  std::vector<S> coefficients_;
};

}  // namespace entropic
