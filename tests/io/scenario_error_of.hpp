// What parse_scenario says of a document: its scenario_error's message, or "(loaded without
// error)" when it accepts it (the tests of tests/io compare the message with what docs/scenario.md
// promises).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "entropic/io/scenario.hpp"

namespace entropic::test {

inline std::string error_of(const nlohmann::json& document) {
  try {
    parse_scenario(document);
  } catch (const scenario_error& e) {
    return e.what();
  }
  return "(loaded without error)";
}

}  // namespace entropic::test
