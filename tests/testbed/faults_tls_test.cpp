// SPDX-License-Identifier: GPL-3.0-or-later
// The testbed's failure timeline (each process's share of it), its TLS (a group's
// backends share the ticket key, so a session one issued resumes on another), and the
// trace's capture: on hand-made inputs and real loopback handshakes, no root needed.
#include <gtest/gtest.h>
#include <openssl/ssl.h>
#include <pcap/pcap.h>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <thread>

#include "config/loader.hpp"
#include "testbed/fabric.hpp"
#include "testbed/reference_proxy.hpp"
#include "testbed/fault_timeline.hpp"
#include "testbed/frame.hpp"
#include "testbed/l4_forwarder.hpp"
#include "testbed/plan.hpp"
#include "testbed/tls.hpp"
#include "testbed/trace_pcap.hpp"
#include "testbed/two_zone_layout.hpp"

namespace lbsim::testbed {
namespace {

// A trace hop as the simulator records one: who, which tier, the layer it read, the message.
results::TraceHop hop_at(std::string node, std::string tier, int layer, std::string message) {
  results::TraceHop hop;
  hop.node = std::move(node);
  hop.tier = std::move(tier);
  hop.layer = layer;
  hop.message = std::move(message);
  return hop;
}

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;

config::ScenarioSpec two_zones(const std::string& faults, bool cross_zone = false) {
  return two_zone_scenario(std::string("forwarding: dnat, cross_zone: ") + (cross_zone ? "true" : "false"), "faults:\n" + faults);
}

// A TCP SYN from node `from` to node `to`'s address, as a routed frame (to the router's MAC).
std::vector<std::uint8_t> syn_between(const Layout& layout, std::size_t from, std::size_t to) {
  const PlannedNode& a = layout.plan.nodes[from];
  const PlannedNode& b = layout.plan.nodes[to];
  return build_frame({a.mac, kRouterMac, a.address, b.address, l4::Protocol::tcp, 40000, 443}, kTcpSyn);
}

TEST(FaultTimeline, StepsComeInTimeOrderAndWhatEndsGoesBeforeWhatStartsAtOneInstant) {
  const auto spec = two_zones(R"(
  - { at: 5s, kind: slow_backend, targets: app-a-0, factor: 2, for: 5s }
  - { at: 10s, kind: backend_errors, targets: app-a-1, error_rate: 10% }
  - { at: 1s, kind: partition, zones: [a, b], for: 2s }
)");
  FaultTimeline timeline(spec.faults);
  std::vector<std::string> seen;
  const auto note = [&](const config::FaultSpec& fault, const FaultTimeline::Step& step) {
    seen.push_back(std::string(config::to_string(fault.kind)) + (step.starts ? "+" : "-"));
  };
  EXPECT_EQ(timeline.next_s(), 1.0);
  timeline.advance(0.5, note);
  EXPECT_TRUE(seen.empty());
  // A process that starts late (a restarted backend) catches up on all that is due.
  timeline.advance(10.0, note);
  const std::vector<std::string> expected{"partition+", "partition-", "slow_backend+", "slow_backend-", "backend_errors+"};
  EXPECT_EQ(seen, expected);
  EXPECT_TRUE(std::isinf(timeline.next_s()));
}

TEST(FabricFaults, AZoneOutageDarkensItsBackendsAndWithScopeZoneItsL4NodesToo) {
  Layout layout(two_zones("  - { at: 1s, kind: zone_outage, zone: b, scope: backends }\n"));
  FabricRouter router(layout.spec, layout.topology, layout.plan);
  const std::size_t l4a = layout.port("l4-a-0"), l4b = layout.port("l4-b-0"), b0 = layout.port("app-b-0"), a0 = layout.port("app-a-0");
  router.apply_fault(layout.spec.faults[0], true);
  auto to_b = syn_between(layout, l4b, b0);
  EXPECT_EQ(router.route(l4b, to_b, 1.0).verdict, FabricRouter::Verdict::dark);
  auto to_a = syn_between(layout, l4a, a0);
  EXPECT_EQ(router.route(l4a, to_a, 1.0).verdict, FabricRouter::Verdict::deliver);
  auto from_b = syn_between(layout, b0, l4b);
  EXPECT_EQ(router.route(b0, from_b, 1.0).verdict, FabricRouter::Verdict::dark) << "dark both ways";
  router.apply_fault(layout.spec.faults[0], false);
  auto again = syn_between(layout, l4b, b0);
  EXPECT_EQ(router.route(l4b, again, 2.0).verdict, FabricRouter::Verdict::deliver);

  config::FaultSpec whole = layout.spec.faults[0];
  whole.whole_zone = true;
  router.apply_fault(whole, true);
  auto to_l4b = syn_between(layout, a0, l4b);
  EXPECT_EQ(router.route(a0, to_l4b, 3.0).verdict, FabricRouter::Verdict::dark);
}

TEST(FabricFaults, AZoneOutageDarkensItsL7NodesUnlessScopedToBackendsAndANodeLossTheL7NodesItNames) {
  using topology::NodeKind;
  const topology::Node l7_b{NodeKind::l7, "l7-b-0", "b", 1, 0, 0};
  const topology::Node l7_a{NodeKind::l7, "l7-a-0", "a", 0, 0, 0};
  const topology::Node l4_b{NodeKind::l4, "l4-b-0", "b", 1, 0, 0};
  config::FaultSpec outage;
  outage.kind = config::FaultKind::zone_outage;
  outage.zone = "b";
  EXPECT_TRUE(goes_dark(outage, l7_b));
  EXPECT_FALSE(goes_dark(outage, l7_a));
  EXPECT_FALSE(goes_dark(outage, l4_b));
  outage.backends_only = true;
  EXPECT_FALSE(goes_dark(outage, l7_b)) << "scope: backends spares the zone's L7 nodes";
  config::FaultSpec loss;
  loss.kind = config::FaultKind::node_loss;
  loss.targets = "l7-*-0";
  EXPECT_TRUE(goes_dark(loss, l7_a));
  EXPECT_TRUE(goes_dark(loss, l7_b));
  EXPECT_FALSE(goes_dark(loss, l4_b));
}

TEST(ReferenceProxy, HaproxysLoggedServerStateChangesAreHealthVerdicts) {
  const auto down = haproxy_verdict(
      "[WARNING]  (10272) : Server app/app-b-1 is DOWN, reason: Layer4 timeout, check duration: 1001ms. 3 active and 0 backup servers "
      "left. 17 sessions active, 0 requeued, 0 remaining in queue.");
  ASSERT_TRUE(down.has_value());
  EXPECT_EQ(down->group, "app");
  EXPECT_EQ(down->target, "app-b-1");
  EXPECT_FALSE(down->healthy);
  EXPECT_EQ(down->reason, "Layer4 timeout");
  const auto up = haproxy_verdict("[WARNING]  (10272) : Server canary/canary-a-0 is UP, reason: Layer7 check passed, code: 200, check duration: 1ms.");
  ASSERT_TRUE(up.has_value());
  EXPECT_EQ(up->group, "canary");
  EXPECT_EQ(up->target, "canary-a-0");
  EXPECT_TRUE(up->healthy);
  EXPECT_EQ(up->reason, "Layer7 check passed");
  EXPECT_FALSE(haproxy_verdict("[NOTICE]   (10272) : New worker (10273) forked").has_value());
  EXPECT_FALSE(haproxy_verdict("[WARNING]  (1) : Server without-a-slash is DOWN").has_value());
  EXPECT_FALSE(haproxy_verdict("[WARNING]  (1) : Server app/x is going DOWN for maintenance").has_value());
}

TEST(ReferenceProxy, PerRequestLogLinesAddUpToRequestsAndOneHandshakePerConnection) {
  // HAProxy's lines (a connection is the client's address and port) mixed with its
  // warnings; three requests on two TLS connections, the second resumed, one in clear.
  std::istringstream haproxy(
      "[WARNING]  (7) : Server app/app-a-0 is UP, reason: Layer7 check passed\n"
      "lbsim-request 198.18.0.5:40001 https=1 reused=0 status=200\n"
      "lbsim-request 198.18.0.5:40001 https=1 reused=0 status=200\n"
      "lbsim-request 198.18.0.9:40002 https=1 reused=1 status=503\n"
      "lbsim-request 198.18.0.9:40003 https=0 reused=0 status=200\n"
      "lbsim-request cut short\n");
  const RequestTally h = tally_requests(haproxy);
  EXPECT_EQ(h.requests, 4u);
  EXPECT_EQ(h.tls_full, 1u);
  EXPECT_EQ(h.tls_resumed, 1u);
  // nginx's: its own connection numbers, "on" and "r", empty $https in clear.
  std::istringstream nginx(
      "lbsim-request 1 https=on reused=. status=200\n"
      "lbsim-request 2 https=on reused=r status=200\n"
      "lbsim-request 2 https=on reused=r status=200\n"
      "lbsim-request 3 https= reused=. status=200\n");
  const RequestTally n = tally_requests(nginx);
  EXPECT_EQ(n.requests, 4u);
  EXPECT_EQ(n.tls_full, 1u);
  EXPECT_EQ(n.tls_resumed, 1u);
}

TEST(FabricFaults, APartitionCutsOnlyThePairOfZones) {
  Layout layout(two_zones("  - { at: 1s, kind: partition, zones: [b, a] }\n", true));
  FabricRouter router(layout.spec, layout.topology, layout.plan);
  router.apply_fault(layout.spec.faults[0], true);
  auto across = syn_between(layout, layout.port("l4-a-0"), layout.port("app-b-1"));
  EXPECT_EQ(router.route(layout.port("l4-a-0"), across, 1.0).verdict, FabricRouter::Verdict::dark);
  auto within = syn_between(layout, layout.port("l4-b-0"), layout.port("app-b-1"));
  EXPECT_EQ(router.route(layout.port("l4-b-0"), within, 1.0).verdict, FabricRouter::Verdict::deliver);
  auto from_client = syn_between(layout, layout.plan.clients[0], layout.port("l4-b-0"));
  EXPECT_EQ(router.route(layout.plan.clients[0], from_client, 1.0).verdict, FabricRouter::Verdict::deliver) << "the internet is not cut";
}

TEST(FabricFaults, ADegradedEdgeAddsItsLatencyToClientPathsOfThatZoneOnly) {
  Layout layout(two_zones("  - { at: 1s, kind: link_degradation, link: edge-b, latency: 20ms, bandwidth: 1Mbps }\n"));
  FabricRouter router(layout.spec, layout.topology, layout.plan);
  const std::size_t client = layout.plan.clients[0], l4a = layout.port("l4-a-0"), l4b = layout.port("l4-b-0");
  auto before = syn_between(layout, client, l4b);
  const auto normal = router.route(client, before, 1.0);
  router.apply_fault(layout.spec.faults[0], true);
  auto during = syn_between(layout, client, l4b);
  const auto slow = router.route(client, during, 2.0);
  // 20 ms more, and 54 bytes at 1 Mbps (432 us) instead of at 1 Gbps.
  EXPECT_NEAR((slow.arrival_s - 2.0) - (normal.arrival_s - 1.0), 0.020 + 54 / 125e3 - 54 / 125e6, 1e-9);
  auto other_zone = syn_between(layout, client, l4a);
  const auto unaffected = router.route(client, other_zone, 3.0);
  EXPECT_NEAR(unaffected.arrival_s - 3.0, normal.arrival_s - 1.0, 1e-12);
}

TEST(FabricFaults, ALossyLinkLosesItsShareOfFrames) {
  Layout layout(two_zones("  - { at: 1s, kind: link_degradation, link: inter-b-a, loss: 25% }\n", true));
  FabricRouter router(layout.spec, layout.topology, layout.plan);
  router.apply_fault(layout.spec.faults[0], true);
  const std::size_t from = layout.port("l4-a-0"), to = layout.port("app-b-0");
  int lost = 0;
  constexpr int kFrames = 20000;
  for (int i = 0; i < kFrames; ++i) {
    auto frame = syn_between(layout, from, to);
    lost += router.route(from, frame, 1.0 + i * 1e-3).verdict == FabricRouter::Verdict::lost;
  }
  // Binomial(20000, 0.25): sd 61; within 5 sd.
  EXPECT_NEAR(lost, kFrames / 4, 5 * 61.3);
  auto within = syn_between(layout, layout.port("l4-a-0"), layout.port("app-a-0"));
  EXPECT_EQ(router.route(from, within, 30.0).verdict, FabricRouter::Verdict::deliver);
}

TEST(L4ForwarderFaults, ALostNodeComesBackWithAnEmptyConnectionTable) {
  Layout layout(two_zones("  - { at: 1s, kind: node_loss, targets: l4-a-* }\n"));
  L4Forwarder forwarder(layout.spec, layout.topology, layout.plan, layout.plan.find("l4-a-0"));
  const PlannedNode& client = layout.plan.nodes[layout.plan.clients[0]];
  auto syn = build_frame({client.mac, kRouterMac, client.address, layout.plan.find("l4-a-0").vip, l4::Protocol::tcp, 5000, 443},
                         kTcpSyn);
  ASSERT_EQ(forwarder.handle(syn, 0.5), L4Forwarder::Action::send);
  EXPECT_EQ(forwarder.balancer().conntrack().size(), 1u);
  forwarder.apply_fault(layout.spec.faults[0], true);
  EXPECT_TRUE(forwarder.dark());
  forwarder.apply_fault(layout.spec.faults[0], false);
  EXPECT_FALSE(forwarder.dark());
  EXPECT_EQ(forwarder.balancer().conntrack().size(), 0u);
}

TEST(L4ForwarderFaults, ADeregisteredTargetGetsNoNewFlowButKeepsTheOnesItHas) {
  Layout layout(two_zones("  - { at: 1s, kind: deregistration, targets: app-a-0, for: 5s }\n"));
  L4Forwarder forwarder(layout.spec, layout.topology, layout.plan, layout.plan.find("l4-a-0"));
  const PlannedNode& client = layout.plan.nodes[layout.plan.clients[0]];
  const std::uint32_t app_a_0 = layout.plan.find("app-a-0").address;
  // A flow that lands on app-a-0 before the fault.
  std::uint16_t port = 5000;
  std::vector<std::uint8_t> first;
  for (;; ++port) {
    first = build_frame({client.mac, kRouterMac, client.address, layout.plan.find("l4-a-0").vip, l4::Protocol::tcp, port, 443}, kTcpSyn);
    ASSERT_EQ(forwarder.handle(first, 0.5), L4Forwarder::Action::send);
    if (load32(first.data() + 30) == app_a_0) break;
    ASSERT_LT(port, 5100) << "flow hash never picked app-a-0";
  }
  forwarder.apply_fault(layout.spec.faults[0], true);
  EXPECT_EQ(forwarder.balancer().targets().available(), 1u);
  // Its packets still go to app-a-0; every new flow goes to app-a-1.
  auto again = build_frame({client.mac, kRouterMac, client.address, layout.plan.find("l4-a-0").vip, l4::Protocol::tcp, port, 443}, kTcpAck);
  ASSERT_EQ(forwarder.handle(again, 1.5), L4Forwarder::Action::send);
  EXPECT_EQ(load32(again.data() + 30), app_a_0);
  for (std::uint16_t p = 6000; p < 6050; ++p) {
    auto syn = build_frame({client.mac, kRouterMac, client.address, layout.plan.find("l4-a-0").vip, l4::Protocol::tcp, p, 443}, kTcpSyn);
    ASSERT_EQ(forwarder.handle(syn, 1.5), L4Forwarder::Action::send);
    EXPECT_EQ(load32(syn.data() + 30), layout.plan.find("app-a-1").address);
  }
  forwarder.apply_fault(layout.spec.faults[0], false);
  EXPECT_EQ(forwarder.balancer().targets().available(), 2u);
}

TEST(L4ForwarderFaults, AZonalShiftTakesTheZonesTargetsOutOnlyWhereThereIsElsewhereToSend) {
  Layout shifted(two_zones("  - { at: 1s, kind: zonal_shift, zone: b }\n", true));
  L4Forwarder cross(shifted.spec, shifted.topology, shifted.plan, shifted.plan.find("l4-a-0"));
  EXPECT_EQ(cross.balancer().targets().available(), 4u);
  cross.apply_fault(shifted.spec.faults[0], true);
  EXPECT_EQ(cross.balancer().targets().available(), 2u);
  cross.apply_fault(shifted.spec.faults[0], false);
  EXPECT_EQ(cross.balancer().targets().available(), 4u);
  // Cross-zone off: zone b's node has only zone b's targets; DNS takes it out instead.
  Layout own(two_zones("  - { at: 1s, kind: zonal_shift, zone: b }\n", false));
  L4Forwarder local(own.spec, own.topology, own.plan, own.plan.find("l4-b-0"));
  local.apply_fault(own.spec.faults[0], true);
  EXPECT_EQ(local.balancer().targets().available(), 2u);
  EXPECT_TRUE(local.has_available_target());
}

TEST(TestbedTls, TicketKeyMaterialIsEightyBytesDerivedFromTheSecretAlone) {
  EXPECT_EQ(ticket_key_material("7/app").size(), 80u);
  EXPECT_EQ(ticket_key_material("7/app"), ticket_key_material("7/app"));
  EXPECT_NE(ticket_key_material("7/app"), ticket_key_material("8/app"));
}

// One real handshake over loopback with `server`; the session it leaves, and whether it resumed.
struct Handshake {
  TlsSession session;
  bool resumed = false;
  std::string version;
  int group = 0;  // the key exchange's group (a NID)
};
Handshake handshake(ssl::context& server, ssl::context& client, const TlsSession& offer) {
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::address_v4::loopback(), 0));
  ssl::stream<tcp::socket> served(io, server), asking(io, client);
  Handshake result;
  acceptor.async_accept(served.next_layer(), [&](boost::system::error_code e) {
    ASSERT_FALSE(e) << e.message();
    served.async_handshake(ssl::stream_base::server, [&](boost::system::error_code he) {
      ASSERT_FALSE(he) << he.message();
      // One byte of application data carries TLS 1.3's session ticket along with it.
      asio::async_write(served, asio::buffer("x", 1), [](boost::system::error_code, std::size_t) {});
    });
  });
  static char byte;
  asking.next_layer().async_connect(acceptor.local_endpoint(), [&](boost::system::error_code e) {
    ASSERT_FALSE(e) << e.message();
    offer_session(asking.native_handle(), offer);
    asking.async_handshake(ssl::stream_base::client, [&](boost::system::error_code he) {
      ASSERT_FALSE(he) << he.message();
      asio::async_read(asking, asio::buffer(&byte, 1), [&](boost::system::error_code re, std::size_t) {
        ASSERT_FALSE(re) << re.message();
        result.resumed = SSL_session_reused(asking.native_handle()) == 1;
        result.version = SSL_get_version(asking.native_handle());
        result.group = SSL_get_negotiated_group(asking.native_handle());
        result.session = resumable_session(asking.native_handle());
      });
    });
  });
  io.run_for(std::chrono::seconds(10));
  return result;
}

