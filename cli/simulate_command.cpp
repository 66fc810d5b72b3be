// entropic simulate: placeholder until the scenario loader lands (lib/entropic/io).
#include "commands.hpp"
#include "output.hpp"

namespace entropic::cli {
int simulate(const std::string& scenario_path, const std::string&) {
  throw usage_error("simulate is not available yet");
}
}  // namespace entropic::cli
