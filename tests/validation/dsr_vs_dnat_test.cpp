// SPDX-License-Identifier: GPL-3.0-or-later
// DSR versus DNAT where it matters: a response-heavy load whose replies exceed the L4
// node's NIC. Each case runs in its own process (SimGrid's engine cannot be reset).
#include <gtest/gtest.h>

#include "config/loader.hpp"
#include "models/simulation.hpp"
#include "support/simulation.hpp"

namespace lbsim {
namespace {

// L4-only, one zone, one L4 node and eight backends, all NICs 1 Gbps (125 MB/s each way).
// 1250 req/s of 100 KB responses = 125 MB/s of replies, offered for 4 s, plus 150 KB/s
// of requests. Under DNAT all replies leave through the L4 node's NIC: 125 MB/s of
// response bytes (plus per-message rounding) on a 125 MB/s link, so it saturates and
// the backlog drains after the traffic stops. Under DSR each backend sends its own
// eighth (15.6 MB/s) straight to the client, and the L4 node carries requests only.
// Plain HTTP, a connection per request: each also sends a 60-byte SYN through the L4
// node, and under DNAT its 60-byte SYN-ACK comes back through it.
std::string scenario(const std::string& forwarding) {
  return R"(name: dsr-vs-dnat
seed: 21
duration: 4s
topology:
  zones: [a]
  internet:   { latency: 5ms, bandwidth: 100Gbps }
  intra_zone: { latency: 100us, bandwidth: 1Gbps }
clients:
  - { name: c, arrival: { rate: 1250/s }, source_ips: 10000, tls: none, mix: [ { path: /video, request: 120B, response: 100KB } ] }
l4: { algorithm: round_robin, forwarding: )" + forwarding + R"(, target_group: media }
target_groups:
  media: { per_zone: 8, workers: 64, service_time: { dist: constant, value: 1ms } }
)";
}

const results::NodeStats& l4_node(const results::RunResult& r) {
  for (const auto& n : r.metrics.nodes)
    if (n.kind == topology::NodeKind::l4) return n;
  throw std::logic_error("no L4 node");
}

TEST(Validation, DnatCarriesEveryReplyThroughTheL4NodeAndSaturatesIt) {
  const results::RunResult r = test::run_yaml(scenario("dnat"), "dnat.yaml");
  const auto& all = r.metrics.overall;
  const results::NodeStats& l4 = l4_node(r);
  // Every response byte crossed the L4 node's NIC (received, then sent on).
  EXPECT_NEAR(l4.tx_bytes, static_cast<double>(all.completed) * (100e3 + 120 + 60 + 60), 1.0);
  // Offered ~ the NIC's whole capacity: the node's outbound link ran full for the run.
  EXPECT_GT(l4.tx_bytes / (125e6 * r.sim_seconds), 0.9);
  // Queueing at a saturated link: the tail is far above the unloaded path (~12 ms).
  EXPECT_GT(static_cast<double>(all.latency_ns.quantile(0.99)), 50e6);
}

TEST(Validation, DsrRepliesBypassTheL4Node) {
  const results::RunResult r = test::run_yaml(scenario("dsr"), "dsr.yaml");
  const auto& all = r.metrics.overall;
  const results::NodeStats& l4 = l4_node(r);
  // The L4 node forwarded requests and SYNs only: 120 + 60 bytes each, in and out.
  EXPECT_DOUBLE_EQ(l4.tx_bytes, static_cast<double>(all.sent) * 180.0);
  EXPECT_DOUBLE_EQ(l4.rx_bytes, static_cast<double>(all.sent) * 180.0);
  EXPECT_EQ(all.completed, all.sent);
  // Unloaded path: the TCP round trip (10.3 ms), 2 x 5.05 ms internet + 0.1 ms to the
  // backend + 1 ms service + 100 KB over 1 Gbps (0.8 ms) and the TCP window bound;
  // nothing near saturation.
  EXPECT_LT(static_cast<double>(all.latency_ns.quantile(0.99)), 30e6);
  EXPECT_LT(r.sim_seconds, 4.1);
}

}  // namespace
}  // namespace lbsim

namespace lbsim {
namespace {

TEST(Validation, SmallExchangeCostsWhatNs3MeasuresAtPacketLevel) {
  // ns-3 (packet level) puts a 500-byte request and a 2000-byte reply over client ->
  // router -> server, 10 Gbps and 50 us per link, at 204 us: 4 x 50 us of propagation
  // plus each message serialised once per hop (0.4 us and 1.6 us, twice each). Here the
  // L4 node is the router: client -> L4 is internet 25 us + half the intra-zone 50 us,
  // L4 -> backend is the intra-zone 50 us. One long-lived plain-HTTP connection and a
  // 1 ns service time, so nothing else adds.
  const std::string yaml = R"(name: ns3
seed: 3
duration: 5s
topology:
  zones: [a]
  internet:   { latency: 25us, bandwidth: 10Gbps }
  intra_zone: { latency: 50us, bandwidth: 10Gbps }
clients:
  - { name: c, arrival: { rate: 100/s }, source_ips: 1, tls: none, keepalive: { requests_per_connection: 1000000 }, mix: [ { path: /, request: 500B, response: 2000B } ] }
l4: { algorithm: round_robin, target_group: app }
target_groups:
  app: { per_zone: 1, workers: 4, service_time: { dist: constant, value: 1ns } }
)";
  const results::RunResult r = test::run_yaml(yaml, "ns3.yaml");
  const auto& h = r.metrics.overall.latency_ns;
  EXPECT_NEAR(static_cast<double>(h.quantile(0.5)), 204e3, 2e3);
}

TEST(Validation, ConcurrentSmallExchangesCostWhatNs3MeasuresAtPacketLevel) {
  // ns-3 3.37 (packet level): 10 persistent TCP connections doing 500-byte requests and
  // 2000-byte replies back to back over client -> router -> 3 servers, 10 Gbps and 50 us
  // per link, at a mean of 203.8 us. Here: 10 closed-loop users (1 ns think time and
  // service), the L4 node as the router, the same latencies. Simultaneous messages leave a
  // shared link one after another, as packets do; sharing it fluidly (finishing together,
  // and meeting again at the next link) cost 233 us. Within 5 % of ns-3.
  const std::string yaml = R"(name: ns3-concurrent
seed: 3
duration: 2s
topology:
  zones: [a]
  internet:   { latency: 25us, bandwidth: 10Gbps }
  intra_zone: { latency: 50us, bandwidth: 10Gbps }
clients:
  - name: c
    arrival: { kind: closed, users: 10, think_time: { dist: constant, value: 1ns } }
    source_ips: 10
    tls: none
    keepalive: { requests_per_connection: 1000000 }
    mix: [ { path: /, request: 500B, response: 2000B } ]
l4: { algorithm: round_robin, target_group: app }
target_groups:
  app: { per_zone: 3, workers: 4, service_time: { dist: constant, value: 1ns } }
)";
  const results::RunResult r = test::run_yaml(yaml, "ns3-concurrent.yaml");
  const auto& h = r.metrics.overall.latency_ns;
  ASSERT_GT(h.count(), 10000u);
  EXPECT_NEAR(h.mean(), 203.8e3, 0.05 * 203.8e3);
}

}  // namespace
}  // namespace lbsim
