// entropic simulate SCENARIO.json [--format text|json|jsonl|csv] [--every K | --last] [--output FILE]:
// the iterates theta_t of the scenario's run and their training loss, as exact text in the
// scenario's arithmetic (docs/scenario.md, docs/cli.md).
//
// The scenario is checked in full (and --output created) before anything is written. The run hands
// each iterate to a writer as it is computed (io/simulate.hpp: simulate_stream) and keeps none of
// them, so that memory does not grow with the number of steps:
//
//   jsonl, csv   streamed: a header, then one line per reported iterate as it is computed. A run
//                that stops ends standard output with an error line ({"error": ...}, or a row
//                `error,MESSAGE`) besides the message on standard error and exit 1.
//   json, text   documents, printed when the whole run has succeeded (nothing on standard output
//                otherwise). They are held in memory up to kDocumentBudget bytes; a longer one is
//                written by a second run of the scenario (deterministic: the same bytes), text
//                with the column widths the first run measured. JSON into --output is streamed
//                into the temporary file directly.
//
// --output FILE is written atomically (output.hpp): on any failure FILE is left as it was.
#include <algorithm>
#include <memory>

#include "commands.hpp"
#include "entropic/io/simulate.hpp"
#include "limits.hpp"
#include "output.hpp"

namespace entropic::cli {

namespace {

// A document longer than this is written by a second run rather than held.
constexpr size_t kDocumentBudget = size_t(16) << 20;

// A JSON string literal, as nlohmann::json::dump writes it.
void append_json_string(std::string& out, const std::string& text) {
  static const char hex[] = "0123456789abcdef";
  out += '"';
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += hex[c >> 4];
          out += hex[c & 15];
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

// {"t":0,"loss":"...","params":{"W1":[["...","..."],...],...}}: one step of --format json and
// jsonl, byte for byte nlohmann's dump() of step_json (io/simulate.hpp).
void append_step_json(std::string& out, const Layout& layout, const StepText& step) {
  out += "{\"t\":";
  out += std::to_string(step.t);
  out += ",\"loss\":";
  append_json_string(out, step.loss);
  out += ",\"params\":{";
  for (int b = 0; b < layout.count(); ++b) {
    if (b) out += ',';
    append_json_string(out, layout[b].name);
    out += ":[";
    for (int i = 0; i < layout[b].rows; ++i) {
      out += i ? ",[" : "[";
      for (int j = 0; j < layout[b].cols; ++j) {
        if (j) out += ',';
        append_json_string(out, step.entries[static_cast<size_t>(layout.at(b, i, j))]);
      }
      out += ']';
    }
    out += ']';
  }
  out += "}}";
}

// A CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break, quotes doubled.
void append_csv_field(std::string& out, const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) {
    out += text;
    return;
  }
  out += '"';
  for (const char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

// "[[a, b], [c, d]]": one block of one step in the text table.
std::string matrix_cell(const Layout& layout, int b, const StepText& step) {
  std::string out = "[";
  for (int i = 0; i < layout[b].rows; ++i) {
    out += i ? ", [" : "[";
    for (int j = 0; j < layout[b].cols; ++j) {
      if (j) out += ", ";
      out += step.entries[static_cast<size_t>(layout.at(b, i, j))];
    }
    out += "]";
  }
  return out + "]";
}

// ---- The streamed formats: a header, one line per step, an error line when the run stops. ----

class Stream : public StepSink {
 public:
  explicit Stream(Writer& out) : out_(out) {}
  bool begun() const { return begun_; }
  void begin(const RunHeader& header) override {
    begun_ = true;
    layout_ = header.layout;
    line_.clear();
    header_line(header);
    out_.write(line_);
  }
  void step(const StepText& step) override {
    line_.clear();
    step_line(step);
    out_.write(line_);
  }
  // The last line of an output whose run stopped.
  virtual void error(const std::string& message) = 0;

 protected:
  virtual void header_line(const RunHeader& header) = 0;
  virtual void step_line(const StepText& step) = 0;
  Writer& out_;
  Layout layout_;
  std::string line_;
  bool begun_ = false;
};

// jsonl: {"arithmetic":...,"steps":T,"every":K,"last_only":false,"params":[{"name":"W1","rows":3,"cols":2},...]}
// then one step_json per line; {"error":"..."} when the run stops.
class JsonLines : public Stream {
 public:
  JsonLines(Writer& out, const StepSelection& selection) : Stream(out), selection_(selection) {}
  void error(const std::string& message) override {
    out_.write(nlohmann::ordered_json{{"error", message}}.dump() + "\n");
  }

 private:
  void header_line(const RunHeader& header) override {
    nlohmann::ordered_json params = nlohmann::ordered_json::array();
    for (const Block& b : header.layout.blocks())
      params.push_back({{"name", b.name}, {"rows", b.rows}, {"cols", b.cols}});
    line_ = nlohmann::ordered_json{{"arithmetic", header.arithmetic},
                                   {"steps", header.steps},
                                   {"every", selection_.every},
                                   {"last_only", selection_.last_only},
                                   {"params", std::move(params)}}
                .dump() +
            "\n";
  }
  void step_line(const StepText& step) override {
    append_step_json(line_, layout_, step);
    line_ += '\n';
  }
  StepSelection selection_;
};

// csv: t,loss,W1[0][0],W1[0][1],...,W2[0][0],... (every entry, block by block, each row by row);
// a row `error,MESSAGE` when the run stops. The arithmetic is not in the file: it is the scenario's.
class Csv : public Stream {
 public:
  using Stream::Stream;
  void error(const std::string& message) override {
    std::string row = "error,";
    append_csv_field(row, message);
    out_.write(row + "\n");
  }

 private:
  void header_line(const RunHeader& header) override {
    line_ = "t,loss";
    for (const Block& b : header.layout.blocks())
      for (int i = 0; i < b.rows; ++i)
        for (int j = 0; j < b.cols; ++j) {
          line_ += ',';
          append_csv_field(line_, b.name + "[" + std::to_string(i) + "][" + std::to_string(j) + "]");
        }
    line_ += '\n';
  }
  void step_line(const StepText& step) override {
    line_ += std::to_string(step.t);
    line_ += ',';
    append_csv_field(line_, step.loss);
    for (int b = 0; b < layout_.count(); ++b)
      for (int i = 0; i < layout_[b].rows; ++i)
        for (int j = 0; j < layout_[b].cols; ++j) {
          line_ += ',';
          append_csv_field(line_, step.entries[static_cast<size_t>(layout_.at(b, i, j))]);
        }
    line_ += '\n';
  }
};

// ---- The documents. ----

// --format json, as it is written out: {"arithmetic": "...", "steps": [\n  STEP,\n  STEP\n]}\n
class JsonDocument : public StepSink {
 public:
  explicit JsonDocument(Writer& out) : out_(out) {}
  void begin(const RunHeader& header) override {
    layout_ = header.layout;
    std::string text = "{\"arithmetic\": ";
    append_json_string(text, header.arithmetic);
    out_.write(text + ", \"steps\": [\n");
  }
  void step(const StepText& step) override {
    line_ = first_ ? "  " : ",\n  ";
    first_ = false;
    append_step_json(line_, layout_, step);
    out_.write(line_);
  }
  void end() { out_.write("\n]}\n"); }

 private:
  Writer& out_;
  Layout layout_;
  std::string line_;
  bool first_ = true;
};

// A JSON document held until the run has succeeded, while it fits the budget; past it only the run
// is followed (no values formatted), and the document is written by a second run.
class HeldJson : public StepSink {
 public:
  void begin(const RunHeader& header) override {
    layout_ = header.layout;
    text_ = "{\"arithmetic\": ";
    append_json_string(text_, header.arithmetic);
    text_ += ", \"steps\": [\n";
  }
  void step(const StepText& step) override {
    if (over_) return;
    if (!first_) text_ += ",\n";
    first_ = false;
    text_ += "  ";
    append_step_json(text_, layout_, step);
    if (text_.size() > kDocumentBudget) {
      over_ = true;
      std::string().swap(text_);
    }
  }
  bool wants_text() const override { return !over_; }
  bool over() const { return over_; }
  const std::string& text() { return text_ += "\n]}\n"; }

 private:
  Layout layout_;
  std::string text_;
  bool first_ = true, over_ = false;
};

// The text table: t, loss, then one column per parameter block. Columns are aligned up to
// kAlignedWidth characters; a longer value (exact rationals grow fast) just pushes the rest of its
// row right. The widths are those of the whole run, so the table is written once it is known.
constexpr size_t kAlignedWidth = 40;

class Table : public StepSink {
 public:
  void begin(const RunHeader& header) override {
    layout_ = header.layout;
    arithmetic_ = header.arithmetic;
    std::vector<std::string> names{"t", "loss"};
    for (const Block& b : header.layout.blocks()) names.push_back(b.name);
    width_.assign(names.size(), 0);
    add(std::move(names));
  }
  void step(const StepText& step) override {
    std::vector<std::string> row{std::to_string(step.t), step.loss};
    for (int b = 0; b < layout_.count(); ++b) row.push_back(matrix_cell(layout_, b, step));
    add(std::move(row));
  }
  bool over() const { return over_; }

  // Writes the table: the rows held, or (over the budget) the header alone; the caller then sends
  // the rows of a second run through line().
  void write_head(Writer& out) const {
    out.write("arithmetic: " + arithmetic_ + "\n");
    for (const auto& row : rows_) out.write(line(row));
  }
  std::string line(const std::vector<std::string>& row) const {
    std::string out;
    for (size_t c = 0; c < row.size(); ++c) {
      const std::string pad(width_[c] - std::min(width_[c], row[c].size()), ' ');
      if (c) out += "  ";
      out += c == 0 ? pad + row[c] : row[c] + pad;
    }
    out.erase(out.find_last_not_of(' ') + 1);
    return out + "\n";
  }
  const Layout& layout() const { return layout_; }

 private:
  void add(std::vector<std::string> row) {
    for (size_t c = 0; c < row.size(); ++c) width_[c] = std::max(width_[c], std::min(row[c].size(), kAlignedWidth));
    if (over_) return;
    // What the row costs: its vector, each string, and the heap block of a string too long to be
    // stored in place (about 15 characters), each with the allocator's own few words.
    held_ += sizeof(row) + 16;
    for (const std::string& cell : row) held_ += sizeof(std::string) + (cell.size() > 15 ? cell.size() + 17 : 0);
    if (rows_.size() > 1 && held_ > kDocumentBudget) {  // keep the header row
      over_ = true;
      rows_.resize(1);
      rows_.shrink_to_fit();
      return;
    }
    rows_.push_back(std::move(row));
  }

  Layout layout_;
  std::string arithmetic_;
  std::vector<size_t> width_;
  std::vector<std::vector<std::string>> rows_;
  size_t held_ = 0;
  bool over_ = false;
};

// The second run of a table too long to hold: every row, at the widths of the first run.
class TableRows : public StepSink {
 public:
  TableRows(const Table& table, Writer& out) : table_(table), out_(out) {}
  void begin(const RunHeader&) override {}
  void step(const StepText& step) override {
    std::vector<std::string> row{std::to_string(step.t), step.loss};
    for (int b = 0; b < table_.layout().count(); ++b) row.push_back(matrix_cell(table_.layout(), b, step));
    out_.write(table_.line(row));
  }

 private:
  const Table& table_;
  Writer& out_;
};

// ---- Running. ----

struct Run {
  const Scenario& scenario;
  const std::string& path;
  StepSelection selection;
  Budget budget;

  // The run into `sink`; an input that does not fit the arithmetic, a request beyond the budget
  // and a run stopped at it are bad input (exit 2).
  void into(StepSink& sink) const {
    try {
      simulate_stream(scenario, selection, sink, budget);
    } catch (const scenario_error& e) {
      throw usage_error(path + ": " + e.what());
    } catch (const budget_error& e) {
      throw usage_error(path + ": " + e.what());
    } catch (const std::bad_alloc&) {
      throw usage_error(path + ": " + out_of_memory_message(budget));
    }
  }
};

// jsonl or csv, as the run goes. On standard output a run that stops gets its error line; into a
// file it leaves nothing (the temporary file is removed, the target untouched).
int stream(const Run& run, const SimulateArgs& args, OutputFile* file) {
  const auto make = [&](Writer& out) -> std::unique_ptr<Stream> {
    if (args.format == "jsonl") return std::make_unique<JsonLines>(out, run.selection);
    return std::make_unique<Csv>(out);
  };
  if (file) {
    const auto sink = make(file->writer());
    run.into(*sink);
    file->commit();
    return 0;
  }
  std::string stopped, refused;  // the error, rethrown once standard output is finished
  const bool written = write_stdout([&](Writer& out) {
    out.flush_every(std::chrono::milliseconds(200));  // a reader sees a slow run as it goes
    const auto sink = make(out);
    try {
      run.into(*sink);
    } catch (const run_error& e) {
      stopped = e.what();
      if (sink->begun()) sink->error(stopped);
    } catch (const usage_error& e) {  // a run stopped at the budget
      refused = e.what();
      if (sink->begun()) sink->error(refused);
    }
  });
  if (!stopped.empty()) throw run_error(stopped);
  if (!refused.empty()) throw usage_error(refused);
  return written ? 0 : 1;
}

// Writes a finished document to standard output or the file; 1 when standard output failed.
template <class Fill>
int deliver(OutputFile* file, Fill&& fill) {
  if (file) {
    fill(file->writer());
    file->commit();
    return 0;
  }
  return write_stdout(fill) ? 0 : 1;
}

int json(const Run& run, OutputFile* file) {
  if (file) {  // the temporary file is the buffer: one run, streamed into it
    JsonDocument document(file->writer());
    run.into(document);
    document.end();
    file->commit();
    return 0;
  }
  HeldJson held;
  run.into(held);
  if (!held.over()) return deliver(nullptr, [&](Writer& out) { out.write(held.text()); });
  return deliver(nullptr, [&](Writer& out) {  // a second run, written as it goes
    JsonDocument document(out);
    run.into(document);
    document.end();
  });
}

int table(const Run& run, OutputFile* file) {
  Table table;
  run.into(table);
  return deliver(file, [&](Writer& out) {
    table.write_head(out);
    if (!table.over()) return;
    TableRows rows(table, out);
    run.into(rows);
  });
}

int simulate_within(const SimulateArgs& args, const Budget& budget) {
  Scenario scenario;
  try {
    scenario = load_scenario(args.scenario);  // messages start with the path
  } catch (const scenario_error& e) {
    throw usage_error(e.what());
  }
  if (args.every < 1) throw usage_error("--every: must be at least 1");
  // Created before the run, so that an output that cannot be written is refused first (exit 2);
  // removed by its destructor on every path that does not commit it.
  std::unique_ptr<OutputFile> file;
  if (!args.output.empty()) file = std::make_unique<OutputFile>(args.output);
  const Run run{scenario, args.scenario, StepSelection{args.every, args.last}, budget};
  if (args.format == "jsonl" || args.format == "csv") return stream(run, args, file.get());
  if (args.format == "json") return json(run, file.get());
  return table(run, file.get());
}

}  // namespace

int simulate(const SimulateArgs& args) {
  return within_budget(args.max_memory, args.timeout, args.scenario,
                       [&](const Budget& budget) { return simulate_within(args, budget); });
}

}  // namespace entropic::cli
