// The backward-error recursion on jets and its GD instances, compiled once for Rational and Interval
// (the models over Jet<T> are the heavy instantiations).
#include "entropic/theory/modified_field.hpp"

#include <map>
#include <stdexcept>
#include <string>

#include "entropic/model/make_model.hpp"
#include "entropic/theory/flow.hpp"

namespace entropic {

namespace {

template <class T>
FieldJet<T> truncated(const FieldJet<T>& f, int order) {
  FieldJet<T> out(f.size());
  for (Eigen::Index i = 0; i < f.size(); ++i) out[i] = f[i].truncated(order);
  return out;
}

// (D_k G) = G' f_k, known to degree `order`: sum_l (d G / d delta_l) (f_k)_l.
template <class T>
FieldJet<T> lie_derivative(const FieldJet<T>& G, const FieldJet<T>& fk, int order, const Checkpoint& checkpoint) {
  const Eigen::Index n = fk.size();
  FieldJet<T> out(G.size());
  for (Eigen::Index i = 0; i < G.size(); ++i) {
    if (checkpoint) checkpoint();
    Jet<T> sum(T(0));
    for (Eigen::Index l = 0; l < n; ++l) {
      if (G[i].exact()) break;  // a constant component has no derivative
      sum += G[i].derivative(static_cast<int>(l)).truncated(order) * fk[l].truncated(order);
    }
    out[i] = sum.truncated(order);
  }
  return out;
}

template <class Model>
void check_parameter_count(const Model& model, const Vec<Rational>& theta0) {
  if (theta0.size() != model.parameter_count())
    throw std::invalid_argument("parameters: model has " + std::to_string(model.parameter_count()) +
                                " entries, got " + std::to_string(theta0.size()));
}

// Calls visit(k_1, ..., k_i) for every composition of j into i positive parts.
template <class Visit>
void compositions(int j, int i, std::vector<int>& prefix, Visit&& visit) {
  if (i == 1) {
    prefix.push_back(j);
    visit(prefix);
    prefix.pop_back();
    return;
  }
  for (int k = 1; k <= j - i + 1; ++k) {
    prefix.push_back(k);
    compositions(j - k, i - 1, prefix, visit);
    prefix.pop_back();
  }
}

}  // namespace

template <class T>
std::vector<FieldJet<T>> modified_field_jets(const std::vector<FieldJet<T>>& step, int count,
                                             const Checkpoint& checkpoint) {
  if (step.empty()) throw std::invalid_argument("modified field: the step map needs d_1");
  if (count < 1) throw std::invalid_argument("modified field: count must be >= 1");
  const Eigen::Index n = step[0].size();
  int D = Jet<T>::kExact;
  for (Eigen::Index i = 0; i < n; ++i) D = std::min(D, step[0][i].order());
  if (D != Jet<T>::kExact && D < count - 1)
    throw std::invalid_argument("modified field: f_" + std::to_string(count) + " needs d_1 to degree " +
                                std::to_string(count - 1) + ", it is known to degree " +
                                std::to_string(D));
  // The degree f_j (and every chain summing to j) is needed to.
  const auto degree = [&](int j) { return D == Jet<T>::kExact ? D : D + 1 - j; };

  std::vector<FieldJet<T>> f;
  std::map<std::vector<int>, FieldJet<T>> chains;  // (k_1, ..., k_i) -> D_{k_1} ... D_{k_{i-1}} f_{k_i}
  // Memoized by suffix: chain(k_1, rest) = D_{k_1} chain(rest).
  const auto chain = [&](const auto& self, const std::vector<int>& ks) -> const FieldJet<T>& {
    auto it = chains.find(ks);
    if (it != chains.end()) return it->second;
    int sum = 0;
    for (int k : ks) sum += k;
    if (checkpoint) checkpoint();
    FieldJet<T> value;
    if (ks.size() == 1) {
      value = truncated(f[ks[0] - 1], degree(sum));
    } else {
      const std::vector<int> rest(ks.begin() + 1, ks.end());
      value = lie_derivative(self(self, rest), f[ks[0] - 1], degree(sum), checkpoint);
    }
    return chains.emplace(ks, std::move(value)).first->second;
  };

  T factorial(1);
  for (int j = 1; j <= count; ++j) {
    FieldJet<T> fj = j <= static_cast<int>(step.size()) ? truncated(step[j - 1], degree(j))
                                                        : FieldJet<T>::Constant(n, Jet<T>(T(0)));
    if (fj.size() != n) throw std::invalid_argument("modified field: d_j of different dimensions");
    factorial = T(1);
    for (int i = 2; i <= j; ++i) {
      factorial = factorial * T(i);
      FieldJet<T> sum = FieldJet<T>::Constant(n, Jet<T>(T(0)));
      std::vector<int> prefix;
      compositions(j, i, prefix, [&](const std::vector<int>& ks) { sum += chain(chain, ks); });
      const Jet<T> weight(T(1) / factorial);
      for (Eigen::Index c = 0; c < n; ++c) fj[c] -= weight * sum[c];
    }
    f.push_back(truncated(fj, degree(j)));
  }
  return f;
}

template <class T>
void check_expandable(const ModelSpec& spec, const DataSet<Rational>& data, const Vec<Rational>& theta0) {
  using J = Jet<T>;
  const auto model = make_model<J>(spec);
  check_parameter_count(*model, theta0);
  const JetSpace& space = JetSpace::of(1, 1);
  FieldJet<T> theta(theta0.size());
  for (Eigen::Index i = 0; i < theta0.size(); ++i) theta[i] = J::variable(space, 0, from_rational<T>(theta0[i]));
  (void)model->gradient(theta, from_rational<J>(data));
}

template <class T>
FieldJet<T> gradient_descent_field_jet(const ModelSpec& spec, const DataSet<Rational>& data,
                                       const Vec<Rational>& theta0, const Rational& lambda,
                                       int degree) {
  using J = Jet<T>;
  const auto model = make_model<J>(spec);
  check_parameter_count(*model, theta0);
  if (degree < 1) throw std::invalid_argument("modified field: the jet of d_1 needs degree >= 1");
  const JetSpace& space = JetSpace::of(static_cast<int>(theta0.size()), degree);
  FieldJet<T> theta(theta0.size());
  for (Eigen::Index i = 0; i < theta0.size(); ++i)
    theta[i] = J::variable(space, static_cast<int>(i), from_rational<T>(theta0[i]));
  const FieldJet<T> g = model->gradient(theta, from_rational<J>(data));
  return -(g + J(from_rational<T>(lambda)) * theta);
}

template <class T>
std::vector<FieldJet<T>> gradient_descent_modified_field_jets(const ModelSpec& spec,
                                                               const DataSet<Rational>& data,
                                                               const Vec<Rational>& theta0,
                                                               const Rational& lambda, int K,
                                                               int degree, const Checkpoint& checkpoint) {
  if (K < 0) throw std::invalid_argument("modified field: order K must be >= 0");
  if (degree < K) throw std::invalid_argument("modified field: f_" + std::to_string(K + 1) +
                                              " needs degree >= " + std::to_string(K));
  return modified_field_jets<T>({gradient_descent_field_jet<T>(spec, data, theta0, lambda,
                                                               std::max(degree, 1))},
                                K + 1, checkpoint);
}

template <class T>
std::vector<Vec<T>> gradient_descent_modified_field_by_jets(const ModelSpec& spec,
                                                            const DataSet<Rational>& data,
                                                            const Vec<Rational>& theta0,
                                                            const Rational& lambda, int K,
                                                            const Checkpoint& checkpoint) {
  std::vector<Vec<T>> out;
  for (const FieldJet<T>& f : gradient_descent_modified_field_jets<T>(spec, data, theta0, lambda, K, K, checkpoint))
    out.push_back(value_at_point(f));
  return out;
}

template <class T>
Vec<Series<T>> truncated_modified_flow(const std::vector<FieldJet<T>>& fields, const Vec<T>& y0,
                                       int p, int order) {
  if (p < 0 || p + 1 > static_cast<int>(fields.size()))
    throw std::invalid_argument("truncated modified flow: f_1 .. f_" + std::to_string(p + 1) +
                                " needed, " + std::to_string(fields.size()) + " given");
  const int n = static_cast<int>(y0.size());
  int degree = 0;
  for (int j = 0; j <= p; ++j)
    for (Eigen::Index i = 0; i < fields[j].size(); ++i) degree = std::max(degree, fields[j][i].degree());
  const JetSpace& space = JetSpace::of(n, degree);
  const auto F = [&](const Vec<Jet<T>>& y, const Jet<T>& h) {
    Vec<Jet<T>> delta(n);
    int valuation = Jet<T>::kExact;
    for (int i = 0; i < n; ++i) {
      delta[i] = y[i] - Jet<T>(y0[i]);
      valuation = std::min(valuation, delta[i].valuation());
    }
    if (valuation < 1)
      throw std::logic_error("truncated modified flow: the displacement must vanish at t = 0");
    const std::vector<Jet<T>> values = monomial_values(space, degree, delta);
    Vec<Jet<T>> out = Vec<Jet<T>>::Constant(n, Jet<T>(T(0)));
    Jet<T> power(T(1));  // h^{j-1}
    for (int j = 0; j <= p; ++j) {
      for (int i = 0; i < n; ++i) out[i] += power * substitute(fields[j][i], values, valuation);
      power = power * h;
    }
    return out;
  };
  return modified_flow_series<T>(F, y0, order);
}

#define ENTROPIC_MODIFIED_FIELD(T)                                                               \
  template void check_expandable<T>(const ModelSpec&, const DataSet<Rational>&, const Vec<Rational>&); \
  template std::vector<FieldJet<T>> modified_field_jets<T>(const std::vector<FieldJet<T>>&, int,   \
                                                           const Checkpoint&);                     \
  template FieldJet<T> gradient_descent_field_jet<T>(const ModelSpec&, const DataSet<Rational>&,  \
                                                     const Vec<Rational>&, const Rational&, int); \
  template std::vector<FieldJet<T>> gradient_descent_modified_field_jets<T>(                      \
      const ModelSpec&, const DataSet<Rational>&, const Vec<Rational>&, const Rational&, int, int,  \
      const Checkpoint&);                                                                          \
  template std::vector<Vec<T>> gradient_descent_modified_field_by_jets<T>(                        \
      const ModelSpec&, const DataSet<Rational>&, const Vec<Rational>&, const Rational&, int,     \
      const Checkpoint&);                                                                          \
  template Vec<Series<T>> truncated_modified_flow<T>(const std::vector<FieldJet<T>>&, const Vec<T>&, \
                                                     int, int);

ENTROPIC_MODIFIED_FIELD(Rational)
ENTROPIC_MODIFIED_FIELD(Interval)

}  // namespace entropic
