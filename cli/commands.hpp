// The subcommands of `entropic`. Each returns the process exit code: 0 success, 1 a claim not as
// expected (verify) or a run that failed, 2 bad input (with a one-line message on stderr).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "entropic/io/budget.hpp"
#include <utility>
#include <vector>

namespace CLI {
class App;
}

namespace entropic::cli {

// What verify and falsify share: the claims, the cases and seed, the past failures, the campaign's
// processes and shard, progress, and where counterexamples go.
struct CampaignArgs {
  std::vector<std::string> ids;
  int cases = 100;
  std::string seed = "1";  // parsed exactly as a 64-bit unsigned integer (parse_seed)
  int max_size = 100;
  std::string profile = "standard";        // gen/size_profile.hpp
  std::vector<std::string> past_failures;  // more past-failures files, replayed with the compiled-in ones
  bool no_past_failures = false;           // replay none (generated cases only)
  int jobs = 1;                            // worker processes
  std::string shard;                       // "K/N": run only shard K of N (verify)
  bool progress = false, quiet = false;    // force progress on standard error, or silence it
  std::string counterexamples;             // write every counterexample here (scenario and replay files)
  std::string format = "text";
};

struct VerifyArgs : CampaignArgs {
  std::string output;  // write the report here (atomically) instead of stdout
};

struct FalsifyArgs : CampaignArgs {
  FalsifyArgs() { cases = 2000; }
  bool mutants = false;  // also attack the claims' mutated predictions
};

struct MergeArgs {
  std::vector<std::string> reports;
  std::string format = "text";
  std::string output;
  std::string max_memory = "4G";
  std::string timeout = "1h";
};

// The budget of --max-memory and --timeout; usage_error naming the option when one is malformed.
Budget parse_budget(const std::string& max_memory, const std::string& timeout);

// entropic simulate (simulate_command.cpp, docs/cli.md): the iterates reported, how, and where.
struct SimulateArgs {
  std::string scenario;
  std::string format = "text";  // text, json (documents); jsonl, csv (streamed)
  std::string output;           // write here (atomically) instead of standard output
  int every = 1;                // report t = 0, K, 2K, ... and the last
  bool last = false;            // report the last iterate only
  std::string max_memory = "4G";  // the budget (io/budget.hpp, cli/limits.hpp); "0": none
  std::string timeout = "1h";
};

// entropic expand (expand_command.cpp).
struct ExpandArgs {
  std::string scenario;
  int order = 0;
  bool modified_field = false;
  std::string format = "text";
  std::string output;
  std::string max_memory = "4G";
  std::string timeout = "1h";
};

// A seed as given on the command line: decimal digits only, at most 2^64 - 1 (no sign, no
// saturation). Throws usage_error naming `option` otherwise.
std::uint64_t parse_seed(const std::string& text, const std::string& option);

// The whole command line (main.cpp; a catalog of one's own, entropic_add_catalog, runs the same).
int run(int argc, char** argv);

// A subcommand registered by its own file: its CLI11 app and what to run when it was given.
using Actions = std::vector<std::pair<CLI::App*, std::function<int()>>>;

// entropic diff BASE.json NEW.json: did any prediction change (diff_command.cpp).
void add_diff_command(CLI::App& app, Actions& actions);
// entropic plot INPUT --output FILE.svg|FILE.png: pictures drawn by gnuplot (plot_command.cpp).
void add_plot_command(CLI::App& app, Actions& actions);

int list_claims(const std::string& format);
int falsify(const FalsifyArgs& args);
int verify(const VerifyArgs& args);
int merge(const MergeArgs& args);
int replay(const std::string& key, const std::string& format, const std::string& profile = "standard");
int simulate(const SimulateArgs& args);
int expand(const ExpandArgs& args);

}  // namespace entropic::cli
