#include "entropic/verify/claim.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <limits>
#include <sstream>
#include <stdexcept>

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

// Case 0 at size 1 (a small instance first: a failure there needs little shrinking), case k >= 1
// at max_size * vdc(k), the base-2 van der Corput sequence 1/2, 1/4, 3/4, 1/8, 5/8, ...: every
// prefix of the run spreads its sizes over the whole range (a linear ramp over N cases spends half
// of them below max_size / 2, and raising N only repeats it).
int case_size(int k, const RunOptions& opts) {
  if (opts.max_size <= 0) return 0;
  if (k <= 0) return 1;
  long long num = 0, den = 1;
  for (unsigned n = static_cast<unsigned>(k); n; n >>= 1) {
    num = 2 * num + (n & 1);
    den *= 2;
  }
  // num/den is k's bits reversed behind the binary point.
  return std::max(1, static_cast<int>((num * opts.max_size + den / 2) / den));
}

void record(PartResult& r, const Verdict& v) {
  ++r.instances;
  r.arithmetic.add(v.arithmetic);  // every arithmetic any instance used
  if (v.outcome == Outcome::holds) {
    ++r.held;
    if (static_cast<int>(v.evidence) > static_cast<int>(r.evidence)) r.evidence = v.evidence;
    if (r.example_residual.empty()) {
      r.example_residual = v.residual;
      r.example_detail = v.detail;
      r.example_series = v.series;
    }
  } else if (v.certified_violation()) {
    ++r.violated;
  } else {
    ++r.inconclusive;
    if (r.note.empty()) r.note = v.detail.empty() ? v.residual : v.detail;
  }
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

namespace {

bool all_of_chars(const std::string& s, bool (*ok)(char)) {
  return !s.empty() && std::all_of(s.begin(), s.end(), ok);
}
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_claim_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'; }
bool is_part_char(char c) { return (c >= 'a' && c <= 'z') || is_digit(c) || c == '-'; }

// A decimal integer in 0..max, digits only (no sign, no space): the whole of s.
template <class T>
std::optional<T> decimal(const std::string& s, T max) {
  if (!all_of_chars(s, is_digit)) return std::nullopt;
  T v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v > max) return std::nullopt;
  return v;
}

// "'x'", with the characters a terminal would not show escaped. (Taken by value: for a non-const
// string argument std::quoted, found by argument-dependent lookup, would be the better match.)
std::string quoted(std::string s) {
  std::string q = "'";
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      static const char* hex = "0123456789abcdef";
      q += std::string("\\x") + hex[u >> 4] + hex[u & 15];
    } else {
      q += c;
    }
  }
  return q + "'";
}

}  // namespace

