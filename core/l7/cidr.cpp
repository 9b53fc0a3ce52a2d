// SPDX-License-Identifier: GPL-3.0-or-later
#include "l7/cidr.hpp"

#include <charconv>

namespace lbsim::l7 {

std::optional<std::uint32_t> parse_ipv4(std::string_view text) {
  std::uint32_t address = 0;
  const char* p = text.data();
  const char* end = text.data() + text.size();
  for (int octet = 0; octet < 4; ++octet) {
    unsigned value = 0;
    const auto [next, ec] = std::from_chars(p, end, value);
    if (ec != std::errc{} || next == p || value > 255 || next - p > 3) return std::nullopt;
    address = (address << 8) | value;
    p = next;
    if (octet < 3) {
      if (p == end || *p != '.') return std::nullopt;
      ++p;
    }
  }
  if (p != end) return std::nullopt;
  return address;
}

std::optional<Cidr> parse_cidr(std::string_view text) {
  const std::size_t slash = text.find('/');
  const auto address = parse_ipv4(text.substr(0, slash));
  if (!address) return std::nullopt;
  unsigned prefix = 32;
  if (slash != std::string_view::npos) {
    const std::string_view digits = text.substr(slash + 1);
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
    if (ec != std::errc{} || end != digits.data() + digits.size() || digits.empty() || prefix > 32) return std::nullopt;
  }
  Cidr cidr{*address, static_cast<std::uint8_t>(prefix)};
  if (!cidr.contains(*address)) return std::nullopt;  // host bits set: "10.0.0.1/8"
  return cidr;
}

std::string Cidr::to_string() const {
  return std::to_string(network >> 24) + "." + std::to_string((network >> 16) & 0xFF) + "." +
         std::to_string((network >> 8) & 0xFF) + "." + std::to_string(network & 0xFF) + "/" + std::to_string(prefix);
}

}  // namespace lbsim::l7
