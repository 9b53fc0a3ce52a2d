// SPDX-License-Identifier: GPL-3.0-or-later
// The testbed's plan, fabric router and L4 forwarder on hand-made frames: no sockets, no
// root. What each must do is what a packet capture of the real thing would show.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "config/loader.hpp"
#include "testbed/fabric.hpp"
#include "testbed/l4_forwarder.hpp"
#include "testbed/plan.hpp"
#include "topology/addresses.hpp"
#include "testbed/two_zone_layout.hpp"

namespace lbsim::testbed {
namespace {

constexpr std::uint32_t ip(int a, int b, int c, int d) {
  return (static_cast<std::uint32_t>(a) << 24) | (static_cast<std::uint32_t>(b) << 16) | (static_cast<std::uint32_t>(c) << 8) |
         static_cast<std::uint32_t>(d);
}

config::ScenarioSpec scenario(const std::string& forwarding, const std::string& algorithm = "flow_hash", bool cross_zone = false) {
  return two_zone_scenario("forwarding: " + forwarding + ", algorithm: " + algorithm + ", cross_zone: " + (cross_zone ? "true" : "false"));
}

// A TCP frame as the client's kernel would send it to an L4 node's MAC.
std::vector<std::uint8_t> segment(const l4::PacketHeader& h, std::uint8_t flags) {
  std::vector<std::uint8_t> f(14 + 40, 0);
  std::copy(h.dst_mac.begin(), h.dst_mac.end(), f.begin());
  std::copy(h.src_mac.begin(), h.src_mac.end(), f.begin() + 6);
  f[12] = 0x08;
  f[14] = 0x45;
  f[17] = 40;
  f[22] = 64;
  f[23] = 6;
  for (int i = 0; i < 4; ++i) {
    f[26 + i] = static_cast<std::uint8_t>(h.src_ip >> (24 - 8 * i));
    f[30 + i] = static_cast<std::uint8_t>(h.dst_ip >> (24 - 8 * i));
  }
  f[34] = static_cast<std::uint8_t>(h.src_port >> 8);
  f[35] = static_cast<std::uint8_t>(h.src_port);
  f[36] = static_cast<std::uint8_t>(h.dst_port >> 8);
  f[37] = static_cast<std::uint8_t>(h.dst_port);
  f[46] = 5 << 4;
  f[47] = flags;
  const std::uint16_t sum = internet_checksum(std::span<const std::uint8_t>(f.data() + 14, 20));
  f[24] = static_cast<std::uint8_t>(sum >> 8);
  f[25] = static_cast<std::uint8_t>(sum);
  Frame parsed;
  EXPECT_EQ(parse_frame(f, parsed), FrameError::none);
  const std::uint16_t tcp = transport_checksum(parsed);
  f[50] = static_cast<std::uint8_t>(tcp >> 8);
  f[51] = static_cast<std::uint8_t>(tcp);
  return f;
}

Frame parsed(std::vector<std::uint8_t>& f) {
  Frame frame;
  EXPECT_EQ(parse_frame(f, frame), FrameError::none);
  return frame;
}

TEST(TestbedPlan, AddressesAreTheTracesWithAVipPerL4Node) {
  const auto spec = scenario("dnat");
  const topology::Topology topology(spec);
  const TestbedPlan plan = plan_testbed(spec, topology);
  ASSERT_EQ(plan.clients.size(), 1u);
  ASSERT_EQ(plan.l4_nodes.size(), 2u);
  ASSERT_EQ(plan.backends.size(), 4u);
  EXPECT_EQ(plan.nodes[plan.l4_nodes[0]].vip, ip(203, 0, 113, 50));
  EXPECT_EQ(plan.nodes[plan.l4_nodes[1]].vip, ip(203, 0, 113, 51));
  EXPECT_EQ(plan.nodes[plan.l4_nodes[1]].address, ip(10, 2, 4, 1));
  EXPECT_EQ(plan.find("app-b-1").address, ip(10, 2, 20, 2));
  EXPECT_EQ(plan.find("app-b-1").mac, (l4::MacAddress{2, 0, 10, 2, 20, 2}));
  const PlannedNode& web = plan.nodes[plan.clients[0]];
  EXPECT_EQ(web.address, ip(198, 18, 0, 0));
  EXPECT_EQ(web.prefix, 15u) << "one population has the whole range";
  EXPECT_EQ(plan.owner_of(ip(198, 19, 200, 1)), &web);
  EXPECT_EQ(plan.owner_of(ip(203, 0, 113, 51)), &plan.nodes[plan.l4_nodes[1]]);
  EXPECT_EQ(plan.owner_of(ip(8, 8, 8, 8)), nullptr);
}

TEST(TestbedPlan, ATwoTierLayoutPutsItsL7NodesBetweenTheL4TierAndBackendsOnTheirOwnPort) {
  const config::ScenarioSpec spec = config::load_scenario(R"(
name: t
duration: 10s
topology:
  zones: [a, b]
  internet:   { latency: 5ms, bandwidth: 1Gbps }
  intra_zone: { latency: 100us, bandwidth: 10Gbps }
  inter_zone: { latency: 1ms, bandwidth: 10Gbps }
clients:
  - { name: web, arrival: { kind: poisson, rate: 10/s }, source_ips: 100, tls: { version: "1.3" }, mix: [{ weight: 1, path: / }] }
l4: { forwarding: dsr, cross_zone: false }
l7: { nodes_per_zone: 2, rules: [ { default: true, forward: app } ] }
target_groups:
  app: { per_zone: 1 }
)",
                                                          "t.yaml");
  const topology::Topology topology(spec);
  const TestbedPlan plan = plan_testbed(spec, topology);
  ASSERT_EQ(plan.l7_nodes.size(), 4u);
  ASSERT_EQ(plan.backends.size(), 2u);
  EXPECT_TRUE(plan.two_tier());
  EXPECT_EQ(plan.l4_target_kind(), topology::NodeKind::l7);
  // 10.<zone>.7.<n>, as the trace prints them.
  EXPECT_EQ(plan.find("l7-a-0").address, ip(10, 1, 7, 1));
  EXPECT_EQ(plan.find("l7-b-1").address, ip(10, 2, 7, 2));
  EXPECT_EQ(plan.find("l7-b-1").mac, topology::mac_of(ip(10, 2, 7, 2)));
  // The clients' TLS ends at the L7 tier: backends serve it plain HTTP on their own port.
  EXPECT_TRUE(plan.tls);
  EXPECT_FALSE(plan.backend_tls);
  EXPECT_EQ(plan.service_port, 443);
  EXPECT_EQ(plan.backend_port, topology::kBackendPort);
  EXPECT_EQ(plan.owner_of(ip(10, 1, 7, 2)), &plan.find("l7-a-1"));

