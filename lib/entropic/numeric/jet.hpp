// Jet<T>: a truncated Taylor polynomial in several variables, the multivariate sibling of Series.
//
//   a = sum_{|alpha| <= n} a_alpha delta^alpha + O(|delta|^{n+1}),   n = a.order()
//
// in the perturbations delta_1 .. delta_m of m variables. Evaluating a hand-written gradient on the
// parameters theta0 + delta (`Jet<T>::variable`) gives the Taylor polynomial of the gradient around
// theta0: every derivative of order k at theta0 is a coefficient times alpha!, exactly when T is
// Rational (certified enclosures when T is Interval). Modified equations to any order are built
// from these polynomials (theory/modified_field.hpp).
//
// The truncation order travels with the value, as in a computer-algebra ring of truncated power
// series:
//   - a constant is exact; a variable is known through the degree cap of its JetSpace;
//   - a + b is known through min(n_a, n_b);
//   - a b is known through min(n_a + v_b, n_b + v_a), v = the valuation (lowest degree present):
//     a factor O(delta^v) lifts the other factor's error by v;
//   - an elementary function composes with its univariate Taylor series, taken from Series:
//       F(a_0 + r) = sum_{k <= n} F^(k)(a_0) / k! r^k,  r = a - a_0 = O(delta);
//   - a branch (ReLU) is decided by the constant term; at a kink of the point itself there is no
//     Taylor polynomial, and branch_sign throws kink_unresolved.
//
// Monomials are numbered in graded order: 1; delta_1 .. delta_m; then the monomials of degree 2, 3, ...
// each degree in lexicographic order of its non-decreasing variable sequence (delta_1 delta_1,
// delta_1 delta_2, ..., delta_2 delta_2, ...). The numbering of the monomials of degree <= n does not
// depend on the cap, so jets in the same variables with different caps mix freely.
#pragma once

#include <Eigen/Core>
#include <algorithm>
#include <climits>
#include <stdexcept>
#include <string>
#include <vector>

#include "entropic/numeric/kind.hpp"

namespace entropic {

// The monomials of degree <= cap in m variables, with the tables that multiply, divide and
// differentiate them. Spaces are created once per (m, cap) and live for the whole program.
class JetSpace {
 public:
  static const JetSpace& of(int variables, int degree);

  int variables() const { return variables_; }
  int degree() const { return degree_; }
  // Number of monomials of degree <= d (d <= degree()): C(m + d, d).
  int size(int d) const { return block_end_.at(d); }
  int size() const { return size(degree_); }
  int degree_of(int monomial) const { return degree_of_[monomial]; }
  const std::vector<int>& exponents(int monomial) const { return exponents_[monomial]; }
  // The variables of a monomial as a non-decreasing sequence (delta_1^2 delta_3 -> 0, 0, 2).
  const std::vector<int>& factors(int monomial) const { return factors_[monomial]; }
  // Index of monomial * delta_variable, or -1 beyond the cap.
  int times(int monomial, int variable) const { return times_[monomial * variables_ + variable]; }
  // Index of the product of two monomials (their degrees must add up to at most the cap).
  int product(int a, int b) const {
    for (int v : factors_[a]) b = times(b, v);
    return b;
  }
  // monomial = parent(monomial) * delta_{last_variable(monomial)}, for monomial >= 1.
  int parent(int monomial) const { return parent_[monomial]; }
  int last_variable(int monomial) const { return factors_[monomial].back(); }
  // Index of the monomial with these exponents, or -1 if it is beyond the cap.
  int index(const std::vector<int>& exponents) const;
  // "1", "d1", "d1^2 d2" (variables counted from 1).
  std::string name(int monomial) const;

 private:
  JetSpace(int variables, int degree);
  int variables_, degree_;
  std::vector<int> block_end_, degree_of_, parent_, times_;
  std::vector<std::vector<int>> exponents_, factors_;
};

template <class T>
class Jet {
 public:
  static constexpr int kExact = INT_MAX;

  Jet() : c_{T(0)} {}
  Jet(const T& constant) : c_{constant} {}  // NOLINT: constants are exact
  Jet(int constant) : c_{T(constant)} {}    // NOLINT

