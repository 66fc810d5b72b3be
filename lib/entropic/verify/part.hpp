// A part of a claim: instances, an observation, a prediction and its mutants (claim.hpp), and the
// search loop that runs it. Included by claim.hpp.
//
//   claim.part("law", "layer and neuron laws", gen::training_run(shape))  // PartDraft<TrainingRun>
//       .observe(charges_after_each_step)                                  // PartRef<TrainingRun, V>
//       .predict(charge_law)
//       .mutant("no-decay", "law without the weight-decay factor", charge_law_without_decay)
//       .compare(...)   // optional: Verdict(const V& observed, const V& predicted, const std::string& what)
//       .precision(256) // optional: the working precision of interval and real arithmetic
//
// or, for a statement that is not an equation between two values,
//
//   claim.part("sharp", "the order is sharp", gen)
//       .check(first_coefficient_nonzero)                               // Verdict(const Instance&)
//       .mutant("one-more", "the order is one higher", order_one_higher);
//
// The runner draws instances with RapidCheck generators (case 0 at size 1, case k >= 1 at
// max_size * vdc(k), the van der Corput sequence 1/2, 1/4, 3/4, 1/8, ...; seeded from (seed, claim,
// part id, k)), observes each once, compares every prediction still standing, and shrinks the first
// certified violation of each prediction to a small one (greedy descent through the generator's
// shrink tree, as RapidCheck does), recording the path so that a replay string regenerates it bit
// for bit. An observation, prediction or check that throws Inconclusive (or any exception) makes
// that instance inconclusive, never a violation.
//
// Coverage (as Hypothesis' event() and QuickCheck's cover): a part states what a degenerate
// instance is for it,
//
//       .degenerate("zero drift", [](const TrainingRun& r) { return drift(r) == 0; })
//
// (an instance on which the statement or its mutants hold trivially), or that the generator
// excludes them, `.nondegenerate("lambda > 0 and x != 0 by construction")`; and which features of
// its instances matter, `.feature("batch size", [](const TrainingRun& r) { return r.batch; })`.
// Instance types may also carry their own: a free function coverage_features(const Instance&)
// returning Features, found by argument-dependent lookup; an instance that holds a training run as
// `run` reports the run's. Every instance's parameter count, read from its members
// (detail::parameter_count) or given as the feature "parameters", goes to the results page. Every
// generated instance is counted into the part's Coverage (PartResult::coverage), which the reports
// print.
#pragma once

#include <algorithm>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <variant>

#include "entropic/numeric/scalar.hpp"
#include "entropic/verify/coverage.hpp"
#include "entropic/verify/observation.hpp"
#include "entropic/verify/show.hpp"

