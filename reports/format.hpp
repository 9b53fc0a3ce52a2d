// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// How every figure is written for a person: the terminal, report.html, the comparison and
// the sweep all go through here, so a latency, a share or a byte count reads the same
// everywhere. Rules: a unit on every value, SI prefixes for large quantities, 4
// significant digits (never more than 4 decimals), shares as percentages, "–" for a
// figure that does not exist and "never" for an event that did not happen.
// Machine-readable outputs (summary.json, CSV) keep full precision and do not use this.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace lbsim::reports::format {

inline constexpr const char* kNone = "–";    // no such figure (no requests, no verdict)
inline constexpr const char* kNever = "never";  // an event that did not happen within the run

// `value` to `digits` significant digits, without an exponent: 146.276 -> "146.3",
// 0.041234 -> "0.04123", 123456 -> "123456" (integers are never rounded away).
std::string significant(double value, int digits = 4);

std::string milliseconds(double ms);  // "146.3 ms"
std::string seconds(double s);        // "20.17 s"
std::string percent(double share);    // 0.670519 -> "67.1 %", 0.00052 -> "0.052 %", 0 -> "0 %"
std::string bytes(double bytes);      // 3346114173 -> "3.346 GB" (SI, powers of 1000)
std::string rate(double per_second);  // 39871.2 -> "39.87 k/s"
std::string count(std::uint64_t n);   // 3346114 -> "3 346 114" (groups of three, narrow no-break spaces)

// Signed changes, named as such: "+1.049 ms", "−5.583 GB", "+2.1 pp" (percentage points).
std::string milliseconds_change(double ms);
std::string bytes_change(double bytes);
std::string points_change(double share);

// A headline figure by its key in sweep.json and summary.json's `replications`
// (reports/sweep.hpp's keys: "sent", "error_rate", "throughput_rps", "p99_ms",
// "backend_util_max", "slo_passed", ...), in that figure's unit.
std::string headline(std::string_view key, double value);
// A half-width of a 95 % interval of that figure: " ±0.376 ms", " ±0.12 pp".
std::string headline_spread(std::string_view key, double half_width);

// Terminal columns for UTF-8 text: East Asian wide characters (Hangul, CJK) take two, so a
// Korean table lines up only when padded by this width, not by bytes.
std::size_t display_width(std::string_view s);
std::string pad(std::string_view s, std::size_t width, bool right_aligned = false);

// A time from summary.json that may be null, or what to print in its place.
std::string seconds_or(const nlohmann::ordered_json& s, const char* absent = kNone);

}  // namespace lbsim::reports::format
