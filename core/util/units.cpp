// SPDX-License-Identifier: GPL-3.0-or-later
#include "util/units.hpp"

#include <charconv>
#include <cmath>
#include <initializer_list>
#include <string>
#include <utility>

namespace lbsim::units {
namespace {

struct Unit {
  std::string_view suffix;
  double factor;
};

// Splits "12.5ms" into 12.5 and "ms". The number must be finite and non-negative.
std::optional<std::pair<double, std::string_view>> split_number(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end == text.data() || !std::isfinite(value) || value < 0) return std::nullopt;
  std::string_view rest(end, text.data() + text.size() - end);
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  return std::pair{value, rest};
}

std::optional<double> parse_with(std::string_view text, std::initializer_list<Unit> table) {
  const auto parts = split_number(text);
  if (!parts) return std::nullopt;
  for (const auto& unit : table) {
    if (parts->second == unit.suffix) return parts->first * unit.factor;
  }
  return std::nullopt;
}

// The shortest form of `value` in the largest unit (of those listed, largest first) in
// which it is a whole number of thousandths; the smallest unit otherwise.
std::string format_with(double value, std::initializer_list<Unit> largest_first) {
  const Unit* chosen = nullptr;
  for (const auto& unit : largest_first) {
    chosen = &unit;
    const double scaled = value / unit.factor;
    const double thousandths = scaled * 1000;
    if (scaled >= 1 && std::abs(thousandths - std::round(thousandths)) < 1e-9 * thousandths) break;
  }
  char buffer[32];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, std::round(value / chosen->factor * 1000) / 1000);
  return std::string(buffer, ec == std::errc{} ? end : buffer) + std::string(chosen->suffix);
}

}  // namespace

std::string format_duration(double seconds) {
  if (seconds == 0) return "0s";
  return format_with(seconds, {{"h", 3600.0}, {"s", 1.0}, {"ms", 1e-3}, {"us", 1e-6}, {"ns", 1e-9}});
}

std::string format_bandwidth(double bytes_per_second) {
  return format_with(bytes_per_second, {{"Tbps", 1e12 / 8}, {"Gbps", 1e9 / 8}, {"Mbps", 1e6 / 8}, {"Kbps", 1e3 / 8}, {"bps", 1.0 / 8}});
}

std::string format_size(double bytes) {
  if (bytes == 0) return "0B";
  return format_with(bytes, {{"GB", 1e9}, {"MB", 1e6}, {"KB", 1e3}, {"B", 1.0}});
}

std::string format_rate(double per_second) { return format_with(per_second, {{"/s", 1.0}, {"/min", 1.0 / 60}, {"/h", 1.0 / 3600}}); }

std::optional<double> parse_duration(std::string_view text) {
  if (const auto parts = split_number(text); parts && parts->first == 0 && parts->second.empty()) return 0.0;
  return parse_with(text, {{"ns", 1e-9}, {"us", 1e-6}, {"ms", 1e-3}, {"s", 1.0}, {"m", 60.0}, {"min", 60.0}, {"h", 3600.0}});
}

std::optional<double> parse_bandwidth(std::string_view text) {
  return parse_with(text, {{"bps", 1.0 / 8},
                           {"Kbps", 1e3 / 8},
                           {"Mbps", 1e6 / 8},
                           {"Gbps", 1e9 / 8},
                           {"Tbps", 1e12 / 8},
                           {"Bps", 1.0},
                           {"KBps", 1e3},
                           {"MBps", 1e6},
                           {"GBps", 1e9}});
}

std::optional<double> parse_size(std::string_view text) {
  return parse_with(text, {{"B", 1.0},
                           {"KB", 1e3},
                           {"MB", 1e6},
                           {"GB", 1e9},
                           {"TB", 1e12},
                           {"KiB", 1024.0},
                           {"MiB", 1024.0 * 1024},
                           {"GiB", 1024.0 * 1024 * 1024},
                           {"TiB", 1024.0 * 1024 * 1024 * 1024}});
}

std::optional<double> parse_rate(std::string_view text) {
  return parse_with(text, {{"/s", 1.0}, {"/ms", 1e3}, {"/us", 1e6}, {"/min", 1.0 / 60}, {"/h", 1.0 / 3600}});
}

}  // namespace lbsim::units
