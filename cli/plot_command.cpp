// entropic plot INPUT --output FILE.svg|FILE.png [--order K] [--step T] [--part CLAIM.PART]
//               [--claim ID]... [--title TEXT] [--size WxH]
//
// Pictures drawn by gnuplot (lib/entropic/io/plot.hpp, docs/cli.md "plot"): a scenario's run (loss,
// Noether charges, stationary balance), an eta-expansion against the order, a verify report's order
// certificate of one part (--part) or what it certifies per part and mutant. The output is written
// atomically; bad input, a missing output directory or a missing gnuplot are exit 2.
#include <CLI/CLI.hpp>

#include <memory>

#include "commands.hpp"
#include "entropic/io/plot.hpp"
#include "output.hpp"

namespace entropic::cli {

namespace {

struct PlotArgs {
  std::string input, output, size;
  plot::Options options;
};

// "800x600".
void read_size(const std::string& text, plot::Options& options) {
  const auto x = text.find('x');
  try {
    if (x == std::string::npos) throw std::invalid_argument(text);
    size_t used = 0;
    const int w = std::stoi(text.substr(0, x), &used);
    if (used != x) throw std::invalid_argument(text);
    const int h = std::stoi(text.substr(x + 1), &used);
    if (used != text.size() - x - 1) throw std::invalid_argument(text);
    if (w < 200 || h < 150 || w > 8000 || h > 8000) throw std::invalid_argument(text);
    options.width = w;
    options.height = h;
  } catch (const std::logic_error&) {
    throw usage_error("--size '" + text + "': expected WIDTHxHEIGHT in pixels, from 200x150 to 8000x8000");
  }
}

int plot(const PlotArgs& args) {
  plot::Options options = args.options;
  if (!args.size.empty()) read_size(args.size, options);
  try {
    plot::Figure figure = plot::figure_of(args.input, options);
    if (options.width) figure.width = options.width;
    if (options.height) figure.height = options.height;
    plot::render(figure, args.output);
  } catch (const plot::plot_error& e) {
    throw usage_error(e.what());
  } catch (const plot::gnuplot_missing& e) {
    throw usage_error(e.what());
  }
  return 0;
}

}  // namespace

void add_plot_command(CLI::App& app, Actions& actions) {
  auto args = std::make_shared<PlotArgs>();
  auto* cmd = app.add_subcommand("plot", "Draw a scenario's run, an eta-expansion or a verify report (gnuplot)");
  cmd->add_option("input", args->input,
                  "A scenario file, an `expand --format json` output or a `verify --format json` report")
      ->required();
  cmd->add_option("--output", args->output, "The picture: FILE.svg or FILE.png")->required();
  cmd->add_option("--order", args->options.order, "Scenario: draw its eta-expansion through eta^K")
      ->check(CLI::Range(0, 1000));
  cmd->add_option("--step", args->options.step, "Expansion: the iterate theta_t (default: the last)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--part", args->options.part, "Verify report: the order certificate of CLAIM.PART");
  cmd->add_option("--claim", args->options.claims, "Verify report: the claims to show (default: all)");
  cmd->add_option("--title", args->options.title, "Replace the title");
  cmd->add_option("--size", args->size, "WIDTHxHEIGHT in pixels (default: the picture's own)");
  actions.emplace_back(cmd, [args] { return plot(*args); });
}

}  // namespace entropic::cli
