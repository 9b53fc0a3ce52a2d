// SPDX-License-Identifier: GPL-3.0-or-later
// A lone request's latency, hop by hop, against what its path and handshakes cost.
// Each test is one simulation in its own process (SimGrid's engine cannot be reset).
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>

#include "config/loader.hpp"
#include "models/simulation.hpp"
#include "support/simulation.hpp"

namespace lbsim {
namespace {

std::string one_of_everything(const std::string& client_extra, const std::string& l7_tls) {
  return R"(name: idle
seed: 1
duration: 20s
topology:
  zones: [a]
  internet:   { latency: 20ms, bandwidth: 10Gbps }
  intra_zone: { latency: 100us, bandwidth: 10Gbps }
clients:
  - { name: c, arrival: { rate: 2/s }, )" + client_extra + R"(, mix: [ { path: /, request: 500B, response: 2000B } ] }
l4: { algorithm: round_robin }
l7:
  nodes_per_zone: 1
  cpu: { cores: 1, per_request: 50us }
  tls: { key: )" + l7_tls + R"( }
  rules: [ { default: true, forward: app } ]
target_groups:
  app: { per_zone: 1, workers: 1, service_time: { dist: constant, value: 1ms } }
)";
}

// One zone, one of everything, constant service, 2 requests/s: no queueing, so every
// request costs its path. One way: client->L4 = internet 20 ms + NIC 50 us; L4->L7 and
// L7->backend = 100 us each. A request: 2 x (20.05 + 0.1 + 0.1) + 1 (service) + 0.05
// (L7 CPU) = 41.55 ms. A round trip between client and L7 node (where TCP and TLS
// terminate), through the L4 node: 2 x (20.05 + 0.1) = 40.3 ms.
constexpr double kRequestNs = 41.55e6;
constexpr double kClientToL7RoundTripNs = 40.3e6;
// The L7 node's first request to the backend also opens its pooled connection: one
// intra-zone round trip, 2 x 100 us. Later requests reuse it.
constexpr double kUpstreamConnectNs = 0.2e6;
// Serialisation of a few KB at 10 Gbps and the TCP window bound add microseconds.
constexpr double kSlackNs = 150e3;

TEST(Simulation, IdleRequestCostsExactlyItsPath) {
  // Plain HTTP on one long-lived connection: only the first request pays TCP's round trip.
  const results::RunResult r =
      test::run_yaml(one_of_everything("tls: none, source_ips: 1, keepalive: { requests_per_connection: 1000 }", "ecdsa-p256"), "idle.yaml");
  const auto& h = r.metrics.overall.latency_ns;
  ASSERT_GT(h.count(), 10u);
  EXPECT_GE(static_cast<double>(h.min()), kRequestNs);
  EXPECT_LE(static_cast<double>(h.quantile(0.9)), kRequestNs + kSlackNs);
  EXPECT_NEAR(static_cast<double>(h.max()), kRequestNs + kClientToL7RoundTripNs + kUpstreamConnectNs, kSlackNs);
}

// The handshakes' CPU (core/tls's measured table, in us): the L7 node's is OpenSSL's
// server share plus 420 of socket work; the client's, its ClientHello and its Finished.
TEST(Simulation, Tls13FullHandshakeCostsTwoRoundTripsAndItsCpu) {
  // A new connection per request: TCP (1 round trip) + TLS 1.3 full (1) + the L7 core's
  // handshake with an ECDSA certificate (215 + 420 us) + the client's (53 + 319 us).
  const results::RunResult r =
      test::run_yaml(one_of_everything("tls: { version: \"1.3\" }", "ecdsa-p256"), "tls13.yaml");
  const auto& h = r.metrics.overall.latency_ns;
  const double expected = kRequestNs + 2 * kClientToL7RoundTripNs + 635e3 + 372e3;
  EXPECT_GE(static_cast<double>(h.min()), expected);
  EXPECT_LE(static_cast<double>(h.max()), expected + kUpstreamConnectNs + kSlackNs);
  for (const auto& n : r.metrics.nodes)
    if (n.kind == topology::NodeKind::l7) {
      EXPECT_EQ(n.tls_full, r.metrics.overall.sent);
      EXPECT_NEAR(n.tls_cpu_seconds, static_cast<double>(n.tls_full) * 635e-6, 1e-9);
    }
}

TEST(Simulation, Tls12FullHandshakeWithRsaCostsThreeRoundTrips) {
  // TCP (1) + TLS 1.2 full (2) round trips, the server's handshake with an RSA-2048
  // certificate (417 + 420 us) and the client's (14 + 289 us).
  const results::RunResult r =
      test::run_yaml(one_of_everything("tls: { version: \"1.2\" }", "rsa-2048"), "tls12.yaml");
  const auto& h = r.metrics.overall.latency_ns;
  const double expected = kRequestNs + 3 * kClientToL7RoundTripNs + 837e3 + 303e3;
  EXPECT_GE(static_cast<double>(h.min()), expected);
  EXPECT_LE(static_cast<double>(h.max()), expected + kUpstreamConnectNs + kSlackNs);
}

TEST(Simulation, ResumedSessionsSkipTheSignature) {
  // All meant to resume (TLS 1.3 PSK with ECDHE): 1 TLS round trip, the server's 180 + 420
  // us of CPU (no signature: the RSA key costs nothing more), the client's 65 + 93. Only
  // the first connection cannot: no answer has brought a session yet, so it shakes hands
  // in full (460 + 420 us), as a real client does.
  const results::RunResult r = models::run_scenario(
      config::load_scenario(one_of_everything("tls: { version: \"1.3\", resumption: 100% }", "rsa-2048"), "resumed.yaml"));
  for (const auto& n : r.metrics.nodes)
    if (n.kind == topology::NodeKind::l7) {
      EXPECT_EQ(n.tls_full, 1u);
      EXPECT_EQ(n.tls_resumed, r.metrics.overall.sent - 1);
      EXPECT_NEAR(n.tls_cpu_seconds, 880e-6 + static_cast<double>(n.tls_resumed) * 600e-6, 1e-9);
    }
  const auto& h = r.metrics.overall.latency_ns;
  const double resumed = kRequestNs + 2 * kClientToL7RoundTripNs + 600e3 + 158e3;
  EXPECT_GE(static_cast<double>(h.min()), resumed);
  EXPECT_LE(static_cast<double>(h.quantile(0.9)), resumed + kSlackNs);
}

}  // namespace
}  // namespace lbsim
