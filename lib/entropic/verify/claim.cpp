#include "entropic/verify/claim.hpp"

#include <algorithm>
#include <sstream>

namespace entropic {

const char* provenance_name(Provenance p) {
  switch (p) {
    case Provenance::paper: return "paper";
    case Provenance::derived: return "derived";
    case Provenance::classical: return "classical";
    case Provenance::negative_control: return "negative control";
  }
  return "?";
}

const char* expectation_name(Expectation e) { return e == Expectation::holds ? "holds" : "fails"; }

const char* status_name(Status s) {
  switch (s) {
    case Status::verified: return "verified";
    case Status::falsified: return "falsified";
    case Status::inconclusive: return "inconclusive";
  }
  return "?";
}

namespace detail {

// splitmix64 finaliser: well-mixed 64-bit seeds from (base, claim, part, case).
static std::uint64_t mix(std::uint64_t z) {
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::uint64_t case_seed(std::uint64_t base, const std::string& claim, const std::string& part, int k) {
  std::uint64_t h = 1469598103934665603ULL;  // FNV-1a of the names: stable across platforms
  for (char c : claim + "." + part) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  return mix(mix(base) ^ h ^ mix(static_cast<std::uint64_t>(k)));
}

int case_size(int k, const RunOptions& opts) {
  if (opts.cases <= 1) return opts.max_size;
  return static_cast<int>(static_cast<long long>(k) * opts.max_size / (opts.cases - 1));
}

std::string slug(const std::string& name) {
  std::string s;
  for (char c : name) {
    if (std::isalnum(static_cast<unsigned char>(c)))
      s += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    else if (!s.empty() && s.back() != '-')
      s += '-';
  }
  while (!s.empty() && s.back() == '-') s.pop_back();
  return s;
}

}  // namespace detail

// CLAIM.part:s=SEED:z=SIZE[:p=I.J.K]
std::string ReplayKey::text() const {
  std::string t = claim + "." + part + ":s=" + std::to_string(seed) + ":z=" + std::to_string(size);
  if (!path.empty()) {
    t += ":p=";
    for (size_t i = 0; i < path.size(); ++i) t += (i ? "." : "") + std::to_string(path[i]);
  }
  return t;
}

std::optional<ReplayKey> ReplayKey::parse(const std::string& text) {
  ReplayKey k;
  std::vector<std::string> fields;
  std::stringstream ss(text);
  for (std::string f; std::getline(ss, f, ':');) fields.push_back(f);
  if (fields.size() < 3 || fields.size() > 4) return std::nullopt;
  const auto dot = fields[0].find('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == fields[0].size()) return std::nullopt;
  k.claim = fields[0].substr(0, dot);
  k.part = fields[0].substr(dot + 1);
  try {
    if (fields[1].rfind("s=", 0) != 0 || fields[2].rfind("z=", 0) != 0) return std::nullopt;
    size_t used = 0;
    k.seed = std::stoull(fields[1].substr(2), &used);
    if (used != fields[1].size() - 2) return std::nullopt;
    k.size = std::stoi(fields[2].substr(2), &used);
    if (used != fields[2].size() - 2 || k.size < 0) return std::nullopt;
    if (fields.size() == 4) {
      if (fields[3].rfind("p=", 0) != 0) return std::nullopt;
      std::stringstream ps(fields[3].substr(2));
      for (std::string i; std::getline(ps, i, '.');) {
        const int v = std::stoi(i, &used);
        if (used != i.size() || v < 0) return std::nullopt;
        k.path.push_back(v);
      }
    }
  } catch (const std::exception&) {
    return std::nullopt;
  }
  return k;
}

Status PartResult::status() const {
  if (counterexample) return Status::falsified;
  if (inconclusive > 0 || held == 0 || evidence == Evidence::floating) return Status::inconclusive;
  return Status::verified;
}

Status ClaimResult::status() const {
  bool any_inconclusive = false;
  for (const PartResult& p : parts) {
    if (p.status() == Status::falsified) return Status::falsified;
    if (p.status() == Status::inconclusive) any_inconclusive = true;
  }
  return any_inconclusive || parts.empty() ? Status::inconclusive : Status::verified;
}

bool ClaimResult::as_expected() const {
  const Status want = expected == Expectation::holds ? Status::verified : Status::falsified;
  if (status() != want) return false;
  for (const PartResult& m : mutants)
    if (m.status() != Status::falsified) return false;
  return true;
}

int ClaimResult::instances() const {
  int n = 0;
  for (const PartResult& p : parts) n += p.instances;
  return n;
}

// Every arithmetic the parts used, each once, in order of first use.
std::string ClaimResult::arithmetic() const {
  std::string out;
  for (const PartResult& p : parts) merge_arithmetic(out, p.arithmetic);
  return out;
}

const Counterexample* ClaimResult::counterexample() const {
  for (const PartResult& p : parts)
    if (p.counterexample) return &*p.counterexample;
  return nullptr;
}

ClaimResult Claim::run(const RunOptions& opts, const std::vector<ReplayKey>& past_failures) const {
  ClaimResult r;
  r.id = id_;
  r.title = title_;
  r.kind = kind_;
  r.provenance = provenance_;
  r.expected = expected_;
  for (const Part& p : parts_) (p.mutant ? r.mutants : r.parts).push_back(p.run(opts, past_failures));
  return r;
}

ClaimRegistry& ClaimRegistry::instance() {
  static ClaimRegistry registry;
  return registry;
}

void ClaimRegistry::add(std::function<Claim()> make) { makers_.push_back(std::move(make)); }

namespace {
// Catalog order: T, E, N, S, then by number.
std::pair<int, int> catalog_rank(const std::string& id) {
  static const std::string order = "TENS";
  const auto family = order.find(id.empty() ? '?' : id[0]);
  int number = 0;
  for (size_t i = 1; i < id.size() && std::isdigit(static_cast<unsigned char>(id[i])); ++i)
    number = number * 10 + (id[i] - '0');
  return {family == std::string::npos ? 99 : static_cast<int>(family), number};
}
}  // namespace

std::vector<Claim> ClaimRegistry::claims() const {
  std::vector<Claim> out;
  for (const auto& make : makers_) out.push_back(make());
  std::stable_sort(out.begin(), out.end(), [](const Claim& a, const Claim& b) {
    return catalog_rank(a.id()) < catalog_rank(b.id());
  });
  return out;
}

std::optional<Claim> ClaimRegistry::find(const std::string& id) const {
  for (const auto& make : makers_) {
    Claim c = make();
    if (c.id() == id) return c;
  }
  return std::nullopt;
}

}  // namespace entropic
