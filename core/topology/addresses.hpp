// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The addresses of a layout, made up but stable, shared by the simulator's traces and the
// testbed's real interfaces, so a trace reads like the testbed's packet capture: the VIP
// 203.0.113.50:443 (TEST-NET-3), clients from 198.18.0.0/15 (RFC 2544's benchmarking
// range), and inside the cloud 10.<zone>.<tier>.<n> (tier 4: L4 nodes, 7: L7 nodes,
// 20 + group: backends), each with a locally administered MAC derived from its address.
#include <cstdint>

#include "l4/packet.hpp"
#include "topology/topology.hpp"

namespace lbsim::topology {

inline constexpr std::uint32_t kVirtualIp = (203u << 24) | (0u << 16) | (113u << 8) | 50u;
inline constexpr std::uint16_t kVirtualPort = 443;
// Where backends listen for the L7 tier's plain HTTP (an L4-only layout's backends take
// the VIP's port, kVirtualPort, since TLS passes through to them).
inline constexpr std::uint16_t kBackendPort = 8080;
inline constexpr std::uint32_t kClientNetwork = (198u << 24) | (18u << 16);
inline constexpr int kClientNetworkPrefix = 15;

inline std::uint32_t node_address(const Node& node) {
  const std::uint32_t tier = node.kind == NodeKind::l4   ? 4
                             : node.kind == NodeKind::l7 ? 7
                                                         : 20 + node.group;
  return (10u << 24) | ((node.zone_index + 1) << 16) | (tier << 8) | ((node.index + 1) & 0xff);
}

inline l4::MacAddress mac_of(std::uint32_t ip) {
  return {0x02, 0x00, static_cast<std::uint8_t>(ip >> 24), static_cast<std::uint8_t>(ip >> 16), static_cast<std::uint8_t>(ip >> 8),
          static_cast<std::uint8_t>(ip)};
}

}  // namespace lbsim::topology
