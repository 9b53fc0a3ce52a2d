// SPDX-License-Identifier: GPL-3.0-or-later
#include "testbed/plan.hpp"

#include <bit>

#include "topology/addresses.hpp"

namespace lbsim::testbed {

std::string format_address(std::uint32_t address) {
  char buffer[16];
  return std::string(l4::format_ipv4(address, buffer));
}

bool in_client_range(std::uint32_t address) {
  constexpr int kShift = 32 - topology::kClientNetworkPrefix;
  return (address >> kShift) == (topology::kClientNetwork >> kShift);
}

const PlannedNode& TestbedPlan::find(const std::string& name) const {
  for (const auto& n : nodes)
    if (n.node.name == name) return n;
  throw std::out_of_range("no node named " + name);
}

const PlannedNode* TestbedPlan::owner_of(std::uint32_t address) const {
  for (const auto& n : nodes) {
    const std::uint32_t mask = n.prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - n.prefix);
    if ((address & mask) == (n.address & mask) || (n.vip != 0 && address == n.vip)) return &n;
  }
  return nullptr;
}

const PlannedNode* TestbedPlan::with_mac(const l4::MacAddress& mac) const {
  for (const auto& n : nodes)
    if (n.mac == mac) return &n;
  return nullptr;
}

TestbedPlan plan_testbed(const config::ScenarioSpec& spec, const topology::Topology& topology) {
  if (spec.has_l7())
    throw TestbedRefusal("the testbed runs L4-only layouts for now (its L7 tier is the next part); this scenario has an l7 section");
  const auto& graph = topology.graph();
  const std::size_t count = boost::num_vertices(graph);
  if (count > kMaxNodes)
    throw TestbedRefusal("this layout has " + std::to_string(count) + " nodes and the testbed carries at most " + std::to_string(kMaxNodes) +
                         " on one machine (one network namespace and process each); use fewer zones, nodes per zone or backends");
  TestbedPlan plan;
  bool any_tls = false, any_plain = false;
  for (const auto& client : spec.clients) (client.tls.enabled ? any_tls : any_plain) = true;
  if (any_tls && any_plain)
    throw TestbedRefusal("the testbed's backends serve either HTTPS or plain HTTP on one port: give every client population the same tls (or none)");
  plan.tls = any_tls;
  plan.service_port = topology::kVirtualPort;

  // Client blocks: 198.18.0.0/15 split in a power of two of equal blocks.
  const std::size_t populations = spec.clients.size();
  const std::uint32_t block_bits = 17 - static_cast<std::uint32_t>(std::bit_width(std::bit_ceil(std::max<std::size_t>(populations, 1)) - 1));
  const std::uint32_t block_size = 1u << block_bits;
  std::uint32_t l4_seen = 0;
  for (auto v : boost::make_iterator_range(boost::vertices(graph))) {
    PlannedNode planned;
    planned.vertex = v;
    planned.node = graph[v];
    const std::size_t index = plan.nodes.size();
    switch (planned.node.kind) {
      case topology::NodeKind::client: {
        const auto& client = spec.clients.at(planned.node.group);
        if (client.source_ips > block_size)
          throw TestbedRefusal("client '" + client.name + "' has " + std::to_string(client.source_ips) + " source addresses; with " +
                               std::to_string(populations) + " populations each gets a block of " + std::to_string(block_size));
        planned.address = topology::kClientNetwork + planned.node.group * block_size;
        planned.prefix = 32 - block_bits;
        plan.clients.push_back(index);
        break;
      }
      case topology::NodeKind::l4:
        planned.address = topology::node_address(planned.node);
        planned.vip = topology::kVirtualIp + l4_seen++;
        plan.l4_nodes.push_back(index);
        break;
      case topology::NodeKind::backend:
        planned.address = topology::node_address(planned.node);
        plan.backends.push_back(index);
        break;
      case topology::NodeKind::l7: break;  // refused above
    }
    planned.mac = topology::mac_of(planned.address);
    plan.nodes.push_back(std::move(planned));
  }
  return plan;
}

}  // namespace lbsim::testbed