TEST(TestbedTls, ASessionOneBackendIssuedResumesOnAnotherOfItsGroupButNotOfAnother) {
  for (const auto version : {tls::Version::tls13, tls::Version::tls12}) {
    ssl::context first = make_server_tls(tls::KeyType::ecdsa_p256, "7/app");
    ssl::context second = make_server_tls(tls::KeyType::ecdsa_p256, "7/app");
    ssl::context other_group = make_server_tls(tls::KeyType::ecdsa_p256, "7/api");
    ssl::context client = make_client_tls(version);
    const Handshake full = handshake(first, client, {});
    EXPECT_FALSE(full.resumed);
    EXPECT_EQ(full.version, version == tls::Version::tls13 ? "TLSv1.3" : "TLSv1.2");
    EXPECT_EQ(full.group, NID_X25519) << "the key exchange the model prices";
    ASSERT_TRUE(full.session) << "a full handshake leaves a resumable session";
    EXPECT_TRUE(handshake(first, client, full.session).resumed) << "resumes where it was issued";
    // Offered again after that connection ended without a close_notify, it still resumes.
    EXPECT_TRUE(handshake(second, client, full.session).resumed) << "the group's ticket key is shared";
    EXPECT_FALSE(handshake(other_group, client, full.session).resumed) << "another group cannot read the ticket";
  }
}