namespace entropic {

namespace detail {

std::uint64_t case_seed(std::uint64_t base, const std::string& claim, const std::string& part, int k);
int case_size(int k, const RunOptions& opts);

// Counts one verdict into a result.
void record(PartResult& r, const Verdict& v);

template <class F>
Verdict guarded(F&& f, const char* what) {
  try {
    return f();
  } catch (const ClaimDefinitionError&) {
    throw;
  } catch (const Inconclusive& e) {
    return Verdict::inconclusive(e.what(), e.arithmetic);
  } catch (const std::exception& e) {
    return Verdict::inconclusive(std::string(what) + " raised: " + e.what());
  }
}

// The value type of an observation: an Eigen expression (a * b, Vec::Constant(...)) is stored as its
// plain matrix.
template <class T, class = void>
struct plain_value {
  using type = T;
};
template <class T>
struct plain_value<T, std::enable_if_t<std::is_base_of_v<Eigen::EigenBase<T>, T>>> {
  using type = typename T::PlainObject;
};

// Whether compare_observed(V, V, what) exists: observation types without one (series, which are
// compared through an order) need .compare(...).
template <class V, class = void>
struct has_compare_observed : std::false_type {};
template <class V>
struct has_compare_observed<V, std::void_t<decltype(compare_observed(std::declval<const V&>(), std::declval<const V&>(),
                                                                     std::declval<const std::string&>()))>>
    : std::true_type {};

// The text of a feature's value: a bool, an integer, a string, or anything to_text prints.
inline std::string feature_text(bool b) { return b ? "yes" : "no"; }
inline std::string feature_text(const std::string& s) { return s; }
inline std::string feature_text(const char* s) { return s; }
template <class T, std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>, int> = 0>
std::string feature_text(T v) {
  return std::to_string(v);
}
template <class T, std::enable_if_t<!std::is_arithmetic_v<T>, int> = 0>
auto feature_text(const T& v) -> decltype(to_text(v)) {
  return to_text(v);
}

// Whether an instance type carries its own features: Features coverage_features(const Instance&).
template <class I, class = void>
struct has_coverage_features : std::false_type {};
template <class I>
struct has_coverage_features<I, std::void_t<decltype(coverage_features(std::declval<const I&>()))>>
    : std::true_type {};

// The members by which an instance says what it trains: parameter_count(), `theta0` or `theta` (the
// parameter vector), or `run`, `start`, `point`, `net` (a TrainingRun, PolynomialStart, stationary or
// GD point, or LinearChain that holds it).
#define ENTROPIC_HAS_MEMBER(trait, member)                                                       \
  template <class I, class = void>                                                               \
  struct trait : std::false_type {};                                                             \
  template <class I>                                                                             \
  struct trait<I, std::void_t<decltype(std::declval<const I&>().member)>> : std::true_type {};
ENTROPIC_HAS_MEMBER(has_parameter_count, parameter_count())
ENTROPIC_HAS_MEMBER(has_run, run)
ENTROPIC_HAS_MEMBER(has_start, start)
ENTROPIC_HAS_MEMBER(has_theta0, theta0.size())
ENTROPIC_HAS_MEMBER(has_theta, theta.size())
ENTROPIC_HAS_MEMBER(has_point, point)
ENTROPIC_HAS_MEMBER(has_net, net)
#undef ENTROPIC_HAS_MEMBER

// The number of parameters an instance trains, when its members say it (-1 otherwise).
template <class I>
long parameter_count(const I& x) {
  if constexpr (has_parameter_count<I>::value) return static_cast<long>(x.parameter_count());
  else if constexpr (has_theta0<I>::value) return static_cast<long>(x.theta0.size());
  else if constexpr (has_theta<I>::value) return static_cast<long>(x.theta.size());
  else if constexpr (has_run<I>::value) return parameter_count(x.run);
  else if constexpr (has_start<I>::value) return parameter_count(x.start);
  else if constexpr (has_point<I>::value) return parameter_count(x.point);
  else if constexpr (has_net<I>::value) return parameter_count(x.net);
  else return -1;
}

// An instance's own features: coverage_features(x) if its type has them, else those of the training
// run it holds as `run` (SymmetricRun, RescaledRun, ... report their run's widths, batch size and
// parameters); and "parameters" (the results page's column) whenever the members give the count.
template <class I>
Features instance_features(const I& x) {
  Features f;
  if constexpr (has_coverage_features<I>::value) f = coverage_features(x);
  else if constexpr (has_run<I>::value) f = instance_features(x.run);
  const bool counted = std::any_of(f.begin(), f.end(), [](const auto& kv) { return kv.first == "parameters"; });
  if (const long n = parameter_count(x); !counted && n >= 0) f.emplace_back("parameters", std::to_string(n));
  return f;
}

template <class Instance>
rc::Shrinkable<Instance> regenerate(const rc::Gen<Instance>& gen, const ReplayKey& key) {
  rc::Shrinkable<Instance> s = gen(rc::Random(key.seed), key.size);
  for (std::size_t step = 0; step < key.path.size(); ++step) {
    const int index = key.path[step];
    auto shrinks = s.shrinks();
    std::optional<rc::Shrinkable<Instance>> next;
    for (int i = 0; auto candidate = shrinks.next(); ++i)
      if (i == index) {
        next = *candidate;
        break;
      }
    if (!next)
      throw std::invalid_argument("replay path does not match the generator: shrink step " +
                                  std::to_string(step + 1) + " has no candidate " + std::to_string(index));
    s = *next;
  }
  return s;
}

}  // namespace detail

template <class Instance, class Value>
class PartModel final : public PartBase {
 public:
  // The value type of a check-form part, which observes nothing.
  static constexpr bool kChecks = std::is_same_v<Value, std::monostate>;

