#include "entropic/io/expand.hpp"

#include "entropic/io/cost.hpp"
#include "entropic/io/simulate.hpp"
#include "entropic/model/make_model.hpp"
#include "entropic/theory/modified_field.hpp"

namespace entropic {

namespace {

void check_order(int order) {
  if (order < 0 || order > kMaxExpansionOrder)
    throw scenario_error("--order", "must be between 0 and " + std::to_string(kMaxExpansionOrder) +
                                        ", got " + std::to_string(order));
}

// {"W1": [[cell(W1(0,0)), ...], ...], ...} over the layout of the scenario's model.
template <class Cell>
nlohmann::ordered_json params_json(const Layout& layout, Cell&& cell) {
  nlohmann::ordered_json params = nlohmann::ordered_json::object();
  for (int b = 0; b < layout.count(); ++b) {
    nlohmann::ordered_json rows = nlohmann::ordered_json::array();
    for (int i = 0; i < layout[b].rows; ++i) {
      nlohmann::ordered_json row = nlohmann::ordered_json::array();
      for (int j = 0; j < layout[b].cols; ++j) row.push_back(cell(layout.at(b, i, j)));
      rows.push_back(std::move(row));
    }
    params[layout[b].name] = std::move(rows);
  }
  return params;
}

template <class T>
void expansion_as(const Scenario& s, int order, ExpansionSink& sink) {
  using Ser = Series<T>;
  const auto model = make_model<Ser>(s.spec);
  const DataSet<Ser> data = from_rational<Ser>(s.data);
  SgdConfig<Ser> cfg = config_as<Ser>(s.optimizer);
  cfg.lr = Ser::variable(std::max(order, 1));
  sink.begin(ExpansionHeader{order, ScalarKind<T>::name(), model->layout()});
  ExpansionRow row;
  run_sgd(*model, data, s.schedule, cfg, from_rational<Ser>(s.theta0), s.steps,
          [&](int t, const SgdState<Ser>& state) {
            check_deadline([&] { return "step " + std::to_string(t) + " of " + std::to_string(s.steps); });
            row.index = t;
            row.entries.resize(static_cast<size_t>(state.theta.size()));
            for (Eigen::Index k = 0; k < state.theta.size(); ++k) {
              auto& coefficients = row.entries[static_cast<size_t>(k)];
              coefficients.resize(static_cast<size_t>(order) + 1);
              for (int n = 0; n <= order; ++n) coefficients[static_cast<size_t>(n)] = to_text(state.theta[k][n]);
            }
            sink.row(row);
          });
}

template <class T>
void modified_field_as(const Scenario& s, int order, ExpansionSink& sink) {
  if (!s.schedule.is_full())
    throw scenario_error("optimizer.batches", "the modified field is that of full-batch GD; "
                                              "give \"batches\": \"full\" or \"kind\": \"gd\"");
  if (!(s.optimizer.momentum == 0) || s.optimizer.preconditioner)
    throw scenario_error("optimizer", "the modified field is that of plain GD (no momentum, no "
                                      "preconditioner)");
  int steps = 0;
  const auto fields = gradient_descent_modified_field<T>(
      s.spec, s.data, s.theta0, s.optimizer.weight_decay, order,
      [&] {
        check_deadline([&] {
          return "the modified field to order " + std::to_string(order) + ", at step " + std::to_string(steps) +
                 " of its orbit";
        });
        ++steps;
      });
  const auto model = make_model<Rational>(s.spec);
  sink.begin(ExpansionHeader{order, ScalarKind<T>::name(), model->layout()});
  ExpansionRow row;
  for (int j = 0; j <= order; ++j) {
    row.index = j;
    row.entries.resize(static_cast<size_t>(model->layout().size()));
    for (int k = 0; k < model->layout().size(); ++k) row.entries[static_cast<size_t>(k)] = {to_text(fields[j][k])};
    sink.row(row);
  }
}

template <class Run>
void in_arithmetic(const Scenario& s, Run&& run) {
  switch (s.arithmetic.kind) {
    case Arithmetic::Kind::rational: return run(Rational());
    case Arithmetic::Kind::interval: {
      PrecisionScope precision(s.arithmetic.bits);
      return run(Interval());
    }
    default:
      throw scenario_error("arithmetic", "expansions are exact (rational) or certified (interval:BITS); \"" +
                                             s.arithmetic.text() + "\" would round coefficients");
  }
}

// The report as one JSON document: "steps" of iterates, or "field" of terms.
class ReportSink : public ExpansionSink {
 public:
  explicit ReportSink(bool field) : field_(field) {}
  void begin(const ExpansionHeader& header) override {
    layout_ = header.layout;
    report_ = {{"order", header.order}, {"arithmetic", header.arithmetic},
               {field_ ? "field" : "steps", nlohmann::ordered_json::array()}};
  }
  void row(const ExpansionRow& row) override {
    // Built in place: a braced initializer list would deep-copy every coefficient.
    nlohmann::ordered_json entry = nlohmann::ordered_json::object();
    entry[field_ ? "order" : "t"] = row.index;
    entry["params"] = params_json(layout_, [&](int k) {
      const auto& cell = row.entries[static_cast<size_t>(k)];
      if (field_) return nlohmann::ordered_json(cell.front());
      nlohmann::ordered_json c = nlohmann::ordered_json::array();
      for (const std::string& coefficient : cell) c.push_back(coefficient);
      return c;
    });
    report_[field_ ? "field" : "steps"].push_back(std::move(entry));
  }
  nlohmann::ordered_json take() { return std::move(report_); }

 private:
  bool field_;
  Layout layout_;
  nlohmann::ordered_json report_;
};

}  // namespace

void expansion_stream(const Scenario& scenario, int order, ExpansionSink& sink, const Budget& budget) {
  check_order(order);
  in_arithmetic(scenario, [&](auto tag) {
    refuse_beyond("an expansion to order " + std::to_string(order) + " of " + std::to_string(scenario.steps) + " steps",
                  estimate_expansion(scenario, order), budget);
    expansion_as<decltype(tag)>(scenario, order, sink);
  });
}

void modified_field_stream(const Scenario& scenario, int order, ExpansionSink& sink, const Budget& budget) {
  check_order(order);
  in_arithmetic(scenario, [&](auto tag) {
    refuse_beyond("the modified field to order " + std::to_string(order), estimate_modified_field(scenario, order),
                  budget);
    modified_field_as<decltype(tag)>(scenario, order, sink);
  });
}

nlohmann::ordered_json expansion_report(const Scenario& scenario, int order) {
  ReportSink sink(false);
  expansion_stream(scenario, order, sink);
  return sink.take();
}

nlohmann::ordered_json modified_field_report(const Scenario& scenario, int order) {
  ReportSink sink(true);
  modified_field_stream(scenario, order, sink);
  return sink.take();
}

}  // namespace entropic
