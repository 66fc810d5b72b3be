// entropic replay REPLAY-STRING [--format text|json] [--profile standard|large]: regenerate one
// instance from its replay string, at the size profile it was generated at, and check the
// prediction it names.
#include <rapidcheck.h>

#include <iostream>
#include <optional>
#include <string>

#include "commands.hpp"
#include "entropic/verify/report.hpp"
#include "output.hpp"

namespace entropic::cli {

int replay(const std::string& text, const std::string& format, const std::string& profile) {
  const gen::SizeProfileScope sizes(gen::parse_size_profile(profile));
  std::string why;
  const auto key = ReplayKey::parse(text, &why);
  if (!key)
    throw usage_error("not a replay string: '" + text + "': " + why +
                      " (expected CLAIM.PART[/MUTANT]:s=SEED:z=SIZE[:p=I.J.K])");
  const auto claim = ClaimRegistry::instance().find(key->claim);
  if (!claim) throw usage_error("unknown claim id '" + key->claim + "' in replay string");
  const PartBase* part = claim->part_of(key->part);
  if (!part) {
    std::string known;
    for (const PredictionInfo& p : claim->predictions()) known += " " + p.id;
    throw usage_error("claim " + key->claim + " has no part or mutant '" + key->part + "' (it has:" + known + ")");
  }
  std::optional<Counterexample> c;
  try {
    c = part->replay(*key);
  } catch (const std::invalid_argument& e) {  // a path the generator's shrinks do not have
    throw usage_error(std::string("replay string '") + text + "': " + e.what());
  } catch (const rc::GenerationFailure& e) {  // a seed and size at which the generator gives up
    throw usage_error(std::string("replay string '") + text + "': the generator gives no instance here: " + e.what());
  }
  std::string title = part->title();
  for (const PredictionInfo& p : part->predictions())
    if (p.id == key->part) title = p.title;
  if (format == "json") {
    std::cout << nlohmann::json{{"claim", key->claim}, {"part", key->part}, {"name", title},
                                {"outcome", outcome_name(c->verdict.outcome)},
                                {"instance", c->instance}, {"residual", c->verdict.residual},
                                {"detail", c->verdict.detail},
                                {"arithmetic", c->verdict.arithmetic.name()},
                                {"evidence", evidence_name(c->verdict.evidence)}}
                     .dump(2)
              << "\n";
  } else {
    std::cout << key->claim << " / " << title << ": " << outcome_name(c->verdict.outcome) << "\n"
              << "instance: " << c->instance << "\n"
              << "residual: " << c->verdict.residual << " (" << c->verdict.detail << ", "
              << c->verdict.arithmetic.name() << ", " << evidence_name(c->verdict.evidence) << ")\n";
  }
  return 0;
}

}  // namespace entropic::cli