  struct Prediction {
    PredictionInfo info;
    std::function<Value(const Instance&)> value;       // observe-form
    std::function<Verdict(const Instance&)> check;     // check-form
  };

  PartModel(std::string claim, std::string id, std::string title, rc::Gen<Instance> gen)
      : PartBase(std::move(claim), std::move(id), std::move(title)), gen_(std::move(gen)) {}

  std::function<Value(const Instance&)> observe;
  std::function<Verdict(const Value&, const Value&, const std::string&)> comparison;
  std::vector<Prediction> preds;
  struct Degeneracy {
    std::string what;
    std::function<bool(const Instance&)> is;
  };
  std::vector<Degeneracy> degeneracies;
  std::string excluded;  // .nondegenerate(reason)
  std::vector<std::pair<std::string, std::function<std::string(const Instance&)>>> features;
  unsigned bits = 0;  // working precision of interval and real arithmetic in this part (0: as it is)

  std::vector<PredictionInfo> predictions() const override {
    std::vector<PredictionInfo> out;
    for (const Prediction& p : preds) out.push_back(p.info);
    return out;
  }

  std::vector<PartResult> run(const RunOptions& opts, const std::vector<ReplayKey>& replays) const override {
    require_prediction();
    std::vector<PartResult> results(preds.size());
    std::vector<bool> done(preds.size(), false);
    for (std::size_t j = 0; j < preds.size(); ++j) {
      results[j].id = preds[j].info.id;
      results[j].name = preds[j].info.title;
      results[j].mutant = preds[j].info.mutant;
    }
    Coverage& coverage = results.front().coverage;
    for (const Degeneracy& d : degeneracies) coverage.degeneracies.push_back(d.what);
    coverage.excluded = excluded;
    // Past failures first: a regression must stay fixed (or a control stay falsified).
    for (const ReplayKey& key : replays) {
      if (key.claim != claim_) continue;
      for (std::size_t j = 0; j < preds.size(); ++j) {
        if (done[j] || key.part != preds[j].info.id) continue;
        const rc::Shrinkable<Instance> s = detail::regenerate(gen_, key);
        const Instance x = s.value();
        for (const auto& [name, value] : detail::instance_features(x))
          if (name == "parameters") ++coverage.replayed_parameters[value];
        const Verdict v = evaluate(preds[j], x, observed(x));
        detail::record(results[j], v);
        if (v.certified_violation()) {
          results[j].counterexample = Counterexample{show_instance(x), v, key.text(), 0, scenario_of_instance(x)};
          done[j] = true;
        }
      }
    }
    for (int k = 0; k < opts.cases; ++k) {
      if (std::find(done.begin(), done.end(), false) == done.end()) break;
      ReplayKey key{claim_, id_, detail::case_seed(opts.seed, claim_, id_, k), detail::case_size(k, opts), {}};
      // A generator that cannot produce this case (rc::gen::suchThat giving up, a throwing map)
      // makes it inconclusive for every prediction still standing.
      std::optional<rc::Shrinkable<Instance>> drawn;
      std::optional<Instance> value;
      const Verdict failed = detail::guarded(
          [&] {
            drawn.emplace(gen_(rc::Random(key.seed), key.size));
            value.emplace(drawn->value());
            return Verdict::holds(Arithmetic::rational(), "", "");
          },
          "the generator");
      if (!value) {
        for (std::size_t j = 0; j < preds.size(); ++j)
          if (!done[j]) detail::record(results[j], failed);
        continue;
      }
      const rc::Shrinkable<Instance>& s = *drawn;
      const Instance& x = *value;
      count(coverage, x);
      const Observation o = observed(x);
      for (std::size_t j = 0; j < preds.size(); ++j) {
        if (done[j]) continue;
        Verdict v = evaluate(preds[j], x, o);
        detail::record(results[j], v);
        if (v.certified_violation()) {
          results[j].first_violation = k + 1;
          key.part = preds[j].info.id;
          results[j].counterexample = shrink(preds[j], s, std::move(v), key, opts.max_shrinks);
          done[j] = true;
        }
      }
      if (opts.on_case) opts.on_case(id_, k + 1);
    }
    return results;
  }

