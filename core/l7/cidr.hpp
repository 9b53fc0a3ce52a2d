// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// IPv4 CIDR blocks, for source-IP conditions ("198.18.0.0/15").
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lbsim::l7 {

struct Cidr {
  std::uint32_t network = 0;  // host byte order, host bits cleared
  std::uint8_t prefix = 0;    // 0..32

  bool contains(std::uint32_t address) const {
    const std::uint32_t mask = prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - prefix);
    return (address & mask) == network;
  }
  std::string to_string() const;
};

// "a.b.c.d/n" or a bare address (a /32); nothing for malformed text or host bits set
// beyond the prefix (a common slip that would silently match something else).
std::optional<Cidr> parse_cidr(std::string_view text);
std::optional<std::uint32_t> parse_ipv4(std::string_view text);

}  // namespace lbsim::l7
