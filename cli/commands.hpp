// The subcommands of `entropic`. Each returns the process exit code: 0 success, 1 a claim not as
// expected (verify) or a run that failed, 2 bad input (with a one-line message on stderr).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace entropic::cli {

struct VerifyArgs {
  std::vector<std::string> ids;
  int cases = 100;
  std::uint64_t seed = 1;
  std::string format = "text";
  std::string output;  // write the report here (atomically) instead of stdout
  std::vector<std::string> past_failures;  // more past-failures files, replayed with the compiled-in ones
  bool no_past_failures = false;           // replay none (generated cases only)
};

struct FalsifyArgs {
  std::vector<std::string> ids;
  int cases = 2000;
  std::uint64_t seed = 1;
  int max_size = 100;
  bool mutants = false;  // also attack the claims' mutated predictions
  std::string format = "text";
  std::vector<std::string> past_failures;
  bool no_past_failures = false;
};

// The whole command line (main.cpp; a catalog of one's own, entropic_add_catalog, runs the same).
int run(int argc, char** argv);

int list_claims(const std::string& format);
int falsify(const FalsifyArgs& args);
int verify(const VerifyArgs& args);
int replay(const std::string& key, const std::string& format);
int simulate(const std::string& scenario_path, const std::string& format);
int expand(const std::string& scenario_path, int order, bool modified_field, const std::string& format);

}  // namespace entropic::cli
