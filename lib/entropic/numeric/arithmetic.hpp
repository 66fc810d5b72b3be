// Arithmetic: which number system produced a value, as a typed value.
//
//   kind     rational | interval | real | floating (IEEE double)
//   bits     the binary precision in force (interval and real only)
//   over     the wrappers around the scalar, outermost first: truncated power series and dual numbers
//            (series<dual<rational>> is {series, dual}); empty for the scalar itself
//
// Its name is what reports print: "rational", "interval:257", "real:256", "double",
// "series<rational>", "dual<interval:128>". A scenario file names its arithmetic with parse()/text()
// (io/arithmetic.cpp); a verdict carries the arithmetic of what it compared (ScalarKind<S>).
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace entropic {

enum class Evidence { exact, certified, high_precision, floating };

inline const char* evidence_name(Evidence e) {
  switch (e) {
    case Evidence::exact: return "exact";
    case Evidence::certified: return "certified";
    case Evidence::high_precision: return "high-precision";
    case Evidence::floating: return "floating";
  }
  return "?";
}

struct Arithmetic {
  enum class Kind { rational, interval, real, floating };
  enum class Over { series, dual };
  Kind kind = Kind::rational;
  unsigned bits = 0;  // interval and real only
  std::vector<Over> over;

  static Arithmetic rational() { return Arithmetic{Kind::rational, 0, {}}; }
  static Arithmetic interval(unsigned bits) { return Arithmetic{Kind::interval, bits, {}}; }
  static Arithmetic real(unsigned bits) { return Arithmetic{Kind::real, bits, {}}; }
  static Arithmetic floating() { return Arithmetic{Kind::floating, 0, {}}; }
  // Power series (or dual numbers) whose coefficients are in this arithmetic.
  Arithmetic series() const { return wrapped(Over::series); }
  Arithmetic dual() const { return wrapped(Over::dual); }

  // What its values can prove: exact (rational), certified (interval), high precision, floating.
  Evidence evidence() const {
    switch (kind) {
      case Kind::rational: return Evidence::exact;
      case Kind::interval: return Evidence::certified;
      case Kind::real: return Evidence::high_precision;
      case Kind::floating: return Evidence::floating;
    }
    return Evidence::floating;
  }

  // Throws std::invalid_argument saying what is accepted (a scenario's scalar arithmetic).
  static Arithmetic parse(const std::string& text);
  // The scalar's text, which parse() reads back (with the requested bits).
  std::string text() const;
  // The report name, with the series and dual wrappers: "series<dual<rational>>".
  std::string name() const {
    std::string out = text();
    for (auto w = over.rbegin(); w != over.rend(); ++w) out = (*w == Over::series ? "series<" : "dual<") + out + ">";
    return out;
  }

  friend bool operator==(const Arithmetic& a, const Arithmetic& b) {
    return a.kind == b.kind && a.bits == b.bits && a.over == b.over;
  }
  friend bool operator!=(const Arithmetic& a, const Arithmetic& b) { return !(a == b); }

 private:
  Arithmetic wrapped(Over w) const {
    Arithmetic a = *this;
    a.over.insert(a.over.begin(), w);
    return a;
  }
};

// The arithmetics a result used, each once, in order of first use ("rational, interval:257").
class ArithmeticSet {
 public:
  ArithmeticSet() = default;
  ArithmeticSet(Arithmetic a) : list_{a} {}  // NOLINT: one arithmetic is a set of one
  ArithmeticSet(std::initializer_list<Arithmetic> as) {
    for (const Arithmetic& a : as) add(a);
  }

  void add(const Arithmetic& a) {
    for (const Arithmetic& b : list_)
      if (a == b) return;
    list_.push_back(a);
  }
  void add(const ArithmeticSet& more) {
    for (const Arithmetic& a : more.list_) add(a);
  }
  bool empty() const { return list_.empty(); }
  bool contains(const Arithmetic& a) const {
    for (const Arithmetic& b : list_)
      if (a == b) return true;
    return false;
  }
  const std::vector<Arithmetic>& list() const { return list_; }
  std::string name() const {
    std::string out;
    for (const Arithmetic& a : list_) out += (out.empty() ? "" : ", ") + a.name();
    return out;
  }
  friend bool operator==(const ArithmeticSet& a, const ArithmeticSet& b) { return a.list_ == b.list_; }

 private:
  std::vector<Arithmetic> list_;
};

}  // namespace entropic
