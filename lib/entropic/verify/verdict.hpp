// Verdict: the evidence one instance gives about a claim (design.md, "verification vocabulary").
//
//   outcome     holds | violated | inconclusive
//   arithmetic  the arithmetics that produced it (typed: rational, interval:128, series<rational>, ...)
//   evidence    exact | certified | high-precision | floating: how far the outcome can be trusted.
//               Only an exact or certified violation is a counterexample; a floating residual is
//               never called exact.
//   residual    the residual as exact text (0, -3/49, [lo, hi], series coefficients, digits)
//   detail      what was compared
#pragma once

#include <initializer_list>
#include <stdexcept>
#include <string>
#include <vector>

#include "entropic/numeric/kind.hpp"

namespace entropic {

enum class Outcome { holds, violated, inconclusive };

inline const char* outcome_name(Outcome o) {
  switch (o) {
    case Outcome::holds: return "holds";
    case Outcome::violated: return "violated";
    case Outcome::inconclusive: return "inconclusive";
  }
  return "?";
}

struct Verdict {
  Outcome outcome = Outcome::inconclusive;
  ArithmeticSet arithmetic;
  Evidence evidence = Evidence::floating;
  std::string residual;
  std::string detail;
  // A series residual's coefficients (order claims, compare.hpp): row n holds every entry's
  // coefficient of eta^n as exact text; empty for other residuals.
  std::vector<std::vector<std::string>> series;

  // A violation that proves the claim false: computed exactly or with a certified enclosure.
  bool certified_violation() const {
    return outcome == Outcome::violated &&
           (evidence == Evidence::exact || evidence == Evidence::certified);
  }
  // A holding verdict that counts towards `verified`: anything but floating screening.
  bool trusted_hold() const { return outcome == Outcome::holds && evidence != Evidence::floating; }

  static Verdict inconclusive(std::string why, ArithmeticSet arithmetic = {}) {
    return Verdict{Outcome::inconclusive, std::move(arithmetic), Evidence::floating, "", std::move(why), {}};
  }
  // An exact identity that holds (residual 0) or a certified statement, in the given arithmetic.
  static Verdict holds(Arithmetic a, std::string residual, std::string detail) {
    return Verdict{Outcome::holds, a, a.evidence(), std::move(residual), std::move(detail), {}};
  }
  static Verdict violated(Arithmetic a, std::string residual, std::string detail) {
    return Verdict{Outcome::violated, a, a.evidence(), std::move(residual), std::move(detail), {}};
  }
};

// Thrown by an observation, a prediction or a check when an instance cannot decide the claim (a
// generated point that misses its hypothesis, an enclosure too wide): the instance counts as
// inconclusive with this reason, never as a violation.
struct Inconclusive : std::runtime_error {
  explicit Inconclusive(const std::string& why, ArithmeticSet arithmetic = {})
      : std::runtime_error(why), arithmetic(std::move(arithmetic)) {}
  ArithmeticSet arithmetic;
};

// Combine verdicts of several comparisons on one instance: violated if any is a certified
// violation, inconclusive if any is inconclusive, else holds; residual and detail of the deciding one.
// A conjunction that holds is only as strong as its weakest part: its evidence is the weakest
// (exact > certified > high precision > floating) and its arithmetic names every kind used.
// (Also for a run-time list, e.g. one verdict per step and per symmetry.)
template <class Verdicts>
Verdict all_of_range(const Verdicts& parts) {
  if (parts.begin() == parts.end()) return Verdict::inconclusive("nothing was compared");
  const Verdict* decisive = nullptr;
  for (const Verdict& v : parts)
    if (v.certified_violation()) return v;
  for (const Verdict& v : parts)
    if (v.outcome != Outcome::holds && !decisive) decisive = &v;
  if (decisive) return *decisive;
  Verdict out = *parts.begin();
  std::string detail;
  ArithmeticSet arithmetic;
  for (const Verdict& v : parts) {
    detail += (detail.empty() ? "" : "; ") + v.detail;
    if (v.evidence > out.evidence) {  // the enum runs from the strongest to the weakest
      out.evidence = v.evidence;
      out.residual = v.residual;
      out.series = v.series;
    }
    arithmetic.add(v.arithmetic);
  }
  out.detail = detail;
  out.arithmetic = arithmetic;
  return out;
}
inline Verdict all_of(std::initializer_list<Verdict> parts) { return all_of_range(parts); }
inline Verdict all_of(const std::vector<Verdict>& parts) { return all_of_range(parts); }

}  // namespace entropic
