// One RapidCheck property that shows the configuration it runs with: tests/suite runs it through
// ctest with a user's RC_PARAMS and checks that the user's keys took effect over the suite's seed
// (docs/testing.md).
#include <gtest/gtest.h>
#include <rapidcheck/detail/Configuration.h>
#include <rapidcheck/gtest.h>

#include <cstdlib>
#include <iostream>

RC_GTEST_PROP(RcParams, RunsWithTheConfigurationInForce, ()) {
  static bool shown = false;
  if (!shown) {
    shown = true;
    const char* env = std::getenv("RC_PARAMS");
    std::cout << "RC_PARAMS: '" << (env ? env : "(unset)") << "'\n"
              << "configuration: " << rc::detail::configToString(rc::detail::configuration()) << "\n";
  }
  // A tag makes RapidCheck report the number of cases it ran ("OK, passed N tests").
  RC_TAG("case");
}