TEST(TestbedTls, AnRsaCertificateHandshakesInBothVersions) {
  ssl::context rsa = make_server_tls(tls::KeyType::rsa2048, "1/app");
  for (const auto version : {tls::Version::tls13, tls::Version::tls12}) {
    ssl::context client = make_client_tls(version);
    const Handshake h = handshake(rsa, client, {});
    EXPECT_EQ(h.version, version == tls::Version::tls13 ? "TLSv1.3" : "TLSv1.2");
    EXPECT_EQ(h.group, NID_X25519);
    EXPECT_TRUE(h.session);
  }
}

TEST(TracePcap, FramesHaveValidChecksumsAndTheFlagsOfTheirMessage) {
  const l4::PacketHeader h{{2, 0, 10, 1, 4, 1}, {2, 0, 10, 1, 20, 2}, 0xC6120201, 0x0A011402, l4::Protocol::tcp, 32768, 443};
  auto frame = build_frame(h, tcp_flags_of("SYN-ACK"));
  Frame parsed;
  ASSERT_EQ(parse_frame(frame, parsed), FrameError::none);
  EXPECT_EQ(parsed.header, h);
  EXPECT_EQ(parsed.tcp_flags, kTcpSyn | kTcpAck);
  EXPECT_EQ(internet_checksum(std::span<const std::uint8_t>(frame.data() + 14, 20)), 0) << "the IPv4 header sums to zero";
  EXPECT_EQ(load16(frame.data() + 14 + 20 + 16), transport_checksum(parsed));
  EXPECT_EQ(tcp_flags_of("SYN"), kTcpSyn);
  EXPECT_EQ(tcp_flags_of("SYN (new connection to the backend)"), kTcpSyn);
  EXPECT_EQ(tcp_flags_of("SYN-ACK (to the L7 node)"), kTcpSyn | kTcpAck);
  EXPECT_EQ(tcp_flags_of("request") & (kTcpSyn | kTcpAck), kTcpAck);
}

