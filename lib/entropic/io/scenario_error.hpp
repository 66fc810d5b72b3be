// scenario_error: a scenario file that cannot be run as written. The message is one line that
// starts with the path of the offending field, e.g.
//   params.W1[2][0]: malformed number "1/0": zero denominator
// so that the user can find it in the file (docs/scenario.md, "Errors").
#pragma once

#include <stdexcept>
#include <string>

namespace entropic {

struct scenario_error : std::invalid_argument {
  scenario_error(const std::string& path, const std::string& what)
      : std::invalid_argument(path.empty() ? what : path + ": " + what) {}
};

}  // namespace entropic
