// Gregory's formula on GD's orbit against closed forms and against the jet recursion, exactly.
#include <gtest/gtest.h>

#include "entropic/metrics/hessian.hpp"
#include "entropic/model/make_model.hpp"
#include "entropic/theory/modified_field.hpp"
#include "entropic/theory/modified_field_from_orbit.hpp"

#include "expansion_support.hpp"

namespace entropic {
namespace {

using Q = Rational;
using S = Series<Q>;

using test::vec;

// w_k = (-1)^(k+1) sum_{n=max(k,1)}^N C(n,k)/n; for N = 3: -(1 + 1/2 + 1/3), 1 + 1 + 1, -(1/2 + 1), 1/3.
TEST(ModifiedFieldFromOrbit, GregoryWeights) {
  EXPECT_EQ(gregory_weights(1), (std::vector<Q>{Q(-1), Q(1)}));
  EXPECT_EQ(gregory_weights(3), (std::vector<Q>{Q(-11, 6), Q(3), Q(-3, 2), Q(1, 3)}));
  for (int N = 1; N <= 20; ++N) {
    Q sum(0);
    for (const Q& w : gregory_weights(N)) sum += w;
    EXPECT_EQ(sum, 0) << "N = " << N;  // a constant orbit has no field
  }
  EXPECT_THROW(gregory_weights(0), std::invalid_argument);
}

// The orbit of y -> (1 + h a) y, y_k = (1 + h a)^k y0 as series, where the field is known in closed
// form: f~ = log(1 + h a)/h y, c_j = (-1)^j a^(j+1)/(j+1) y0.
std::vector<Vec<S>> linear_orbit(const Q& a, const Q& y0, int N, int steps, bool exponential_step = false) {
  const S h = S::variable(N);
  S step = S(1) + h * S(a);
  if (exponential_step) step += h * h * S(a * a / 2);  // the mutant: exp(h a) to second order
  std::vector<Vec<S>> orbit{Vec<S>::Constant(1, S(y0))};
  for (int k = 0; k < steps; ++k) orbit.push_back(Vec<S>(orbit.back() * step));
  return orbit;
}

TEST(ModifiedFieldFromOrbit, LinearStepIsTheLogarithm) {
  const Q a(-3, 2), y0(2, 5);
  for (int K : {0, 1, 4, 15}) {
    const auto c = modified_field_from_orbit<Q>(linear_orbit(a, y0, K + 1, K + 1), K);
    ASSERT_EQ(c.size(), static_cast<size_t>(K) + 1);
    Q power = a;  // a^(j+1)
    for (int j = 0; j <= K; ++j) {
      const Q expected = (j % 2 ? -power : power) / (j + 1) * y0;
      EXPECT_EQ(c[static_cast<size_t>(j)][0], expected) << "K = " << K << ", c_" << j;
      power *= a;
    }
  }
}

// Negative controls: the field of a different step (exp(h a) to second order, whose logarithm has no
// h^2 term) differs at c_1, and an orbit too short or too coarse for the order is refused.
TEST(ModifiedFieldFromOrbit, RejectsADifferentStepAndATooShortOrbit) {
  const Q a(-3, 2), y0(2, 5);
  const auto mutant = modified_field_from_orbit<Q>(linear_orbit(a, y0, 4, 4, true), 3);
  EXPECT_EQ(mutant[0][0], a * y0);
  EXPECT_EQ(mutant[1][0], 0);
  EXPECT_NE(mutant[1][0], -a * a / 2 * y0);
  EXPECT_THROW(modified_field_from_orbit<Q>(linear_orbit(a, y0, 4, 3), 3), std::invalid_argument);
  EXPECT_THROW(modified_field_from_orbit<Q>(linear_orbit(a, y0, 3, 4), 3), std::invalid_argument);
}

// An MLP [1, 2, 1] with biases: 7 parameters.
ModelSpec mlp_1_2_1(ActivationKind activation) {
  ModelSpec spec;
  spec.kind = ModelKind::mlp;
  spec.widths = {1, 2, 1};
  spec.activation.kind = activation;
  spec.bias = true;
  return spec;
}

ModelSpec deep_linear(std::vector<int> widths) {
  ModelSpec spec;
  spec.kind = ModelKind::deep_linear;
  spec.widths = std::move(widths);
  return spec;
}

// Three samples in R^2 -> R for the net [2, 2, 1] of the tests below.
DataSet<Q> three_samples() {
  Mat<Q> X(3, 2), Y(3, 1);
  X << 1, Q(-1, 2), Q(1, 3), 2, 0, Q(-1, 4);
  Y << Q(1, 3), 2, Q(-1, 2);
  return {X, Y};
}

// Two independent routes to the same exact numbers: K + 1 series steps of GD, and the Taylor
// polynomials of the backward-error recursion in all the parameters.
TEST(ModifiedFieldFromOrbit, AgreesExactlyWithTheJetRecursion) {
  const ModelSpec spec = deep_linear({2, 2, 1});
  const DataSet<Q> data = three_samples();
  const Vec<Q> theta = vec({Q(1, 2), Q(-1), Q(2), Q(1, 3), Q(-1, 5), Q(3, 4)});
  for (const Q& lambda : {Q(0), Q(1, 10)}) {
    for (int K = 0; K <= 5; ++K) {
      const auto orbit = gradient_descent_modified_field<Q>(spec, data, theta, lambda, K);
      const auto jets = gradient_descent_modified_field_by_jets<Q>(spec, data, theta, lambda, K);
      ASSERT_EQ(orbit.size(), jets.size());
      for (int j = 0; j <= K; ++j) EXPECT_EQ(orbit[j], jets[j]) << "K = " << K << ", c_" << j;
    }
  }
  // A model whose field is not polynomial in h: odd_cubic activations.
  const ModelSpec cubic = mlp_1_2_1(ActivationKind::odd_cubic);
  const DataSet<Q> one{Mat<Q>::Constant(1, 1, Q(1, 2)), Mat<Q>::Constant(1, 1, Q(1, 3))};
  const Vec<Q> t7 = vec({Q(1, 2), Q(-1), Q(1, 4), Q(0), Q(2), Q(1, 3), Q(-1, 7)});
  const auto model = make_model<Q>(cubic);
  ASSERT_EQ(model->parameter_count(), t7.size());
  const auto orbit = gradient_descent_modified_field<Q>(cubic, one, t7, Q(1, 20), 4);
  const auto jets = gradient_descent_modified_field_by_jets<Q>(cubic, one, t7, Q(1, 20), 4);
  for (int j = 0; j <= 4; ++j) EXPECT_EQ(orbit[j], jets[j]) << "odd_cubic, c_" << j;
}

// The benchmark's net (bench/scenarios/deep_linear_2_2_2_1_wd.json: widths [2, 2, 2, 1], 10
// parameters, weight decay 1/10) at order 6, where the jets take about 2 s.
TEST(ModifiedFieldFromOrbit, AgreesWithTheJetsOnTheBenchmarkNetAtOrderSix) {
  const ModelSpec spec = deep_linear({2, 2, 2, 1});
  Mat<Q> X(3, 2), Y(3, 1);
  X << 1, 0, Q(1, 2), 2, -1, Q(1, 3);
  Y << 1, Q(-1, 2), Q(1, 4);
  const DataSet<Q> data{X, Y};
  // W1, W2, W3 column-major, as the scenario gives them by rows.
  const Vec<Q> theta = vec({Q(1, 2), Q(1, 4), Q(-1, 3), Q(1), Q(1), Q(-1, 2), Q(1, 2), Q(2, 3), Q(3, 4), Q(-1)});
  const auto orbit = gradient_descent_modified_field<Q>(spec, data, theta, Q(1, 10), 6);
  const auto jets = gradient_descent_modified_field_by_jets<Q>(spec, data, theta, Q(1, 10), 6);
  for (int j = 0; j <= 6; ++j) EXPECT_EQ(orbit[j], jets[j]) << "c_" << j;
}

// Certified: a tanh net's enclosures from the two routes intersect, and the orbit's are no wider
// than 2^-60 at 128 bits (the formula's cancellation costs about log2 sum |w_k| bits).
TEST(ModifiedFieldFromOrbit, TanhEnclosuresAgreeWithTheJetRecursion) {
  PrecisionScope precision(128);
  const ModelSpec spec = mlp_1_2_1(ActivationKind::tanh);
  const DataSet<Q> data{Mat<Q>::Constant(1, 1, Q(1, 2)), Mat<Q>::Constant(1, 1, Q(1, 3))};
  const Vec<Q> theta = vec({Q(1, 2), Q(-1), Q(1, 4), Q(0), Q(2), Q(1, 3), Q(-1, 7)});
  EXPECT_THROW(gradient_descent_modified_field<Q>(spec, data, theta, Q(0), 2), not_rational);
  const auto orbit = gradient_descent_modified_field<Interval>(spec, data, theta, Q(1, 10), 4);
  const auto jets = gradient_descent_modified_field_by_jets<Interval>(spec, data, theta, Q(1, 10), 4);
  const Interval ulp_bound = ldexp(Interval(1), -60);
  for (int j = 0; j <= 4; ++j)
    for (Eigen::Index i = 0; i < theta.size(); ++i) {
      EXPECT_TRUE(overlap(orbit[j][i], jets[j][i])) << "c_" << j << "[" << i << "]";
      EXPECT_TRUE(width(orbit[j][i]) < upper(ulp_bound)) << to_text(orbit[j][i]);
    }
}

// d/de f_j(theta0 + e v) from the orbit on dual series against the linear part of the jets,
// sum_k v_k [coefficient of delta_k], for every j <= K and two weight decays; f_1's against its
// closed form -(H v + lambda v). Control: the derivatives along e_1 and e_2 differ, so a result
// that ignored the direction would fail.
TEST(ModifiedFieldFromOrbit, DirectionalDerivativeIsTheJetsLinearPart) {
  const ModelSpec spec = deep_linear({2, 2, 1});
  const DataSet<Q> data = three_samples();
  const Vec<Q> theta = vec({Q(1, 2), Q(-1), Q(2), Q(1, 3), Q(-1, 5), Q(3, 4)});
  const Vec<Q> v = vec({Q(1), Q(-2, 3), Q(0), Q(1, 2), Q(3), Q(-1, 4)});
  const int K = 3, m = static_cast<int>(theta.size());
  for (const Q& lambda : {Q(0), Q(1, 10)}) {
    const auto derivative = gradient_descent_modified_field_derivative(spec, data, theta, lambda, v, K);
    const auto jets = gradient_descent_modified_field_jets<Q>(spec, data, theta, lambda, K, K + 1);
    ASSERT_EQ(derivative.size(), static_cast<size_t>(K) + 1);
    for (int j = 0; j <= K; ++j)
      for (int i = 0; i < m; ++i) {
        Q linear(0);
        for (int k = 0; k < m; ++k) {
          std::vector<int> e(static_cast<size_t>(m), 0);
          e[static_cast<size_t>(k)] = 1;
          linear += v[k] * jets[static_cast<size_t>(j)][i].coefficient(e);
        }
        EXPECT_EQ(derivative[static_cast<size_t>(j)][i], linear) << "lambda = " << lambda << ", c_" << j << "[" << i << "]";
      }
    const Vec<Q> Hv = hessian_vector_product(spec, data, Model<Q>::all(data), theta, v);
    EXPECT_EQ(derivative[0], Vec<Q>(-(Hv + lambda * v)));
  }
  const auto along_1 = gradient_descent_modified_field_derivative(spec, data, theta, Q(0), Vec<Q>::Unit(m, 0), K);
  const auto along_2 = gradient_descent_modified_field_derivative(spec, data, theta, Q(0), Vec<Q>::Unit(m, 1), K);
  EXPECT_NE(along_1[2], along_2[2]);
  EXPECT_THROW(gradient_descent_modified_field_derivative(spec, data, theta, Q(0), vec({Q(1)}), K), std::invalid_argument);
}

TEST(ModifiedFieldFromOrbit, RejectsWhatItCannotExpand) {
  const ModelSpec spec = deep_linear({1, 1, 1});
  const DataSet<Q> data{Mat<Q>::Constant(1, 1, Q(1)), Mat<Q>::Constant(1, 1, Q(1))};
  EXPECT_THROW(gradient_descent_modified_field<Q>(spec, data, vec({Q(1)}), Q(0), 2), std::invalid_argument);
  EXPECT_THROW(gradient_descent_modified_field<Q>(spec, data, vec({Q(1), Q(2)}), Q(0), -1),
               std::invalid_argument);
  ModelSpec relu;
  relu.kind = ModelKind::mlp;
  relu.widths = {1, 1, 1};
  relu.activation.kind = ActivationKind::relu;
  EXPECT_THROW(gradient_descent_modified_field<Q>(relu, data, vec({Q(0), Q(1)}), Q(0), 1), kink_unresolved);
}

}  // namespace
}  // namespace entropic
