// Exact eta-expansions of a scenario (what `entropic expand` prints; docs/expansions.md).
//
//   expansion_report        the optimizer of the scenario run with lr = eta, eta a formal variable:
//                           every iterate theta_t as its power series in eta through eta^K,
//                           {"order": K, "arithmetic": ..., "steps": [{"t": 0, "params":
//                            {"W1": [[["c0", "c1", ...], ...], ...]}}, ...]}
//                           (the scenario's lr is ignored; weight decay, momentum, Nesterov, the
//                           preconditioner and the batch schedule are kept)
//   modified_field_report   the modified vector field of GD on L_lambda at the scenario's start,
//                           f~ = f_1 + eta f_2 + ... + eta^K f_{K+1}:
//                           {"order": K, "arithmetic": ..., "field": [{"order": 0, "params": ...}, ...]}
//                           where order j holds f_{j+1} (order 0 is -grad L_lambda)
//
// Coefficients are exact (rational arithmetic) or certified enclosures (interval:BITS); the other
// arithmetics are refused, since a rounded coefficient would be reported as if it were one.
//
// expansion_stream and modified_field_stream hand the same values, as exact text, to a sink as
// they are computed, so that a caller can write them out without holding the report twice (what
// `entropic expand` does); the two reports above are built on them.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "entropic/io/budget.hpp"
#include "entropic/io/scenario.hpp"

namespace entropic {

// Largest order the command accepts. Both computations are series in eta with K + 1 or K + 2
// coefficients (the modified field from K + 1 steps of its orbit): a step costs O(K^2), the budget
// (io/cost.hpp) prices the request, and this bound only keeps the text of a row readable.
inline constexpr int kMaxExpansionOrder = 32;

nlohmann::ordered_json expansion_report(const Scenario& scenario, int order);
nlohmann::ordered_json modified_field_report(const Scenario& scenario, int order);

// What is known of an expansion before its first row: K, the arithmetic with its precision, and the
// parameter blocks.
struct ExpansionHeader {
  int order = 0;
  std::string arithmetic;
  Layout layout;
};

// One row of an expansion as exact text: the iterate theta_t (index = t), each entry in the
// layout's flat order (Layout::at) with its coefficients of eta^0 .. eta^K; or the term f_{j+1} of
// the modified field (index = j), each entry a single coefficient.
struct ExpansionRow {
  int index = 0;
  std::vector<std::vector<std::string>> entries;
};

// begin() once, when the scenario has been checked and the run is about to start; then row() for
// t = 0 .. T (iterates) or j = 0 .. K (modified field), in order.
class ExpansionSink {
 public:
  virtual ~ExpansionSink() = default;
  virtual void begin(const ExpansionHeader& header) = 0;
  virtual void row(const ExpansionRow& row) = 0;
};

// Throw scenario_error, before begin(), for an order outside 0 .. kMaxExpansionOrder, an
// arithmetic other than rational or interval:BITS, or (modified field) a run that is not plain GD;
// budget_error, before begin(), when the estimate (io/cost.hpp: estimate_expansion,
// estimate_modified_field) is beyond `budget`, and while it runs once the deadline has passed.
void expansion_stream(const Scenario& scenario, int order, ExpansionSink& sink,
                      const Budget& budget = Budget::unlimited());
void modified_field_stream(const Scenario& scenario, int order, ExpansionSink& sink,
                           const Budget& budget = Budget::unlimited());

}  // namespace entropic
