// entropic expand SCENARIO.json --order K [--modified-field] [--format text|json] [--output FILE]:
// exact eta-series of every iterate, or the coefficients f_1 .. f_{K+1} of GD's modified field at
// the start (docs/expansions.md).
//
// The report is written as the expansion is computed (io/expand.hpp: expansion_stream), never held
// as a JSON document besides its text: into the temporary file of --output directly, or into one
// string that goes to standard output once the whole expansion has succeeded (nothing is printed
// otherwise).
#include <memory>
#include <stdexcept>

#include "commands.hpp"
#include "entropic/io/expand.hpp"
#include "limits.hpp"
#include "output.hpp"

namespace entropic::cli {

namespace {

void append_json_string(std::string& out, const std::string& text) {
  out += nlohmann::json(text).dump();
}

// The report as text or as compact JSON (the bytes of nlohmann's dump() of expansion_report and
// modified_field_report), appended to `out` row by row as the expansion is computed.
class ReportText : public ExpansionSink {
 public:
  ReportText(bool json, bool field, std::string& out) : json_(json), field_(field), out_(out) {}

  void begin(const ExpansionHeader& header) override {
    layout_ = header.layout;
    if (json_) {
      out_ += "{\"order\":" + std::to_string(header.order) + ",\"arithmetic\":";
      append_json_string(out_, header.arithmetic);
      out_ += field_ ? ",\"field\":[" : ",\"steps\":[";
    } else {
      out_ += "order " + std::to_string(header.order) + ", arithmetic " + header.arithmetic + "\n";
    }
  }

  void row(const ExpansionRow& row) override {
    if (json_) return json_row(row);
    const std::string n = std::to_string(row.index);
    out_ += field_ ? "f_" + std::to_string(row.index + 1) + " (coefficient of eta^" + n + "):\n"
                   : "t = " + n + " (coefficients of eta^0, eta^1, ...):\n";
    // "  W1[0][1]: [c0, c1, ...]" (iterates) or "  W1[0][1]: c" (modified field).
    for (const Block& b : layout_.blocks())
      for (int i = 0; i < b.rows; ++i)
        for (int j = 0; j < b.cols; ++j) {
          const auto& cell = row.entries[static_cast<size_t>(b.offset + j * b.rows + i)];  // Layout::at
          out_ += "  " + b.name + "[" + std::to_string(i) + "][" + std::to_string(j) + "]: ";
          if (field_) {
            out_ += cell.front();
          } else {
            for (size_t c = 0; c < cell.size(); ++c) out_ += (c ? ", " : "[") + cell[c];
            out_ += "]";
          }
          out_ += "\n";
        }
  }

  void end() { out_ += json_ ? "]}\n" : ""; }

 private:
  void json_row(const ExpansionRow& row) {
    out_ += first_ ? "{" : ",{";
    first_ = false;
    out_ += field_ ? "\"order\":" : "\"t\":";
    out_ += std::to_string(row.index) + ",\"params\":{";
    for (int b = 0; b < layout_.count(); ++b) {
      if (b) out_ += ",";
      append_json_string(out_, layout_[b].name);
      out_ += ":[";
      for (int i = 0; i < layout_[b].rows; ++i) {
        out_ += i ? ",[" : "[";
        for (int j = 0; j < layout_[b].cols; ++j) {
          if (j) out_ += ",";
          const auto& cell = row.entries[static_cast<size_t>(layout_.at(b, i, j))];
          if (field_) {
            append_json_string(out_, cell.front());
            continue;
          }
          out_ += "[";
          for (size_t c = 0; c < cell.size(); ++c) {
            if (c) out_ += ",";
            append_json_string(out_, cell[c]);
          }
          out_ += "]";
        }
        out_ += "]";
      }
      out_ += "]";
    }
    out_ += "}}";
  }

  bool json_, field_;
  std::string& out_;
  Layout layout_;
  bool first_ = true;
};

// A ReportText that passes its text on to a Writer after every row (into --output).
class ReportToFile : public ExpansionSink {
 public:
  ReportToFile(bool json, bool field, Writer& out) : text_(json, field, buffer_), out_(out) {}
  void begin(const ExpansionHeader& header) override {
    text_.begin(header);
    pass();
  }
  void row(const ExpansionRow& row) override {
    text_.row(row);
    pass();
  }
  void end() {
    text_.end();
    pass();
  }

 private:
  void pass() {
    out_.write(buffer_);
    buffer_.clear();
  }
  std::string buffer_;
  ReportText text_;
  Writer& out_;
};

}  // namespace

static int expand_within(const ExpandArgs& args, const Budget& budget) {
  Scenario scenario;
  try {
    scenario = load_scenario(args.scenario);
  } catch (const scenario_error& e) {
    throw usage_error(e.what());
  }
  std::unique_ptr<OutputFile> file;  // refused before the run when it cannot be written (exit 2)
  if (!args.output.empty()) file = std::make_unique<OutputFile>(args.output);
  const bool json = args.format == "json";
  const auto run = [&](ExpansionSink& sink) {
    try {
      if (args.modified_field)
        modified_field_stream(scenario, args.order, sink, budget);
      else
        expansion_stream(scenario, args.order, sink, budget);
    } catch (const scenario_error& e) {
      throw usage_error(args.scenario + ": " + e.what());
    } catch (const budget_error& e) {
      throw usage_error(args.scenario + ": " + e.what());
    } catch (const std::bad_alloc&) {
      throw usage_error(args.scenario + ": " + out_of_memory_message(budget));
    } catch (const std::length_error& e) {
      // A size beyond what can be indexed or allocated: ours say which (a jet space), a container's
      // ("vector::_M_default_append") does not and is reported as the memory it could not have.
      const std::string what = e.what();
      const bool ours = what.find("::") == std::string::npos;
      throw usage_error(args.scenario + ": " + (ours ? what : out_of_memory_message(budget)));
    }
  };
  if (file) {
    ReportToFile sink(json, args.modified_field, file->writer());
    run(sink);
    sink.end();
    file->commit();
    return 0;
  }
  std::string text;
  ReportText sink(json, args.modified_field, text);
  run(sink);
  sink.end();
  return write_stdout([&](Writer& out) { out.write(text); }) ? 0 : 1;
}

int expand(const ExpandArgs& args) {
  return within_budget(args.max_memory, args.timeout, args.scenario,
                       [&](const Budget& budget) { return expand_within(args, budget); });
}

}  // namespace entropic::cli
