// Running scenarios: torch.optim.SGD's conventions on hand-computed examples (docs/scenario.md), the
// four arithmetics against the exact run, and runs that must stop with the step named.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "entropic/io/cost.hpp"
#include "entropic/io/expand.hpp"
#include "entropic/io/simulate.hpp"

namespace entropic {
namespace {

Scenario file(const std::string& name) { return load_scenario(ENTROPIC_IO_SCENARIOS "/" + name); }

Vec<Rational> vec(std::initializer_list<Rational> entries) {
  Vec<Rational> v(entries.size());
  int i = 0;
  for (const Rational& q : entries) v[i++] = q;
  return v;
}

std::string run_error_of(const Scenario& s) {
  try {
    simulation_report(s);
  } catch (const run_error& e) {
    return e.what();
  }
  return "(ran without error)";
}

// docs/scenario.md, "A worked example": L(theta_0) and theta_1 by hand. theta is W1 column by
// column, then W2.
TEST(Simulate, WorkedExampleMatchesTheHandComputation) {
  const Trajectory<Rational> run = simulate_as<Rational>(file("example.json"));
  ASSERT_EQ(run.theta.size(), 4u);
  EXPECT_EQ(run.arithmetic, "rational");
  EXPECT_EQ(run.loss[0], Rational(853, 576));
  EXPECT_EQ(run.theta[1], vec({Rational(1299, 2000), Rational(849, 1000), Rational(3, 80), 0,
                               Rational(-333, 1000), Rational(999, 500), Rational(537, 500),
                               Rational(-849, 1000), Rational(999, 4000)}));
}

// f = w x, x = 1, y = 0: g = w. w0 = 1, eta = 1/2, lambda = 1/4, beta = 1/2 (docs/scenario.md).
TEST(Simulate, MomentumIsTorchs) {
  const Trajectory<Rational> heavy = simulate_as<Rational>(file("momentum.json"));
  EXPECT_EQ(heavy.theta[1], vec({Rational(3, 8)}));
  // Weight decay inside the momentum buffer: v = 5/8 + (3/8 + 3/32). Decoupled decay gives -7/64.
  EXPECT_EQ(heavy.theta[2], vec({Rational(-11, 64)}));
  EXPECT_EQ(heavy.loss[2], Rational(121, 8192));

  const Trajectory<Rational> nesterov = simulate_as<Rational>(file("nesterov.json"));
  EXPECT_EQ(nesterov.theta[1], vec({Rational(1, 16)}));   // 1 - (1/2)(5/4 + 5/8)
  EXPECT_EQ(nesterov.theta[2], vec({Rational(-39, 256)}));  // 1/16 - (1/2)(5/64 + 45/128)
}

// Without momentum: theta <- theta - eta (g + lambda theta), each step on its own batch, cycled.
TEST(Simulate, PlainSgdCyclesTheBatches) {
  const Scenario s = parse_scenario_text(R"({
    "model": {"kind": "deep_linear", "widths": [1, 1]},
    "params": {"W1": [["1"]]},
    "data": {"x": [["1"], ["2"]], "y": [["0"], ["1"]]},
    "optimizer": {"kind": "sgd", "lr": "1/4", "weight_decay": "1", "batches": [[1], [0, 0, 1]]},
    "steps": 3, "arithmetic": "rational"})");
  const Trajectory<Rational> run = simulate_as<Rational>(s);
  // Step 1, batch [1]: g = (2w - 1) 2 = 2, w = 1 - (1/4)(2 + 1) = 1/4.
  EXPECT_EQ(run.theta[1], vec({Rational(1, 4)}));
  // Step 2, batch [0, 0, 1]: g = (2 w + (2w - 1) 2) / 3 = (1/2 - 1) / 3 = -1/6,
  // w = 1/4 - (1/4)(-1/6 + 1/4) = 11/48.
  EXPECT_EQ(run.theta[2], vec({Rational(11, 48)}));
  // Step 3 cycles back to batch [1]: g = (11/24 - 1) 2 = -13/12, w = 11/48 - (1/4)(-13/12 + 11/48).
  EXPECT_EQ(run.theta[3], vec({Rational(11, 48) - Rational(1, 4) * (Rational(-13, 12) + Rational(11, 48))}));
  // L is the mean over all samples, without weight decay: (w^2 + (2w - 1)^2) / 4 at w = 1.
  EXPECT_EQ(run.loss[0], Rational(1, 2));
}

// The preconditioner acts on theta in the layout's flat order: W1 column by column. Here the
// gradient is nonzero only in W1[1][0] (flat index 1), and P moves it to flat index 3 = W1[1][1].
TEST(Simulate, PreconditionerActsOnTheColumnMajorParameterVector) {
  const Scenario s = parse_scenario_text(R"({
    "model": {"kind": "deep_linear", "widths": [2, 2]},
    "params": {"W1": [["0", "0"], ["0", "0"]]},
    "data": {"x": [["1", "0"]], "y": [["0", "1"]]},
    "optimizer": {"kind": "gd", "lr": "1",
                  "preconditioner": [[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 1, 0, 0]]},
    "steps": 1, "arithmetic": "rational"})");
  const Trajectory<Rational> run = simulate_as<Rational>(s);
  EXPECT_EQ(run.theta[1], vec({0, 0, 0, 1}));
  const nlohmann::ordered_json report = simulation_report(s);
  EXPECT_EQ(report["steps"][1]["params"]["W1"], nlohmann::ordered_json::parse(R"([["0", "0"], ["0", "1"]])"));
}