// A plain-HTTP request's frames, read back: TCP's numbers as Wireshark would show them
// (SYN 0, SYN-ACK 0 acking 1, then data from 1, each side acking the other's bytes), and
// the request's and response's first lines as payload.
TEST(TracePcap, SequenceNumbersFollowTheConnectionAndPlainHttpCarriesItsFirstLines) {
  const l4::PacketHeader up{{2, 0, 0xc6, 0x12, 2, 1}, {2, 0, 10, 1, 20, 2}, 0xC6120201, 0x0A011402, l4::Protocol::tcp, 32768, 80};
  l4::PacketHeader down = up;
  std::swap(down.src_ip, down.dst_ip);
  std::swap(down.src_port, down.dst_port);
  std::swap(down.src_mac, down.dst_mac);
  results::Trace trace;
  trace.method = "GET";
  trace.host = "shop.example.com";
  trace.path = "/cart";
  double t = 0;
  for (const auto& [message, header] : std::vector<std::pair<std::string, l4::PacketHeader>>{
           {"SYN", up}, {"SYN-ACK", down}, {"request", up}, {"response 200", down}}) {
    results::TraceHop hop = hop_at("n", "backend", 4, message);
    hop.has_headers = true;
    hop.in = header;
    hop.arrived = t += 0.001;
    trace.hops.push_back(hop);
  }
  const std::string path = (std::filesystem::temp_directory_path() / "lbsim-trace-seq-test.pcap").string();
  ASSERT_EQ(write_trace_pcap(trace, path), 4u);
  char error[PCAP_ERRBUF_SIZE];
  pcap_t* capture = pcap_open_offline(path.c_str(), error);
  ASSERT_NE(capture, nullptr) << error;
  struct Seen {
    std::uint32_t sequence, acknowledged;
    std::string payload;
  };
  std::vector<Seen> seen;
  pcap_pkthdr* header = nullptr;
  const u_char* bytes = nullptr;
  while (pcap_next_ex(capture, &header, &bytes) == 1) {
    Frame frame;
    std::vector<std::uint8_t> copy(bytes, bytes + header->caplen);
    ASSERT_EQ(parse_frame(copy, frame), FrameError::none);
    EXPECT_EQ(load16(bytes + 14 + 20 + 16), transport_checksum(frame)) << "the checksum covers the payload";
    seen.push_back({load32(bytes + 38), load32(bytes + 42), std::string(reinterpret_cast<const char*>(bytes) + 54, header->caplen - 54)});
  }
  pcap_close(capture);
  std::remove(path.c_str());
  ASSERT_EQ(seen.size(), 4u);
  const std::string request = "GET /cart HTTP/1.1\r\nHost: shop.example.com\r\n\r\n";
  EXPECT_EQ(seen[0].sequence, 0u);
  EXPECT_EQ(seen[1].sequence, 0u);
  EXPECT_EQ(seen[1].acknowledged, 1u);
  EXPECT_EQ(seen[2].sequence, 1u);
  EXPECT_EQ(seen[2].acknowledged, 1u);
  EXPECT_EQ(seen[2].payload, request);
  EXPECT_EQ(seen[3].sequence, 1u);
  EXPECT_EQ(seen[3].acknowledged, 1u + request.size());
  EXPECT_EQ(seen[3].payload.rfind("HTTP/1.1 200 \r\n", 0), 0u) << seen[3].payload;
}

