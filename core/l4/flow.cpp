// SPDX-License-Identifier: GPL-3.0-or-later
#include "l4/flow.hpp"

#include <xxhash.h>

#include <array>
#include <cstdio>

namespace lbsim::l4 {

std::uint64_t hash_flow(const FlowKey& flow, std::uint64_t seed) {
  // Network byte order, fixed layout: independent of struct padding and host endianness.
  const std::array<std::uint8_t, 13> wire{
      static_cast<std::uint8_t>(flow.src_ip >> 24), static_cast<std::uint8_t>(flow.src_ip >> 16),
      static_cast<std::uint8_t>(flow.src_ip >> 8),  static_cast<std::uint8_t>(flow.src_ip),
      static_cast<std::uint8_t>(flow.dst_ip >> 24), static_cast<std::uint8_t>(flow.dst_ip >> 16),
      static_cast<std::uint8_t>(flow.dst_ip >> 8),  static_cast<std::uint8_t>(flow.dst_ip),
      static_cast<std::uint8_t>(flow.src_port >> 8), static_cast<std::uint8_t>(flow.src_port),
      static_cast<std::uint8_t>(flow.dst_port >> 8), static_cast<std::uint8_t>(flow.dst_port),
      static_cast<std::uint8_t>(flow.protocol)};
  return XXH3_64bits_withSeed(wire.data(), wire.size(), seed);
}

std::uint64_t hash_source_ip(std::uint32_t src_ip, std::uint64_t seed) {
  const std::array<std::uint8_t, 4> wire{static_cast<std::uint8_t>(src_ip >> 24), static_cast<std::uint8_t>(src_ip >> 16),
                                         static_cast<std::uint8_t>(src_ip >> 8), static_cast<std::uint8_t>(src_ip)};
  return XXH3_64bits_withSeed(wire.data(), wire.size(), seed);
}

std::uint64_t hash_name(std::string_view name, std::uint64_t seed) {
  return XXH3_64bits_withSeed(name.data(), name.size(), seed);
}

std::string_view format_ipv4(std::uint32_t address, char (&buffer)[16]) {
  const int n = std::snprintf(buffer, sizeof buffer, "%u.%u.%u.%u", address >> 24, (address >> 16) & 0xFF,
                              (address >> 8) & 0xFF, address & 0xFF);
  return {buffer, static_cast<std::size_t>(n)};
}

}  // namespace lbsim::l4