// The worked example in every arithmetic: the interval run encloses the exact iterate; the real and
// double runs are within a few units of their epsilon (about 30 operations per entry, each with a
// relative error of at most eps/2, on values of size at most 4).
TEST(Simulate, EveryArithmeticAgreesWithTheExactRun) {
  Scenario s = file("example.json");
  const Trajectory<Rational> exact = simulate_as<Rational>(s);
  {
    const PrecisionScope precision(128);
    const Trajectory<Interval> run = simulate_as<Interval>(s);
    EXPECT_EQ(run.arithmetic, "interval:128");
    for (size_t t = 0; t < exact.theta.size(); ++t) {
      for (Eigen::Index k = 0; k < exact.theta[t].size(); ++k) {
        EXPECT_LE(Rational(lower(run.theta[t][k])), exact.theta[t][k]);
        EXPECT_GE(Rational(upper(run.theta[t][k])), exact.theta[t][k]);
      }
      EXPECT_LE(Rational(lower(run.loss[t])), exact.loss[t]);
      EXPECT_GE(Rational(upper(run.loss[t])), exact.loss[t]);
    }
  }
  const int ulps = 64;
  {
    const PrecisionScope precision(200);
    const Trajectory<Real> run = simulate_as<Real>(s);
    EXPECT_EQ(run.arithmetic, "real:201");
    const Real tolerance = ulps * std::numeric_limits<Real>::epsilon() * 4;
    for (size_t t = 0; t < exact.theta.size(); ++t)
      for (Eigen::Index k = 0; k < exact.theta[t].size(); ++k)
        EXPECT_LE(abs(run.theta[t][k] - Real(exact.theta[t][k])), tolerance);
  }
  const Trajectory<double> run = simulate_as<double>(s);
  EXPECT_EQ(run.arithmetic, "double");
  for (size_t t = 0; t < exact.theta.size(); ++t)
    for (Eigen::Index k = 0; k < exact.theta[t].size(); ++k)
      EXPECT_LE(std::abs(run.theta[t][k] - from_rational<double>(exact.theta[t][k])),
                ulps * std::numeric_limits<double>::epsilon() * 4);
}

TEST(Simulate, ReportRunsAtTheScenariosPrecisionAndRestoresTheCallers) {
  const unsigned before = working_precision_bits();
  Scenario s = file("example.json");
  s.arithmetic = Arithmetic::parse("interval:100");
  const nlohmann::ordered_json report = simulation_report(s);
  EXPECT_EQ(report["arithmetic"], "interval:101");  // 31 decimal digits: the fewest that give >= 100 bits
  EXPECT_EQ(report["steps"].size(), 4u);
  EXPECT_EQ(report["steps"][0]["params"]["W2"][0][2], "[2.5e-1, 2.5e-1]");  // 1/4 exactly
  EXPECT_EQ(working_precision_bits(), before);

  s.arithmetic = Arithmetic::parse("double");
  EXPECT_EQ(simulation_report(s)["steps"][1]["params"]["W2"][0][0], "1.074");  // 537/500
}

