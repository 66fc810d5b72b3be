// Scenario files (docs/scenario.md): a model, exact data, a start, an optimizer exactly as
// torch.optim.SGD, a batch schedule, a number of steps and the arithmetic to run it in.
//
// The loader checks the whole file before anything runs. Every number stays exact (a Rational);
// the run converts it into the requested arithmetic with from_rational<S> (simulate.hpp). Anything
// that cannot be run as written throws scenario_error, one line that names the field.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "entropic/io/arithmetic.hpp"
#include "entropic/io/scenario_error.hpp"
#include "entropic/model/model.hpp"
#include "entropic/optim/sgd.hpp"

namespace entropic {

// The format version this library reads and writes.
inline constexpr int kScenarioVersion = 1;

struct Scenario {
  ModelSpec spec;
  DataSet<Rational> data;
  Vec<Rational> theta0;  // in the layout's flat order (layout.hpp)
  SgdConfig<Rational> optimizer;
  BatchSchedule schedule = BatchSchedule::full();
  int steps = 0;
  Arithmetic arithmetic;
};

Scenario parse_scenario(const nlohmann::json& document);
// JSON text; duplicate keys are an error.
Scenario parse_scenario_text(std::string_view text);
// A file; every message starts with its path.
Scenario load_scenario(const std::string& path);

}  // namespace entropic
