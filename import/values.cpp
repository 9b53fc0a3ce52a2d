// SPDX-License-Identifier: GPL-3.0-or-later
#include "import/values.hpp"

#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <cmath>

namespace lbsim::importing {

std::string group_name(std::string_view name) {
  std::string out;
  for (char c : name) out += std::isalnum(static_cast<unsigned char>(c)) || c == '_' ? static_cast<char>(std::tolower(static_cast<unsigned char>(c))) : '-';
  if (out.empty() || !std::isalpha(static_cast<unsigned char>(out[0]))) out = "g-" + out;
  if (out == "l4" || out == "l7" || out == "client") out += "-group";
  return out;
}

std::optional<long> whole_number(std::string_view text) {
  long value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::string duration_text(double seconds) {
  const double ms = seconds * 1e3;
  if (ms >= 1000 && std::abs(ms / 1000 - std::round(ms / 1000)) < 1e-9) return fmt::format("{}s", std::llround(ms / 1000));
  if (std::abs(ms - std::round(ms)) < 1e-9) return fmt::format("{}ms", std::llround(ms));
  return fmt::format("{}us", std::llround(seconds * 1e6));
}

std::string regex_escaped(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (std::string_view(".^$|()[]{}*+?\\").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

}  // namespace lbsim::importing
