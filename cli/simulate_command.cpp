// entropic simulate SCENARIO.json [--format text|json]: every iterate theta_0 .. theta_T of the
// scenario's run and its training loss, as exact text in the scenario's arithmetic
// (docs/scenario.md). The whole run is computed before anything is printed: a bad file (exit 2) or
// a run that stops (exit 1) prints nothing on stdout.
#include <algorithm>

#include "commands.hpp"
#include "entropic/io/simulate.hpp"
#include "output.hpp"

namespace entropic::cli {

namespace {

// One line per step, so that a long run stays readable and greppable.
std::string json_text(const nlohmann::ordered_json& report) {
  std::string out = "{\"arithmetic\": " + report["arithmetic"].dump() + ", \"steps\": [\n";
  const auto& steps = report["steps"];
  for (size_t t = 0; t < steps.size(); ++t)
    out += "  " + steps[t].dump() + (t + 1 < steps.size() ? ",\n" : "\n");
  return out + "]}\n";
}

std::string matrix_text(const nlohmann::ordered_json& rows) {
  std::string out = "[";
  for (size_t i = 0; i < rows.size(); ++i) {
    out += i ? ", [" : "[";
    for (size_t j = 0; j < rows[i].size(); ++j)
      out += (j ? ", " : "") + rows[i][j].get<std::string>();
    out += "]";
  }
  return out + "]";
}

// A table: t, loss, then one column per parameter block. Columns are aligned up to kAlignedWidth
// characters; a longer value (exact rationals grow fast) just pushes the rest of its row right.
constexpr size_t kAlignedWidth = 40;

std::string table_text(const nlohmann::ordered_json& report) {
  std::vector<std::vector<std::string>> cells{{"t", "loss"}};
  for (const auto& [name, value] : report["steps"][0]["params"].items()) cells[0].push_back(name);
  for (const auto& step : report["steps"]) {
    std::vector<std::string> row{std::to_string(step["t"].get<int>()), step["loss"].get<std::string>()};
    for (const auto& [name, value] : step["params"].items()) row.push_back(matrix_text(value));
    cells.push_back(std::move(row));
  }
  std::vector<size_t> width(cells[0].size(), 0);
  for (const auto& row : cells)
    for (size_t c = 0; c < row.size(); ++c)
      width[c] = std::max(width[c], std::min(row[c].size(), kAlignedWidth));
  std::string out = "arithmetic: " + report["arithmetic"].get<std::string>() + "\n";
  for (const auto& row : cells) {
    std::string line;
    for (size_t c = 0; c < row.size(); ++c) {
      const std::string pad(width[c] - std::min(width[c], row[c].size()), ' ');
      line += (c ? "  " : "") + (c == 0 ? pad + row[c] : row[c] + pad);
    }
    line.erase(line.find_last_not_of(' ') + 1);
    out += line + "\n";
  }
  return out;
}

}  // namespace

int simulate(const std::string& scenario_path, const std::string& format) {
  Scenario scenario;
  try {
    scenario = load_scenario(scenario_path);  // messages start with the path
  } catch (const scenario_error& e) {
    throw usage_error(e.what());
  }
  nlohmann::ordered_json report;
  try {
    report = simulation_report(scenario);
  } catch (const scenario_error& e) {  // an input that does not fit the arithmetic
    throw usage_error(scenario_path + ": " + e.what());
  }
  emit(format == "json" ? json_text(report) : table_text(report), "");
  return 0;
}

}  // namespace entropic::cli
