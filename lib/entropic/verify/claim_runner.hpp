// The search loop behind Claim::part: generate instances with RapidCheck generators, check each,
// and shrink the first certified violation to a small one (greedy descent through the generator's
// shrink tree, as RapidCheck itself does), recording the path so that a replay string regenerates
// it bit for bit. Included by claim.hpp; not a public header.
#pragma once

#include <exception>

namespace entropic {

namespace detail {

std::uint64_t case_seed(std::uint64_t base, const std::string& claim, const std::string& part, int k);
int case_size(int k, const RunOptions& opts);
std::string slug(const std::string& name);

template <class Instance, class Check>
Verdict evaluate(const Check& check, const Instance& instance) {
  try {
    return check(instance);
  } catch (const std::exception& e) {
    return Verdict::inconclusive(std::string("check raised: ") + e.what());
  }
}

template <class Instance>
rc::Shrinkable<Instance> regenerate(const rc::Gen<Instance>& gen, const ReplayKey& key) {
  rc::Shrinkable<Instance> s = gen(rc::Random(key.seed), key.size);
  for (int index : key.path) {
    auto shrinks = s.shrinks();
    std::optional<rc::Shrinkable<Instance>> next;
    for (int i = 0; auto candidate = shrinks.next(); ++i)
      if (i == index) {
        next = *candidate;
        break;
      }
    if (!next) throw std::runtime_error("replay path does not match the generator");
    s = *next;
  }
  return s;
}

}  // namespace detail

template <class Instance, class Check, class Show>
Claim::Part Claim::make_part(std::string name, bool is_mutant, rc::Gen<Instance> gen, Check check,
                             Show show) const {
  const std::string claim_id = id_;
  const std::string key_part = detail::slug(name);

  // Greedy shrink of a certified violation; returns the counterexample.
  auto shrink = [=](rc::Shrinkable<Instance> current, Verdict verdict, ReplayKey key,
                    int max_shrinks) {
    int steps = 0, evaluations = 0;
    bool progressed = true;
    while (progressed && steps < max_shrinks && evaluations < 20 * max_shrinks) {
      progressed = false;
      auto shrinks = current.shrinks();
      for (int i = 0; auto candidate = shrinks.next(); ++i) {
        if (++evaluations > 20 * max_shrinks) break;
        Verdict v = detail::evaluate(check, candidate->value());
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
    return Counterexample{show(current.value()), std::move(verdict), key.text(), steps};
  };

  Part p;
  p.name = name;
  p.mutant = is_mutant;
  p.run = [=](const RunOptions& opts, const std::vector<ReplayKey>& replays) {
    PartResult r;
    r.name = name;
    r.mutant = is_mutant;
    auto record = [&](const Verdict& v) {
      ++r.instances;
      merge_arithmetic(r.arithmetic, v.arithmetic);  // every kind any instance used
      if (v.outcome == Outcome::holds) {
        ++r.held;
        if (static_cast<int>(v.evidence) > static_cast<int>(r.evidence)) r.evidence = v.evidence;
        if (r.example_residual.empty()) {
          r.example_residual = v.residual;
          r.example_detail = v.detail;
        }
      } else if (v.certified_violation()) {
        ++r.violated;
      } else {
        ++r.inconclusive;
        if (r.note.empty()) r.note = v.detail.empty() ? v.residual : v.detail;
      }
    };
    // Past failures first: a regression must stay fixed (or a control stay falsified).
    for (const ReplayKey& key : replays) {
      if (key.claim != claim_id || key.part != key_part) continue;
      rc::Shrinkable<Instance> s = detail::regenerate(gen, key);
      Verdict v = detail::evaluate(check, s.value());
      record(v);
      if (v.certified_violation()) {
        r.counterexample = Counterexample{show(s.value()), v, key.text(), 0};
        return r;
      }
    }
    for (int k = 0; k < opts.cases; ++k) {
      ReplayKey key{claim_id, key_part, detail::case_seed(opts.seed, claim_id, key_part, k),
                    detail::case_size(k, opts), {}};
      rc::Shrinkable<Instance> s = gen(rc::Random(key.seed), key.size);
      Verdict v = detail::evaluate(check, s.value());
      record(v);
      if (v.certified_violation()) {
        r.counterexample = shrink(s, std::move(v), key, opts.max_shrinks);
        return r;
      }
    }
    return r;
  };
  p.replay = [=](const ReplayKey& key) -> std::optional<Counterexample> {
    if (key.claim != claim_id || key.part != key_part) return std::nullopt;
    rc::Shrinkable<Instance> s = detail::regenerate(gen, key);
    return Counterexample{show(s.value()), detail::evaluate(check, s.value()), key.text(), 0};
  };
  return p;
}

template <class Instance, class Check, class Show>
Claim& Claim::part(std::string name, rc::Gen<Instance> gen, Check check, Show show) {
  parts_.push_back(make_part(std::move(name), false, std::move(gen), std::move(check), std::move(show)));
  return *this;
}

template <class Instance, class Check, class Show>
Claim& Claim::mutant(std::string name, rc::Gen<Instance> gen, Check check, Show show) {
  parts_.push_back(make_part(std::move(name), true, std::move(gen), std::move(check), std::move(show)));
  return *this;
}

}  // namespace entropic
