// Gregory's formula on the orbit, and GD's modified field through it, for Rational and Interval
// (the models over Series<T> are the heavy instantiations).
#include "entropic/theory/modified_field_from_orbit.hpp"

#include <stdexcept>
#include <string>

#include "entropic/model/make_model.hpp"
#include "entropic/numeric/dual.hpp"
#include "entropic/theory/modified_field.hpp"

namespace entropic {

std::vector<Rational> gregory_weights(int N) {
  if (N < 1) throw std::invalid_argument("Gregory's formula needs N >= 1 differences");
  std::vector<Rational> w(static_cast<size_t>(N) + 1, Rational(0));
  for (int n = 1; n <= N; ++n) {
    Rational binomial(1);  // C(n, k), k = 0 .. n
    for (int k = 0; k <= n; ++k) {
      if (k > 0) binomial = binomial * (n - k + 1) / k;
      const Rational term = binomial / n;
      w[static_cast<size_t>(k)] += (k % 2 == 1) ? term : Rational(-term);
    }
  }
  return w;
}

template <class T>
std::vector<Vec<T>> modified_field_from_orbit(const std::vector<Vec<Series<T>>>& orbit, int K) {
  if (K < 0) throw std::invalid_argument("modified field: order K must be >= 0");
  const int N = K + 1;
  if (static_cast<int>(orbit.size()) < N + 1)
    throw std::invalid_argument("modified field to order " + std::to_string(K) + ": needs the orbit y_0 .. y_" +
                                std::to_string(N) + ", got " + std::to_string(orbit.size()) + " iterates");
  const Eigen::Index n = orbit[0].size();
  const std::vector<Rational> w = gregory_weights(N);
  Vec<Series<T>> sum = Vec<Series<T>>::Constant(n, Series<T>(T(0)));
  for (int k = 0; k <= N; ++k) {
    const Vec<Series<T>>& y = orbit[static_cast<size_t>(k)];
    if (y.size() != n) throw std::invalid_argument("modified field: iterates of different sizes");
    const Series<T> weight(from_rational<T>(w[static_cast<size_t>(k)]));
    for (Eigen::Index i = 0; i < n; ++i) {
      if (y[i].order() < N)
        throw std::invalid_argument("modified field to order " + std::to_string(K) + ": iterate " +
                                    std::to_string(k) + " is known through h^" + std::to_string(y[i].order()) +
                                    ", it needs h^" + std::to_string(N));
      sum[i] += weight * y[i];
    }
  }
  // sum = h f~(y0) + O(h^(N+1)): its constant term is 0 exactly (the w_k sum to 0).
  std::vector<Vec<T>> c(static_cast<size_t>(N), Vec<T>(n));
  for (int j = 0; j < N; ++j)
    for (Eigen::Index i = 0; i < n; ++i) c[static_cast<size_t>(j)][i] = sum[i][j + 1];
  return c;
}

namespace {

// GD's orbit y_0 .. y_N on L_lambda, y_{k+1} = y_k - h (grad L(y_k) + lambda y_k), over the scalar X
// the iterates are carried in: Series<T> for the field, Dual<Series<Rational>> for its derivative.
// The checkpoint is called before each step.
template <class X>
std::vector<Vec<X>> gradient_descent_orbit(const ModelSpec& spec, const DataSet<X>& data, Vec<X> y0, const X& h,
                                           const X& decay, int N, const Checkpoint& checkpoint) {
  const auto model = make_model<X>(spec);
  std::vector<Vec<X>> orbit;
  orbit.reserve(static_cast<size_t>(N) + 1);
  orbit.push_back(std::move(y0));
  for (int k = 0; k < N; ++k) {
    if (checkpoint) checkpoint();
    const Vec<X>& y = orbit.back();
    Vec<X> g = model->gradient(y, data);
    for (Eigen::Index i = 0; i < y.size(); ++i) g[i] = y[i] - h * (g[i] + decay * y[i]);
    orbit.push_back(std::move(g));
  }
  return orbit;
}

}  // namespace

// GD on L_lambda, the iterates as series in h.
template <class T>
std::vector<Vec<T>> gradient_descent_modified_field(const ModelSpec& spec, const DataSet<Rational>& data,
                                                    const Vec<Rational>& theta0, const Rational& lambda, int K,
                                                    const Checkpoint& checkpoint) {
  if (K < 0) throw std::invalid_argument("modified field: order K must be >= 0");
  // The field must be smooth at the point: the sizes, a ReLU kink (kink_unresolved) and, for
  // Rational, a model that is not rational (not_rational).
  check_expandable<T>(spec, data, theta0);
  using S = Series<T>;
  const int N = K + 1;
  const S h = S::variable(N), decay(from_rational<T>(lambda));
  const auto orbit = gradient_descent_orbit<S>(spec, from_rational<S>(data), from_rational<S>(theta0), h, decay, N,
                                               checkpoint);
  return modified_field_from_orbit<T>(orbit, K);
}

std::vector<Vec<Rational>> gradient_descent_modified_field_derivative(const ModelSpec& spec,
                                                                       const DataSet<Rational>& data,
                                                                       const Vec<Rational>& theta0,
                                                                       const Rational& lambda,
                                                                       const Vec<Rational>& v, int K) {
  if (K < 0) throw std::invalid_argument("modified field: order K must be >= 0");
  if (v.size() != theta0.size())
    throw std::invalid_argument("modified field derivative: the direction has " + std::to_string(v.size()) +
                                " entries, theta0 has " + std::to_string(theta0.size()));
  check_expandable<Rational>(spec, data, theta0);
  using S = Series<Rational>;
  using X = Dual<S>;
  const int N = K + 1;
  const X h{S::variable(N)}, decay{S(lambda)};
  Vec<X> y0(theta0.size());
  for (Eigen::Index i = 0; i < y0.size(); ++i) y0[i] = X(S(theta0[i]), S(v[i]));
  const auto orbit = gradient_descent_orbit<X>(spec, lift<X>(from_rational<S>(data)), std::move(y0), h, decay, N, {});
  std::vector<Vec<S>> tangents;
  tangents.reserve(orbit.size());
  for (const Vec<X>& y : orbit) tangents.push_back(Vec<S>(y.unaryExpr([](const X& x) { return x.tangent(); })));
  return modified_field_from_orbit<Rational>(tangents, K);
}

#define ENTROPIC_MODIFIED_FIELD_FROM_ORBIT(T)                                                               \
  template std::vector<Vec<T>> modified_field_from_orbit<T>(const std::vector<Vec<Series<T>>>&, int);     \
  template std::vector<Vec<T>> gradient_descent_modified_field<T>(                                         \
      const ModelSpec&, const DataSet<Rational>&, const Vec<Rational>&, const Rational&, int, const Checkpoint&);

ENTROPIC_MODIFIED_FIELD_FROM_ORBIT(Rational)
ENTROPIC_MODIFIED_FIELD_FROM_ORBIT(Interval)

}  // namespace entropic
