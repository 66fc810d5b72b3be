// The command line of entropic, and of every catalog built with entropic_add_catalog.
//
//   entropic --version
//   entropic list [--format text|json]
//   entropic verify [IDS...] [--cases N] [--seed S] [--format text|json|markdown] [--output FILE]
//                   [--past-failures FILE]... [--no-past-failures]
//   entropic falsify IDS... [--cases N] [--seed S] [--max-size Z] [--mutants] [--format text|json]
//                   [--past-failures FILE]... [--no-past-failures]
//   entropic replay REPLAY-STRING [--format text|json]
//   entropic simulate SCENARIO.json [--format text|json]
//   entropic expand SCENARIO.json --order K [--modified-field] [--format text|json]
#include <CLI/CLI.hpp>

#include <iostream>

#include "commands.hpp"
#include "entropic/version.hpp"
#include "output.hpp"

namespace entropic::cli {

int run(int argc, char** argv) {
  CLI::App app{"entropic: executable claims about SGD, checked against exact discrete-time dynamics"};
  app.set_version_flag("--version", std::string("entropic ") + ENTROPIC_VERSION);
  app.require_subcommand(1);

  std::string format = "text";
  auto* list = app.add_subcommand("list", "List the catalog's claims: id, provenance, kind, title");
  list->add_option("--format", format, "text or json")->check(CLI::IsMember({"text", "json"}));

  VerifyArgs v;
  auto* verify_cmd = app.add_subcommand("verify", "Check claims on generated exact instances");
  verify_cmd->add_option("ids", v.ids, "Claim ids (default: the whole catalog)");
  verify_cmd->add_option("--cases", v.cases, "Generated instances per part")->check(CLI::Range(1, 1000000));
  verify_cmd->add_option("--seed", v.seed, "Base seed (runs are reproducible)");
  verify_cmd->add_option("--format", v.format, "text, json or markdown (the results page)")
      ->check(CLI::IsMember({"text", "json", "markdown"}));
  verify_cmd->add_option("--output", v.output, "Write the report to this file");
  verify_cmd->add_option("--past-failures", v.past_failures,
                         "Also replay the replay strings in this file (one a line, '#' comments)");
  verify_cmd->add_flag("--no-past-failures", v.no_past_failures, "Replay no past failures: generated cases only");

  FalsifyArgs f;
  auto* falsify_cmd = app.add_subcommand("falsify", "Attack claims with many instances; print certified counterexamples");
  falsify_cmd->add_option("ids", f.ids, "Claim ids")->required();
  falsify_cmd->add_option("--cases", f.cases, "Generated instances per part")->check(CLI::Range(1, 100000000));
  falsify_cmd->add_option("--seed", f.seed, "Base seed");
  falsify_cmd->add_option("--max-size", f.max_size, "Largest RapidCheck size")->check(CLI::Range(0, 1000));
  falsify_cmd->add_flag("--mutants", f.mutants, "Also attack the claims' mutated predictions");
  falsify_cmd->add_option("--format", f.format, "text or json")->check(CLI::IsMember({"text", "json"}));
  falsify_cmd->add_option("--past-failures", f.past_failures, "Also replay the replay strings in this file");
  falsify_cmd->add_flag("--no-past-failures", f.no_past_failures, "Replay no past failures: generated cases only");

  std::string key;
  auto* replay_cmd = app.add_subcommand("replay", "Regenerate and check one instance from its replay string");
  replay_cmd->add_option("key", key, "Replay string printed by verify")->required();
  replay_cmd->add_option("--format", format, "text or json")->check(CLI::IsMember({"text", "json"}));

  std::string scenario;
  auto* simulate_cmd = app.add_subcommand("simulate", "Run the optimizer of a scenario file and print every iterate");
  simulate_cmd->add_option("scenario", scenario, "Scenario file (docs/scenario.md)")->required();
  simulate_cmd->add_option("--format", format, "text or json")->check(CLI::IsMember({"text", "json"}));

  int order = 0;
  bool modified_field = false;
  auto* expand_cmd = app.add_subcommand("expand", "Exact eta-series of every iterate, or GD's modified field");
  expand_cmd->add_option("scenario", scenario, "Scenario file (docs/scenario.md)")->required();
  expand_cmd->add_option("--order", order, "Highest power of eta")->required();
  expand_cmd->add_flag("--modified-field", modified_field, "Print f_1 .. f_{K+1} of GD's modified field at the start");
  expand_cmd->add_option("--format", format, "text or json")->check(CLI::IsMember({"text", "json"}));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  try {
    if (*list) return list_claims(format);
    if (*verify_cmd) return verify(v);
    if (*falsify_cmd) return falsify(f);
    if (*replay_cmd) return replay(key, format);
    if (*simulate_cmd) return simulate(scenario, format);
    if (*expand_cmd) return expand(scenario, order, modified_field, format);
  } catch (const usage_error& e) {
    std::cerr << "entropic: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "entropic: error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace entropic::cli