  // at + delta_i, known through the space's cap.
  static Jet variable(const JetSpace& space, int i, const T& at = T(0)) {
    if (i < 0 || i >= space.variables())
      throw std::out_of_range("jet variable " + std::to_string(i) + " of " +
                              std::to_string(space.variables()));
    if (space.degree() < 1) throw std::invalid_argument("a jet variable needs degree >= 1");
    std::vector<T> c(space.size(1), T(0));
    c[0] = at;
    c[1 + i] = T(1);
    return Jet(space, std::move(c), space.degree());
  }
  // sum_k coefficients[k] * monomial_k + O(delta^{order+1}), order <= the cap.
  Jet(const JetSpace& space, std::vector<T> coefficients, int order)
      : space_(&space), c_(std::move(coefficients)), order_(order) {
    if (order_ < 0 || order_ > space.degree())
      throw std::invalid_argument("jet order must lie in 0.." + std::to_string(space.degree()));
    if (c_.empty()) c_.push_back(T(0));
    const int d = std::min(order_, top_degree(c_.size()));
    c_.resize(space.size(d), T(0));
    degree_ = d;
    trim();
  }

  // Highest total degree known; kExact for a constant.
  int order() const { return order_; }
  bool exact() const { return order_ == kExact; }
  // The space of the perturbations; nullptr for a constant.
  const JetSpace* space() const { return space_; }
  // Highest degree stored.
  int degree() const { return degree_; }
  const T& constant() const { return c_[0]; }
  // Coefficient of monomial k (JetSpace numbering); throws beyond the order.
  T operator[](int k) const {
    if (k < 0 || (space_ && (k >= space_->size() || space_->degree_of(k) > order_)))
      throw std::out_of_range("coefficient " + std::to_string(k) + " of a jet known to degree " +
                              std::to_string(order_));
    return k < static_cast<int>(c_.size()) ? c_[k] : T(0);
  }
  // Coefficient of delta^exponents: the derivative d^alpha a (0) / alpha!.
  T coefficient(const std::vector<int>& exponents) const {
    int total = 0;
    for (int e : exponents) total += e;
    if (total > order_)
      throw std::out_of_range("degree " + std::to_string(total) + " of a jet known to degree " +
                              std::to_string(order_));
    if (total == 0) return c_[0];
    if (!space_) return T(0);
    const int k = space_->index(exponents);
    return k >= 0 && k < static_cast<int>(c_.size()) ? c_[k] : T(0);
  }
  // Lowest degree with a coefficient that is not exactly 0; order + 1 if there is none
  // (a = O(delta^{order+1})), kExact for the exact 0.
  int valuation() const {
    for (size_t k = 0; k < c_.size(); ++k)
      if (!elem::is_zero(c_[k])) return space_ ? space_->degree_of(static_cast<int>(k)) : 0;
    return exact() ? kExact : order_ + 1;
  }

  // The same jet known only through degree n (n >= order: unchanged; a constant stays exact).
  Jet truncated(int n) const {
    if (n >= order_ || exact()) return *this;
    if (n < 0) throw std::invalid_argument("jet order must be >= 0");
    Jet r = *this;
    r.order_ = n;
    if (r.degree_ > n) {
      r.c_.resize(space_->size(n));
      r.degree_ = n;
      r.trim();
    }
    return r;
  }
  // d a / d delta_i, known through order - 1 (needs order >= 1).
  Jet derivative(int i) const {
    if (exact()) return Jet(T(0));
    if (order_ < 1) throw std::domain_error("the derivative of a jet known to degree 0");
    const int d = std::max(0, std::min(degree_ - 1, order_ - 1));
    std::vector<T> c(space_->size(d), T(0));
    for (int k = 0; k < static_cast<int>(c.size()); ++k) {
      const int up = space_->times(k, i);
      if (up >= 0 && up < static_cast<int>(c_.size()))
        c[k] = T(space_->exponents(k)[i] + 1) * c_[up];
    }
    return Jet(*space_, std::move(c), order_ - 1);
  }
  // The antiderivative in delta_i that vanishes at delta_i = 0, known through order + 1 (at most
  // the cap). A constant needs the space to integrate in.
  Jet integral(const JetSpace& space, int i) const {
    const JetSpace& s = space_ && space_->degree() > space.degree() ? *space_ : space;
    check_compatible(s);
    if (s.degree() < 1) throw std::invalid_argument("integration needs a space of degree >= 1");
    const int n = exact() ? s.degree() : std::min(order_ + 1, s.degree());
    const int d = std::min(degree_ + 1, n);
    std::vector<T> c(s.size(d), T(0));
    const int last = std::min<int>(c_.size(), s.size(d - 1));
    for (int k = 0; k < last; ++k) {
      if (elem::is_zero(c_[k])) continue;
      c[s.times(k, i)] = c_[k] / T(s.exponents(k)[i] + 1);
    }
    return Jet(s, std::move(c), n);
  }