TEST(Simulate, DivergenceStopsAtTheStepItHappens) {
  // w <- -3 w, f = 2 w: |f|^2 = 4 w^2 first exceeds DBL_MAX at w = 3^323 (4 3^646 > 1.8e308 > 4 3^644).
  // The advice prices what it suggests (io/cost.hpp): the growth is linear in bits (w = (-3)^t), so
  // both real:64 and rational fit; the times depend on the machine.
  const std::string message = run_error_of(file("diverges.json"));
  EXPECT_EQ(message.rfind("step 323 of 1000: the loss = inf: the run diverged (lower lr; real:64 follows it "
                          "past the range of double, in at least ", 0), 0u) << message;
  EXPECT_NE(message.find("; rational runs it exactly, about "), std::string::npos) << message;
  // In real arithmetic the same run is finite.
  Scenario s = file("diverges.json");
  s.arithmetic = Arithmetic::parse("real:64");
  EXPECT_EQ(simulation_report(s)["steps"].size(), 1001u);
}

TEST(Simulate, AnIntervalThatStraddlesAKinkStopsTheRun) {
  // z = (1/3) 3 - 1: its enclosure contains 0 and is not [0, 0], so relu cannot choose a side.
  const Scenario s = parse_scenario_text(R"({
    "model": {"kind": "mlp", "widths": [1, 1, 1], "activation": "relu", "bias": true},
    "params": {"W1": [["1/3"]], "b1": [["-1"]], "W2": [["1"]], "b2": [["0"]]},
    "data": {"x": [["3"]], "y": [["0"]]},
    "optimizer": {"kind": "gd", "lr": "1/10"}, "steps": 1, "arithmetic": "interval:64"})");
  const std::string message = run_error_of(s);
  EXPECT_EQ(message.rfind("at the start (t = 0): the enclosure [", 0), 0u) << message;
  EXPECT_NE(message.find("straddles the kink at 0"), std::string::npos) << message;
}

TEST(Simulate, AnInputThatOverflowsDoubleIsAScenarioError) {
  Scenario s = file("example.json");
  s.data.X(1, 0) = parse_rational("1e400");
  s.arithmetic = Arithmetic::parse("double");
  try {
    simulation_report(s);
    FAIL() << "ran";
  } catch (const scenario_error& e) {
    EXPECT_EQ(std::string(e.what()),
              "data.x[1][0]: overflows in double arithmetic; use rational, interval:BITS or real:BITS");
  }
}

// A sink that records what simulate_stream hands it.
struct Recorder : StepSink {
  int begins = 0;
  RunHeader header;
  std::vector<StepText> steps;
  bool text = true;
  void begin(const RunHeader& h) override {
    ++begins;
    EXPECT_TRUE(steps.empty()) << "begin() after a step";
    header = h;
  }
  void step(const StepText& s) override {
    EXPECT_EQ(begins, 1) << "a step before begin()";
    steps.push_back(s);
  }
  bool wants_text() const override { return text; }
};

std::vector<int> times(const Recorder& r) {
  std::vector<int> t;
  for (const StepText& s : r.steps) t.push_back(s.t);
  return t;
}

// The stream reports t = 0, K, 2K, ... and the last, each with the values of the whole run.
TEST(SimulateStream, ReportsEveryKthStepAndTheLast) {
  const Scenario s = file("example.json");
  const nlohmann::ordered_json report = simulation_report(s);
  Recorder r;
  simulate_stream(s, StepSelection{2, false}, r);
  EXPECT_EQ(r.begins, 1);
  EXPECT_EQ(r.header.arithmetic, "rational");
  EXPECT_EQ(r.header.steps, 3);
  ASSERT_EQ(r.header.layout.count(), 2);
  EXPECT_EQ(r.header.layout[0].name, "W1");
  EXPECT_EQ(r.header.layout[0].rows, 3);
  EXPECT_EQ(r.header.layout[0].cols, 2);
  EXPECT_EQ(times(r), (std::vector<int>{0, 2, 3}));
  for (const StepText& step : r.steps)
    EXPECT_EQ(step_json(r.header.layout, step), report["steps"][static_cast<size_t>(step.t)]) << "t = " << step.t;
  EXPECT_EQ(r.steps[0].entries[1], "1");  // flat order: W1 column by column, W1[1][0] = 1

  Recorder last;
  simulate_stream(s, StepSelection{1, true}, last);
  EXPECT_EQ(last.begins, 1);
  EXPECT_EQ(times(last), std::vector<int>{3});
  EXPECT_EQ(simulation_report(s, StepSelection{1, true})["steps"].size(), 1u);

  EXPECT_TRUE(StepSelection{}.reports(1, 3));
  EXPECT_FALSE((StepSelection{5, false}.reports(4, 7)));
  EXPECT_TRUE((StepSelection{5, false}.reports(7, 7)));
  Recorder bad;
  EXPECT_THROW(simulate_stream(s, StepSelection{0, false}, bad), std::invalid_argument);
}

