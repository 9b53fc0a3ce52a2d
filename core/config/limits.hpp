// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The largest value each kind of quantity in a scenario (or on the command line) may take.
// Far beyond any real layout, small enough that no product of them overflows a double's
// useful range or asks SimGrid to simulate up to infinity: a value beyond is refused at
// load with the bound in the message, so no inf or NaN ever reaches the engine.
// docs/SCENARIOS.md's "Limits" lists them.
#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>

#include "util/units.hpp"

namespace lbsim::config::limits {

inline constexpr double kMaxDurationSeconds = 1e6;  // about 11.6 days of simulated time
inline constexpr double kMaxRatePerSecond = 1e7;    // ten million requests a second
inline constexpr double kMaxSizeBytes = 1e12;       // 1 TB
inline constexpr double kMaxBandwidthBps = 1.25e14; // 1 Pbps, in bytes per second
inline constexpr double kMaxFactor = 1000;          // traffic surges and slowdowns

namespace detail {
inline std::optional<double> at_most(std::optional<double> value, double max) {
  if (!value || !(*value <= max)) return std::nullopt;  // (NaN fails the comparison too)
  return value;
}
}  // namespace detail

inline std::optional<double> parse_duration(std::string_view text) {
  return detail::at_most(units::parse_duration(text), kMaxDurationSeconds);
}
inline std::optional<double> parse_rate(std::string_view text) { return detail::at_most(units::parse_rate(text), kMaxRatePerSecond); }
inline std::optional<double> parse_size(std::string_view text) { return detail::at_most(units::parse_size(text), kMaxSizeBytes); }
inline std::optional<double> parse_bandwidth(std::string_view text) {
  return detail::at_most(units::parse_bandwidth(text), kMaxBandwidthBps);
}

// An integer key as a file, a --set and a command-line option (--seed) all read it: plain
// decimal digits from `min` to `max`; no sign, no hex, no exponent, no wrap-around.
inline std::optional<std::uint64_t> parse_integer(std::string_view text, std::uint64_t min, std::uint64_t max) {
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value < min || value > max) return std::nullopt;
  return value;
}

}  // namespace lbsim::config::limits