  Counterexample replay(const ReplayKey& key) const override {
    require_prediction();
    for (const Prediction& p : preds)
      if (key.claim == claim_ && key.part == p.info.id) {
        const Instance x = detail::regenerate(gen_, key).value();
        return Counterexample{show_instance(x), evaluate(p, x, observed(x)), key.text(), 0, scenario_of_instance(x)};
      }
    throw std::invalid_argument("claim " + claim_ + ", part " + id_ + " has no prediction '" + key.part + "'");
  }

 private:
  // The observation of one instance, or the inconclusive verdict its computation gave.
  struct Observation {
    std::optional<Value> value;
    std::optional<Verdict> failure;
  };

  void require_prediction() const {
    if (preds.empty() || (!kChecks && !preds.front().value))
      throw ClaimDefinitionError("claim " + claim_ + ", part " + id_ + ": observed but nothing predicted (add .predict)");
  }

  // Counts one generated instance into the part's coverage. A degeneracy or feature that throws is
  // a fault of the claim's statement, not of the instance.
  void count(Coverage& c, const Instance& x) const {
    ++c.instances;
    auto fault = [&](const std::string& what, const std::exception& e) {
      return ClaimDefinitionError("claim " + claim_ + ", part " + id_ + ": " + what + " raised: " + e.what());
    };
    bool degenerate = false;
    for (const Degeneracy& d : degeneracies) {
      bool is = false;
      try {
        is = d.is(x);
      } catch (const std::exception& e) {
        throw fault("degeneracy '" + d.what + "'", e);
      }
      if (is) {
        ++c.degenerate_by[d.what];
        degenerate = true;
      }
    }
    c.degenerate += degenerate;
    try {
      for (const auto& [name, value] : detail::instance_features(x)) ++c.features[name][value];
      for (const auto& [name, f] : features) ++c.features[name][f(x)];
    } catch (const ClaimDefinitionError&) {
      throw;
    } catch (const std::exception& e) {
      throw fault("a coverage feature", e);
    }
  }

  Observation observed(const Instance& x) const {
    std::optional<PrecisionScope> scope;
    if (bits) scope.emplace(bits);
    Observation o;
    if constexpr (!kChecks) {
      const Verdict v = detail::guarded(
          [&] {
            o.value = observe(x);
            return Verdict::holds(Arithmetic::rational(), "", "");
          },
          "the observation");
      if (!o.value) o.failure = v;
    }
    return o;
  }

  Verdict evaluate(const Prediction& p, const Instance& x, const Observation& o) const {
    std::optional<PrecisionScope> scope;
    if (bits) scope.emplace(bits);
    if constexpr (kChecks) {
      return detail::guarded([&] { return p.check(x); }, "the check");
    } else {
      if (o.failure) return *o.failure;
      return detail::guarded(
          [&] {
            const Value predicted = p.value(x);
            if (comparison) return comparison(*o.value, predicted, p.info.title);
            if constexpr (detail::has_compare_observed<Value>::value)
              return compare_observed(*o.value, predicted, p.info.title);
            else
              throw ClaimDefinitionError("claim " + claim_ + ", part " + id_ +
                                     ": no compare_observed for this observation type; give .compare(...)");
          },
          "the prediction");
    }
  }