// A sink that only follows the run gets t alone: nothing is formatted for it.
TEST(SimulateStream, ASinkThatWantsNoTextGetsTheTimesOnly) {
  Recorder r;
  r.text = false;
  simulate_stream(file("example.json"), StepSelection{}, r);
  EXPECT_EQ(times(r), (std::vector<int>{0, 1, 2, 3}));
  for (const StepText& step : r.steps) {
    EXPECT_TRUE(step.loss.empty());
    EXPECT_TRUE(step.entries.empty());
  }
}

// A divergence stops the stream after the steps before it were reported; a run that stops at
// t = 0, or an input that does not fit the arithmetic, stops it before begin().
TEST(SimulateStream, StopsWhereTheRunStops) {
  Recorder r;
  EXPECT_THROW(simulate_stream(file("diverges.json"), StepSelection{100, false}, r), run_error);
  EXPECT_EQ(r.begins, 1);
  EXPECT_EQ(times(r), (std::vector<int>{0, 100, 200, 300}));

  const Scenario kink = parse_scenario_text(R"({
    "model": {"kind": "mlp", "widths": [1, 1, 1], "activation": "relu", "bias": true},
    "params": {"W1": [["1/3"]], "b1": [["-1"]], "W2": [["1"]], "b2": [["0"]]},
    "data": {"x": [["3"]], "y": [["0"]]},
    "optimizer": {"kind": "gd", "lr": "1/10"}, "steps": 1, "arithmetic": "interval:64"})");
  Recorder at_start;
  EXPECT_THROW(simulate_stream(kink, StepSelection{}, at_start), run_error);
  EXPECT_EQ(at_start.begins, 0);

  Scenario overflow = file("example.json");
  overflow.data.X(1, 0) = parse_rational("1e400");
  overflow.arithmetic = Arithmetic::parse("double");
  Recorder input;
  EXPECT_THROW(simulate_stream(overflow, StepSelection{}, input), scenario_error);
  EXPECT_EQ(input.begins, 0);
}

// What a sink throws stops the run and passes through unchanged.
TEST(SimulateStream, WhatTheSinkThrowsPassesThrough) {
  struct Full : StepSink {
    int steps = 0;
    void begin(const RunHeader&) override {}
    void step(const StepText&) override {
      if (++steps == 2) throw std::length_error("disk full");
    }
  } sink;
  EXPECT_THROW(simulate_stream(file("example.json"), StepSelection{}, sink), std::length_error);
  EXPECT_EQ(sink.steps, 2);
}

}  // namespace
}  // namespace entropic


namespace entropic {
namespace {

// The budget (io/cost.hpp): a depth-2 linear net in rational arithmetic multiplies the bit length
// of its entries by about 3 per step, so 1000 steps cannot fit 4 GiB, while 10 steps do; the same
// net in double fits either way. A one-layer net grows linearly and 1000 steps fit.
TEST(Budget, RefusesAGeometricRationalRunAndAcceptsWhatFits) {
  const auto scenario = [](const char* widths, int steps, const char* arithmetic) {
    return parse_scenario_text(std::string(R"({"version": 1, "model": {"kind": "deep_linear", "widths": )") + widths +
                               R"(}, "init": {"seed": 3, "scale": "1/2"}, "data": {"x": [["1", "2"], ["-1", "3"]],
                               "y": [["1"], ["-2"]]}, "optimizer": {"kind": "gd", "lr": "1/100"}, "steps": )" +
                               std::to_string(steps) + R"(, "arithmetic": ")" + arithmetic + R"("})");
  };
  const Budget budget{std::uint64_t{4} << 30, 3600};
  EXPECT_THROW(check_budget(scenario("[2, 4, 1]", 1000, "rational"), budget), budget_error);
  EXPECT_NO_THROW(check_budget(scenario("[2, 4, 1]", 10, "rational"), budget));
  EXPECT_NO_THROW(check_budget(scenario("[2, 4, 1]", 1000, "double"), budget));
  EXPECT_NO_THROW(check_budget(scenario("[2, 1]", 1000, "rational"), budget));
  EXPECT_NO_THROW(check_budget(scenario("[2, 4, 1]", 1000, "rational"), Budget::unlimited()));
  try {
    check_budget(scenario("[2, 4, 1]", 1000, "rational"), budget);
  } catch (const budget_error& e) {
    EXPECT_NE(std::string(e.what()).find("more than --max-memory 4.00 GiB; raise it with --max-memory"),
              std::string::npos) << e.what();
  }
}

