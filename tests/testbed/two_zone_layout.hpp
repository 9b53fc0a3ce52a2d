// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The testbed tests' layout: two zones, one L4 node and two backends each, one client
// population; and its plan, with the shortcuts the tests ask of it.
#include <string>

#include "config/loader.hpp"
#include "testbed/fabric.hpp"
#include "testbed/plan.hpp"
#include "topology/addresses.hpp"

namespace lbsim::testbed {

// `l4` is the l4 section's keys ("forwarding: dnat, cross_zone: false"); `tail` more
// top-level YAML (a `faults:` list, say).
inline config::ScenarioSpec two_zone_scenario(const std::string& l4, const std::string& tail = "") {
  return config::load_scenario(R"(
name: t
duration: 30s
topology:
  zones: [a, b]
  internet:   { latency: 5ms, bandwidth: 1Gbps }
  intra_zone: { latency: 100us, bandwidth: 10Gbps }
  inter_zone: { latency: 1ms, bandwidth: 10Gbps }
clients:
  - { name: web, arrival: { kind: poisson, rate: 10/s }, source_ips: 100, tls: none, mix: [{ weight: 1, path: / }] }
l4: { )" + l4 + R"(, target_group: app }
target_groups:
  app: { per_zone: 2 }
)" + tail,
                               "t.yaml");
}

struct Layout {
  config::ScenarioSpec spec;
  topology::Topology topology;
  TestbedPlan plan;
  explicit Layout(config::ScenarioSpec s) : spec(std::move(s)), topology(spec), plan(plan_testbed(spec, topology)) {}
  const PlannedNode& l4(std::size_t i) const { return plan.nodes[plan.l4_nodes[i]]; }
  const PlannedNode& client() const { return plan.nodes[plan.clients[0]]; }
  std::size_t port(const std::string& name) const { return static_cast<std::size_t>(&plan.find(name) - plan.nodes.data()); }
  // A client's packet to an L4 node's VIP, as its kernel addresses it (to the router's MAC).
  l4::PacketHeader to_vip(std::uint32_t source, std::uint16_t port, std::size_t l4_node = 0) const {
    return {topology::mac_of(client().address), kRouterMac, source, l4(l4_node).vip, l4::Protocol::tcp, port, 443};
  }
};

}  // namespace lbsim::testbed
