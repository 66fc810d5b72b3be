// The modified field of GD to high order (docs/benchmarks.md, "Modified fields"):
//
//   BM_ModifiedField/K          what `entropic expand SCENARIO --modified-field --order K` computes,
//                               c_0 .. c_K exactly, by Gregory's formula on K + 1 steps of GD's orbit
//                               as series in h (theory/modified_field_from_orbit.hpp)
//   BM_ModifiedFieldByJets/K    the same numbers by the backward-error recursion on the Taylor
//                               polynomials in all parameters (theory/modified_field.hpp): the route
//                               the project took before, for the cost it replaces
//   BM_ModifiedFieldWidth/W     order 12 on widths [W, W, W, 1] (2 W^2 + W parameters), for the
//                               growth with the number of parameters
//
// The scenario is bench/scenarios/deep_linear_2_2_2_1_wd.json: a three-layer linear net with 10
// parameters, GD with weight decay 1/10, three samples.
#include <benchmark/benchmark.h>

#include <string>

#include "entropic/io/scenario.hpp"
#include "entropic/theory/modified_field.hpp"

namespace {

using entropic::Rational;

const entropic::Scenario& scenario() {
  static const entropic::Scenario s =
      entropic::load_scenario(std::string(ENTROPIC_BENCH_SCENARIOS) + "/deep_linear_2_2_2_1_wd.json");
  return s;
}

void BM_ModifiedField(benchmark::State& state) {
  const auto& s = scenario();
  const int K = static_cast<int>(state.range(0));
  for (auto _ : state)
    benchmark::DoNotOptimize(entropic::gradient_descent_modified_field<Rational>(
        s.spec, s.data, s.theta0, s.optimizer.weight_decay, K));
  state.counters["parameters"] = static_cast<double>(s.theta0.size());
}
BENCHMARK(BM_ModifiedField)->DenseRange(4, 32, 4)->Unit(benchmark::kMillisecond);

void BM_ModifiedFieldByJets(benchmark::State& state) {
  const auto& s = scenario();
  const int K = static_cast<int>(state.range(0));
  for (auto _ : state)
    benchmark::DoNotOptimize(entropic::gradient_descent_modified_field_by_jets<Rational>(
        s.spec, s.data, s.theta0, s.optimizer.weight_decay, K));
  state.counters["parameters"] = static_cast<double>(s.theta0.size());
}
BENCHMARK(BM_ModifiedFieldByJets)->DenseRange(2, 6, 2)->Unit(benchmark::kMillisecond);

// Widths [W, W, W, 1], theta's entries (1 + (k mod 5)) / (4 + k mod 3) with alternating signs, three
// samples of W inputs: the scenario's structure at more parameters.
void BM_ModifiedFieldWidth(benchmark::State& state) {
  const int w = static_cast<int>(state.range(0));
  entropic::ModelSpec spec;
  spec.kind = entropic::ModelKind::deep_linear;
  spec.widths = {w, w, w, 1};
  const int p = 2 * w * w + w;
  entropic::Vec<Rational> theta(p);
  for (int k = 0; k < p; ++k) theta[k] = Rational((k % 2 ? -1 : 1) * (1 + k % 5), 4 + k % 3) / w;
  entropic::Mat<Rational> X(3, w), Y(3, 1);
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < w; ++j) X(i, j) = Rational(((i + 2 * j) % 5) - 2, 2);
    Y(i, 0) = Rational(1 - i, 3);
  }
  const entropic::DataSet<Rational> data{X, Y};
  for (auto _ : state)
    benchmark::DoNotOptimize(entropic::gradient_descent_modified_field<Rational>(spec, data, theta, Rational(1, 10), 12));
  state.counters["parameters"] = p;
}
BENCHMARK(BM_ModifiedFieldWidth)->Arg(2)->Arg(4)->Arg(8)->Arg(16)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
