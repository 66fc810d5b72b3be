// An instance prints itself, exactly: a member `std::string show() const`, a `to_text(x)` found by
// argument-dependent lookup, or an operator<<. The runner prints counterexamples with show_instance;
// RapidCheck prints values with operator<<, which is given here for every entropic type with show()
// (so an RC_GTEST_PROP failure shows the instance, not `<???>`).
#pragma once

#include <rapidcheck.h>

#include <ostream>
#include <sstream>
#include <string>
#include <type_traits>
#include <utility>

namespace entropic {

namespace detail {
template <class T, class = void>
struct has_show_member : std::false_type {};
template <class T>
struct has_show_member<T, std::void_t<decltype(std::declval<const T&>().show())>> : std::true_type {};
template <class T, class = void>
struct has_to_text : std::false_type {};
template <class T>
struct has_to_text<T, std::void_t<decltype(to_text(std::declval<const T&>()))>> : std::true_type {};
template <class T, class = void>
struct has_stream : std::false_type {};
template <class T>
struct has_stream<T, std::void_t<decltype(std::declval<std::ostream&>() << std::declval<const T&>())>>
    : std::true_type {};
template <class>
inline constexpr bool always_false = false;
}  // namespace detail

template <class T, std::enable_if_t<detail::has_show_member<T>::value, int> = 0>
std::ostream& operator<<(std::ostream& os, const T& x) {
  return os << x.show();
}

template <class T>
std::string show_instance(const T& x) {
  if constexpr (detail::has_show_member<T>::value) {
    return x.show();
  } else if constexpr (detail::has_to_text<T>::value) {
    return to_text(x);
  } else if constexpr (detail::has_stream<T>::value) {
    std::ostringstream os;
    os << x;
    return os.str();
  } else {
    static_assert(detail::always_false<T>,
                  "an instance type must print itself: give it `std::string show() const`");
    return {};
  }
}

namespace gen {
using entropic::operator<<;  // instance types of the generators print too
}  // namespace gen

// The scenario file of an instance that is a training run (a member `std::string scenario_json()
// const`, e.g. TrainingRun), else empty: `verify --counterexamples DIR` writes it, so that
// `simulate` and `expand` run the counterexample.
template <class T, class = void>
struct has_scenario_json : std::false_type {};
template <class T>
struct has_scenario_json<T, std::void_t<decltype(std::declval<const T&>().scenario_json())>> : std::true_type {};

template <class T>
std::string scenario_of_instance(const T& x) {
  if constexpr (has_scenario_json<T>::value)
    return x.scenario_json();
  else
    return {};
}

}  // namespace entropic

// RapidCheck prints a value with showValue (found by argument-dependent lookup) or operator<<, and
// `<???>` otherwise. Types with a show() member in any namespace (a user's instance types, anonymous
// namespaces) have neither: this specialisation of RapidCheck's fallback prints them with show().
// (RapidCheck 2023's rc::detail::ShowDefault<T, has showValue, has operator<<>.)
namespace rc::detail {
template <class T>
struct ShowDefault<T, false, false> {
  static void show(const T& value, std::ostream& os) {
    if constexpr (entropic::detail::has_show_member<T>::value)
      os << value.show();
    else
      os << "<\?\?\?>";  // RapidCheck's own text for a value it cannot print
  }
};
}  // namespace rc::detail
