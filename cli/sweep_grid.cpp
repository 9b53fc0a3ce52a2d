// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/sweep_grid.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <optional>

#include "config/loader.hpp"

namespace lbsim::cli {
namespace {

constexpr std::size_t kMaxPoints = kMaxSweepPoints;

// Bad input: one line, "SOURCE: error: MESSAGE", and exit 2 (main reports a ConfigError).
[[noreturn]] void bad_input(const std::string& source, const std::string& message) {
  throw config::ConfigError({{source, 0, 0, message}});
}

// A number as written, with its unit: "10000/s" is 10000, no decimals, unit "/s".
struct Quantity {
  double number = 0;
  int decimals = 0;
  std::string unit;
};

std::optional<Quantity> parse_quantity(std::string_view text) {
  std::size_t at = text.size() > 0 && text[0] == '-' ? 1 : 0;
  const std::size_t digits_start = at;
  while (at < text.size() && (std::isdigit(static_cast<unsigned char>(text[at])) || text[at] == '.')) ++at;
  const std::string_view number = text.substr(0, at);
  if (at == digits_start || std::count(number.begin(), number.end(), '.') > 1) return std::nullopt;
  Quantity q;
  const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), q.number, std::chars_format::fixed);
  if (error != std::errc() || end != number.data() + number.size()) return std::nullopt;
  const std::size_t point = number.find('.');
  q.decimals = point == std::string_view::npos ? 0 : static_cast<int>(number.size() - point - 1);
  q.unit = std::string(text.substr(at));
  return q;
}

// With as many decimals as the range was written with, and no trailing zeros.
std::string number_text(double value, int decimals) {
  std::string text = fmt::format("{:.{}f}", value, decimals);
  if (text.find('.') != std::string::npos) {
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
  }
  return text == "-0" ? "0" : text;
}

// `a..b` or `a..b:step` (`rest` is what follows the "..", `from` what precedes it): the
// values, each with the range's unit.
std::vector<std::string> numeric_range(const std::string& option, const Quantity& from, std::string_view rest) {
  const std::size_t colon = rest.find(':');
  const auto to = parse_quantity(rest.substr(0, colon));
  const auto step = colon == std::string_view::npos ? std::optional<Quantity>(Quantity{1, 0, from.unit})
                                                    : parse_quantity(rest.substr(colon + 1));
  if (!to || !step)
    bad_input(option, "expected a range a..b (integers), a..b:step, or a list a,b,c");
  // A step may leave out the unit; any unit written must be the range's.
  if (to->unit != from.unit || (!step->unit.empty() && step->unit != from.unit))
    bad_input(option, "the unit must be the same on each end and the step ('" + from.unit + "', '" + to->unit + "', '" + step->unit + "')");
  if (colon == std::string_view::npos && (from.decimals > 0 || to->decimals > 0))
    bad_input(option, "a..b without a step takes integers; give a step (a..b:step)");
  if (step->number <= 0) bad_input(option, "the step must be above 0");
  if (to->number < from.number) bad_input(option, "the range is empty: it ends below its start");
  // The end is included when the steps land on it, up to rounding (0.1 is not exact).
  const double count = std::floor((to->number - from.number) / step->number + 1e-6) + 1;
  if (count > static_cast<double>(kMaxPoints))
    bad_input(option, fmt::format("{:.0f} values; a sweep runs at most {} points", count, kMaxPoints));
  const int decimals = std::max({from.decimals, to->decimals, step->decimals});
  std::vector<std::string> values;
  for (std::size_t i = 0; i < static_cast<std::size_t>(count); ++i)
    values.push_back(number_text(from.number + static_cast<double>(i) * step->number, decimals) + from.unit);
  return values;
}

// Splits at the commas outside brackets, braces and quotes, so that an item may be a flow
// mapping or list (`{ cores: 4, per_request: 50us }`); items are trimmed.
std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> items{""};
  int depth = 0;
  char quote = 0;
  for (char c : text) {
    if (quote != 0) quote = c == quote ? 0 : quote;
    else if (c == '"' || c == '\'') quote = c;
    else if (c == '[' || c == '{') ++depth;
    else if (c == ']' || c == '}') --depth;
    if (c == ',' && depth == 0 && quote == 0) items.emplace_back();
    else items.back() += c;
  }
  for (auto& item : items) {
    const auto first = item.find_first_not_of(' ');
    item = first == std::string::npos ? "" : item.substr(first, item.find_last_not_of(' ') - first + 1);
  }
  return items;
}

}  // namespace

