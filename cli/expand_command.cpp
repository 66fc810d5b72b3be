// entropic expand SCENARIO.json --order K [--modified-field] [--format text|json]: exact
// eta-series of every iterate, or the coefficients f_1 .. f_{K+1} of GD's modified field at the
// start (docs/expansions.md). Computed in full before anything is printed.
#include "commands.hpp"
#include "entropic/io/expand.hpp"
#include "entropic/io/simulate.hpp"
#include "output.hpp"

namespace entropic::cli {

namespace {

// "W1[0][1]: [c0, c1, ...]" lines for one "params" object whose cells are coefficient lists
// (iterates) or single coefficients (modified field).
std::string params_lines(const nlohmann::ordered_json& params) {
  std::string out;
  for (const auto& [name, rows] : params.items())
    for (size_t i = 0; i < rows.size(); ++i)
      for (size_t j = 0; j < rows[i].size(); ++j) {
        const auto& cell = rows[i][j];
        std::string text;
        if (cell.is_array()) {
          for (size_t n = 0; n < cell.size(); ++n)
            text += (n ? ", " : "[") + cell[n].get<std::string>();
          text += "]";
        } else {
          text = cell.get<std::string>();
        }
        out += "  " + name + "[" + std::to_string(i) + "][" + std::to_string(j) + "]: " + text + "\n";
      }
  return out;
}

std::string text_of(const nlohmann::ordered_json& report, bool field) {
  std::string out = "order " + std::to_string(report["order"].get<int>()) + ", arithmetic " +
                    report["arithmetic"].get<std::string>() + "\n";
  if (field) {
    for (const auto& f : report["field"])
      out += "f_" + std::to_string(f["order"].get<int>() + 1) + " (coefficient of eta^" +
             std::to_string(f["order"].get<int>()) + "):\n" + params_lines(f["params"]);
  } else {
    for (const auto& step : report["steps"])
      out += "t = " + std::to_string(step["t"].get<int>()) +
             " (coefficients of eta^0, eta^1, ...):\n" + params_lines(step["params"]);
  }
  return out;
}

}  // namespace

int expand(const std::string& scenario_path, int order, bool modified_field,
           const std::string& format) {
  Scenario scenario;
  nlohmann::ordered_json report;
  try {
    scenario = load_scenario(scenario_path);
    report = modified_field ? modified_field_report(scenario, order) : expansion_report(scenario, order);
  } catch (const scenario_error& e) {
    throw usage_error(e.what());
  }
  emit(format == "json" ? report.dump() + "\n" : text_of(report, modified_field), "");
  return 0;
}

}  // namespace entropic::cli
