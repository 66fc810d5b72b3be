#include "entropic/io/expand.hpp"

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
nlohmann::ordered_json expansion_as(const Scenario& s, int order) {
  using Ser = Series<T>;
  const auto model = make_model<Ser>(s.spec);
  const DataSet<Ser> data = from_rational<Ser>(s.data);
  SgdConfig<Ser> cfg = config_as<Ser>(s.optimizer);
  cfg.lr = Ser::variable(std::max(order, 1));
  nlohmann::ordered_json steps = nlohmann::ordered_json::array();
  run_sgd(*model, data, s.schedule, cfg, from_rational<Ser>(s.theta0), s.steps,
          [&](int t, const SgdState<Ser>& state) {
            auto coefficients = [&](int k) {
              nlohmann::ordered_json c = nlohmann::ordered_json::array();
              for (int n = 0; n <= order; ++n) c.push_back(to_text(state.theta[k][n]));
              return c;
            };
            // Built in place: a braced initializer list would deep-copy every coefficient.
            nlohmann::ordered_json step = nlohmann::ordered_json::object();
            step["t"] = t;
            step["params"] = params_json(model->layout(), coefficients);
            steps.push_back(std::move(step));
          });
  return {{"order", order}, {"arithmetic", ScalarKind<T>::name()}, {"steps", std::move(steps)}};
}

template <class T>
nlohmann::ordered_json modified_field_as(const Scenario& s, int order) {
  if (!s.schedule.is_full())
    throw scenario_error("optimizer.batches", "the modified field is that of full-batch GD; "
                                              "give \"batches\": \"full\" or \"kind\": \"gd\"");
  if (!(s.optimizer.momentum == 0) || s.optimizer.preconditioner)
    throw scenario_error("optimizer", "the modified field is that of plain GD (no momentum, no "
                                      "preconditioner)");
  const auto fields = gradient_descent_modified_field<T>(s.spec, s.data, s.theta0,
                                                         s.optimizer.weight_decay, order);
  const auto model = make_model<Rational>(s.spec);
  nlohmann::ordered_json field = nlohmann::ordered_json::array();
  for (int j = 0; j <= order; ++j)
    field.push_back({{"order", j},
                     {"params", params_json(model->layout(), [&](int k) { return to_text(fields[j][k]); })}});
  return {{"order", order}, {"arithmetic", ScalarKind<T>::name()}, {"field", std::move(field)}};
}

template <class Report>
nlohmann::ordered_json in_arithmetic(const Scenario& s, Report&& report) {
  switch (s.arithmetic.kind) {
    case Arithmetic::Kind::rational: return report(Rational());
    case Arithmetic::Kind::interval: {
      PrecisionScope precision(s.arithmetic.bits);
      return report(Interval());
    }
    default:
      throw scenario_error("arithmetic", "expansions are exact (rational) or certified (interval:BITS); \"" +
                                             s.arithmetic.text() + "\" would round coefficients");
  }
}

}  // namespace

nlohmann::ordered_json expansion_report(const Scenario& scenario, int order) {
  check_order(order);
  return in_arithmetic(scenario, [&](auto tag) {
    return expansion_as<decltype(tag)>(scenario, order);
  });
}

nlohmann::ordered_json modified_field_report(const Scenario& scenario, int order) {
  check_order(order);
  return in_arithmetic(scenario, [&](auto tag) {
    return modified_field_as<decltype(tag)>(scenario, order);
  });
}

}  // namespace entropic
