// The command line of entropic, and of every catalog built with entropic_add_catalog.
//
//   entropic --version
//   entropic list [--format text|json]
//   entropic verify [IDS...] [--cases N] [--seed S] [--format text|json|markdown|junit] [--output FILE]
//                   [--past-failures FILE]... [--no-past-failures]
//   entropic falsify IDS... [--cases N] [--seed S] [--max-size Z] [--mutants] [--format text|json]
//                   [--past-failures FILE]... [--no-past-failures]
//   (verify and falsify also: [--jobs N] [--progress|--quiet] [--counterexamples DIR]; verify [--shard K/N])
//   entropic merge SHARD.json... [--format text|json|markdown|junit] [--output FILE]
//   entropic replay REPLAY-STRING [--format text|json]
//   entropic simulate SCENARIO.json [--format text|json|jsonl|csv] [--every K | --last] [--output FILE]
//                     [--max-memory SIZE] [--timeout DURATION]
//   entropic expand SCENARIO.json --order K [--modified-field] [--format text|json] [--output FILE]
//                     [--max-memory SIZE] [--timeout DURATION]
//   entropic plot INPUT --output FILE.svg|FILE.png [--order K] [--step T] [--part CLAIM.PART] [--claim ID]...
#include <CLI/CLI.hpp>

#include <iostream>
#include <new>
#include <memory>

#include "commands.hpp"
#include "entropic/version.hpp"
#include "help_format.hpp"
#include "output.hpp"

