// Scenario files (docs/scenario.md): a model, exact data, a start, an optimizer exactly as
// torch.optim.SGD, a batch schedule, a number of steps and the arithmetic to run it in.
//
// The loader checks the whole file before anything runs. Every number stays exact (a Rational);
// the run converts it into the requested arithmetic with from_rational<S> (simulate.hpp). Anything
// that cannot be run as written throws scenario_error, one line that names the field. So does a
// start outside the model's domain (ModelSpec::nonzero_blocks: W1 = 0 for the scale-invariant
// models, which divide by ||W1||), which no arithmetic could run.
#pragma once

#include <cstddef>
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

// Limits of a scenario file (docs/scenario.md, "Limits"). Each is far above what an exact run can
// do in reasonable time, and low enough that no count, index or size computed from them overflows
// an int and that reading a file takes well under a second and a gigabyte. A value beyond one is
// bad input; the message names the limit. The number of JSON values and the nesting are limited by
// the JSON reader (json_text.hpp), exact numbers by exact_values.hpp.
inline constexpr std::size_t kMaxScenarioBytes = std::size_t{64} << 20;  // 64 MiB
inline constexpr int kMaxSteps = 10'000'000;
inline constexpr int kMaxWidth = 4096;
inline constexpr int kMaxLayers = 64;
inline constexpr int kMaxParameters = 1'000'000;
inline constexpr int kMaxSamples = 1'000'000;
inline constexpr int kMaxBatches = 1'000'000;
inline constexpr int kMaxBatchSize = 1'000'000;

struct Scenario {
  ModelSpec spec;
  DataSet<Rational> data;
  Vec<Rational> theta0;  // in the layout's flat order (layout.hpp)
  SgdConfig<Rational> optimizer;
  BatchSchedule schedule = BatchSchedule::full();
  int steps = 0;
  Arithmetic arithmetic;
};

// Every failure is a scenario_error naming the field, whatever threw underneath (the JSON reader,
// the multiprecision library, an allocation): never another exception.
Scenario parse_scenario(const nlohmann::json& document);
// JSON text; duplicate keys are an error.
Scenario parse_scenario_text(std::string_view text);
// A regular file of at most kMaxScenarioBytes (a directory, a device or a fifo is refused before
// anything is read, and nothing beyond the limit is read); every message starts with its path.
Scenario load_scenario(const std::string& path);

}  // namespace entropic