  Counterexample shrink(const Prediction& p, rc::Shrinkable<Instance> current, Verdict verdict, ReplayKey key,
                        int max_shrinks) const {
    int steps = 0, evaluations = 0;
    bool progressed = true;
    while (progressed && steps < max_shrinks && evaluations < 20 * max_shrinks) {
      progressed = false;
      auto shrinks = current.shrinks();
      for (int i = 0; auto candidate = shrinks.next(); ++i) {
        if (++evaluations > 20 * max_shrinks) break;
        std::optional<Instance> x;
        try {
          x.emplace(candidate->value());
        } catch (const std::exception&) {
          continue;  // a shrink the generator cannot produce (suchThat giving up) is no candidate
        }
        Verdict v = evaluate(p, *x, observed(*x));
        if (v.certified_violation()) {
          current = *candidate;
          verdict = std::move(v);
          key.path.push_back(i);
          ++steps;
          progressed = true;
          break;
        }
      }
    }
    const Instance& shrunk = current.value();
    return Counterexample{show_instance(shrunk), std::move(verdict), key.text(), steps, scenario_of_instance(shrunk)};
  }

  rc::Gen<Instance> gen_;
};

// A part being stated: its predictions, mutants and comparison. Converts back to the Claim, and
// .part(...) starts the claim's next part.
template <class Instance, class Value>
class PartRef {
 public:
  using Model = PartModel<Instance, Value>;
  PartRef(std::shared_ptr<Claim> claim, std::shared_ptr<Model> model)
      : claim_(std::move(claim)), model_(std::move(model)) {}

  // The part's prediction: a function of the instance with the observation's type.
  template <class F>
  PartRef& predict(F f) {
    static_assert(!Model::kChecks, "a check-form part states no prediction: use .check(...) alone");
    auto& own = model_->preds.front();
    if (own.value) throw ClaimDefinitionError("claim " + claim_->id() + ", part " + model_->id() + ": predicted twice");
    own.value = std::function<Value(const Instance&)>(std::move(f));
    return *this;
  }

  // A mutant: another prediction of the same observation (observe-form), or another check
  // (check-form), that the suite must falsify.
  template <class F>
  PartRef& mutant(std::string id, std::string title, F f) {
    check_prediction_id(claim_->id(), id);
    const std::string full = model_->id() + "/" + id;
    for (const auto& p : model_->preds)
      if (p.info.id == full) throw ClaimDefinitionError("claim " + claim_->id() + ": two mutants '" + full + "'");
    typename Model::Prediction p{{full, std::move(title), true}, {}, {}};
    if constexpr (Model::kChecks)
      p.check = std::function<Verdict(const Instance&)>(std::move(f));
    else
      p.value = std::function<Value(const Instance&)>(std::move(f));
    model_->preds.push_back(std::move(p));
    return *this;
  }

  // How an observation and a prediction are compared, when not compare_observed:
  // Verdict(const Value& observed, const Value& predicted, const std::string& what).
  template <class C>
  PartRef& compare(C c) {
    static_assert(!Model::kChecks, "a check-form part has nothing to compare");
    model_->comparison = std::move(c);
    return *this;
  }

  // What a degenerate instance is for this part: one on which the statement (or a mutant) holds
  // trivially, bool(const Instance&). Counted, per degeneracy, into the part's coverage.
  template <class F>
  PartRef& degenerate(std::string what, F is) {
    if (what.empty()) throw ClaimDefinitionError("claim " + claim_->id() + ", part " + model_->id() + ": a degeneracy needs a name");
    model_->degeneracies.push_back({std::move(what), std::function<bool(const Instance&)>(std::move(is))});
    return *this;
  }