namespace entropic::cli {

namespace {
// A count on the command line: decimal digits (CLI11's own check would say "Value x not in range").
const CLI::Validator kWholeNumber(
    [](std::string& text) {
      return !text.empty() && text.find_first_not_of("0123456789") == std::string::npos
                 ? std::string()
                 : "'" + text + "' is not a whole number";
    },
    "", "whole number");
}  // namespace

int run(int argc, char** argv) {
  CLI::App app{"entropic: executable claims about SGD, checked against exact discrete-time dynamics"};
  app.set_version_flag("--version", std::string("entropic ") + ENTROPIC_VERSION);
  app.require_subcommand(1);
  // The program's own name in usage lines and hints (entropic, or a catalog's of one's own).
  const std::string program = argc > 0 ? std::string(argv[0]) : std::string("entropic");
  app.name(program.substr(program.find_last_of('/') + 1));
  // Every option's help shows its default (help_format.hpp); subcommands inherit both from app
  // when they are added.
  app.option_defaults()->always_capture_default();
  app.formatter(std::make_shared<HelpFormatter>());

  std::string format = "text";
  auto* list = app.add_subcommand("list", "List the catalog's claims: id, provenance, kind, title");
  list->add_option("--format", format, "text or json")->check(CLI::IsMember({"text", "json"}));

  // The options verify and falsify share.
  auto campaign_options = [](CLI::App* cmd, CampaignArgs& a) {
    cmd->add_option("--seed", a.seed, "Base seed, an integer 0 .. 2^64-1 (runs are reproducible)");
    cmd->add_option("--max-size", a.max_size, "Largest RapidCheck size")->check(CLI::Range(0, 1000));
    cmd->add_option("--profile", a.profile,
                    "Sizes of generated instances: standard, or large (training runs with at least 200 parameters)")
        ->check(CLI::IsMember({"standard", "large"}));
    cmd->add_option("--past-failures", a.past_failures,
                    "Also replay the replay strings in this file (one a line, '#' comments)");
    cmd->add_flag("--no-past-failures", a.no_past_failures, "Replay no past failures: generated cases only");
    cmd->add_option("--jobs,-j", a.jobs, "Worker processes (results identical to --jobs 1)")->check(CLI::Range(1, 256));
    cmd->add_flag("--progress", a.progress, "Progress on standard error even when it is not a terminal");
    cmd->add_flag("--quiet,-q", a.quiet, "No progress on standard error");
    cmd->add_option("--counterexamples", a.counterexamples,
                    "Write each counterexample to this directory: replay file, and scenario file for a training run");
  };

  VerifyArgs v;
  auto* verify_cmd = app.add_subcommand("verify", "Check claims on generated exact instances");
  verify_cmd->add_option("ids", v.ids, "Claim ids (default: the whole catalog)");
  verify_cmd->add_option("--cases", v.cases, "Generated instances per part")->check(kWholeNumber)->check(CLI::Range(1, 1000000));
  verify_cmd->add_option("--format", v.format, "text, json, markdown (the results page) or junit")
      ->check(CLI::IsMember({"text", "json", "markdown", "junit"}));
  verify_cmd->add_option("--output", v.output, "Write the report to this file");
  verify_cmd->add_option("--shard", v.shard, "Run only shard K of N (K/N) of the parts; entropic merge joins them");
  campaign_options(verify_cmd, v);

  FalsifyArgs f;
  auto* falsify_cmd = app.add_subcommand("falsify", "Attack claims with many instances; print certified counterexamples");
  falsify_cmd->add_option("ids", f.ids, "Claim ids")->required();
  falsify_cmd->add_option("--cases", f.cases, "Generated instances per part")->check(kWholeNumber)->check(CLI::Range(1, 100000000));
  falsify_cmd->add_flag("--mutants", f.mutants, "Also attack the claims' mutated predictions");
  falsify_cmd->add_option("--format", f.format, "text or json")->check(CLI::IsMember({"text", "json"}));
  campaign_options(falsify_cmd, f);

  MergeArgs m;
  auto* merge_cmd = app.add_subcommand("merge", "Join the JSON reports of verify --shard 1/N .. N/N into the report of the whole run");
  merge_cmd->add_option("reports", m.reports, "Shard reports (verify --shard K/N --format json)")->required();
  merge_cmd->add_option("--format", m.format, "text, json, markdown or junit")
      ->check(CLI::IsMember({"text", "json", "markdown", "junit"}));
  merge_cmd->add_option("--output", m.output, "Write the report to this file");

  std::string key, replay_profile = "standard";
  auto* replay_cmd = app.add_subcommand("replay", "Regenerate and check one instance from its replay string");
  replay_cmd->add_option("REPLAY-STRING", key, "Replay string printed by verify")->required();
  replay_cmd->add_option("--format", format, "text or json")->check(CLI::IsMember({"text", "json"}));
  replay_cmd->add_option("--profile", replay_profile, "The size profile the instance was generated at")
      ->check(CLI::IsMember({"standard", "large"}));

  // --output names a file; "" is refused rather than read as standard output.
  const CLI::Validator file_name(
      [](std::string& name) { return name.empty() ? std::string("empty file name") : std::string(); }, "FILE");
  SimulateArgs sim;
  auto* simulate_cmd = app.add_subcommand("simulate", "Run the optimizer of a scenario file and print its iterates");
  simulate_cmd->add_option("scenario", sim.scenario, "Scenario file (docs/scenario.md)")->required();
  simulate_cmd->add_option("--format", sim.format, "text or json (printed when the run has succeeded), jsonl or csv (streamed)")
      ->check(CLI::IsMember({"text", "json", "jsonl", "csv"}));
  auto* every = simulate_cmd->add_option("--every", sim.every, "Report every K-th iterate (t = 0, K, 2K, ...) and the last")
      ->check(CLI::Range(1, 2147483647));
  simulate_cmd->add_flag("--last", sim.last, "Report the last iterate only")->excludes(every);
  simulate_cmd->add_option("--output", sim.output, "Write to this file (atomically) instead of standard output")
      ->check(file_name);
  simulate_cmd->add_option("--max-memory", sim.max_memory, "Memory the run may take: 4G, 512M, ... or 0 for no limit");
  simulate_cmd->add_option("--timeout", sim.timeout, "Time the run may take: 90s, 5m, 1h, ... or 0 for no limit");

  ExpandArgs ex;
  auto* expand_cmd = app.add_subcommand("expand", "Exact eta-series of every iterate, or GD's modified field");
  expand_cmd->add_option("scenario", ex.scenario, "Scenario file (docs/scenario.md)")->required();
  expand_cmd->add_option("--order", ex.order, "Highest power of eta")->required();
  expand_cmd->add_flag("--modified-field", ex.modified_field, "Print f_1 .. f_{K+1} of GD's modified field at the start");
  expand_cmd->add_option("--format", ex.format, "text or json")->check(CLI::IsMember({"text", "json"}));
  expand_cmd->add_option("--output", ex.output, "Write to this file (atomically) instead of standard output")
      ->check(file_name);
  expand_cmd->add_option("--max-memory", ex.max_memory, "Memory the expansion may take: 4G, 512M, ... or 0 for no limit");
  expand_cmd->add_option("--timeout", ex.timeout, "Time the expansion may take: 90s, 5m, 1h, ... or 0 for no limit");

  Actions actions;
  // Subcommands that register themselves (one file each):
  add_plot_command(app, actions);
  add_diff_command(app, actions);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version are "errors" with exit code 0: CLI11 prints them on standard output.
    if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) return app.exit(e);
    // Anything else is bad input: one line on standard error, as every usage error, and exit 2.
    std::string command = app.get_name();
    for (const CLI::App* sub = &app; !sub->get_subcommands().empty();) {
      sub = sub->get_subcommands().front();
      command += " " + sub->get_name();
    }
    std::cerr << "entropic: " << e.what() << " (run '" << command << " --help' for the options)\n";
    return 2;
  }
  try {
    if (*list) return list_claims(format);
    if (*verify_cmd) return verify(v);
    if (*falsify_cmd) return falsify(f);
    if (*merge_cmd) return merge(m);
    if (*replay_cmd) return replay(key, format, replay_profile);
    if (*simulate_cmd) return simulate(sim);
    if (*expand_cmd) return expand(ex);
    for (const auto& [command, action] : actions)
      if (*command) return action();
  } catch (const usage_error& e) {
    std::cerr << "entropic: " << e.what() << "\n";
    return 2;
  } catch (const std::bad_alloc&) {
    std::cerr << "entropic: out of memory\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "entropic: error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

Budget parse_budget(const std::string& max_memory, const std::string& timeout) {
  Budget budget;
  try {
    budget.memory_bytes = parse_memory(max_memory);
  } catch (const std::invalid_argument& e) {
    throw usage_error(std::string("--max-memory: ") + e.what());
  }
  try {
    budget.seconds = parse_duration(timeout);
  } catch (const std::invalid_argument& e) {
    throw usage_error(std::string("--timeout: ") + e.what());
  }
  return budget;
}

}  // namespace entropic::cli
