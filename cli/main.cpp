// entropic: executable claims about SGD, checked against exact discrete-time dynamics.
//
//   entropic list [--format text|json]
//   entropic verify [IDS...] [--cases N] [--seed S] [--format text|json] [--output FILE]
//   entropic replay REPLAY-STRING [--format text|json]
//   entropic simulate SCENARIO.json [--format text|json]
#include <CLI/CLI.hpp>

#include <iostream>

#include "commands.hpp"
#include "output.hpp"

int main(int argc, char** argv) {
  using namespace entropic::cli;
  CLI::App app{"entropic: executable claims about SGD, checked against exact discrete-time dynamics"};
  app.require_subcommand(1);

  std::string format = "text";
  auto* list = app.add_subcommand("list", "List the catalog's claims: id, provenance, kind, title");
  list->add_option("--format", format, "text or json")->check(CLI::IsMember({"text", "json"}));

  VerifyArgs v;
  auto* verify_cmd = app.add_subcommand("verify", "Check claims on generated exact instances");
  verify_cmd->add_option("ids", v.ids, "Claim ids (default: the whole catalog)");
  verify_cmd->add_option("--cases", v.cases, "Generated instances per part")->check(CLI::Range(1, 1000000));
  verify_cmd->add_option("--seed", v.seed, "Base seed (runs are reproducible)");
  verify_cmd->add_option("--format", v.format, "text or json")->check(CLI::IsMember({"text", "json"}));
  verify_cmd->add_option("--output", v.output, "Write the report to this file");

  std::string key;
  auto* replay_cmd = app.add_subcommand("replay", "Regenerate and check one instance from its replay string");
  replay_cmd->add_option("key", key, "Replay string printed by verify")->required();
  replay_cmd->add_option("--format", format, "text or json")->check(CLI::IsMember({"text", "json"}));

  std::string scenario;
  auto* simulate_cmd = app.add_subcommand("simulate", "Run the optimizer of a scenario file and print every iterate");
  simulate_cmd->add_option("scenario", scenario, "Scenario file (docs/scenario.md)")->required();
  simulate_cmd->add_option("--format", format, "text or json")->check(CLI::IsMember({"text", "json"}));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  try {
    if (*list) return list_claims(format);
    if (*verify_cmd) return verify(v);
    if (*replay_cmd) return replay(key, format);
    if (*simulate_cmd) return simulate(scenario, format);
  } catch (const usage_error& e) {
    std::cerr << "entropic: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "entropic: error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
