// The help of every subcommand: CLI11's layout, with each option's default after '=' (the app
// captures every default: app.cpp), except where there is no default to give: an empty list, a
// required option, or a stand-in value the option itself refuses (`--step` -1 for "the last"),
// which the option's description explains instead.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace entropic::cli {

class HelpFormatter : public CLI::Formatter {
 public:
  std::string make_option_opts(const CLI::Option* opt) const override {
    std::string out = CLI::Formatter::make_option_opts(opt);
    const std::string& value = opt->get_default_str();
    if (value.empty() || is_a_default(opt, value)) return out;
    if (const auto at = out.find("=" + value); at != std::string::npos) out.erase(at, value.size() + 1);
    return out;
  }

 private:
  static bool is_a_default(const CLI::Option* opt, const std::string& value) {
    if (opt->get_required() || value == "[]" || value == "{}") return false;
    // CLI11 hands out an option's validators only through a non-const accessor; running them on a
    // copy of the default string changes nothing.
    auto* option = const_cast<CLI::Option*>(opt);
    for (int i = 0;; ++i) {
      CLI::Validator* check = nullptr;
      try {
        check = option->get_validator(i);
      } catch (const CLI::OptionNotFound&) {
        return true;
      }
      std::string copy = value;
      if (!(*check)(copy).empty()) return false;
    }
  }
};

}  // namespace entropic::cli