  // The part's generator yields no degenerate instance, and why (what it excludes, and how).
  PartRef& nondegenerate(std::string why) {
    if (why.empty()) throw ClaimDefinitionError("claim " + claim_->id() + ", part " + model_->id() + ": nondegenerate needs a reason");
    model_->excluded = std::move(why);
    return *this;
  }

  // A feature of the instances whose distribution the reports show: a bool, an integer, a string
  // or a Rational of const Instance&.
  template <class F>
  PartRef& feature(std::string name, F f) {
    model_->features.emplace_back(std::move(name), [f = std::move(f)](const Instance& x) {
      return detail::feature_text(f(x));
    });
    return *this;
  }

  // The working precision, in bits, of the part's interval and real arithmetic: observations,
  // predictions, checks and comparisons all run under PrecisionScope(bits), so that enclosures are
  // computed, compared (the width a certified identity may have) and reported (interval:BITS) at it.
  PartRef& precision(unsigned bits) {
    if (bits == 0) throw ClaimDefinitionError("claim " + claim_->id() + ", part " + model_->id() + ": precision 0");
    model_->bits = bits;
    return *this;
  }

  template <class J>
  PartDraft<J> part(std::string id, std::string title, rc::Gen<J> gen) {
    check_prediction_id(claim_->id(), id);
    return PartDraft<J>(claim_, std::move(id), std::move(title), std::move(gen));
  }

  operator Claim() const { return *claim_; }  // NOLINT: `return Claim(...).part(...)...;`
  Claim& claim() { return *claim_; }

 private:
  std::shared_ptr<Claim> claim_;  // owned by the chain, or aliasing a named claim
  std::shared_ptr<Model> model_;
};

template <class Instance>
class PartDraft {
 public:
  PartDraft(std::shared_ptr<Claim> claim, std::string id, std::string title, rc::Gen<Instance> gen)
      : claim_(std::move(claim)), id_(std::move(id)), title_(std::move(title)), gen_(std::move(gen)) {}

  // What is observed of an instance: Value(const Instance&).
  template <class F>
  auto observe(F f) {
    using Value = typename detail::plain_value<std::decay_t<std::invoke_result_t<F&, const Instance&>>>::type;
    static_assert(!std::is_same_v<Value, Verdict>, "an observation is a value, not a Verdict: use .check(...)");
    auto model = make<Value>();
    model->observe = std::function<Value(const Instance&)>(std::move(f));
    model->preds.push_back({{id_, title_, false}, {}, {}});
    claim_->add_part(model);
    return PartRef<Instance, Value>(claim_, model);
  }

  // The part's statement as a check: Verdict(const Instance&).
  template <class F>
  PartRef<Instance, std::monostate> check(F f) {
    auto model = make<std::monostate>();
    model->preds.push_back({{id_, title_, false}, {}, std::function<Verdict(const Instance&)>(std::move(f))});
    claim_->add_part(model);
    return PartRef<Instance, std::monostate>(claim_, model);
  }

 private:
  template <class Value>
  std::shared_ptr<PartModel<Instance, Value>> make() {
    return std::make_shared<PartModel<Instance, Value>>(claim_->id(), id_, title_, gen_);
  }
  std::shared_ptr<Claim> claim_;
  std::string id_, title_;
  rc::Gen<Instance> gen_;
};

template <class Instance>
PartDraft<Instance> Claim::part(std::string id, std::string title, rc::Gen<Instance> gen) & {
  check_prediction_id(id_, id);
  return PartDraft<Instance>(std::shared_ptr<Claim>(std::shared_ptr<Claim>(), this), std::move(id), std::move(title),
                             std::move(gen));
}
template <class Instance>
PartDraft<Instance> Claim::part(std::string id, std::string title, rc::Gen<Instance> gen) && {
  check_prediction_id(id_, id);
  return PartDraft<Instance>(std::make_shared<Claim>(std::move(*this)), std::move(id), std::move(title),
                             std::move(gen));
}

}  // namespace entropic
