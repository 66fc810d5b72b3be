// Pictures of scenarios, expansions and verify reports, drawn by gnuplot (what `entropic plot`
// prints; docs/cli.md, "plot").
//
//   a scenario file (docs/scenario.md)       the run: the training loss L(theta_t), the Noether
//                                            charges of the model's symmetries Q(theta_t), and the
//                                            stationary balance of each quadratic charge,
//                                              eta/2 <Q(g)>_T  against  lambda (1 - eta lambda/2) <Q>_T,
//                                            whose gap is the boundary term (Q_T - Q_0) / (2 eta T)
//   a scenario file with order K             its eta-expansion (expand.hpp): |coefficient of eta^n|
//   `entropic expand --format json`          against n for every entry of theta_t (or of the
//                                            modified field)
//   `entropic verify --format json`, a part  the order certificate of an order claim: the residual
//                                            observed - predicted as a series in eta, its first
//                                            nonzero coefficient marked, with the counterexamples
//                                            of the part's mutants
//   `entropic verify --format json`          what the report certifies: per part and mutant its
//                                            residual (exactly 0, a certified enclosure, the exact
//                                            nonzero residual of a counterexample) and its instances
//
// A figure is a gnuplot script with its data inline; `render` pipes it into gnuplot and writes the
// picture (SVG or PNG, by the output's extension) atomically. Exact numbers are drawn as decimals:
// every figure says so in its caption.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace entropic::plot {

// Bad input: an unreadable or unrecognised file, an option that does not fit it, an output path
// that cannot be written. One line, naming the file.
struct plot_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// gnuplot is not installed (or not on PATH).
struct gnuplot_missing : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Options {
  int order = -1;                   // scenario: plot its eta-expansion through eta^order
  int step = -1;                    // expansion: the iterate theta_t (default: the last)
  std::string part;                 // verify report: CLAIM.PART, its order certificate
  std::vector<std::string> claims;  // verify report: the claims to show (default: all)
  std::string title;                // replaces the default title
  int width = 0, height = 0;        // pixels; 0: the figure's own size
};

// A figure: the gnuplot commands that draw it (data blocks inline), and its default size.
struct Figure {
  std::string body;
  int width = 800, height = 600;
};

// Reads INPUT (a scenario, an expand JSON output or a verify JSON report) and builds its figure.
// Throws plot_error on bad input; a run that cannot go on (run_error, simulate.hpp) passes through.
Figure figure_of(const std::string& input_path, const Options& options);

// The whole script for gnuplot: terminal (svg or pngcairo, from the output's extension), output,
// the figure.
std::string gnuplot_script(const Figure& figure, const std::string& output_path,
                           const std::string& terminal_output);

// Draws the figure into output_path (.svg or .png): gnuplot writes a temporary file in the same
// directory, which is renamed over output_path once complete; on any error nothing is left behind.
// Throws plot_error (bad output path), gnuplot_missing, or std::runtime_error (gnuplot failed).
void render(const Figure& figure, const std::string& output_path);

}  // namespace entropic::plot