// A range's values: a list, a numeric range (a number, then ".."), or one value.
std::vector<std::string> values_of(const std::string& option, std::string_view range) {
  if (range.empty()) bad_input(option, "expected a range after '=': a..b (integers), a..b:step, or a list a,b,c");
  const auto items = split_list(range);
  if (items.size() > 1) {
    if (std::any_of(items.begin(), items.end(), [](const std::string& v) { return v.empty(); }))
      bad_input(option, "an empty value in the list");
    return items;
  }
  const std::size_t dots = range.find("..");
  if (dots == std::string_view::npos) return items;
  const auto from = parse_quantity(range.substr(0, dots));
  return from ? numeric_range(option, *from, range.substr(dots + 2)) : items;
}

namespace {

// "clients[0].arrival.rate" -> "rate"
std::string last_key(const std::string& path) {
  const std::size_t dot = path.rfind('.');
  return dot == std::string::npos ? path : path.substr(dot + 1);
}

// Two paths ending in the same key (two populations' rates) are named in full.
void label_axes(std::vector<Axis>& axes) {
  for (auto& axis : axes) {
    const auto same_label = [&](const Axis& other) { return last_key(other.path) == last_key(axis.path); };
    axis.label = std::count_if(axes.begin(), axes.end(), same_label) > 1 ? axis.path : last_key(axis.path);
  }
}

}  // namespace

std::vector<Axis> read_axes(const std::vector<std::string>& options) {
  std::vector<Axis> axes;
  for (const auto& option : options) {
    const std::size_t equals = option.find('=');
    if (equals == std::string::npos) bad_input("--set " + option, "expected PATH=RANGE, such as l7.nodes_per_zone=1..4");
    Axis axis{option.substr(0, equals), values_of("--set " + option, option.substr(equals + 1)), ""};
    // Every point runs with the same seed and duration, so they cannot be swept.
    if (axis.path == "seed" || axis.path == "duration")
      bad_input("--set " + option, "every point runs with the same " + axis.path + ": give it with --" + axis.path);
    for (const auto& other : axes)
      if (other.path == axis.path) bad_input("--set " + option, "'" + axis.path + "' is swept twice");
    axes.push_back(std::move(axis));
  }
  label_axes(axes);
  return axes;
}

std::vector<std::string> take_fixed_sets(std::vector<Axis>& axes) {
  std::vector<std::string> fixed;
  for (const auto& axis : axes)
    if (axis.values.size() == 1) fixed.push_back(axis.path + "=" + axis.values.front());
  std::erase_if(axes, [](const Axis& axis) { return axis.values.size() == 1; });
  if (axes.empty())
    bad_input("lbsim", "sweep: expected a --set PATH=RANGE with two or more values (a..b, a..b:step or a,b); "
                       "with one value each, run it: lbsim run FILE --set PATH=VALUE");
  label_axes(axes);
  return fixed;
}

std::string grid_shape(const std::vector<Axis>& axes) {
  std::string shape;
  for (const auto& axis : axes) shape += (shape.empty() ? "" : " x ") + std::to_string(axis.values.size());
  return shape;
}

// Capped on the way: no overflow.
std::size_t grid_size(const std::vector<Axis>& axes) {
  std::size_t points = 1;
  for (const auto& axis : axes) points = std::min(points * axis.values.size(), kMaxPoints + 1);
  if (points > kMaxPoints)
    bad_input("lbsim", fmt::format("the grid ({}) has more than {} points, the most a sweep runs", grid_shape(axes), kMaxPoints));
  return points;
}

std::string file_safe(const std::string& text) {
  std::string safe;
  for (char c : text) {
    const bool kept = std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-';
    if (kept) safe += c;
    else if (!safe.empty() && safe.back() != '_') safe += '_';
  }
  while (!safe.empty() && safe.back() == '_') safe.pop_back();
  return safe.empty() ? "_" : safe;
}

}  // namespace lbsim::cli
