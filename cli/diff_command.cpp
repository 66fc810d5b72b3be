// entropic diff BASE.json NEW.json [--format text|markdown|json]: the regression of theory
// predictions between two JSON outputs of the same command (two `verify` reports, two `expand` or
// two `simulate` outputs), for CI (docs/ci.md). Exit 0 when nothing regressed, 1 when something did,
// 2 when an input is unreadable, malformed, or of another kind than the other (docs/cli.md, `diff`).
#include <CLI/CLI.hpp>

#include <memory>

#include "commands.hpp"
#include "entropic/verify/report_diff.hpp"
#include "output.hpp"

namespace entropic::cli {

namespace {

struct DiffArgs {
  std::string base, latest;
  std::string format = "text";
};

int diff(const DiffArgs& args) {
  ReportDiff d;
  try {
    const nlohmann::ordered_json base = read_report(args.base);
    const nlohmann::ordered_json latest = read_report(args.latest);
    d = diff_reports(base, args.base, latest, args.latest);
  } catch (const report_diff_error& e) {
    throw usage_error(e.what());
  }
  if (args.format == "json")
    emit(diff_json(d).dump(2) + "\n", "");
  else if (args.format == "markdown")
    emit(diff_markdown(d), "");
  else
    emit(diff_text(d), "");
  return d.regressed() ? 1 : 0;
}

}  // namespace

void add_diff_command(CLI::App& app, Actions& actions) {
  auto args = std::make_shared<DiffArgs>();
  auto* cmd = app.add_subcommand(
      "diff", "Compare two JSON outputs of verify, expand or simulate: did any prediction change?");
  cmd->add_option("base", args->base, "The earlier output (e.g. the main branch's verify.json)")->required();
  cmd->add_option("new", args->latest, "The later output")->required();
  cmd->add_option("--format", args->format, "text, markdown (for CI job summaries) or json")
      ->check(CLI::IsMember({"text", "markdown", "json"}));
  actions.emplace_back(cmd, [args] { return diff(*args); });
}

}  // namespace entropic::cli
