// Past failures: replay strings of counterexamples found before, one per line in
// theorems/past_failures.txt ('#' starts a comment). They are replayed before any generated case, so
// a fixed bug stays fixed and a negative control keeps its known counterexample.
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "entropic/verify/claim.hpp"

namespace entropic {

std::vector<ReplayKey> past_failures();

inline std::vector<ReplayKey> parse_past_failures(const std::string& text) {
  std::vector<ReplayKey> keys;
  std::istringstream in(text);
  int line_no = 0;
  for (std::string line; std::getline(in, line);) {
    ++line_no;
    if (auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos) continue;
    line = line.substr(first, line.find_last_not_of(" \t\r") - first + 1);
    auto key = ReplayKey::parse(line);
    if (!key)
      throw std::invalid_argument("past_failures.txt line " + std::to_string(line_no) +
                                  ": not a replay string: " + line);
    keys.push_back(*key);
  }
  return keys;
}

}  // namespace entropic
