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
#pragma once

#include <nlohmann/json.hpp>

#include "entropic/io/scenario.hpp"

namespace entropic {

// Largest order the command accepts: the modified field costs 2^(K+1) jet chains.
inline constexpr int kMaxExpansionOrder = 12;

nlohmann::ordered_json expansion_report(const Scenario& scenario, int order);
nlohmann::ordered_json modified_field_report(const Scenario& scenario, int order);

}  // namespace entropic