  Jet& operator+=(const Jet& o) { return *this = *this + o; }
  Jet& operator-=(const Jet& o) { return *this = *this - o; }
  Jet& operator*=(const Jet& o) { return *this = *this * o; }
  Jet& operator/=(const Jet& o) { return *this = *this / o; }

  friend Jet operator+(const Jet& a, const Jet& b) {
    if (a.exact() && b.exact()) return Jet(T(a.c_[0] + b.c_[0]));
    const JetSpace& s = common_space(a, b);
    const int n = std::min(a.order_, b.order_);
    const int d = std::min(std::max(a.degree_, b.degree_), n);
    std::vector<T> c(s.size(d), T(0));
    for (size_t k = 0; k < c.size(); ++k) c[k] = a.at(k) + b.at(k);
    return Jet(s, std::move(c), n);
  }
  friend Jet operator-(const Jet& a, const Jet& b) { return a + (-b); }
  friend Jet operator-(const Jet& a) {
    Jet r = a;
    for (auto& x : r.c_) x = -x;
    return r;
  }
  friend Jet operator+(const Jet& a) { return a; }
  friend Jet operator*(const Jet& a, const Jet& b) {
    if (a.exact()) return b.scaled(a.c_[0]);
    if (b.exact()) return a.scaled(b.c_[0]);
    const JetSpace& s = common_space(a, b);
    const int n = std::min({add(a.order_, b.valuation()), add(b.order_, a.valuation()), s.degree()});
    const int d = std::min(a.degree_ + b.degree_, n);
    std::vector<T> c(s.size(d), T(0));
    for (size_t i = 0; i < a.c_.size(); ++i) {
      if (elem::is_zero(a.c_[i])) continue;
      const int di = s.degree_of(static_cast<int>(i));
      if (di > d) break;
      const size_t j_end = std::min(b.c_.size(), size_t(s.size(d - di)));
      for (size_t j = 0; j < j_end; ++j) {
        if (elem::is_zero(b.c_[j])) continue;
        c[s.product(static_cast<int>(i), static_cast<int>(j))] += a.c_[i] * b.c_[j];
      }
    }
    return Jet(s, std::move(c), n);
  }
  // a / b for b with a constant term that is not exactly 0: a * (1 / b), where
  // 1 / (b_0 + r) = sum_k (-1)^k r^k / b_0^{k+1}.
  friend Jet operator/(const Jet& a, const Jet& b) {
    if (elem::is_zero(b.c_[0])) throw std::domain_error("division by a jet with zero constant term");
    if (b.exact()) {
      Jet r = a;
      for (auto& x : r.c_) x = x / b.c_[0];
      return r;
    }
    const int n = b.order_;
    std::vector<T> coefficients(n + 1);
    T power = T(1) / b.c_[0];
    for (int k = 0; k <= n; ++k) {
      coefficients[k] = k % 2 ? T(-power) : power;
      power = power / b.c_[0];
    }
    return a * compose(coefficients, b);
  }

