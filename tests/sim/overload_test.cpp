// SPDX-License-Identifier: GPL-3.0-or-later
// Overload: what sheds, refuses or caps, and where, when more is offered than a tier can take.
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

TEST(Simulation, AnOverloadedL7NodeShedsWithA503) {
  // One core at 1 ms per request serves 1000/s; offered 3000/s for 2 s with room for 50
  // waiting. Roughly two requests in three must be shed, each with a quick 503, and
  // none waits behind more than 50 others.
  const std::string yaml = R"(name: shed
seed: 41
duration: 2s
topology: { zones: [a], internet: { latency: 1ms } }
clients:
  - { name: c, arrival: { rate: 3000/s }, tls: none, keepalive: { requests_per_connection: 100 }, mix: [ { path: / } ] }
l4: { algorithm: round_robin }
l7:
  nodes_per_zone: 1
  cpu: { cores: 1, per_request: 1ms }
  queue_limit: 50
  rules: [ { default: true, forward: app } ]
target_groups:
  app: { per_zone: 2, workers: 64, service_time: { dist: constant, value: 100us } }
)";
  const results::RunResult r = test::run_yaml(yaml, "shed.yaml");
  const auto& all = r.metrics.overall;
  EXPECT_EQ(all.failed, all.failures(503));
  EXPECT_NEAR(static_cast<double>(all.failed) / all.sent, 2.0 / 3, 0.05);
  // The queue never held more than 50 (+ a core's worth): at 1 ms each, about 51 ms of
  // waiting plus the path, far below the seconds an unbounded queue would reach.
  EXPECT_LT(static_cast<double>(all.latency_ns.max()), 0.2e9);
  for (const auto& n : r.metrics.nodes)
    if (n.kind == topology::NodeKind::l7) {
      EXPECT_EQ(n.refused, all.failed);
    }
}



TEST(Simulation, AnL4PacketRateLimitCapsThroughput) {
  // One L4 node forwarding 2000 messages/s; each plain-HTTP request on a kept-alive
  // connection is 2 messages through it under DNAT (request in, reply out), so it carries
  // at most 1000 requests/s. Offered 1500/s for 4 s: the node runs flat out and the run
  // takes offered / capacity = 6 s to drain.
  const std::string yaml = R"(name: pps
seed: 81
duration: 4s
topology: { zones: [a] }
clients:
  - { name: c, arrival: { rate: 1500/s }, source_ips: 1, tls: none, keepalive: { requests_per_connection: 1000000 }, mix: [ { path: / } ] }
l4: { algorithm: round_robin, target_group: app, packets_per_second: 2000/s }
target_groups:
  app: { per_zone: 2, workers: 64, service_time: { dist: constant, value: 1ms } }
)";
  const results::RunResult r = test::run_yaml(yaml, "pps.yaml");
  const double sent = static_cast<double>(r.metrics.overall.sent);
  EXPECT_NEAR(r.sim_seconds, sent / 1000.0, 0.1);
  for (const auto& n : r.metrics.nodes)
    if (n.kind == topology::NodeKind::l4) {
      EXPECT_GT(n.utilization(r.sim_seconds), 0.97);
    }
}



TEST(Simulation, ABackendConnectionPoolCapsConcurrency) {
  // One L7 node may hold 2 connections to its one backend; a request holds one for its
  // 10 ms of service plus the L7 <-> backend round trip (2 x 100 us), so at most
  // 2 / 10.2 ms = 196 requests/s get through. Offered 400/s for 2 s: the rest wait for a
  // connection and the run drains at that rate. Exactly 2 connections are ever opened.
  const std::string yaml = R"(name: pool
seed: 91
duration: 2s
topology: { zones: [a], internet: { latency: 1ms } }
clients:
  - { name: c, arrival: { rate: 400/s }, tls: none, mix: [ { path: / } ] }
l4: { algorithm: round_robin }
l7:
  nodes_per_zone: 1
  backend_connections: 2
  rules: [ { default: true, forward: app } ]
target_groups:
  app: { per_zone: 1, workers: 64, service_time: { dist: constant, value: 10ms } }
)";
  const results::RunResult r = test::run_yaml(yaml, "pool.yaml");
  const double sent = static_cast<double>(r.metrics.overall.sent);
  EXPECT_NEAR(r.sim_seconds, sent * 0.0102 / 2, 0.03);
  for (const auto& n : r.metrics.nodes)
    if (n.kind == topology::NodeKind::l7) {
      EXPECT_EQ(n.upstream_connections, 2u);
    }
  EXPECT_EQ(r.metrics.overall.completed, r.metrics.overall.sent);
}

}  // namespace
}  // namespace lbsim
