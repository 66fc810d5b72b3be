// Exact eta-expansions of discrete SGD (issue: "a benchmark of the same expansion done by sympy").
//
//   BM_ExpandReport/K   what `entropic expand SCENARIO --order K --format json` computes: every
//                       iterate theta_0 .. theta_T of the scenario's optimizer as its power series
//                       in eta through eta^K, with exact rational coefficients, as the JSON document
//                       (scenario parsing excluded; the coefficients' decimal text included).
//   BM_ExpandCoefficients/K
//                       the same run on Series<Rational> scalars, every coefficient of every iterate
//                       collected as a Rational, without text: what the sympy peer's trace holds.
//
// The scenario is bench/scenarios/deep_linear_2_3_1.json unless ENTROPIC_BENCH_SCENARIO names
// another. bench/sympy_expansion.py times sympy on the same scenario, checks that both give
// identical coefficients, and prints the ratio (docs/benchmarks.md).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "entropic/io/expand.hpp"
#include "entropic/io/simulate.hpp"
#include "entropic/model/make_model.hpp"
#include "entropic/optim/sgd.hpp"

namespace {

using entropic::Rational;

const entropic::Scenario& scenario() {
  static const entropic::Scenario s = [] {
    const char* path = std::getenv("ENTROPIC_BENCH_SCENARIO");
    return entropic::load_scenario(path ? std::string(path)
                                        : std::string(ENTROPIC_BENCH_SCENARIOS) +
                                              "/deep_linear_2_3_1.json");
  }();
  return s;
}

void BM_ExpandReport(benchmark::State& state) {
  const auto& s = scenario();
  const int order = static_cast<int>(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(entropic::expansion_report(s, order));
  state.counters["steps"] = s.steps;
  state.counters["parameters"] = static_cast<double>(s.theta0.size());
}
BENCHMARK(BM_ExpandReport)->Arg(2)->Arg(4)->Arg(6)->Arg(8)->Unit(benchmark::kMicrosecond);

void BM_ExpandCoefficients(benchmark::State& state) {
  using Ser = entropic::Series<Rational>;
  const auto& s = scenario();
  const int order = static_cast<int>(state.range(0));
  const auto model = entropic::make_model<Ser>(s.spec);
  const entropic::DataSet<Ser> data = entropic::from_rational<Ser>(s.data);
  entropic::SgdConfig<Ser> cfg = entropic::config_as<Ser>(s.optimizer);
  cfg.lr = Ser::variable(order);
  const entropic::Vec<Ser> theta0 = entropic::from_rational<Ser>(s.theta0);
  std::vector<Rational> coefficients;
  for (auto _ : state) {
    coefficients.clear();
    entropic::run_sgd(*model, data, s.schedule, cfg, theta0, s.steps,
                      [&](int, const entropic::SgdState<Ser>& iterate) {
                        for (const Ser& entry : iterate.theta)
                          for (int n = 0; n <= order; ++n) coefficients.push_back(entry[n]);
                      });
    benchmark::DoNotOptimize(coefficients.data());
  }
}
BENCHMARK(BM_ExpandCoefficients)->Arg(2)->Arg(4)->Arg(6)->Arg(8)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