  // Equality as far as both are known.
  friend bool operator==(const Jet& a, const Jet& b) {
    const Jet d = a - b;
    for (const T& x : d.c_)
      if (!elem::is_zero(x)) return false;
    return true;
  }
  friend bool operator!=(const Jet& a, const Jet& b) { return !(a == b); }
  // Order at the point: the branch sign of a - b.
  friend bool operator<(const Jet& a, const Jet& b) { return branch_sign(a - b) < 0; }
  friend bool operator>(const Jet& a, const Jet& b) { return branch_sign(a - b) > 0; }
  friend bool operator<=(const Jet& a, const Jet& b) { return branch_sign(a - b) <= 0; }
  friend bool operator>=(const Jet& a, const Jet& b) { return branch_sign(a - b) >= 0; }
  // The sign of the constant term decides a branch in a whole neighbourhood of the point; a jet
  // that vanishes at the point but not around it sits on the kink.
  friend int branch_sign(const Jet& a) {
    const int s = elem::branch_sign(a.c_[0]);
    if (s == 0 && !a.exact())
      throw kink_unresolved("the expansion point lies on a kink (a branch argument vanishes there): "
                            "no Taylor polynomial exists; move the point");
    return s;
  }

  friend Jet exp(const Jet& a) { return a.apply([](const auto& s) { return exp(s); }, "exp"); }
  friend Jet log(const Jet& a) { return a.apply([](const auto& s) { return log(s); }, "log"); }
  friend Jet sqrt(const Jet& a) { return a.apply([](const auto& s) { return sqrt(s); }, "sqrt"); }
  friend Jet tanh(const Jet& a) { return a.apply([](const auto& s) { return tanh(s); }, "tanh"); }

  // sum_k coefficients[k] r^k with r = a - a_0 (Horner), known through a's order.
  static Jet compose(const std::vector<T>& coefficients, const Jet& a) {
    Jet r = a;
    r.c_[0] = T(0);
    Jet out(coefficients.back());
    for (int k = static_cast<int>(coefficients.size()) - 2; k >= 0; --k)
      out = out * r + Jet(coefficients[k]);
    return out.truncated(a.order_);
  }

 private:
  template <class F>
  Jet apply(F&& f, const char* name) const {
    if (exact()) {
      const Series<T> v = f(Series<T>(c_[0]));
      return Jet(v.constant());
    }
    const int n = order_;
    const Series<T> taylor = f(Series<T>({c_[0], T(1)}, std::max(n, 1)));
    std::vector<T> coefficients(n + 1);
    for (int k = 0; k <= n; ++k) coefficients[k] = taylor[k];
    return compose(coefficients, *this);
  }
  // This jet times an exact constant x (x = 0 gives the exact 0).
  Jet scaled(const T& x) const {
    if (elem::is_zero(x)) return Jet(T(0));
    Jet r = *this;
    for (auto& y : r.c_) y = y * x;
    if (r.space_) r.trim();
    return r;
  }
  static int add(int a, int b) {
    if (a == kExact || b == kExact) return kExact;
    const long long s = static_cast<long long>(a) + b;
    return s >= kExact ? kExact - 1 : static_cast<int>(s);
  }
  static const JetSpace& common_space(const Jet& a, const Jet& b) {
    const JetSpace* s = a.space_;
    if (!s || (b.space_ && b.space_->degree() > s->degree())) s = b.space_;
    if (!s) throw std::logic_error("jet arithmetic without a space");
    a.check_compatible(*s);
    b.check_compatible(*s);
    return *s;
  }
  void check_compatible(const JetSpace& s) const {
    if (space_ && space_->variables() != s.variables())
      throw std::invalid_argument("jets in " + std::to_string(space_->variables()) + " and " +
                                  std::to_string(s.variables()) + " variables do not mix");
  }
  int top_degree(size_t size) const {
    int d = 0;
    while (d < space_->degree() && size_t(space_->size(d)) < size) ++d;
    return d;
  }
  T at(size_t k) const { return k < c_.size() ? c_[k] : T(0); }
  // Drops top degrees whose coefficients are all exactly 0.
  void trim() {
    while (degree_ > 0) {
      const int lo = space_->size(degree_ - 1);
      bool zero = true;
      for (size_t k = lo; k < c_.size() && zero; ++k) zero = elem::is_zero(c_[k]);
      if (!zero) break;
      c_.resize(lo);
      --degree_;
    }
  }