std::optional<ReplayKey> ReplayKey::parse(const std::string& text, std::string* why) {
  const auto refuse = [why](const std::string& reason) -> std::optional<ReplayKey> {
    if (why) *why = reason;
    return std::nullopt;
  };
  if (text.empty()) return refuse("the replay string is empty");
  // Split at every ':', keeping empty fields, so that "...:z=3:" is refused rather than read as "...:z=3".
  std::vector<std::string> fields{{}};
  for (const char c : text) {
    if (c == ':')
      fields.emplace_back();
    else
      fields.back() += c;
  }
  for (std::size_t i = 0; i < fields.size(); ++i)
    if (fields[i].empty())
      return refuse(i == 0                     ? "empty CLAIM.PART before the first ':'"
                    : i + 1 == fields.size() ? "a trailing ':' (nothing follows it)"
                                             : "an empty field between two ':' (field " + std::to_string(i + 1) + ")");

  ReplayKey k;
  const std::string& name = fields[0];
  const auto dot = name.find('.');
  if (dot == std::string::npos) return refuse("the first field must be CLAIM.PART or CLAIM.PART/MUTANT, got " + quoted(name));
  k.claim = name.substr(0, dot);
  k.part = name.substr(dot + 1);
  if (!all_of_chars(k.claim, is_claim_char))
    return refuse("claim id " + quoted(k.claim) + " must be letters, digits, '_' and '-'");
  const auto slash = k.part.find('/');
  const std::string part = k.part.substr(0, slash);
  if (!all_of_chars(part, is_part_char))
    return refuse("part id " + quoted(part) + " must be lowercase letters, digits and '-'");
  if (slash != std::string::npos && !all_of_chars(k.part.substr(slash + 1), is_part_char))
    return refuse("mutant id " + quoted(k.part.substr(slash + 1)) + " must be lowercase letters, digits and '-'");

  // The value of field i when it is `key`=VALUE.
  const auto value = [&fields](std::size_t i, const std::string& key) -> std::optional<std::string> {
    if (i >= fields.size() || fields[i].rfind(key, 0) != 0) return std::nullopt;
    return fields[i].substr(key.size());
  };
  const auto seed = value(1, "s=");
  if (!seed)
    return refuse(fields.size() < 2 ? "missing the seed (:s=SEED after CLAIM.PART)"
                                    : "field 2 must be the seed s=SEED, got " + quoted(fields[1]));
  const auto s = decimal<std::uint64_t>(*seed, std::numeric_limits<std::uint64_t>::max());
  if (!s)
    return refuse("seed (s=) must be a decimal integer in 0.." +
                  std::to_string(std::numeric_limits<std::uint64_t>::max()) + ", got " + quoted(*seed));
  k.seed = *s;

  const auto size = value(2, "z=");
  if (!size)
    return refuse(fields.size() < 3 ? "missing the size (:z=SIZE after the seed)"
                                    : "field 3 must be the size z=SIZE, got " + quoted(fields[2]));
  const auto z = decimal<int>(*size, kMaxSize);
  if (!z) return refuse("size (z=) must be a decimal integer in 0.." + std::to_string(kMaxSize) + ", got " + quoted(*size));
  k.size = *z;

  if (fields.size() > 3) {
    const auto path = value(3, "p=");
    if (!path) return refuse("field 4 must be the shrink path p=I.J.K, got " + quoted(fields[3]));
    const std::string must = "path (p=) must be shrink indices in 0.." +
                             std::to_string(std::numeric_limits<int>::max()) +
                             " separated by dots (p=0.2.1; omit :p= for an instance not shrunk), got " + quoted(*path);
    std::string index;
    for (std::size_t i = 0; i <= path->size(); ++i) {
      if (i < path->size() && (*path)[i] != '.') {
        index += (*path)[i];
        continue;
      }
      const auto v = decimal<int>(index, std::numeric_limits<int>::max());
      if (!v) return refuse(must);
      k.path.push_back(*v);
      index.clear();
    }
  }
  if (fields.size() > 4)
    return refuse("unexpected field " + quoted(fields[4]) + " after the path (a replay string has at most 4 fields)");
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
ArithmeticSet ClaimResult::arithmetic() const {
  ArithmeticSet out;
  for (const PartResult& p : parts) out.add(p.arithmetic);
  return out;
}

const Counterexample* ClaimResult::counterexample() const {
  for (const PartResult& p : parts)
    if (p.counterexample) return &*p.counterexample;
  return nullptr;
}

void check_prediction_id(const std::string& claim, const std::string& id) {
  const bool ok = !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
  if (!ok)
    throw ClaimDefinitionError("claim " + claim + ": part or mutant id '" + id +
                           "' must be lowercase letters, digits and '-'");
}

Claim::Claim(std::string id, std::string title) : id_(std::move(id)), title_(std::move(title)) {
  const bool ok = !id_.empty() && std::all_of(id_.begin(), id_.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
  if (!ok) throw ClaimDefinitionError("claim id '" + id_ + "' must be letters, digits, '_' and '-'");
}

Claim Claim::negative_control(std::string id, std::string title) {
  Claim c(std::move(id), std::move(title));
  c.provenance(Provenance::negative_control).kind("must be falsified").expect(Expectation::fails);
  return c;
}

void Claim::add_part(std::shared_ptr<const PartBase> part) {
  for (const auto& p : parts_)
    if (p->id() == part->id()) throw ClaimDefinitionError("claim " + id_ + ": two parts '" + part->id() + "'");
  parts_.push_back(std::move(part));
}

std::vector<PredictionInfo> Claim::predictions() const {
  std::vector<PredictionInfo> out;
  for (const auto& p : parts_)
    for (PredictionInfo& i : p->predictions()) out.push_back(std::move(i));
  return out;
}

const PartBase* Claim::part_of(const std::string& prediction_id) const {
  for (const auto& p : parts_)
    for (const PredictionInfo& i : p->predictions())
      if (i.id == prediction_id) return p.get();
  return nullptr;
}

std::optional<Counterexample> Claim::replay(const ReplayKey& key) const {
  if (key.claim != id_) return std::nullopt;
  const PartBase* part = part_of(key.part);
  if (!part) return std::nullopt;
  return part->replay(key);
}

ClaimResult Claim::run(const RunOptions& opts, const std::vector<ReplayKey>& past_failures) const {
  ClaimResult r;
  r.id = id_;
  r.title = title_;
  r.kind = kind_;
  r.provenance = provenance_;
  r.expected = expected_;
  static const std::vector<ReplayKey> none;
  for (const auto& p : parts_)
    for (PartResult& result : p->run(opts, opts.replay_past_failures ? past_failures : none))
      (result.mutant ? r.mutants : r.parts).push_back(std::move(result));
  return r;
}

ClaimRegistry& ClaimRegistry::instance() {
  static ClaimRegistry registry;
  return registry;
}

void ClaimRegistry::add(std::function<Claim()> make) { makers_.push_back(std::move(make)); }

std::vector<PastFailure> parse_past_failures(const std::string& origin, const std::string& text) {
  std::vector<PastFailure> out;
  std::istringstream in(text);
  int line_no = 0;
  for (std::string line; std::getline(in, line);) {
    ++line_no;
    if (auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos) continue;
    line = line.substr(first, line.find_last_not_of(" \t\r") - first + 1);
    std::string why;
    auto key = ReplayKey::parse(line, &why);
    const std::string where = origin + " line " + std::to_string(line_no);
    if (!key) throw std::invalid_argument(where + ": not a replay string: " + line + ": " + why);
    out.push_back(PastFailure{*key, where});
  }
  return out;
}

void ClaimRegistry::add_past_failures(const std::string& origin, const std::string& text) {
  past_failure_lists_.emplace_back(origin, text);
}

std::vector<ReplayKey> ClaimRegistry::checked_past_failures() const {
  std::vector<PastFailure> all;
  for (const auto& [origin, text] : past_failure_lists_)
    for (PastFailure& f : parse_past_failures(origin, text)) all.push_back(std::move(f));
  std::vector<ReplayKey> keys;
  for (const PastFailure& f : all) {
    const auto claim = find(f.key.claim);
    if (!claim) throw std::invalid_argument(f.origin + ": no claim '" + f.key.claim + "' in this catalog");
    if (!claim->part_of(f.key.part)) {
      std::string known;
      for (const PredictionInfo& i : claim->predictions()) known += " " + i.id;
      throw std::invalid_argument(f.origin + ": claim " + f.key.claim + " has no part or mutant '" + f.key.part +
                                  "' (it has:" + known + ")");
    }
    // The entry must also still regenerate through its generator: a changed generator invalidates
    // its entries, which then stop the run here, naming the line, instead of failing mid-run.
    try {
      claim->replay(f.key);
    } catch (const ClaimDefinitionError&) {
      throw;
    } catch (const std::exception& e) {  // a path that fits no more, a generator that gives up
      throw std::invalid_argument(f.origin + ": " + f.key.text() + ": " + e.what());
    }
    keys.push_back(f.key);
  }
  return keys;
}

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
  for (std::size_t i = 1; i < out.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (out[i].id() == out[j].id())
        throw ClaimDefinitionError("two claims with the id " + out[i].id() + ": '" + out[j].title() + "' and '" +
                                   out[i].title() + "'");
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
