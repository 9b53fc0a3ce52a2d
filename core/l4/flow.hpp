// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A transport flow as an L4 load balancer sees it, and the stable hash it picks by.
#include <cstdint>
#include <string_view>

namespace lbsim::l4 {

enum class Protocol : std::uint8_t { tcp = 6, udp = 17 };

struct FlowKey {
  std::uint32_t src_ip = 0;
  std::uint32_t dst_ip = 0;
  std::uint16_t src_port = 0;
  std::uint16_t dst_port = 0;
  Protocol protocol = Protocol::tcp;
  friend bool operator==(const FlowKey&, const FlowKey&) = default;
};

// XXH3-64 of the 13-byte wire-order 5-tuple. Documented and stable: the same flow
// hashes the same on every machine and every release, so runs are reproducible.
std::uint64_t hash_flow(const FlowKey& flow, std::uint64_t seed = 0);
// XXH3-64 of the 4-byte source address only (source-IP affinity).
std::uint64_t hash_source_ip(std::uint32_t src_ip, std::uint64_t seed = 0);
// XXH3-64 of a name (consistent-hash placement of targets).
std::uint64_t hash_name(std::string_view name, std::uint64_t seed = 0);

// Dotted-quad text for an IPv4 address held in host byte order.
std::string_view format_ipv4(std::uint32_t address, char (&buffer)[16]);

struct FlowKeyHash {
  std::size_t operator()(const FlowKey& flow) const { return hash_flow(flow); }
};

}  // namespace lbsim::l4