TEST(TracePcap, AnL4RewriteShowsAsTwoFramesAndAnUnchangedHandOffAsOne) {
  results::Trace trace;
  const l4::PacketHeader from_client{{2, 0, 10, 1, 4, 1}, {2, 0, 0xa9, 0xfe, 0, 1}, 0xC6120201, 0xCB007132, l4::Protocol::tcp, 32768, 443};
  l4::PacketHeader dnat = from_client;
  dnat.dst_ip = 0x0A011402;
  results::TraceHop client = hop_at("client-web", "client", 7, "SYN");
  client.has_headers = true;
  client.out = from_client;
  results::TraceHop l4 = hop_at("l4-a-0", "l4", 4, "SYN");
  l4.has_headers = true;
  l4.in = from_client;
  l4.out = dnat;
  l4.rewrote = {l4::Field::dst_ip};
  l4.arrived = 0.005;
  l4.left = 0.00501;
  results::TraceHop backend = hop_at("app-a-0", "backend", 4, "SYN");
  backend.has_headers = true;
  backend.in = dnat;
  backend.arrived = 0.0051;
  trace.hops = {client, l4, backend};
  const std::string path = (std::filesystem::temp_directory_path() / "lbsim-trace-test.pcap").string();
  ASSERT_EQ(write_trace_pcap(trace, path), 2u);
  char error[PCAP_ERRBUF_SIZE];
  pcap_t* capture = pcap_open_offline(path.c_str(), error);
  ASSERT_NE(capture, nullptr) << error;
  EXPECT_EQ(pcap_datalink(capture), DLT_EN10MB);
  pcap_pkthdr* header = nullptr;
  const u_char* bytes = nullptr;
  std::vector<std::uint32_t> destinations;
  std::vector<double> times;
  while (pcap_next_ex(capture, &header, &bytes) == 1) {
    destinations.push_back(load32(bytes + 30));
    times.push_back(static_cast<double>(header->ts.tv_sec) + header->ts.tv_usec * 1e-6);
  }
  pcap_close(capture);
  std::remove(path.c_str());
  EXPECT_EQ(destinations, (std::vector<std::uint32_t>{0xCB007132, 0x0A011402})) << "the VIP, then the backend DNAT chose";
  ASSERT_EQ(times.size(), 2u);
  EXPECT_NEAR(times[0], 0.005, 1e-6);
  EXPECT_NEAR(times[1], 0.00501, 1e-6);
}

}  // namespace
}  // namespace lbsim::testbed
