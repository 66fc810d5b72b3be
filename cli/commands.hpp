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
};

int list_claims(const std::string& format);
int verify(const VerifyArgs& args);
int replay(const std::string& key, const std::string& format);
int simulate(const std::string& scenario_path, const std::string& format);

}  // namespace entropic::cli
