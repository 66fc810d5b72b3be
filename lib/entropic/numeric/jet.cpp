#include "entropic/numeric/jet.hpp"

#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <utility>

namespace entropic {

const JetSpace& JetSpace::of(int variables, int degree) {
  if (variables < 1) throw std::invalid_argument("a jet space needs at least one variable");
  if (degree < 0) throw std::invalid_argument("a jet space needs degree >= 0");
  static std::mutex mutex;
  static std::map<std::pair<int, int>, std::unique_ptr<const JetSpace>> spaces;
  const std::lock_guard<std::mutex> lock(mutex);
  auto& slot = spaces[{variables, degree}];
  if (!slot) slot.reset(new JetSpace(variables, degree));
  return *slot;
}

// Degree d's monomials are those of degree d - 1 times delta_v for every v >= their last variable,
// in that order: the lexicographic order of non-decreasing variable sequences.
JetSpace::JetSpace(int variables, int degree) : variables_(variables), degree_(degree) {
  // C(m + d, d) monomials, each with m entries in times_: all indexed by int.
  double monomials = 1;
  for (int d = 1; d <= degree; ++d) monomials = monomials * (variables + d) / d;
  if (monomials * variables > static_cast<double>(INT_MAX)) {
    char count[32];
    std::snprintf(count, sizeof count, "%.3g", monomials);
    throw std::length_error("a jet space of degree " + std::to_string(degree) + " in " + std::to_string(variables) +
                            " variables has " + count + " monomials, too many to index");
  }
  exponents_.push_back(std::vector<int>(variables, 0));
  factors_.push_back({});
  degree_of_.push_back(0);
  parent_.push_back(-1);
  block_end_.push_back(1);
  for (int d = 1; d <= degree; ++d) {
    const int begin = d == 1 ? 0 : block_end_[d - 2], end = block_end_[d - 1];
    for (int m = begin; m < end; ++m) {
      const int first = factors_[m].empty() ? 0 : factors_[m].back();
      for (int v = first; v < variables; ++v) {
        std::vector<int> e = exponents_[m];
        ++e[v];
        std::vector<int> f = factors_[m];
        f.push_back(v);
        exponents_.push_back(std::move(e));
        factors_.push_back(std::move(f));
        degree_of_.push_back(d);
        parent_.push_back(m);
      }
    }
    block_end_.push_back(static_cast<int>(exponents_.size()));
  }
  std::map<std::vector<int>, int> where;
  for (int m = 0; m < static_cast<int>(exponents_.size()); ++m) where[exponents_[m]] = m;
  times_.assign(exponents_.size() * variables, -1);
  for (int m = 0; m < static_cast<int>(exponents_.size()); ++m) {
    if (degree_of_[m] == degree) continue;
    for (int v = 0; v < variables; ++v) {
      std::vector<int> e = exponents_[m];
      ++e[v];
      times_[m * variables + v] = where.at(e);
    }
  }
}

int JetSpace::index(const std::vector<int>& exponents) const {
  if (static_cast<int>(exponents.size()) != variables_)
    throw std::invalid_argument("a monomial in " + std::to_string(exponents.size()) +
                                " variables for a jet space of " + std::to_string(variables_));
  for (int e : exponents)
    if (e < 0) return -1;
  int m = 0;
  for (int v = 0; v < variables_; ++v)
    for (int k = 0; k < exponents[v]; ++k) {
      m = times(m, v);
      if (m < 0) return -1;
    }
  return m;
}

std::string JetSpace::name(int monomial) const {
  if (monomial == 0) return "1";
  std::string out;
  const auto& e = exponents_.at(monomial);
  for (int v = 0; v < variables_; ++v) {
    if (e[v] == 0) continue;
    out += (out.empty() ? "d" : " d") + std::to_string(v + 1);
    if (e[v] > 1) out += "^" + std::to_string(e[v]);
  }
  return out;
}

}  // namespace entropic
