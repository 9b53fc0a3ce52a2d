// SPDX-License-Identifier: GPL-3.0-or-later
#include "reports/format.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace lbsim::reports::format {

namespace {

constexpr int kMaxDecimals = 4;

// The SI prefix that keeps `value` under 1000 of it.
struct Scaled {
  double value;
  const char* prefix;
};
Scaled si(double value) {
  static constexpr std::pair<double, const char*> kPrefixes[] = {{1e12, "T"}, {1e9, "G"}, {1e6, "M"}, {1e3, "k"}};
  for (const auto& [factor, prefix] : kPrefixes)
    if (std::abs(value) >= factor) return {value / factor, prefix};
  return {value, ""};
}

// U+2212 MINUS SIGN for negative changes: a hyphen is easy to miss in a table.
std::string with_sign(double value, const std::string& magnitude) {
  if (value == 0) return magnitude;  // "0 ms": no sign, still a unit
  return (value > 0 ? "+" : "\u2212") + magnitude;
}

}  // namespace

std::string significant(double value, int digits) {
  if (!std::isfinite(value)) return kNone;
  if (value == 0) return "0";
  const int magnitude = static_cast<int>(std::floor(std::log10(std::abs(value))));
  const int decimals = std::clamp(digits - 1 - magnitude, 0, kMaxDecimals);
  std::string text = fmt::format("{:.{}f}", value, decimals);
  if (text == "-0" || text.find_first_not_of("-0.") == std::string::npos) return "0";
  return text;
}

std::string milliseconds(double ms) { return significant(ms) + " ms"; }
std::string seconds(double s) { return significant(s) + " s"; }

std::string percent(double share) {
  const double p = 100 * share;
  if (p == 0) return "0 %";
  // One decimal reads well from 1 % up; below, two significant digits keep 0.052 % visible.
  return (std::abs(p) >= 1 ? fmt::format("{:.1f}", p) : significant(p, 2)) + " %";
}

std::string bytes(double b) {
  const Scaled s = si(b);
  return (*s.prefix == '\0' ? fmt::format("{:.0f}", s.value) : significant(s.value)) + " " + s.prefix + "B";
}

std::string rate(double per_second) {
  // Up to 9999/s the plain number reads best; beyond, SI keeps it to four digits.
  if (std::abs(per_second) < 1e4) return significant(per_second) + "/s";
  const Scaled s = si(per_second);
  return significant(s.value) + (*s.prefix == '\0' ? "" : " ") + s.prefix + "/s";
}

std::string count(std::uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += "\u202f";  // NARROW NO-BREAK SPACE: a number never wraps
    out += digits[i];
  }
  return out;
}

std::string milliseconds_change(double ms) { return with_sign(ms, milliseconds(std::abs(ms))); }
std::string bytes_change(double b) { return with_sign(b, bytes(std::abs(b))); }
std::string points_change(double share) { return with_sign(share, significant(100 * std::abs(share), 3) + " pp"); }

namespace {
bool is_share(std::string_view key) { return key == "error_rate" || key.ends_with("_util_max") || key.ends_with("utilization"); }
bool is_count(std::string_view key) { return key == "sent" || key == "completed" || key == "failed"; }
}  // namespace

std::string headline(std::string_view key, double value) {
  if (is_share(key)) return percent(value);
  if (is_count(key)) return count(static_cast<std::uint64_t>(std::llround(std::max(0.0, value))));
  if (key.ends_with("_ms")) return milliseconds(value);
  if (key.ends_with("_rps")) return rate(value);
  if (key == "slo_passed") return value != 0 ? "met" : "MISSED";
  return significant(value);
}

std::string headline_spread(std::string_view key, double half_width) {
  // Two digits: an interval's own width is known no better than that.
  if (is_share(key)) return " ±" + significant(100 * half_width, 2) + " pp";
  if (key.ends_with("_ms")) return " ±" + significant(half_width, 2) + " ms";
  return " ±" + significant(half_width, 2);
}

std::string seconds_or(const nlohmann::ordered_json& s, const char* absent) { return s.is_null() ? std::string(absent) : seconds(s.get<double>()); }

namespace {

// East Asian wide characters (Hangul, CJK, full-width forms) take two terminal columns.
bool wide(char32_t c) {
  return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF) || (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
         (c >= 0xFF00 && c <= 0xFF60) || (c >= 0xFFE0 && c <= 0xFFE6);
}

}  // namespace

std::size_t display_width(std::string_view s) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < s.size();) {
    const auto lead = static_cast<unsigned char>(s[i]);
    const std::size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    char32_t c = length == 1 ? lead : lead & (0xFF >> (length + 1));
    for (std::size_t k = 1; k < length && i + k < s.size(); ++k) c = (c << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    width += wide(c) ? 2 : 1;
    i += length;
  }
  return width;
}

std::string pad(std::string_view s, std::size_t width, bool right_aligned) {
  const std::size_t w = display_width(s);
  const std::string fill(w < width ? width - w : 0, ' ');
  return right_aligned ? fill + std::string(s) : std::string(s) + fill;
}

}  // namespace lbsim::reports::format
