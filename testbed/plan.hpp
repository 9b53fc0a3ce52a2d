// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// What the testbed builds for a scenario, decided before anything is created: one
// network namespace per node (client populations, L4 nodes, backends) plus one for the
// fabric, the emulated network every node's single interface plugs into. Addresses are
// the ones `lbsim trace` prints (topology/addresses.hpp), with two differences a real
// network forces, both stated in docs/TESTBED.md:
//   - each L4 node answers on its own address, 203.0.113.50 upward, as an NLB has one per
//     zone and DNS hands them out (the simulator's single VIP is its DNS name);
//   - client populations split 198.18.0.0/15 into equal blocks, so a reply finds its way
//     back to the population that sent the request.
// Pure: it reads the scenario and refuses what the testbed cannot carry, with a reason.
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "config/spec.hpp"
#include "l4/packet.hpp"
#include "topology/topology.hpp"

namespace lbsim::testbed {

// The scenario asks for something this machine's testbed cannot carry faithfully.
class TestbedRefusal : public std::runtime_error {
public:
  explicit TestbedRefusal(const std::string& what, int line = 1) : std::runtime_error(what), line_(line) {}
  int line() const { return line_; }  // in the scenario file: what the refusal is about

private:
  int line_;
};

// More namespaces than this would leave two cores timesharing too many processes for
// the measured latencies to mean anything.
inline constexpr std::size_t kMaxNodes = 64;

// The fabric's own router: every node's gateway, with this (never assigned) address.
inline constexpr std::uint32_t kRouterAddress = (169u << 24) | (254u << 16) | (0u << 8) | 1u;
inline constexpr l4::MacAddress kRouterMac = {0x02, 0x00, 0xa9, 0xfe, 0x00, 0x01};

struct PlannedNode {
  topology::Vertex vertex = 0;
  topology::Node node;            // name, kind, zone, group, index
  std::uint32_t address = 0;      // its interface's address (clients: their block's first)
  std::uint32_t prefix = 32;      // clients: their block's prefix length
  l4::MacAddress mac{};
  std::uint32_t vip = 0;          // L4 nodes: the address clients connect to
};

struct TestbedPlan {
  std::vector<PlannedNode> nodes;  // in the topology's vertex order
  std::vector<std::size_t> l4_nodes, l7_nodes, backends, clients;  // indexes into nodes
  std::uint16_t service_port = 443;  // what clients connect to on a VIP and the L4 tier's targets listen on
  bool tls = false;                  // clients speak HTTPS (terminated by the L7 tier, or else by the backends)
  std::uint16_t backend_port = 443;  // where backends listen: the service port, or topology::kBackendPort behind an L7 tier
  bool backend_tls = false;          // backends terminate TLS (L4-only layouts: it passes through the L4 tier)

  bool two_tier() const { return !l7_nodes.empty(); }
  // The L4 tier's targets (L7 nodes, or backends in an L4-only layout): under DSR they
  // hold the VIPs on their loopback and answer clients directly.
  topology::NodeKind l4_target_kind() const { return two_tier() ? topology::NodeKind::l7 : topology::NodeKind::backend; }

  const PlannedNode& find(const std::string& name) const;  // throws std::out_of_range
  // The node whose interface owns `address` (a client block, a node address, a VIP).
  const PlannedNode* owner_of(std::uint32_t address) const;
  const PlannedNode* with_mac(const l4::MacAddress& mac) const;
};

// What this machine kind (two cores) carries faithfully, measured by crosschecks at
// rising rates (docs/TESTBED.md, "Capacity"): beyond it the real processes' queueing for
// the cores, not the layout, sets the latencies. New TLS connections are estimated from
// the rate, the source addresses (a browser each) and requests_per_connection.
inline constexpr double kMaxRequestsPerSecond = 3000;
inline constexpr double kMaxHandshakesPerSecond = 400;

struct LoadEstimate {
  double requests_per_s = 0;    // at the peak of every client's rate (surges included)
  double handshakes_per_s = 0;  // new TLS connections
  // The share of the machine's capacity it takes: above 1 the testbed refuses it.
  double share() const { return requests_per_s / kMaxRequestsPerSecond + handshakes_per_s / kMaxHandshakesPerSecond; }
};
LoadEstimate estimate_load(const config::ScenarioSpec& spec);

// Throws TestbedRefusal for more than kMaxNodes namespaces, a population with more source addresses than its block holds,
// or a load beyond the machine's capacity (saying by how much to scale it down).
TestbedPlan plan_testbed(const config::ScenarioSpec& spec, const topology::Topology& topology);

// "10.1.20.1"
std::string format_address(std::uint32_t address);

// Whether an address is a client's (198.18.0.0/15).
bool in_client_range(std::uint32_t address);

}  // namespace lbsim::testbed