  const JetSpace* space_ = nullptr;
  std::vector<T> c_;
  int order_ = kExact;
  int degree_ = 0;
};

// Text of a jet: "1/2 + 3 d1 - d1 d2 + O(d^3)"; monomials as JetSpace::name.
template <class T>
std::string to_text(const Jet<T>& a) {
  std::string out;
  const JetSpace* s = a.space();
  const int last = s ? s->size(a.degree()) : 1;
  for (int k = 0; k < last; ++k) {
    const T c = a[k];
    if (elem::is_zero(c) && !(k == 0 && last == 1)) continue;
    std::string term = to_text(c);
    if (k > 0) term = (term == "1" ? "" : term == "-1" ? "-" : term + " ") + s->name(k);
    if (out.empty()) out = term;
    else if (term[0] == '-') out += " - " + term.substr(1);
    else out += " + " + term;
  }
  if (out.empty()) out = "0";
  if (!a.exact()) out += " + O(d^" + std::to_string(a.order() + 1) + ")";
  return out;
}

// The values of the monomials of degree <= degree of `space` at the point z (z_i replacing
// delta_i), each by one product: value(m) = value(parent(m)) * z_{last_variable(m)}.
template <class U>
std::vector<U> monomial_values(const JetSpace& space, int degree, const Vec<U>& z) {
  if (z.size() != space.variables())
    throw std::invalid_argument("a point of " + std::to_string(z.size()) + " coordinates for jets in " +
                                std::to_string(space.variables()) + " variables");
  std::vector<U> v(space.size(degree));
  v[0] = U(1);
  for (int k = 1; k < static_cast<int>(v.size()); ++k) v[k] = v[space.parent(k)] * z[space.last_variable(k)];
  return v;
}

// The Taylor polynomial a evaluated with delta = z, from monomial_values of z:
// sum_k a_k z^{alpha_k} (the truncation error of a is not part of the value; see substitute).
template <class T, class U>
U evaluate(const Jet<T>& a, const std::vector<U>& values) {
  U out = U(a.constant());
  const JetSpace* s = a.space();
  if (!s) return out;
  const int last = s->size(a.degree());
  if (last > static_cast<int>(values.size()))
    throw std::invalid_argument("evaluate: monomial values up to degree " + std::to_string(a.degree()) +
                                " needed");
  for (int k = 1; k < last; ++k)
    if (!elem::is_zero(a[k])) out += U(a[k]) * values[k];
  return out;
}

// a(z) for jets z = O(eps^v) in other variables eps: the value is known through
// (order(a) + 1) v - 1, since a's remainder is O(delta^{order(a)+1}).
template <class T>
Jet<T> substitute(const Jet<T>& a, const std::vector<Jet<T>>& values, int valuation) {
  Jet<T> out = evaluate(a, values);
  if (a.exact()) return out;
  const long long n = (static_cast<long long>(a.order()) + 1) * valuation - 1;
  return n >= out.order() ? out : out.truncated(static_cast<int>(n));
}

template <class T>
struct ScalarKind<Jet<T>> {
  static constexpr Evidence evidence = ScalarKind<T>::evidence;
  static std::string name() { return "jet<" + ScalarKind<T>::name() + ">"; }
  static Jet<T> from_rational(const Rational& q) { return Jet<T>(ScalarKind<T>::from_rational(q)); }
};

}  // namespace entropic

namespace Eigen {
template <class T>
struct NumTraits<entropic::Jet<T>> : GenericNumTraits<entropic::Jet<T>> {
  using Real = entropic::Jet<T>;
  using NonInteger = Real;
  using Literal = Real;
  using Nested = Real;
  enum { IsInteger = 0, IsSigned = 1, IsComplex = 0, RequireInitialization = 1,
         ReadCost = 16 * NumTraits<T>::ReadCost, AddCost = 16 * NumTraits<T>::AddCost,
         MulCost = 64 * NumTraits<T>::MulCost };
  static inline Real epsilon() { return Real(NumTraits<T>::epsilon()); }
  static inline Real dummy_precision() { return Real(NumTraits<T>::dummy_precision()); }
  static inline int digits10() { return NumTraits<T>::digits10(); }
  static inline int digits() { return NumTraits<T>::digits(); }
};
}  // namespace Eigen
