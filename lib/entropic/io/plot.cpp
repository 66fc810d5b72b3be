#include "entropic/io/plot.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "entropic/io/expand.hpp"
#include "entropic/io/scenario.hpp"
#include "entropic/io/simulate.hpp"
#include "entropic/model/make_model.hpp"
#include "entropic/numeric/exact_text.hpp"
#include "entropic/symmetry/symmetry.hpp"

extern char** environ;

namespace entropic::plot {

namespace {

using Json = nlohmann::ordered_json;

// ---- numbers as decimals --------------------------------------------------------------------

double as_double(const Rational& x) { return x.convert_to<double>(); }
double as_double(const Real& x) { return x.convert_to<double>(); }
double as_double(double x) { return x; }
// An enclosure is drawn at its midpoint.
double as_double(const Interval& x) { return midpoint(x).convert_to<double>(); }

// A number of a report or an expansion, read from its exact text: "p/q", a decimal, "[lo, hi]".
struct Number {
  enum class Kind { none, zero, value, enclosure } kind = Kind::none;
  double value = 0;       // Kind::value (sign kept), or the midpoint of an enclosure
  double lo = 0, hi = 0;  // Kind::enclosure
  bool zero_or_contains_zero() const { return kind == Kind::zero || (kind == Kind::enclosure && lo <= 0 && hi >= 0); }
  // |x|; for an enclosure the largest |x| it allows.
  double magnitude() const {
    if (kind == Kind::enclosure) return std::max(std::fabs(lo), std::fabs(hi));
    return std::fabs(value);
  }
};

std::string trim(const std::string& s) {
  const auto a = s.find_first_not_of(" \t");
  if (a == std::string::npos) return "";
  return s.substr(a, s.find_last_not_of(" \t") - a + 1);
}

std::optional<double> decimal_of(const std::string& text) {
  try {
    const double d = as_double(parse_rational(trim(text)));
    if (std::isfinite(d)) return d;
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

Number number_of(const std::string& raw) {
  const std::string text = trim(raw);
  Number n;
  if (text.size() > 2 && text.front() == '[' && text.back() == ']') {
    const auto comma = text.find(',');
    if (comma == std::string::npos) return n;
    const auto lo = decimal_of(text.substr(1, comma - 1));
    const auto hi = decimal_of(text.substr(comma + 1, text.size() - comma - 2));
    if (!lo || !hi) return n;
    n.kind = *lo == 0 && *hi == 0 ? Number::Kind::zero : Number::Kind::enclosure;
    n.lo = *lo;
    n.hi = *hi;
    n.value = (*lo + *hi) / 2;
    return n;
  }
  if (text.rfind("0 through eta^", 0) == 0) {  // an order claim's residual: 0 through the claimed order
    n.kind = Number::Kind::zero;
    return n;
  }
  if (const auto d = decimal_of(text)) {
    n.kind = *d == 0 ? Number::Kind::zero : Number::Kind::value;
    n.value = *d;
  }
  return n;
}

// ---- gnuplot text ---------------------------------------------------------------------------

// A single-quoted gnuplot string: only the quote itself is special (doubled); a line break or
// another control character (an instance's text may hold one) would end the command, so it is a space.
std::string q(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += "''";
    else if (static_cast<unsigned char>(c) < 0x20) out += ' ';
    else out += c;
  }
  return out + "'";
}

std::string num(double x) {
  if (!std::isfinite(x)) return "NaN";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.10g", x);
  return buf;
}

// Text for enhanced mode from a name that may hold _ ^ { } @ & ~ (file names, block names).
std::string literal(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (std::strchr("_^{}@&~", c)) out += '\\';
    out += c;
  }
  return out;
}

const std::vector<std::string> kPalette = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                           "#E69F00", "#56B4E9", "#000000", "#8C564B"};
const std::string& colour(size_t i) { return kPalette[i % kPalette.size()]; }

const char* kGreen = "#009E73";
const char* kRed = "#D55E00";
const char* kGrey = "#999999";

// A data block: $name << EOD ... EOD.
struct Block {
  std::string name;
  std::string rows;
  void row(const std::vector<double>& values) {
    for (size_t i = 0; i < values.size(); ++i) rows += (i ? " " : "") + num(values[i]);
    rows += "\n";
  }
  std::string text() const { return "$" + name + " << EOD\n" + rows + "EOD\n"; }
};

// A log axis for magnitudes that may be exactly 0: the decades the positive ones span, and below them
// a row (or column) where the zeros are drawn, labelled "0".
struct MagnitudeAxis {
  double lo = 1, hi = 1, zero = 0.1;  // range and the position of the zeros
  double separator = 0.3;             // between the zeros and the smallest decade
  bool zeros = true;                  // draw the row of zeros
  static MagnitudeAxis of(const std::vector<double>& magnitudes, bool zeros = true) {
    double a = INFINITY, b = 0;
    for (double m : magnitudes)
      if (m > 0 && std::isfinite(m)) {
        a = std::min(a, m);
        b = std::max(b, m);
      }
    if (!std::isfinite(a)) a = b = 1;
    MagnitudeAxis axis;
    const double da = std::floor(std::log10(a)), db = std::ceil(std::log10(b) - 1e-9);
    const double top = db <= da ? da + 1 : db;
    const double span = top - da;
    const double gap = std::max(1.0, std::round(span / 6));  // the zero row sits a little below
    axis.zero = std::pow(10.0, da - gap);
    axis.separator = std::pow(10.0, da - gap / 2);
    axis.lo = std::pow(10.0, da - 1.4 * gap);
    axis.zeros = zeros;
    if (!zeros) axis.lo = std::pow(10.0, da - 0.15 * std::max(1.0, span / 6));
    axis.hi = std::pow(10.0, top + 0.15 * std::max(1.0, span / 6));
    return axis;
  }
  // gnuplot commands for axis "x" or "y": decades labelled 10^k, the zeros' row labelled 0.
  std::string commands(const std::string& ax) const {
    const double decades = std::log10(hi) - std::log10(zero);
    const int step = decades > 24 ? static_cast<int>(std::ceil(decades / 8)) : decades > 12 ? 2 : 1;
    std::string out = "set logscale " + ax + "\nset " + ax + "range [" + num(lo) + ":" + num(hi) + "]\n";
    out += "set " + ax + "tics " + num(std::pow(10.0, step)) + "\n";
    out += "set format " + ax + " '10^{%L}'\n";
    if (zeros) out += "set " + ax + "tics add ('0' " + num(zero) + ")\n";
    out += "set m" + ax + "tics " + (step == 1 ? "10" : "default") + "\n";
    return out;
  }
};

std::string header(const std::string& title, const std::string& subtitle, int height) {
  const double t = 1.0 - 18.0 / height, s = 1.0 - 38.0 / height;
  std::string out = "set label 901 " + q(title) + " at screen 0.5, screen " + num(t) + " center font ',13'\n";
  if (!subtitle.empty()) out += "set label 902 " + q(subtitle) + " at screen 0.5, screen " + num(s) + " center\n";
  return out;
}
std::string caption(const std::string& text, int height) {
  return "set label 903 " + q(text) + " at screen 0.01, screen " + num(8.0 / height) + " left font ',9'\n";
}
std::string margins(double left, double right, double bottom, double top) {
  return "set lmargin at screen " + num(left) + "\nset rmargin at screen " + num(right) +
         "\nset bmargin at screen " + num(bottom) + "\nset tmargin at screen " + num(top) + "\n";
}

std::string base_name(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Words into lines of at most `width` bytes (a longer word gets a line of its own).
std::vector<std::string> wrap(const std::string& text, size_t width) {
  std::vector<std::string> lines;
  std::string line;
  std::stringstream ss(text);
  for (std::string word; ss >> word;) {
    if (!line.empty() && line.size() + 1 + word.size() > width) {
      lines.push_back(line);
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
  }
  if (!line.empty()) lines.push_back(line);
  return lines;
}

// ---- the run of a scenario --------------------------------------------------------------------

template <class S>
struct NamedCharge {
  std::string symbol;   // short, for keys: "Δ_1"
  std::string label;    // with its formula
  Symmetry<S> symmetry;
  bool quadratic = true;  // the stationary balance applies (quadratic charge)
  bool unit = false;      // a neuron charge (drawn thinner)
};

constexpr int kMaxUnitCharges = 8;
// A symmetry acts on theta as an n x n matrix (symmetry.hpp): larger models get no charges drawn.
constexpr int kMaxChargeParameters = 1500;

// The charges the library knows for the scenario's model (symmetry.hpp): layer and neuron
// rescaling of a deep linear net or a positively homogeneous MLP, the scale symmetry of a
// scale-invariant model, translations of a centered linear model and of softmax logits.
template <class S>
std::vector<NamedCharge<S>> charges_of(const ModelSpec& spec, const Layout& layout, std::string& note) {
  std::vector<NamedCharge<S>> out;
  if (layout.size() > kMaxChargeParameters) {
    note = "charges are drawn for at most " + std::to_string(kMaxChargeParameters) + " parameters, the model has " +
           std::to_string(layout.size());
    return out;
  }
  const int D = spec.depth();
  const auto block = [&](const std::string& name) { return layout.find(name); };
  const bool homogeneous = spec.kind == ModelKind::deep_linear ||
                           (spec.kind == ModelKind::mlp && spec.activation.positively_homogeneous());
  if (homogeneous) {
    int units = 0;
    for (int l = 1; l < D; ++l)
      if (spec.widths[l] > 1) units += spec.widths[l];
    for (int l = 1; l < D; ++l) {
      const std::string a = std::to_string(l), b = std::to_string(l + 1);
      const int w_in = block("W" + a), b_in = block("b" + a), w_out = block("W" + b);
      const std::string symbol = "Δ_{" + a + "}";
      const std::string label = symbol + " = ‖W_{" + a + "}‖^2" + (b_in >= 0 ? " + ‖b_{" + a + "}‖^2" : "") +
                                " − ‖W_{" + b + "}‖^2";
      out.push_back({symbol, label, layer_rescaling<S>(layout, w_in, b_in, w_out, S(2)), true, false});
    }
    if (units > kMaxUnitCharges) {
      note = std::to_string(units) + " neuron charges not drawn";
    } else {
      for (int l = 1; l < D; ++l) {
        if (spec.widths[l] < 2) continue;  // one unit: its charge is the layer charge
        const std::string a = std::to_string(l), b = std::to_string(l + 1);
        for (int k = 0; k < spec.widths[l]; ++k) {
          const std::string symbol = "Δ_{" + a + "," + std::to_string(k) + "}";
          out.push_back({symbol, symbol + " (unit " + std::to_string(k) + " of layer " + a + ")",
                         neuron_rescaling<S>(layout, block("W" + a), block("b" + a), block("W" + b), k, S(2)),
                         false, true});
        }
      }
    }
  } else if (spec.kind == ModelKind::normalized_linear || spec.kind == ModelKind::cosine_square) {
    out.push_back({"‖θ‖^2", "‖θ‖^2 (scale symmetry)", scale_symmetry<S>(layout, S(2)), true, false});
  } else if (spec.kind == ModelKind::centered_linear) {
    out.push_back({"1^Tw", "1^T w (translation along 1)",
                   translation<S>(layout, Vec<S>::Ones(layout.size()), S(1)), false, false});
  } else if (spec.kind == ModelKind::softmax) {
    const int w = block("W1"), b = block("b1");
    const int d = layout[w].cols;
    if (d + (b >= 0) > kMaxUnitCharges) {
      note = std::to_string(d + (b >= 0)) + " translation charges not drawn";
    } else {
      for (int j = 0; j < d; ++j) {
        Vec<S> v = Vec<S>::Zero(layout.size());
        for (int r = 0; r < layout[w].rows; ++r) v[layout.at(w, r, j)] = S(1);
        const std::string symbol = "Σ_c W_1[c," + std::to_string(j) + "]";
        out.push_back({symbol, symbol + " (logit shift)", translation<S>(layout, v, S(1)), false, false});
      }
      if (b >= 0) {
        Vec<S> v = Vec<S>::Zero(layout.size());
        for (int r = 0; r < layout[b].rows; ++r) v[layout.at(b, r, 0)] = S(1);
        out.push_back({"Σ_c b_1[c]", "Σ_c b_1[c] (logit shift)", translation<S>(layout, v, S(1)), false, false});
      }
    }
  }
  return out;
}

struct ChargeCurve {
  std::string symbol, label;
  bool quadratic = true, unit = false;
  std::vector<double> q;                     // Q(theta_t), t = 0 .. T
  std::vector<double> gradient_side, decay_side, gap;  // at T = 1 .. steps (balance only)
};

struct RunCurves {
  std::string arithmetic;
  std::vector<double> loss;
  std::vector<ChargeCurve> charges;
  bool balance = false;
  std::string no_balance;  // why the stationary balance is not drawn
  std::string note;        // charges left out
};

template <class S>
RunCurves run_curves(const Scenario& s) {
  const Trajectory<S> run = simulate_as<S>(s);
  const auto model = make_model<S>(s.spec);
  const DataSet<S> data = from_rational<S>(s.data);
  RunCurves out;
  out.arithmetic = run.arithmetic;
  for (const S& l : run.loss) out.loss.push_back(as_double(l));
  const auto charges = charges_of<S>(s.spec, model->layout(), out.note);

  const SgdConfig<Rational>& cfg = s.optimizer;
  out.balance = s.steps > 0 && cfg.lr > 0 && cfg.momentum == 0 && !cfg.preconditioner;
  if (cfg.momentum != 0) out.no_balance = "momentum";
  else if (cfg.preconditioner) out.no_balance = "a preconditioner";
  else if (cfg.lr == 0) out.no_balance = "lr = 0";
  bool any_quadratic = false;
  for (const auto& c : charges) any_quadratic |= c.quadratic && !c.unit;
  out.balance = out.balance && any_quadratic;

  std::vector<Vec<S>> gradients;
  if (out.balance)
    for (int t = 0; t < s.steps; ++t)
      gradients.push_back(model->gradient(run.theta[t], data, s.schedule.batch(t, data.size())));
  const S eta = from_rational<S>(cfg.lr), lambda = from_rational<S>(cfg.weight_decay);
  for (const NamedCharge<S>& c : charges) {
    ChargeCurve curve{c.symbol, c.label, c.quadratic, c.unit, {}, {}, {}, {}};
    S sum_q(0), sum_drift(0);
    for (size_t t = 0; t < run.theta.size(); ++t) {
      const S value = c.symmetry.charge(run.theta[t])(0, 0);
      curve.q.push_back(as_double(value));
      if (out.balance && c.quadratic && !c.unit && t < gradients.size()) {
        sum_q += value;
        sum_drift += c.symmetry.charge(gradients[t])(0, 0);
        const S T(static_cast<int>(t + 1));
        const S gradient_side = eta / S(2) * sum_drift / T;
        const S decay_side = lambda * (S(1) - eta * lambda / S(2)) * sum_q / T;
        curve.gradient_side.push_back(as_double(gradient_side));
        curve.decay_side.push_back(as_double(decay_side));
        curve.gap.push_back(as_double(S(gradient_side - decay_side)));
      }
    }
    out.charges.push_back(std::move(curve));
  }
  return out;
}

RunCurves curves_of(const Scenario& s) {
  switch (s.arithmetic.kind) {
    case Arithmetic::Kind::rational: return run_curves<Rational>(s);
    case Arithmetic::Kind::interval: {
      const PrecisionScope precision(s.arithmetic.bits);
      return run_curves<Interval>(s);
    }
    case Arithmetic::Kind::real: {
      const PrecisionScope precision(s.arithmetic.bits);
      return run_curves<Real>(s);
    }
    case Arithmetic::Kind::floating: return run_curves<double>(s);
  }
  throw std::logic_error("unknown arithmetic");
}

std::string arithmetic_caption(const std::string& arithmetic) {
  if (arithmetic == "rational")
    return "Computed exactly in rational arithmetic; the exact values are drawn as decimals, for plotting only.";
  if (arithmetic.rfind("interval", 0) == 0)
    return "Computed with certified enclosures (" + arithmetic +
           "); drawn at their midpoints, as decimals, for plotting only.";
  if (arithmetic.rfind("real", 0) == 0)
    return "Computed in " + arithmetic + " (correctly rounded at that precision); drawn as decimals.";
  return "Computed in IEEE double (floating point, screening only): not exact, not certified.";
}

std::string model_text(const ModelSpec& spec) {
  std::string w;
  for (size_t i = 0; i < spec.widths.size(); ++i) w += (i ? ", " : "") + std::to_string(spec.widths[i]);
  std::string out = spec.kind_name() + " [" + w + "]";
  if (spec.kind == ModelKind::mlp) out += ", " + spec.activation.name();
  if ((spec.kind == ModelKind::mlp || spec.kind == ModelKind::softmax) && spec.bias) out += ", bias";
  return out;
}

std::string optimizer_text(const Scenario& s) {
  const SgdConfig<Rational>& c = s.optimizer;
  std::string out = s.schedule.is_full() ? "GD" : "SGD";
  out += ", η = " + to_text(c.lr) + ", λ = " + to_text(c.weight_decay);
  if (c.momentum != 0) out += ", β = " + to_text(c.momentum) + (c.nesterov ? " (Nesterov)" : "");
  if (c.preconditioner) out += ", preconditioned";
  if (!s.schedule.is_full()) out += ", " + std::to_string(s.schedule.batches().size()) + " batches cycled";
  return out;
}

Figure scenario_figure(const Scenario& s, const std::string& name, const Options& opt) {
  const RunCurves run = curves_of(s);
  const bool charges = !run.charges.empty();
  const int panels = 1 + charges + run.balance;
  Figure f;
  f.width = 900;
  f.height = 90 + 230 * panels;
  const double top = 1.0 - 62.0 / f.height, bottom = 76.0 / f.height;
  const double L = 0.10, R = 0.68, gap = 14.0 / f.height;
  const double share = (top - bottom - gap * (panels - 1)) / panels;
  const int T = s.steps;
  const bool points = T <= 40;
  const std::string style = points ? "linespoints pt 7 ps 0.5" : "lines";

  std::string out = "set encoding utf8\nset multiplot\n";
  const std::string title = literal(opt.title.empty() ? base_name(name) + ": " + model_text(s.spec) : opt.title);
  out += header(title, literal(optimizer_text(s)) + ", T = " + std::to_string(T) + " steps; " + literal(run.arithmetic), f.height);
  std::string cap = arithmetic_caption(run.arithmetic);
  if (!run.note.empty()) cap += " (" + run.note + ".)";
  if (!charges && run.note.empty()) cap += " No charge drawn: the model has no rescaling, scale or translation symmetry.";
  if (charges && !run.balance && !run.no_balance.empty())
    cap += " No stationary balance: the run has " + run.no_balance + ".";
  if (run.balance) {
    out += "set label 904 " + q(cap) + " at screen 0.01, screen " + num(22.0 / f.height) + " left font ',9'\n";
    cap = "Q(g): the charge's quadratic form at the step's batch gradient g_t (weight decay not included); "
          "⟨·⟩_T: the average over t = 0 … T − 1.";
  }
  out += caption(cap, f.height);
  out += "set grid lc rgb '#dddddd'\nset key outside right top Left reverse samplen 2 spacing 1.2\n";
  out += "set xrange [0:" + num(std::max(T, 1)) + "]\n";
  if (T <= 12) out += "set xtics 1\n";

  Block loss{"loss", ""};
  double lo = INFINITY, hi = 0;
  for (int t = 0; t <= T; ++t) {
    loss.row({double(t), run.loss[t]});
    lo = std::min(lo, run.loss[t]);
    hi = std::max(hi, run.loss[t]);
  }
  out += loss.text();
  int panel = 0;
  auto place = [&] {
    const double y1 = top - panel * (share + gap), y0 = y1 - share;
    ++panel;
    std::string m = margins(L, R, y0, y1);
    m += panel == panels ? "set format x '%g'\nset xlabel 'step t'\n" : "set format x ''\nunset xlabel\n";
    return m;
  };
  out += place();
  const bool log_loss = lo > 0 && hi / lo >= 100;
  if (log_loss) out += "set logscale y\nset format y '10^{%L}'\n";
  out += "set ylabel 'L(θ_t)'\n";
  out += "plot $loss using 1:2 with " + style + " lw 2 lc rgb '" + colour(0) +
         "' title 'training loss L(θ_t)'\n";
  out += "unset label\nunset logscale y\nset format y '%g'\n";

  if (charges) {
    Block c{"charges", ""};
    for (int t = 0; t <= T; ++t) {
      std::vector<double> row{double(t)};
      for (const ChargeCurve& cc : run.charges) row.push_back(cc.q[t]);
      c.row(row);
    }
    out += c.text() + place();
    out += "set ylabel 'charge Q(θ_t)'\n";
    const bool quadratic = run.charges.front().quadratic;
    if (s.optimizer.momentum == 0 && !s.optimizer.preconditioner)
      out += "set label 1 " +
             q(quadratic ? "law: Q_{t+1} = (1 − ηλ)^2 Q_t + η^2 Q(g_t)" : "law: Q_{t+1} = (1 − ηλ) Q_t") +
             " at screen " + num(R + 0.025) + ", graph 0.08 left font ',10'\n";
    std::string plot = "plot ";
    for (size_t i = 0; i < run.charges.size(); ++i) {
      const ChargeCurve& cc = run.charges[i];
      plot += (i ? ", " : "") + std::string("$charges using 1:") + std::to_string(i + 2) + " with " +
              (cc.unit ? "lines lw 1.2 dt 2" : style + " lw 2") + " lc rgb '" + colour(i) + "' title " + q(cc.label);
    }
    out += plot + "\nunset label\n";
  }

  if (run.balance) {
    Block b{"balance", ""};
    for (int t = 1; t <= T; ++t) {
      std::vector<double> row{double(t)};
      for (const ChargeCurve& cc : run.charges)
        if (!cc.gradient_side.empty()) {
          row.push_back(cc.gradient_side[t - 1]);
          row.push_back(cc.decay_side[t - 1]);
          row.push_back(cc.gap[t - 1]);
        }
      b.row(row);
    }
    out += b.text() + place();
    out += "set ylabel 'stationary balance'\nset xlabel 'steps T'\n";
    out += "set label 1 " + q("exactly: η/2 ⟨Q(g)⟩_T − λ(1 − ηλ/2) ⟨Q⟩_T") + " at screen " + num(R + 0.025) +
           ", graph 0.16 left font ',10'\n";
    out += "set label 2 " + q("             = (Q_T − Q_0) / (2ηT)") + " at screen " + num(R + 0.025) +
           ", graph 0.06 left font ',10'\n";
    std::string plot = "plot ";
    int column = 2;
    for (size_t i = 0; i < run.charges.size(); ++i) {
      const ChargeCurve& cc = run.charges[i];
      if (cc.gradient_side.empty()) continue;
      plot += (column > 2 ? ", " : "") + std::string("$balance using 1:") + std::to_string(column) +
              " with lines lw 2 lc rgb '" + colour(i) + "' title " + q("η/2 ⟨" + cc.symbol + "(g)⟩_T") +
              ", $balance using 1:" + std::to_string(column + 1) + " with lines lw 2 dt 2 lc rgb '" + colour(i) +
              "' title " + q("λ(1 − ηλ/2) ⟨" + cc.symbol + "⟩_T") + ", $balance using 1:" +
              std::to_string(column + 2) + " with lines lw 1.2 dt 3 lc rgb '" + colour(i) + "' title " +
              q("gap (Q_T − Q_0) / (2ηT), Q = " + cc.symbol);
      column += 3;
    }
    out += plot + "\nunset label\n";
  }
  out += "unset multiplot\n";
  f.body = out;
  return f;
}

// ---- series against the order ------------------------------------------------------------------

// One curve of |coefficient of eta^n| against n.
struct SeriesCurve {
  std::string title;
  std::vector<Number> coefficients;  // n = 0, 1, ...: one number (an entry, or the largest of several)
  bool thick = false;
};

// The largest |entry| at every order (exactly 0 when every entry is, or every enclosure contains 0).
std::vector<Number> largest(const std::vector<std::vector<Number>>& by_order) {
  std::vector<Number> out;
  for (const auto& entries : by_order) {
    Number best;
    best.kind = Number::Kind::zero;
    for (const Number& n : entries) {
      if (n.kind == Number::Kind::none) {
        best = n;
        break;
      }
      if (n.zero_or_contains_zero()) continue;
      if (best.kind == Number::Kind::zero || n.magnitude() > best.magnitude()) best = n;
    }
    out.push_back(best);
  }
  return out;
}

int first_nonzero(const std::vector<Number>& c) {
  for (size_t n = 0; n < c.size(); ++n)
    if (c[n].kind != Number::Kind::none && !c[n].zero_or_contains_zero()) return static_cast<int>(n);
  return -1;
}

// Draws the curves on a log axis of |coefficient|, zeros on the bottom row; filled points > 0,
// open < 0. `claimed` > 0 shades eta^0 .. eta^(claimed - 1), the coefficients the claim says vanish;
// `mark_first` labels every curve's first nonzero coefficient.
std::string series_plot(const std::vector<SeriesCurve>& curves, int claimed, bool mark_first,
                        const std::string& ylabel) {
  std::vector<double> magnitudes;
  int orders = 0;
  bool zeros = false;
  for (const SeriesCurve& c : curves) {
    orders = std::max(orders, static_cast<int>(c.coefficients.size()));
    for (const Number& n : c.coefficients) {
      if (n.kind != Number::Kind::none && !n.zero_or_contains_zero()) magnitudes.push_back(n.magnitude());
      zeros |= n.kind != Number::Kind::none && n.zero_or_contains_zero();
    }
  }
  const MagnitudeAxis axis = MagnitudeAxis::of(magnitudes, zeros);
  std::string out = axis.commands("y");
  out += "set xrange [-0.5:" + num(std::max(orders, claimed + 1) - 0.5) + "]\nset xtics 1\nset mxtics 1\n";
  out += "set format x 'η^{%g}'\nset xlabel 'power of η'\nset ylabel " + q(ylabel) + "\n";
  if (zeros)
    out += "set arrow 801 from graph 0, first " + num(axis.separator) + " to graph 1, first " + num(axis.separator) +
           " nohead dt 3 lc rgb '#888888' back\n";
  if (claimed > 0) {
    out += "set object 801 rect from -0.5, graph 0 to " + num(claimed - 0.5) +
           ", graph 1 fc rgb '#e5f5e0' fs solid 1.0 noborder behind\n";
    out += "set label 802 " +
           q(claimed == 1 ? "claimed: η^0 vanishes" : "claimed: η^0 … η^{" + std::to_string(claimed - 1) + "} vanish") +
           " at " + num(claimed / 2.0 - 0.5) + ", graph 0.95 center front\n";
  }
  std::string data, plot = "plot ";
  const double spread = curves.size() > 1 ? std::min(0.3, 0.6 / curves.size()) : 0;
  int label = 810;
  for (size_t i = 0; i < curves.size(); ++i) {
    const SeriesCurve& c = curves[i];
    const double dx = spread * (static_cast<double>(i) - (curves.size() - 1) / 2.0);
    Block b{"series" + std::to_string(i), ""};
    for (size_t n = 0; n < c.coefficients.size(); ++n) {
      const Number& v = c.coefficients[n];
      const double x = n + dx;
      if (v.kind == Number::Kind::none) {
        b.row({x, NAN, NAN, NAN, NAN});
      } else if (v.zero_or_contains_zero()) {
        b.row({x, NAN, NAN, NAN, axis.zero});
      } else {
        const double m = v.magnitude();
        b.row({x, m, v.value > 0 ? m : NAN, v.value < 0 ? m : NAN, NAN});
      }
    }
    data += b.text();
    const std::string lc = " lc rgb '" + colour(i) + "'";
    const std::string lw = c.thick ? " lw 2.5" : " lw 1.5";
    const std::string d = "$" + b.name;
    plot += std::string(i ? ", " : "") + d + " using 1:2 with lines" + lw + lc + " title " + q(c.title) + ", " + d +
            " using 1:3 with points pt 7 ps 1.1" + lc + " notitle, " + d + " using 1:4 with points pt 6 ps 1.1 lw 1.5" +
            lc + " notitle, " + d + " using 1:5 with points pt 2 ps 1.0 lw 1.5" + lc + " notitle";
    if (mark_first) {
      const int k = first_nonzero(c.coefficients);
      if (k >= 0) {
        out += "set label " + std::to_string(label++) + " " +
               q("first nonzero: η^{" + std::to_string(k) + "}") + " at " + num(k + dx) + ", " +
               num(c.coefficients[k].magnitude()) + " offset -1.6, 0 right front tc rgb '" + colour(i) + "'\n";
        out += "set object " + std::to_string(label++) + " circle at " + num(k + dx) + ", " +
               num(c.coefficients[k].magnitude()) + " size screen 0.012 fs empty border lc rgb '" + colour(i) +
               "' lw 2 front\n";
      }
    }
  }
  return data + out + plot + "\n";
}

std::string series_caption(const std::string& arithmetic) {
  std::string what = arithmetic.find("interval") != std::string::npos
                         ? "Certified enclosures (" + arithmetic + "), drawn at their midpoints as decimals; on the 0 row an enclosure contains 0."
                         : "Exact coefficients (" + arithmetic + ") drawn as decimals, for plotting only; the 0 row holds exact zeros.";
  return what + " Filled: > 0, open: < 0.";
}

std::vector<std::vector<Number>> numbers_of(const Json& rows) {
  std::vector<std::vector<Number>> out;
  for (const auto& row : rows) {
    out.emplace_back();
    for (const auto& cell : row) out.back().push_back(cell.is_string() ? number_of(cell.get<std::string>()) : Number{});
  }
  return out;
}

// An expansion (expand.hpp): every entry of theta_t (or of the modified field) as coefficients
// against the order.
Figure expansion_figure(const Json& report, const std::string& name, const Options& opt) {
  const bool field = report.contains("field");
  std::vector<std::pair<std::string, std::vector<Number>>> entries;  // "W1[0][1]" -> c_0, c_1, ...
  const auto cell_name = [](const std::string& block, size_t i, size_t j) {
    return block + "[" + std::to_string(i) + "][" + std::to_string(j) + "]";
  };
  std::string where;
  if (field) {
    if (opt.step >= 0) throw plot_error(name + ": --step: a modified field is at the start, it has no steps");
    std::map<std::string, size_t> index;
    for (const auto& f : report["field"])
      for (const auto& [block, rows] : f.at("params").items())
        for (size_t i = 0; i < rows.size(); ++i)
          for (size_t j = 0; j < rows[i].size(); ++j) {
            const std::string n = cell_name(block, i, j);
            if (!index.count(n)) {
              index[n] = entries.size();
              entries.push_back({n, {}});
            }
            entries[index[n]].second.push_back(number_of(rows[i][j].get<std::string>()));
          }
    where = "modified field f̃ = f_1 + η f_2 + … at θ_0";
  } else {
    const auto& steps = report.at("steps");
    if (steps.empty()) throw plot_error(name + ": the expansion has no steps");
    const int last = static_cast<int>(steps.size()) - 1;
    if (opt.step > last)
      throw plot_error(name + ": --step " + std::to_string(opt.step) + ": the expansion has steps 0.." + std::to_string(last));
    const int t = opt.step >= 0 ? opt.step : last;
    for (const auto& [block, rows] : steps[t].at("params").items())
      for (size_t i = 0; i < rows.size(); ++i)
        for (size_t j = 0; j < rows[i].size(); ++j) {
          std::vector<Number> c;
          for (const auto& x : rows[i][j]) c.push_back(number_of(x.get<std::string>()));
          entries.push_back({cell_name(block, i, j), c});
        }
    where = "η-series of θ_t at t = " + std::to_string(t);
  }
  std::vector<SeriesCurve> curves;
  constexpr size_t kMaxEntries = 8;
  if (entries.size() <= kMaxEntries) {
    for (auto& [n, c] : entries) curves.push_back({literal(n), c, false});
  } else {  // the largest |entry| of each block
    std::map<std::string, std::vector<std::vector<Number>>> blocks;
    std::vector<std::string> order;
    for (auto& [n, c] : entries) {
      const std::string b = n.substr(0, n.find('['));
      if (!blocks.count(b)) order.push_back(b);
      auto& by_order = blocks[b];
      if (by_order.size() < c.size()) by_order.resize(c.size());
      for (size_t k = 0; k < c.size(); ++k) by_order[k].push_back(c[k]);
    }
    for (const std::string& b : order) curves.push_back({"max over " + literal(b), largest(blocks[b]), false});
  }
  Figure f;
  f.width = 900;
  f.height = 520;
  const std::string arithmetic = report.value("arithmetic", std::string("rational"));
  std::string out = "set encoding utf8\n";
  out += header(opt.title.empty() ? literal(base_name(name)) + ": " + where + ", through η^{" + std::to_string(report.value("order", 0)) + "}"
                                  : literal(opt.title),
                field ? "coefficient of η^n is f_{n+1}(θ_0)" : "coefficient of η^n of every entry (lr = η a formal variable)", f.height);
  out += caption(series_caption(literal(arithmetic)), f.height);
  out += margins(0.10, 0.70, 70.0 / f.height, 1.0 - 62.0 / f.height);
  out += "set grid lc rgb '#dddddd'\nset key at screen 0.72, screen " + num(1.0 - 62.0 / f.height) +
         " left top Left reverse samplen 2 spacing 1.2\n";
  out += series_plot(curves, 0, false, "|coefficient of η^n|");
  f.body = out;
  return f;
}

// ---- verify reports ------------------------------------------------------------------------------

Json claim_of(const Json& report, const std::string& id, const std::string& name) {
  for (const auto& c : report.at("claims"))
    if (c.value("id", std::string()) == id) return c;
  std::string known;
  for (const auto& c : report.at("claims")) known += " " + c.value("id", std::string("?"));
  throw plot_error(name + ": the report has no claim '" + id + "' (it has:" + known + ")");
}

// A part's series residual: residual_series, or what the residual text says of it
// ("0 through eta^K; first nonzero: eta^N [a, b]").
std::vector<std::vector<Number>> part_series(const Json& p) {
  if (p.contains("residual_series")) return numbers_of(p["residual_series"]);
  std::vector<std::vector<Number>> out;
  const std::string r = p.value("residual", std::string());
  if (r.rfind("0 through eta^", 0) != 0) return out;
  const int through = std::atoi(r.c_str() + std::strlen("0 through eta^"));
  const auto first = r.find("first nonzero: eta^");
  const int n = first == std::string::npos ? through : std::atoi(r.c_str() + first + std::strlen("first nonzero: eta^"));
  for (int k = 0; k < n; ++k) out.push_back({Number{Number::Kind::zero}});
  if (first != std::string::npos) {
    const auto open = r.find('[', first), close = r.rfind(']');
    std::vector<Number> row;
    std::stringstream ss(r.substr(open + 1, close - open - 1));
    for (std::string x; std::getline(ss, x, ',');) row.push_back(number_of(x));
    out.push_back(row);
  }
  return out;
}

Figure order_certificate_figure(const Json& report, const std::string& key, const std::string& name, const Options& opt) {
  const auto dot = key.find('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == key.size())
    throw plot_error("--part '" + key + "': expected CLAIM.PART, e.g. T1.n-steps");
  const Json claim = claim_of(report, key.substr(0, dot), name);
  const std::string part_id = key.substr(dot + 1);
  const Json* part = nullptr;
  std::string known;
  for (const auto& p : claim.at("parts")) {
    known += " " + p.value("id", std::string());
    if (p.value("id", std::string()) == part_id) part = &p;
  }
  if (!part) throw plot_error(name + ": claim " + claim.value("id", std::string()) + " has no part '" + part_id + "' (it has:" + known + ")");

  std::vector<SeriesCurve> curves;
  int claimed = 0;
  const std::string residual = part->value("residual", std::string());
  if (residual.rfind("0 through eta^", 0) == 0) claimed = std::atoi(residual.c_str() + std::strlen("0 through eta^")) + 1;
  std::string arithmetic = part->value("arithmetic", std::string());
  auto s = part_series(*part);
  if (!s.empty()) {
    curves.push_back({"the claim: observed − predicted (a verified instance)", largest(s), true});
  } else if (part->contains("counterexample") && part->at("counterexample").contains("residual_series")) {
    curves.push_back({"counterexample: observed − predicted", largest(numbers_of(part->at("counterexample")["residual_series"])), true});
  }
  // The mutants' counterexamples; mutants falsified by the same residual share one curve.
  struct Mutant {
    std::vector<std::string> ids, names;
    std::vector<Number> coefficients;
    std::string instance;
  };
  std::vector<Mutant> mutants;
  const auto same = [](const std::vector<Number>& a, const std::vector<Number>& b) {
    if (a.size() != b.size()) return false;
    for (size_t n = 0; n < a.size(); ++n)
      if (a[n].kind != b[n].kind || a[n].value != b[n].value || a[n].lo != b[n].lo || a[n].hi != b[n].hi) return false;
    return true;
  };
  for (const auto& m : claim.at("mutants")) {
    const std::string id = m.value("id", std::string());
    if (id.rfind(part_id + "/", 0) != 0 || !m.contains("counterexample")) continue;
    const auto& cx = m["counterexample"];
    if (!cx.contains("residual_series")) continue;
    const std::vector<Number> c = largest(numbers_of(cx["residual_series"]));
    auto it = std::find_if(mutants.begin(), mutants.end(), [&](const Mutant& x) { return same(x.coefficients, c); });
    if (it == mutants.end()) it = mutants.insert(mutants.end(), Mutant{{}, {}, c, cx.value("instance", std::string())});
    it->ids.push_back(id.substr(part_id.size() + 1));
    it->names.push_back(m.value("name", std::string()));
  }
  for (const Mutant& m : mutants) {
    std::string title = m.ids.size() == 1 ? "mutant " + m.ids[0] + " (" + m.names[0] + ")" : "mutants ";
    for (size_t i = 0; m.ids.size() > 1 && i < m.ids.size(); ++i) title += (i ? ", " : "") + m.ids[i];
    curves.push_back({literal(title) + ": its counterexample", m.coefficients, false});
  }
  if (curves.empty())
    throw plot_error(name + ": " + key + " has no series residual: an order certificate needs a part compared as "
                     "a power series in eta (an order claim, e.g. T1.n-steps)");
  Figure f;
  f.width = 1000;
  f.height = 520;
  std::string out = "set encoding utf8\n";
  out += header(literal(opt.title.empty() ? key + ": " + part->value("name", std::string()) : opt.title),
                "order certificate: the residual as a power series in η, largest |coefficient| over its entries", f.height);
  out += caption(series_caption(literal(arithmetic)), f.height);
  const double top = 1.0 - 62.0 / f.height;
  out += margins(0.09, 0.52, 70.0 / f.height, top);
  out += "set grid lc rgb '#dddddd'\nset key at screen 0.54, screen " + num(top) +
         " left top Left reverse samplen 2 spacing 1.3\n";
  out += series_plot(curves, claimed, true, "max_i |coefficient of η^n|");
  // What the curves are, beside the key: the claim, and each mutant with the instance that falsified it.
  std::vector<std::pair<std::string, bool>> notes;  // line, enhanced
  const auto add = [&](const std::string& text, bool enhanced) {
    for (const std::string& line : wrap(text, 64)) notes.push_back({line, enhanced});
  };
  if (claimed > 0) {
    const int k = s.empty() ? -1 : first_nonzero(largest(s));
    add("The claim: observed − predicted = O(η^{" + std::to_string(claimed) + "}), every coefficient through η^{" +
            std::to_string(claimed - 1) + "} exactly 0, on all " + std::to_string(part->value("instances", 0)) +
            " instances; drawn: the residual of the first.",
        true);
    if (k == claimed) add("Its first nonzero coefficient is at η^{" + std::to_string(k) + "}: the order is sharp there.", true);
  }
  for (const Mutant& m : mutants) {
    notes.push_back({"", false});
    for (size_t i = 0; i < m.ids.size(); ++i) add("Mutant " + m.ids[i] + ": " + m.names[i] + ".", false);
    if (!m.instance.empty()) add("Counterexample: " + m.instance, false);
  }
  const double line = 15.0 / f.height;
  double y = top - (curves.size() + 1) * 21.0 / f.height;
  int tag = 950;
  for (const auto& [text, enhanced] : notes) {
    if (!text.empty())
      out = "set label " + std::to_string(tag++) + " " + q(text) + " at screen 0.54, screen " + num(y) + " left font ',9'" +
            (enhanced ? "" : " noenhanced") + "\n" + out;
    y -= line;
  }
  f.body = out;
  return f;
}

// One row of the evidence chart: a part or a mutant.
struct Row {
  std::string label;
  bool mutant = false, as_expected = true;
  std::string status;
  Number residual;
  int held = 0, inconclusive = 0, violated = 0, instances = 0, first_violation = 0, degenerate = -1;
  std::string evidence, arithmetic;
};

Row row_of(const Json& p, const std::string& label, bool mutant, bool expect_falsified) {
  Row r;
  r.label = label;
  r.mutant = mutant;
  r.status = p.value("status", std::string());
  r.held = p.value("held", 0);
  r.inconclusive = p.value("inconclusive", 0);
  r.violated = p.value("violated", 0);
  r.instances = p.value("instances", 0);
  r.first_violation = p.value("first_violation", 0);
  r.degenerate = p.value("degenerate", -1);
  r.evidence = p.value("evidence", std::string());
  r.arithmetic = p.value("arithmetic", std::string());
  r.as_expected = r.status == (mutant || expect_falsified ? "falsified" : "verified");
  if (p.contains("counterexample")) r.residual = number_of(p["counterexample"].value("residual", std::string()));
  else r.residual = number_of(p.value("residual", std::string()));
  return r;
}

std::string seed_text(const Json& report) {
  if (!report.contains("seed")) return "?";
  return report["seed"].is_string() ? report["seed"].get<std::string>() : report["seed"].dump();
}

// A whole catalog: one row per claim, its instances (held, inconclusive, violated, summed over its
// parts) and its mutants (falsified or not).
Figure summary_figure(const Json& report, const std::vector<Json>& claims, const std::string& name, const Options& opt) {
  const int n = static_cast<int>(claims.size());
  Figure f;
  f.width = 1050;
  f.height = 200 + 17 * n;
  const double top = 1.0 - 62.0 / f.height, bottom = 120.0 / f.height;
  Block ok{"ok", ""}, unsure{"unsure", ""}, bad{"bad", ""}, killed{"killed", ""}, alive{"alive", ""};
  std::string ytics, notes;
  int most = 1, most_mutants = 1, as_expected = 0;
  for (int i = 0; i < n; ++i) {
    const Json& c = claims[i];
    const double y = -i;
    int h = 0, u = 0, b = 0, k = 0, m = 0;
    for (const auto& p : c.at("parts")) {
      h += p.value("held", 0);
      u += p.value("inconclusive", 0);
      b += p.value("violated", 0);
    }
    for (const auto& x : c.at("mutants")) {
      ++m;
      k += x.value("status", std::string()) == "falsified";
    }
    most = std::max(most, h + u + b);
    most_mutants = std::max(most_mutants, m);
    const bool expected = c.value("as_expected", false);
    as_expected += expected;
    ytics += (i ? ", " : "") + q(c.value("id", std::string()) + " " + c.value("status", std::string())) + " " + num(y);
    if (h) ok.row({h / 2.0, y, 0.0, double(h), y - 0.32, y + 0.32});
    if (u) unsure.row({h + u / 2.0, y, double(h), double(h + u), y - 0.32, y + 0.32});
    if (b) bad.row({h + u + b / 2.0, y, double(h + u), double(h + u + b), y - 0.32, y + 0.32});
    if (k) killed.row({k / 2.0, y, 0.0, double(k), y - 0.32, y + 0.32});
    if (m > k) alive.row({k + (m - k) / 2.0, y, double(k), double(m), y - 0.32, y + 0.32});
    notes += "set label " + std::to_string(1000 + i) + " " +
             q(std::to_string(k) + "/" + std::to_string(m) + (expected ? "" : "  NOT AS EXPECTED")) + " at screen 0.81, first " +
             num(y) + " left font ',9'" + (expected ? "" : " tc rgb '" + std::string(kRed) + "'") + "\n";
  }
  std::string out = "set encoding utf8\nset multiplot\n";
  out += header(literal(opt.title.empty() ? "entropic verify: " + std::to_string(n) + " claims" : opt.title),
                std::to_string(as_expected) + " of " + std::to_string(n) + " claims as the catalog expects (seed " +
                    seed_text(report) + ", " + (report.contains("cases") ? report["cases"].dump() : std::string("?")) +
                    " cases per part); `--claim ID` shows one claim's parts and mutants",
                f.height);
  const auto legend = [&](int tag, const std::string& text, const std::string& rgb, double x, double y_px) {
    return "set label " + std::to_string(tag) + " " + q(text) + " at screen " + num(x) + ", screen " +
           num(y_px / f.height) + " left font ',9' tc rgb '" + rgb + "'\n";
  };
  out += legend(910, "■  held", kGreen, 0.16, 50) + legend(911, "■  inconclusive", kGrey, 0.26, 50) +
         legend(912, "■  violated", kRed, 0.40, 50);
  out += legend(913, "■  falsified", kRed, 0.62, 50) + legend(914, "■  not falsified", "#000000", 0.70, 50);
  out += "set label 903 " + q("Instances are summed over a claim's parts; a negative control is expected to be falsified, "
                              "every mutant of a claim too.") +
         " at screen 0.01, screen " + num(10.0 / f.height) + " left font ',9'\n";
  out += "unset key\n" + ok.text() + unsure.text() + bad.text() + killed.text() + alive.text();
  out += "set yrange [" + num(-n + 0.5) + ":0.5]\nset ytics (" + ytics + ") noenhanced font ',9' scale 0\n";
  out += margins(0.16, 0.58, bottom, top) + "set grid x lc rgb '#dddddd'\nset xrange [0:" + num(most) +
         "]\nset xlabel 'instances'\n";
  const auto plot_of = [](const std::vector<std::pair<const Block*, const char*>>& parts) {
    std::string p = "plot ";
    bool any = false;
    for (const auto& [b, rgb] : parts) {
      if (b->rows.empty()) continue;
      p += std::string(any ? ", " : "") + "$" + b->name + " using 1:2:3:4:5:6 with boxxyerror fs solid 0.8 noborder lc rgb '" +
           rgb + "' notitle";
      any = true;
    }
    return (any ? p : "plot 1e300 notitle") + "\n";
  };
  out += plot_of({{&ok, kGreen}, {&unsure, kGrey}, {&bad, kRed}});
  out += "unset label\nunset ytics\n" + margins(0.62, 0.80, bottom, top) + "set xrange [0:" + num(most_mutants) +
         "]\nset xlabel 'mutants'\n" + notes;
  out += plot_of({{&killed, kRed}, {&alive, "#000000"}});
  out += "unset multiplot\n";
  f.body = out;
  return f;
}

Figure report_figure(const Json& report, const std::string& name, const Options& opt) {
  std::vector<Json> claims;
  if (opt.claims.empty()) {
    for (const auto& c : report.at("claims")) claims.push_back(c);
  } else {
    for (const std::string& id : opt.claims) claims.push_back(claim_of(report, id, name));
  }
  if (claims.empty()) throw plot_error(name + ": the report has no claims");
  std::vector<Row> rows;
  std::vector<std::pair<int, int>> groups;  // a part and its mutants: first and last row
  for (const Json& c : claims) {
    const std::string id = c.value("id", std::string());
    const bool fails = c.value("expected", std::string()) == "fails";
    for (const auto& p : c.at("parts")) {
      const std::string pid = p.value("id", std::string());
      const int first = static_cast<int>(rows.size());
      rows.push_back(row_of(p, id + "." + pid, false, fails));
      for (const auto& m : c.at("mutants")) {
        const std::string mid = m.value("id", std::string());
        if (mid.rfind(pid + "/", 0) == 0) rows.push_back(row_of(m, "mutant " + mid.substr(pid.size() + 1), true, fails));
      }
      groups.push_back({first, static_cast<int>(rows.size()) - 1});
    }
  }
  constexpr size_t kMaxRows = 90;
  if (rows.size() > kMaxRows) {
    if (!opt.claims.empty())
      throw plot_error(name + ": " + std::to_string(rows.size()) + " parts and mutants are too many for one picture: "
                       "choose fewer claims with --claim");
    return summary_figure(report, claims, name, opt);
  }
  const int n = static_cast<int>(rows.size());
  Figure f;
  f.width = 1050;
  f.height = 225 + 19 * n;
  const double top = 1.0 - 62.0 / f.height, bottom = 145.0 / f.height;

  std::vector<double> magnitudes;
  int most = 1;
  for (const Row& r : rows) {
    if (r.residual.kind == Number::Kind::value || r.residual.kind == Number::Kind::enclosure)
      magnitudes.push_back(r.residual.magnitude());
    if (r.residual.kind == Number::Kind::enclosure && !r.residual.zero_or_contains_zero())
      magnitudes.push_back(std::min(std::fabs(r.residual.lo), std::fabs(r.residual.hi)));
    most = std::max(most, r.instances);
  }
  const MagnitudeAxis axis = MagnitudeAxis::of(magnitudes);

  // Residuals: points (exact, or the midpoint of an enclosure) and the enclosures as bars.
  Block held{"held", ""}, value{"value", ""}, falsified{"falsified", ""}, other{"other", ""}, bars{"enclosures", ""};
  Block ok{"ok", ""}, unsure{"unsure", ""}, bad{"bad", ""};
  std::string ytics, notes, shading;
  for (size_t g = 0; g < groups.size(); ++g)
    if (g % 2 == 0)
      shading += "set object " + std::to_string(700 + g) + " rect from graph 0, first " + num(-groups[g].second - 0.5) +
                 " to graph 1, first " + num(-groups[g].first + 0.5) + " fc rgb '#f2f2f2' fs solid 1.0 noborder behind\n";
  const double notes_x = 0.81;
  for (int i = 0; i < n; ++i) {
    const Row& r = rows[i];
    const double y = -i;
    ytics += (i ? ", " : "") + q(r.label) + " " + num(y);
    const Number& v = r.residual;
    if (v.kind != Number::Kind::none) {
      double x = v.zero_or_contains_zero() ? axis.zero : v.magnitude();
      if (v.kind == Number::Kind::enclosure) {
        const double a = v.zero_or_contains_zero() ? axis.zero : std::min(std::fabs(v.lo), std::fabs(v.hi));
        const double b = v.magnitude();
        bars.row({std::sqrt(a * b), y, a, b, y - 0.22, y + 0.22});
        if (!v.zero_or_contains_zero()) x = std::fabs(v.value);
      }
      // A verified check (not an identity) reports the value it certified, not a difference.
      Block& into = r.status == "falsified" ? falsified
                    : r.status == "verified" ? (v.zero_or_contains_zero() ? held : value)
                                             : other;
      into.row({x, y});
    }
    // Instances: held, inconclusive, violated, stacked.
    const double h = r.held, u = r.inconclusive, b = r.violated;
    if (h > 0) ok.row({h / 2, y, 0, h, y - 0.32, y + 0.32});
    if (u > 0) unsure.row({h + u / 2, y, h, h + u, y - 0.32, y + 0.32});
    if (b > 0) bad.row({h + u + b / 2, y, h + u, h + u + b, y - 0.32, y + 0.32});
    std::string note;
    if (r.mutant)
      note = r.status == "falsified"
                 ? (r.first_violation ? "falsified by instance " + std::to_string(r.first_violation) : "falsified (past failure)")
                 : "NOT FALSIFIED (" + r.status + ")";
    else
      note = r.status + (r.held ? ", " + r.evidence : "") +
             (r.degenerate > 0 ? ", " + std::to_string(r.degenerate) + " degenerate" : "");
    notes += "set label " + std::to_string(1000 + i) + " " + q(note) + " at screen " + num(notes_x) + ", first " + num(y) +
             " left font ',9'" + (r.as_expected ? "" : " tc rgb '" + std::string(kRed) + "'") + "\n";
  }
  std::string out = "set encoding utf8\nset multiplot\n";
  std::string ids;
  for (const Json& c : claims) ids += (ids.empty() ? "" : ", ") + c.value("id", std::string());
  std::string title = opt.title;
  if (title.empty())
    title = claims.size() == 1 ? claims.front().value("id", std::string()) + ": " + claims.front().value("title", std::string())
                               : "entropic verify: " + ids;
  const std::string seed = seed_text(report);
  const std::string cases = report.contains("cases") ? report["cases"].dump() : std::string("?");
  out += header(literal(title), "what the report certifies, per part and mutant (seed " + seed + ", " + cases + " cases per part)", f.height);
  // The legend, as coloured text under the panels, and the caption.
  const auto legend = [&](int tag, const std::string& text, const std::string& rgb, double x, double y_px) {
    return "set label " + std::to_string(tag) + " " + q(text) + " at screen " + num(x) + ", screen " +
           num(y_px / f.height) + " left font ',9' tc rgb '" + rgb + "'\n";
  };
  out += legend(910, "●  verified identity: a sample residual", kGreen, 0.26, 96);
  out += legend(911, "◆  verified check: the value it certified", kGreen, 0.26, 82);
  out += legend(912, "▲  falsified: its counterexample's residual", kRed, 0.26, 68);
  out += legend(913, "▬  certified enclosure", "#56B4E9", 0.26, 54);
  out += legend(914, "×  inconclusive", kGrey, 0.45, 54);
  out += legend(915, "■  held", kGreen, 0.62, 96) + legend(916, "■  inconclusive", kGrey, 0.62, 82) +
         legend(917, "■  violated", kRed, 0.62, 68);
  out += "set label 903 " + q("Residuals are exact rationals or certified enclosures, drawn as decimals for plotting only; a "
                              "verified part shows the residual of its first instance.") +
         " at screen 0.01, screen " + num(24.0 / f.height) + " left font ',9'\n";
  out += "set label 904 " + q("The 0 column holds residuals that are exactly 0; an enclosure that contains 0 is a bar from "
                              "the 0 column up to its bound.") +
         " at screen 0.01, screen " + num(8.0 / f.height) + " left font ',9'\n";
  out += "unset key\n";
  out += held.text() + value.text() + falsified.text() + other.text() + bars.text() + ok.text() + unsure.text() + bad.text();
  out += shading;
  out += "set yrange [" + num(-n + 0.5) + ":0.5]\nset ytics (" + ytics + ") noenhanced font ',9' scale 0\n";
  // Left: the residuals.
  out += margins(0.26, 0.60, bottom, top);
  out += axis.commands("x");
  out += "set grid x lc rgb '#dddddd'\n";
  out += "set arrow 801 from first " + num(axis.separator) + ", graph 0 to first " + num(axis.separator) +
         ", graph 1 nohead dt 3 lc rgb '#888888' back\n";
  out += "set xlabel '|residual|' offset 0, 0.3\n";
  const auto nonempty = [](const Block& b) { return !b.rows.empty(); };
  std::vector<std::string> plots;
  if (nonempty(bars))
    plots.push_back("$enclosures using 1:2:3:4:5:6 with boxxyerror fs solid 0.5 noborder lc rgb '#56B4E9' notitle");
  if (nonempty(held)) plots.push_back("$held using 1:2 with points pt 7 ps 0.9 lc rgb '" + std::string(kGreen) + "' notitle");
  if (nonempty(value)) plots.push_back("$value using 1:2 with points pt 13 ps 1.1 lc rgb '" + std::string(kGreen) + "' notitle");
  if (nonempty(falsified))
    plots.push_back("$falsified using 1:2 with points pt 9 ps 1.0 lc rgb '" + std::string(kRed) + "' notitle");
  if (nonempty(other)) plots.push_back("$other using 1:2 with points pt 2 ps 0.9 lc rgb '" + std::string(kGrey) + "' notitle");
  if (plots.empty()) plots.push_back("1e300 notitle");
  std::string p = "plot ";
  for (size_t i = 0; i < plots.size(); ++i) p += (i ? ", " : "") + plots[i];
  out += p + "\n";
  // Right: the instances, and what became of each prediction.
  out += "unset label\nunset arrow\nunset logscale x\nunset ytics\nset format x '%g'\nset xtics autofreq\nset mxtics default\n";
  out += margins(0.62, 0.80, bottom, top);
  out += "set xrange [0:" + num(most) + "]\nset xlabel 'instances'\nset grid x\n";
  out += notes;
  std::vector<std::string> bars_plot;
  if (nonempty(ok)) bars_plot.push_back("$ok using 1:2:3:4:5:6 with boxxyerror fs solid 0.8 noborder lc rgb '" + std::string(kGreen) + "' notitle");
  if (nonempty(unsure)) bars_plot.push_back("$unsure using 1:2:3:4:5:6 with boxxyerror fs solid 0.8 noborder lc rgb '" + std::string(kGrey) + "' notitle");
  if (nonempty(bad)) bars_plot.push_back("$bad using 1:2:3:4:5:6 with boxxyerror fs solid 0.8 noborder lc rgb '" + std::string(kRed) + "' notitle");
  if (bars_plot.empty()) bars_plot.push_back("1e300 notitle");
  p = "plot ";
  for (size_t i = 0; i < bars_plot.size(); ++i) p += (i ? ", " : "") + bars_plot[i];
  out += p + "\nunset multiplot\n";
  f.body = out;
  return f;
}

// ---- input -----------------------------------------------------------------------------------

std::string read_file(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) throw plot_error(path + ": is a directory, not a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw plot_error(path + ": cannot read the file");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

Figure figure_of(const std::string& path, const Options& opt) {
  const std::string text = read_file(path);
  Json doc;
  try {
    doc = Json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    std::string what = e.what();
    if (const auto p = what.find("] "); p != std::string::npos) what = what.substr(p + 2);
    throw plot_error(path + ": not JSON: " + what);
  }
  const std::string& name = path;  // in messages; titles take its base name
  const bool report = doc.is_object() && doc.contains("claims") && doc["claims"].is_array();
  const bool expansion = doc.is_object() && doc.contains("order") &&
                         ((doc.contains("steps") && doc["steps"].is_array()) || (doc.contains("field") && doc["field"].is_array()));
  const bool scenario = doc.is_object() && doc.contains("model");
  if (!report && (!opt.part.empty() || !opt.claims.empty()))
    throw plot_error(path + ": --part and --claim need an `entropic verify --format json` report");
  if (!scenario && opt.order >= 0)
    throw plot_error(path + ": --order needs a scenario file (an expand output has its order)");
  if (!(expansion || (scenario && opt.order >= 0)) && opt.step >= 0)
    throw plot_error(path + ": --step needs an expansion (a scenario with --order, or an expand output)");
  try {
    if (report) {
      if (!opt.part.empty()) {
        if (!opt.claims.empty()) throw plot_error("--part and --claim: give one of them");
        return order_certificate_figure(doc, opt.part, name, opt);
      }
      return report_figure(doc, name, opt);
    }
    if (expansion) return expansion_figure(doc, name, opt);
    if (scenario) {
      Scenario s;
      try {
        s = parse_scenario_text(text);
      } catch (const scenario_error& e) {
        throw plot_error(path + ": " + e.what());
      }
      if (opt.order >= 0) {
        if (opt.order > kMaxExpansionOrder)
          throw plot_error("--order " + std::to_string(opt.order) + ": at most " + std::to_string(kMaxExpansionOrder));
        Json r;
        try {
          r = Json::parse(expansion_report(s, opt.order).dump());
        } catch (const scenario_error& e) {
          throw plot_error(path + ": " + e.what());
        }
        return expansion_figure(r, name, opt);
      }
      try {
        return scenario_figure(s, name, opt);
      } catch (const scenario_error& e) {
        throw plot_error(path + ": " + e.what());
      }
    }
  } catch (const nlohmann::json::exception& e) {
    throw plot_error(path + ": unexpected content: " + e.what());
  }
  if (doc.is_object() && doc.contains("steps") && doc.contains("arithmetic"))
    throw plot_error(path + ": a simulate output has no model: plot the scenario file itself");
  throw plot_error(path + ": not a scenario file, an `entropic expand --format json` output or an "
                   "`entropic verify --format json` report");
}

std::string gnuplot_script(const Figure& figure, const std::string& output_path, const std::string& terminal_output) {
  const bool png = output_path.size() >= 4 && output_path.compare(output_path.size() - 4, 4, ".png") == 0;
  std::string out = png ? "set terminal pngcairo enhanced size " : "set terminal svg enhanced size ";
  out += std::to_string(figure.width) + "," + std::to_string(figure.height);
  out += png ? " font 'DejaVu Sans,10' background rgb 'white'\n" : " font 'DejaVu Sans,11' background rgb 'white'\n";
  out += "set output " + q(terminal_output) + "\n";
  return out + figure.body + "set output\n";
}

namespace {

std::string extension(const std::string& path) {
  const auto slash = path.find_last_of('/');
  const auto dot = path.find_last_of('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return "";
  return path.substr(dot);
}

// The first line of gnuplot's messages that says what went wrong.
std::string first_error(const std::string& messages) {
  std::stringstream ss(messages);
  std::string line, last;
  while (std::getline(ss, line)) {
    if (line.find_first_not_of(" ^\t") == std::string::npos) continue;
    if (line.find("rror") != std::string::npos) return trim(line);
    last = trim(line);
  }
  return last.empty() ? "no message" : last;
}

}  // namespace

void render(const Figure& figure, const std::string& output_path) {
  const std::string ext = extension(output_path);
  if (ext != ".svg" && ext != ".png")
    throw plot_error("--output " + output_path + ": the file must end in .svg or .png");
  const auto slash = output_path.find_last_of('/');
  const std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : output_path.substr(0, slash);
  struct stat st {};
  if (stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    throw plot_error("--output " + output_path + ": no directory " + dir);
  if (stat(output_path.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
    throw plot_error("--output " + output_path + ": is a directory");

  // The picture goes to a temporary file beside the output; renamed once gnuplot has finished.
  std::string tmp = (slash == std::string::npos ? std::string() : output_path.substr(0, slash + 1)) + "." +
                    base_name(output_path) + ".XXXXXX";
  std::vector<char> name(tmp.begin(), tmp.end());
  name.push_back('\0');
  const int fd = mkstemp(name.data());
  if (fd < 0) throw plot_error("--output " + output_path + ": cannot write in " + dir + ": " + std::strerror(errno));
  tmp = name.data();
  const mode_t mask = umask(0);
  umask(mask);
  fchmod(fd, 0666 & ~mask);
  close(fd);
  // gnuplot's messages go to an unlinked file in the temporary directory ($TMPDIR, else /tmp).
  std::error_code no_temp;
  std::string errors_name = (std::filesystem::temp_directory_path(no_temp) / "entropic-gnuplot-XXXXXX").string();
  const int err_fd = no_temp ? -1 : mkstemp(errors_name.data());
  if (err_fd < 0) {
    const std::string why = no_temp ? no_temp.message() : std::strerror(errno);
    std::remove(tmp.c_str());
    throw std::runtime_error("cannot create a temporary file in the temporary directory: " + why);
  }
  std::remove(errors_name.c_str());  // stays open; gone when closed
  auto fail = [&](auto error) {
    std::remove(tmp.c_str());
    close(err_fd);
    throw error;
  };

  const std::string script = gnuplot_script(figure, output_path, tmp);
  int in[2];
  if (pipe(in) != 0) fail(std::runtime_error(std::string("pipe: ") + std::strerror(errno)));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], 0);
  posix_spawn_file_actions_addclose(&actions, in[1]);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, err_fd, 2);
  char program[] = "gnuplot";
  char* argv[] = {program, nullptr};
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, "gnuplot", &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  close(in[0]);
  if (spawned != 0) {
    close(in[1]);
    if (spawned == ENOENT)
      fail(gnuplot_missing("gnuplot not found: install the Debian package gnuplot-nox (scripts/setup installs it)"));
    fail(std::runtime_error(std::string("cannot run gnuplot: ") + std::strerror(spawned)));
  }
  // gnuplot reads the whole script; a write error (it died early) shows in its exit status.
  const char* p = script.data();
  size_t left = script.size();
  struct sigaction quiet {}, old {};
  quiet.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &quiet, &old);
  while (left > 0) {
    const ssize_t n = write(in[1], p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      break;
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  close(in[1]);
  sigaction(SIGPIPE, &old, nullptr);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  std::string messages;
  lseek(err_fd, 0, SEEK_SET);
  char buf[4096];
  for (ssize_t n; (n = read(err_fd, buf, sizeof buf)) > 0;) messages.append(buf, static_cast<size_t>(n));
  struct stat out_st {};
  const bool written = stat(tmp.c_str(), &out_st) == 0 && out_st.st_size > 0;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !written)
    fail(std::runtime_error("gnuplot failed: " + first_error(messages)));
  if (std::rename(tmp.c_str(), output_path.c_str()) != 0)
    fail(std::runtime_error("cannot write " + output_path + ": " + std::strerror(errno)));
  close(err_fd);
}

}  // namespace entropic::plot