// expand's budget (io/cost.hpp): the modified field to order K is priced as K + 1 steps on series to
// h^(K+1). Order 12 of a 21-parameter net fits the defaults and runs; order 32 does not fit 10 ms,
// order 1 does. A deadline that has passed stops the orbit before its first step.
TEST(Budget, PricesTheModifiedFieldByItsOrbit) {
  const Scenario s = parse_scenario_text(R"({"version": 1, "model": {"kind": "deep_linear", "widths": [3, 3, 3, 1]},
      "init": {"seed": 5, "scale": "1/2"}, "data": {"x": [["1", "2", "-1"]], "y": [["1"]]},
      "optimizer": {"kind": "gd", "lr": "1/100"}, "steps": 1, "arithmetic": "rational"})");
  struct Rows : ExpansionSink {
    int begun = 0, rows = 0;
    void begin(const ExpansionHeader&) override { ++begun; }
    void row(const ExpansionRow&) override { ++rows; }
  };
  const Budget budget = Budget::defaults();
  Rows fits;
  modified_field_stream(s, 12, fits, budget);
  EXPECT_EQ(fits.rows, 13);
  const Budget ten_ms{0, 0.01};
  Rows refused;
  try {
    modified_field_stream(s, 32, refused, ten_ms);
    ADD_FAILURE() << "order 32 was not refused in 10 ms";
  } catch (const budget_error& e) {
    EXPECT_NE(std::string(e.what()).find("the modified field to order 32 needs"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("; raise it with --timeout"), std::string::npos) << e.what();
  }
  EXPECT_EQ(refused.begun, 0);
  EXPECT_EQ(budget_excess(estimate_modified_field(s, 1), ten_ms), "");

  Deadline::expire();
  Rows stopped;
  try {
    modified_field_stream(s, 3, stopped, budget);
    ADD_FAILURE() << "a passed deadline did not stop the modified field";
  } catch (const budget_error& e) {
    EXPECT_NE(std::string(e.what()).find("the modified field to order 3, at step 0 of its orbit"), std::string::npos)
        << e.what();
  }
  Deadline::reset();
  EXPECT_EQ(stopped.rows, 0);
}

// The iterates' series: K + 1 coefficients to every scalar and (K + 1)(K + 2) / 2 products for one,
// so ten million steps of order 12 do not fit an hour even at the lower bound, while 10 steps do.
TEST(Budget, RefusesASeriesExpansionBeyondTheTimeLimit) {
  const auto scenario = [](int steps) {
    return parse_scenario_text(R"({"version": 1, "model": {"kind": "deep_linear", "widths": [8, 8, 1]},
        "init": {"seed": 5, "scale": "1/2"}, "data": {"x": [["1", "2", "-1", "0", "1", "1", "2", "3"]], "y": [["1"]]},
        "optimizer": {"kind": "gd", "lr": "1/100"}, "steps": )" + std::to_string(steps) + R"(, "arithmetic": "rational"})");
  };
  const std::string excess = budget_excess(estimate_expansion(scenario(10000000), 12), Budget::defaults());
  EXPECT_NE(excess.find("more than --timeout 1.00 h; raise it with --timeout"), std::string::npos) << excess;
  EXPECT_EQ(budget_excess(estimate_expansion(scenario(10), 12), Budget::defaults()), "");
  struct Rows : ExpansionSink {
    int begun = 0;
    void begin(const ExpansionHeader&) override { ++begun; }
    void row(const ExpansionRow&) override {}
  } refused;
  EXPECT_THROW(expansion_stream(scenario(10000000), 12, refused, Budget::defaults()), budget_error);
  EXPECT_EQ(refused.begun, 0);
}

}  // namespace
}  // namespace entropic
