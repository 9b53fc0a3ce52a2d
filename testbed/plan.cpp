// SPDX-License-Identifier: GPL-3.0-or-later
#include "testbed/plan.hpp"

#include <bit>
#include <cmath>
#include <sstream>

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

namespace {

// Each source address is a browser with one connection at a time, used for
// `requests_per_connection` requests: over a run of `duration_s`, an address sending N
// requests (Poisson, mean m = rate x duration / addresses) opens ceil(N / r) connections.
// The figure is the busier of that average and the run's first second, when every
// browser that sends opens its first connection (a thousand browsers at once sink the
// testbed however quiet the rest of the run is).
double new_connections_per_s(const config::ClientSpec& client, double rate, double duration_s) {
  const double addresses = std::max<std::uint32_t>(client.source_ips, 1);
  const double r = std::max<std::uint32_t>(client.requests_per_connection, 1);
  const double m = rate * std::max(duration_s, 1e-3) / addresses;
  double per_address = 0;
  if (m > 1000) {
    per_address = m / r + (r - 1) / (2 * r);  // N is near its mean: ceil adds (r-1)/2r on average
  } else {
    double pmf = std::exp(-m);  // P(N = 0)
    const auto last = static_cast<int>(m + 12 * std::sqrt(m) + 30);
    for (int n = 1; n <= last; ++n) {
      pmf *= m / n;
      per_address += pmf * std::ceil(n / r);
    }
  }
  const double average = per_address * addresses / std::max(duration_s, 1e-3);
  // The first second is the busiest: every browser that sends in it opens a connection.
  const double first_second = addresses * (1 - std::exp(-rate / addresses));
  return std::max(average, first_second);
}

}  // namespace

LoadEstimate estimate_load(const config::ScenarioSpec& spec) {
  LoadEstimate load;
  for (const auto& client : spec.clients) {
    double rate = 0;
    if (client.arrival.closed()) {
      // Each user sends again a think time after its answer: at most one per think time.
      rate = client.arrival.users / std::max(client.arrival.think_time.mean(), 1e-3);
    } else {
      double surge = 1;
      for (const auto& s : spec.surges_of(client)) surge = std::max(surge, s.factor);
      rate = client.arrival.profile.peak() * surge;
    }
    load.requests_per_s += rate;
    if (client.tls.enabled) load.handshakes_per_s += new_connections_per_s(client, rate, spec.duration_s);
  }
  return load;
}

TestbedPlan plan_testbed(const config::ScenarioSpec& spec, const topology::Topology& topology) {
  const auto& graph = topology.graph();
  const std::size_t count = boost::num_vertices(graph);
  if (count > kMaxNodes)
    throw TestbedRefusal("this layout has " + std::to_string(count) + " nodes and the testbed carries at most " + std::to_string(kMaxNodes) +
                         " on one machine (one network namespace and process each); use fewer zones, nodes per zone or backends");
  if (const LoadEstimate load = estimate_load(spec); load.share() > 1) {
    std::ostringstream why;
    why << "this scenario asks for about " << std::llround(load.requests_per_s) << " requests/s";
    if (load.handshakes_per_s > 0) why << " and " << std::llround(load.handshakes_per_s) << " new TLS connections/s";
    why << "; two cores carry about " << kMaxRequestsPerSecond << " requests/s (or " << kMaxHandshakesPerSecond
        << " handshakes/s) faithfully, so this is " << std::lround(load.share() * 100)
        << " % of what the machine can hold: run it with --scale " << static_cast<long>(std::ceil(load.share() * 10)) / 10.0;
    throw TestbedRefusal(why.str());
  }
  TestbedPlan plan;
  bool any_tls = false, any_plain = false;
  for (const auto& client : spec.clients) (client.tls.enabled ? any_tls : any_plain) = true;
  if (any_tls && any_plain)
    throw TestbedRefusal(std::string("the testbed's ") + (spec.has_l7() ? "L7 nodes" : "backends") +
                         " serve either HTTPS or plain HTTP on one port: give every client population the same tls (or none)");
  plan.tls = any_tls;
  plan.service_port = topology::kVirtualPort;
  // Behind an L7 tier, backends serve its plain HTTP on their own port.
  plan.backend_port = spec.has_l7() ? topology::kBackendPort : plan.service_port;
  plan.backend_tls = plan.tls && !spec.has_l7();

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
        // A log's client addresses are anyone's: the testbed's clients live in its own block.
        if (client.arrival.replay)
          throw TestbedRefusal("client '" + client.name + "' replays access logs (arrival kind replay), which only the simulator does: "
                               "give the testbed its traffic as a rate profile (lbsim import traffic writes one)");
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
      case topology::NodeKind::l7:
        planned.address = topology::node_address(planned.node);
        plan.l7_nodes.push_back(index);
        break;
    }
    planned.mac = topology::mac_of(planned.address);
    plan.nodes.push_back(std::move(planned));
  }
  return plan;
}

}  // namespace lbsim::testbed
