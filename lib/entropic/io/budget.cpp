#include "entropic/io/budget.hpp"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <limits>

namespace entropic {

namespace {

std::string fixed(double x, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, x);
  return buffer;
}

// 3 significant digits: "4.00", "812", "3.10e+21".
std::string significant(double x) {
  char buffer[64];
  if (x >= 1e6) std::snprintf(buffer, sizeof buffer, "%.2e", x);
  else if (x >= 100) std::snprintf(buffer, sizeof buffer, "%.0f", x);
  else if (x >= 10) std::snprintf(buffer, sizeof buffer, "%.1f", x);
  else std::snprintf(buffer, sizeof buffer, "%.2f", x);
  return buffer;
}

// The number and its unit suffix of "1.5G", "90s": the number must be a plain decimal.
std::pair<double, std::string> number_and_unit(const std::string& text, const char* what) {
  std::size_t end = 0;
  while (end < text.size() && (std::isdigit(static_cast<unsigned char>(text[end])) || text[end] == '.')) ++end;
  const std::string number = text.substr(0, end);
  if (number.empty() || number.front() == '.' || number.back() == '.' ||
      number.find('.') != number.rfind('.'))
    throw std::invalid_argument(std::string("expected ") + what + ", got \"" + one_line_message(text.substr(0, 40)) + "\"");
  return {std::stod(number), text.substr(end)};
}

}  // namespace

std::string bytes_text(double bytes) {
  if (!(bytes < std::numeric_limits<double>::max())) return "more than 1e308 bytes";
  if (bytes >= 1024.0 * 1024 * 1024 * 1024 * 1024) return significant(bytes) + " bytes";
  static const char* const units[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
  int u = 0;
  double x = bytes;
  while (u < 4 && x >= 1024) {
    x /= 1024;
    ++u;
  }
  if (u == 0) return fixed(x, 0) + " bytes";
  return significant(x) + " " + units[u];
}

std::string seconds_text(double seconds) {
  if (!(seconds < std::numeric_limits<double>::max())) return "more than 1e308 s";
  if (seconds < 1e-6) return "less than a microsecond";
  if (seconds < 0.01) return significant(seconds * 1e3) + " ms";
  if (seconds < 60) return significant(seconds) + " s";
  if (seconds < 3600) return significant(seconds / 60) + " min";
  if (seconds < 86400 * 2) return significant(seconds / 3600) + " h";
  if (seconds < 86400 * 365.25 * 2) return significant(seconds / 86400) + " days";
  return significant(seconds / (86400 * 365.25)) + " years";
}

std::string Budget::memory_text() const {
  return limits_memory() ? "--max-memory " + bytes_text(static_cast<double>(memory_bytes)) : "no memory limit";
}

std::string Budget::time_text() const {
  return limits_time() ? "--timeout " + seconds_text(seconds) : "no time limit";
}

std::uint64_t parse_memory(const std::string& text) {
  const auto [number, unit] = number_and_unit(text, "a size such as 4G, 512M or 0 (no limit)");
  double scale = 1;
  if (unit == "K" || unit == "KiB") scale = 1024.0;
  else if (unit == "M" || unit == "MiB") scale = 1024.0 * 1024;
  else if (unit == "G" || unit == "GiB") scale = 1024.0 * 1024 * 1024;
  else if (unit == "T" || unit == "TiB") scale = 1024.0 * 1024 * 1024 * 1024;
  else if (!unit.empty())
    throw std::invalid_argument("unknown unit \"" + one_line_message(unit.substr(0, 20)) +
                                "\" (use K, M, G or T: powers of 1024 bytes)");
  const double bytes = number * scale;
  if (bytes > 1024.0 * 1024 * 1024 * 1024 * 1024) throw std::invalid_argument("more than 1024 TiB");
  if (bytes != 0 && bytes < 16.0 * 1024 * 1024) throw std::invalid_argument("less than 16 MiB, which no run fits in");
  return static_cast<std::uint64_t>(bytes);
}

double parse_duration(const std::string& text) {
  const auto [number, unit] = number_and_unit(text, "a duration such as 90, 90s, 5m, 2h or 0 (no limit)");
  double scale = 1;
  if (unit.empty() || unit == "s") scale = 1;
  else if (unit == "m" || unit == "min") scale = 60;
  else if (unit == "h") scale = 3600;
  else
    throw std::invalid_argument("unknown unit \"" + one_line_message(unit.substr(0, 20)) + "\" (use s, m or h)");
  const double seconds = number * scale;
  if (seconds > 366.0 * 86400) throw std::invalid_argument("more than a year");
  if (seconds != 0 && seconds < 0.01) throw std::invalid_argument("less than 0.01 s");
  return seconds;
}

std::string deadline_message(const std::string& where) {
  return where + ": stopped at the time limit, " + Deadline::limit() + " (raise it with --timeout, 0 for none)";
}

}  // namespace entropic