  // An L4-only layout's backends are the L4 tier's targets and terminate TLS on the VIP's port.
  auto l4_only = scenario("dnat");
  l4_only.clients[0].tls.enabled = true;
  const TestbedPlan alone = plan_testbed(l4_only, topology::Topology(l4_only));
  EXPECT_FALSE(alone.two_tier());
  EXPECT_EQ(alone.l4_target_kind(), topology::NodeKind::backend);
  EXPECT_TRUE(alone.backend_tls);
  EXPECT_EQ(alone.backend_port, 443);
}

TEST(TestbedPlan, RefusesWhatItCannotCarry) {
  auto big = scenario("dnat");
  big.target_groups[0].per_zone = 40;  // 80 backends
  EXPECT_THROW(plan_testbed(big, topology::Topology(big)), TestbedRefusal);
  auto busy = scenario("dnat");
  busy.clients[0].arrival.profile = traffic::RateProfile::constant(5000);  // plain HTTP beyond 3000/s
  EXPECT_THROW(plan_testbed(busy, topology::Topology(busy)), TestbedRefusal);
  busy.clients[0].arrival.profile = traffic::RateProfile::constant(2900);
  EXPECT_NO_THROW(plan_testbed(busy, topology::Topology(busy)));
}

TEST(TestbedPlan, EstimatesTheLoadFromTheRateTheBrowsersAndTheirConnections) {
  auto spec = scenario("dnat");
  auto& client = spec.clients[0];
  client.arrival.profile = traffic::RateProfile::constant(200);
  client.tls.enabled = true;
  client.source_ips = 2000;
  client.requests_per_connection = 2;
  spec.duration_s = 10;
  // Each address sends N ~ Poisson(1) requests in 10 s and opens ceil(N / 2) connections:
  // E = P(1) + P(2) + 2 P(3) + 2 P(4) + 3 P(5) + ... = 0.7161, so 143.2 a second on
  // average; but in the first second 2000 (1 - e^-0.1) = 190.3 browsers open their
  // first, and that is the figure.
  LoadEstimate load = estimate_load(spec);
  EXPECT_DOUBLE_EQ(load.requests_per_s, 200);
  EXPECT_NEAR(load.handshakes_per_s, 2000 * (1 - std::exp(-0.1)), 0.01);
  EXPECT_NEAR(load.share(), 200.0 / 3000 + load.handshakes_per_s / 400, 1e-12);
  // Ten browsers sending 20 a second each for a minute: one connection per request, the
  // average (200/s) well above the first second's 10.
  client.source_ips = 10;
  client.requests_per_connection = 1;
  spec.duration_s = 60;
  EXPECT_NEAR(estimate_load(spec).handshakes_per_s, 200, 1e-6);
  // A surge counts at its peak; plain HTTP opens no TLS connection.
  client.tls.enabled = false;
  spec.faults = two_zone_scenario("forwarding: dnat", "faults:\n  - { at: 1s, kind: traffic_surge, factor: 3, for: 5s }\n").faults;
  load = estimate_load(spec);
  EXPECT_DOUBLE_EQ(load.requests_per_s, 600);
  EXPECT_EQ(load.handshakes_per_s, 0);
}

TEST(L4Forwarder, DnatRewritesTheDestinationToTheChosenTargetAndBack) {
  Layout layout(scenario("dnat"));
  L4Forwarder forwarder(layout.spec, layout.topology, layout.plan, layout.l4(0));
  auto syn = segment(layout.to_vip(ip(198, 18, 0, 9), 40001), kTcpSyn);
  ASSERT_EQ(forwarder.handle(syn, 0.0), L4Forwarder::Action::send);
  const Frame out = parsed(syn);
  // Cross-zone off: one of zone a's two backends, on the VIP's port.
  const PlannedNode* target = layout.plan.owner_of(out.header.dst_ip);
  ASSERT_NE(target, nullptr);
  EXPECT_EQ(target->node.kind, topology::NodeKind::backend);
  EXPECT_EQ(target->node.zone, "a");
  EXPECT_EQ(out.header.dst_mac, target->mac);
  EXPECT_EQ(out.header.src_mac, layout.l4(0).mac);
  EXPECT_EQ(out.header.src_ip, ip(198, 18, 0, 9)) << "the client's address is preserved";
  EXPECT_EQ(out.header.dst_port, 443);
  // Every later packet of the flow goes to the same target.
  for (int i = 0; i < 5; ++i) {
    auto ack = segment(layout.to_vip(ip(198, 18, 0, 9), 40001), kTcpAck);
    ASSERT_EQ(forwarder.handle(ack, 0.1 * i), L4Forwarder::Action::send);
    EXPECT_EQ(parsed(ack).header.dst_ip, out.header.dst_ip);
  }
  // The target's reply, routed back here by the fabric: the source becomes the VIP again.
  l4::PacketHeader reply{kRouterMac, layout.l4(0).mac, out.header.dst_ip, ip(198, 18, 0, 9), l4::Protocol::tcp, 443, 40001};
  auto back = segment(reply, kTcpSyn | kTcpAck);
  ASSERT_EQ(forwarder.handle(back, 0.2), L4Forwarder::Action::send);
  const Frame relayed = parsed(back);
  EXPECT_EQ(relayed.header.src_ip, layout.l4(0).vip);
  EXPECT_EQ(relayed.header.dst_mac, kRouterMac);
  EXPECT_EQ(forwarder.counters().new_flows, 1u);
  EXPECT_EQ(forwarder.counters().replies, 1u);
}

TEST(L4Forwarder, DsrChangesOnlyMacsAndNeverSeesReplies) {
  Layout layout(scenario("dsr"));
  L4Forwarder forwarder(layout.spec, layout.topology, layout.plan, layout.l4(1));
  auto syn = segment(layout.to_vip(ip(198, 18, 0, 3), 50000, 1), kTcpSyn);
  const auto before = syn;
  ASSERT_EQ(forwarder.handle(syn, 0.0), L4Forwarder::Action::send);
  EXPECT_TRUE(std::equal(syn.begin() + 12, syn.end(), before.begin() + 12)) << "L3 and L4 untouched";
  const Frame out = parsed(syn);
  const PlannedNode* target = layout.plan.with_mac(out.header.dst_mac);
  ASSERT_NE(target, nullptr);
  EXPECT_EQ(target->node.zone, "b");
  l4::PacketHeader reply{kRouterMac, layout.l4(1).mac, target->address, ip(198, 18, 0, 3), l4::Protocol::tcp, 443, 50000};
  auto back = segment(reply, kTcpAck);
  EXPECT_EQ(forwarder.handle(back, 0.1), L4Forwarder::Action::drop) << "DSR: no reply path through the node";
}

TEST(L4Forwarder, SpreadsNewFlowsAsCoresPickerDoes) {
  // Least connections over zone a's two backends: open flows alternate, and a flow that
  // ends frees its target for the next one.
  Layout layout(scenario("dnat", "least_connections"));
  L4Forwarder forwarder(layout.spec, layout.topology, layout.plan, layout.l4(0));
  std::vector<std::uint32_t> targets;
  for (std::uint16_t port = 1000; port < 1004; ++port) {
    auto syn = segment(layout.to_vip(ip(198, 18, 0, 1), port), kTcpSyn);
    ASSERT_EQ(forwarder.handle(syn, 0.0), L4Forwarder::Action::send);
    targets.push_back(parsed(syn).header.dst_ip);
  }
  EXPECT_NE(targets[0], targets[1]);
  EXPECT_EQ(targets[0], targets[2]);
  EXPECT_EQ(targets[1], targets[3]);
  auto fin = segment(layout.to_vip(ip(198, 18, 0, 1), 1000), kTcpFin | kTcpAck);
  ASSERT_EQ(forwarder.handle(fin, 0.1), L4Forwarder::Action::send);
  EXPECT_EQ(parsed(fin).header.dst_ip, targets[0]) << "a FIN still follows its flow";
  auto next = segment(layout.to_vip(ip(198, 18, 0, 1), 2000), kTcpSyn);
  ASSERT_EQ(forwarder.handle(next, 0.2), L4Forwarder::Action::send);
  EXPECT_EQ(parsed(next).header.dst_ip, targets[0]) << "its target has one connection fewer";
}

TEST(L4Forwarder, ATargetsFinEndsTheConnectionAsItsLastAnswerGoesBy) {
  // DNAT, least connections: the target that closes its connection (Connection: close)
  // is the least loaded again at once; the client's last ACK still reaches it.
  Layout layout(scenario("dnat", "least_connections"));
  L4Forwarder forwarder(layout.spec, layout.topology, layout.plan, layout.l4(0));
  std::vector<std::uint32_t> targets;
  for (std::uint16_t port = 1000; port < 1002; ++port) {
    auto syn = segment(layout.to_vip(ip(198, 18, 0, 1), port), kTcpSyn);
    ASSERT_EQ(forwarder.handle(syn, 0.0), L4Forwarder::Action::send);
    targets.push_back(parsed(syn).header.dst_ip);
  }
  l4::PacketHeader fin{kRouterMac, layout.l4(0).mac, targets[1], ip(198, 18, 0, 1), l4::Protocol::tcp, 443, 1001};
  auto server_fin = segment(fin, kTcpFin | kTcpAck);
  ASSERT_EQ(forwarder.handle(server_fin, 0.1), L4Forwarder::Action::send);
  auto last_ack = segment(layout.to_vip(ip(198, 18, 0, 1), 1001), kTcpAck);
  ASSERT_EQ(forwarder.handle(last_ack, 0.11), L4Forwarder::Action::send);
  EXPECT_EQ(parsed(last_ack).header.dst_ip, targets[1]);
  auto next = segment(layout.to_vip(ip(198, 18, 0, 1), 3000), kTcpSyn);
  ASSERT_EQ(forwarder.handle(next, 0.2), L4Forwarder::Action::send);
  EXPECT_EQ(parsed(next).header.dst_ip, targets[1]) << "one connection fewer on the target that closed";
}

TEST(L4Forwarder, DropsMidStreamPacketsOfUnknownFlowsAndIgnoresItsOwnTraffic) {
  Layout layout(scenario("dnat"));
  L4Forwarder forwarder(layout.spec, layout.topology, layout.plan, layout.l4(0));
  auto stray = segment(layout.to_vip(ip(198, 18, 0, 5), 1234), kTcpAck);
  EXPECT_EQ(forwarder.handle(stray, 0.0), L4Forwarder::Action::drop);
  EXPECT_EQ(forwarder.counters().untracked, 1u);
  // A health check's answer to the node's own address is its kernel's business.
  l4::PacketHeader own{kRouterMac, layout.l4(0).mac, ip(10, 1, 20, 1), layout.l4(0).address, l4::Protocol::tcp, 443, 33333};
  auto answer = segment(own, kTcpSyn | kTcpAck);
  EXPECT_EQ(forwarder.handle(answer, 0.0), L4Forwarder::Action::drop);
  std::vector<std::uint8_t> garbage(7, 0xff);
  EXPECT_EQ(forwarder.handle(garbage, 0.0), L4Forwarder::Action::drop);
}

TEST(L4Forwarder, AResetForAClientWithNowhereToGoIsAValidSegment) {
  Layout layout(scenario("dnat"));
  auto syn = segment(layout.to_vip(ip(198, 18, 0, 5), 4321), kTcpSyn);
  const Frame in = parsed(syn);
  std::uint8_t out[64];
  const std::size_t n = make_reset(in, layout.l4(0).mac, kRouterMac, std::span(out));
  ASSERT_EQ(n, 54u);
  std::vector<std::uint8_t> reset(out, out + n);
  const Frame r = parsed(reset);
  EXPECT_TRUE(r.has(kTcpRst));
  EXPECT_TRUE(r.has(kTcpAck));
  EXPECT_EQ(r.header.src_ip, layout.l4(0).vip);
  EXPECT_EQ(r.header.dst_ip, ip(198, 18, 0, 5));
  EXPECT_EQ(r.header.dst_port, 4321);
  EXPECT_EQ(internet_checksum(std::span<const std::uint8_t>(reset.data() + 14, 20)), 0);
  EXPECT_EQ(static_cast<std::uint16_t>((reset[50] << 8) | reset[51]), transport_checksum(r));
}

TEST(FabricRouter, HoldsEachFrameForItsPathsLatencyAndRoutesRepliesBackThroughTheL4Node) {
  Layout layout(scenario("dnat", "flow_hash", true));
  FabricRouter router(layout.spec, layout.topology, layout.plan);
  const std::size_t client = layout.plan.clients[0];
  const std::size_t l4a = layout.plan.l4_nodes[0];
  // Client -> L4 node in zone a, through the router: the internet's 5 ms and the node's own
  // half of the zone's 100 us, plus serialising 54 bytes at 1 Gbps twice.
  auto syn = segment(layout.to_vip(ip(198, 18, 0, 9), 40001), kTcpSyn);
  auto d = router.route(client, syn, 1.0);
  ASSERT_EQ(d.verdict, FabricRouter::Verdict::deliver);
  EXPECT_EQ(d.to, l4a);
  EXPECT_NEAR(d.arrival_s, 1.0 + 0.005 + 0.00005 + 54 / 125e6, 1e-12);
  EXPECT_NEAR(router.through_downlink(d.to, d.arrival_s, d.serialise_s), d.arrival_s + 54 / 125e6, 1e-12);
  EXPECT_EQ(parsed(syn).header.dst_mac, layout.l4(0).mac);
  EXPECT_EQ(parsed(syn).header.src_mac, kRouterMac);
  // The L4 node forwards it (DNAT) to a backend in zone b, by MAC: inter-zone latency.
  L4Forwarder forwarder(layout.spec, layout.topology, layout.plan, layout.l4(0));
  const PlannedNode& far = layout.plan.find("app-b-0");
  l4::PacketHeader h = parsed(syn).header;
  l4::forward_frame(h, layout.l4(0).mac, far.mac);
  l4::apply_dnat(h, far.address, 443);
  auto forwarded = segment(h, kTcpSyn);
  d = router.route(l4a, forwarded, 2.0);
  ASSERT_EQ(d.verdict, FabricRouter::Verdict::deliver);
  EXPECT_EQ(layout.plan.nodes[d.to].node.name, "app-b-0");
  EXPECT_NEAR(d.arrival_s, 2.0 + 0.001 + 54 / 1.25e9, 1e-12);
  // The backend's reply goes to its gateway; the router sends it to the L4 node that
  // forwarded the flow (not zone b's), as a VPC does.
  l4::PacketHeader reply{far.mac, kRouterMac, far.address, ip(198, 18, 0, 9), l4::Protocol::tcp, 443, 40001};
  auto back = segment(reply, kTcpSyn | kTcpAck);
  d = router.route(d.to, back, 3.0);
  ASSERT_EQ(d.verdict, FabricRouter::Verdict::deliver);
  EXPECT_EQ(d.to, l4a);
  // A frame to nobody is dropped; a dark node's frames vanish.
  l4::PacketHeader nowhere{kRouterMac, layout.client().mac, ip(198, 18, 0, 1), ip(192, 0, 2, 1), l4::Protocol::tcp, 1, 2};
  auto lost = segment(nowhere, kTcpSyn);
  EXPECT_EQ(router.route(client, lost, 4.0).verdict, FabricRouter::Verdict::no_route);
  router.set_dark(l4a, true);
  auto again = segment(layout.to_vip(ip(198, 18, 0, 9), 40002), kTcpSyn);
  EXPECT_EQ(router.route(client, again, 5.0).verdict, FabricRouter::Verdict::dark);
}

TEST(FabricRouter, PacesFramesAtThePathsBandwidth) {
  Layout layout(scenario("dnat"));
  FabricRouter router(layout.spec, layout.topology, layout.plan);
  const std::size_t client = layout.plan.clients[0];
  // Ten 54-byte frames at once over 1 Gbps: each leaves the sender 432 ns after the last.
  double last = 0;
  for (int i = 0; i < 10; ++i) {
    auto syn = segment(layout.to_vip(ip(198, 18, 0, 9), static_cast<std::uint16_t>(1000 + i)), kTcpSyn);
    const auto d = router.route(client, syn, 0.0);
    if (i > 0) {
      EXPECT_NEAR(d.arrival_s - last, 54 / 125e6, 1e-12);
    }
    last = d.arrival_s;
  }
}

TEST(FabricRouter, AFrameOnAShortPathDoesNotQueueBehindOneStillOnALongOne) {
  // The L4 node's port receives a client's frame that left 1 ms ago across the internet
  // (5 ms) and a backend's frame sent now across its zone (100 us): the backend's comes
  // through first, and the client's when it arrives.
  Layout layout(scenario("dnat"));
  FabricRouter router(layout.spec, layout.topology, layout.plan);
  const std::size_t l4 = layout.plan.l4_nodes[0];
  const double serialise = 1514 / 1.25e9;
  const double backend_through = router.through_downlink(l4, 0.0001, serialise);
  EXPECT_NEAR(backend_through, 0.0001 + serialise, 1e-12);
  EXPECT_NEAR(router.through_downlink(l4, 0.004, serialise), 0.004 + serialise, 1e-12);
  // Two frames reaching it together: the second waits for the first to come through.
  EXPECT_NEAR(router.through_downlink(l4, 0.004, serialise), 0.004 + 2 * serialise, 1e-12);
}

}  // namespace
}  // namespace lbsim::testbed
