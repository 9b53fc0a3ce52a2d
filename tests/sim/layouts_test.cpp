// SPDX-License-Identifier: GPL-3.0-or-later
// Whole simulations of the basic layouts: every request accounted, each tier where it should be.
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

using test::node_named;

std::string two_tier(const std::string& rate, const std::string& duration, const std::string& api_workers = "8",
                     const std::string& api_queue = "1000") {
  return "name: t\nseed: 3\nduration: " + duration + R"(
topology:
  zones: [a, b]
  internet:   { latency: 20ms, bandwidth: 10Gbps }
  intra_zone: { latency: 100us, bandwidth: 10Gbps }
  inter_zone: { latency: 1ms, bandwidth: 10Gbps }
clients:
  - name: web
    arrival: { kind: poisson, rate: )" + rate + R"( }
    keepalive: { requests_per_connection: 5 }
    mix:
      - { weight: 3, path: /api/x }
      - { weight: 1, path: /static/y, response: 20KB }
l4: { algorithm: round_robin, cross_zone: false }
l7:
  nodes_per_zone: 2
  cpu: { cores: 2, per_request: 50us }
  rules:
    - { priority: 1, if: { path: /static/* }, forward: static }
    - { default: true, forward: api }
target_groups:
  api:    { per_zone: 2, workers: )" + api_workers + ", queue_limit: " + api_queue + R"(, service_time: { dist: exponential, mean: 4ms } }
  static: { per_zone: 1, workers: 8, service_time: { dist: constant, value: 1ms } }
)";
}

TEST(Simulation, UnderloadedScenarioCompletesEveryRequestItSends) {
  const auto spec = config::load_scenario(two_tier("2000/s", "3s"), "t.yaml");
  const results::RunResult r = models::run_scenario(spec);
  const auto& all = r.metrics.overall;
  // Poisson(6000): sd ~ 77; 5 sd = 387.
  EXPECT_NEAR(static_cast<double>(all.sent), 6000, 387);
  EXPECT_EQ(all.completed, all.sent);
  EXPECT_EQ(all.failed, 0u);
  EXPECT_EQ(all.latency_ns.count(), all.sent);
  // Every request is accounted for in exactly one zone and one target group.
  std::uint64_t by_zone = 0, by_group = 0;
  for (const auto& z : r.metrics.by_zone) by_zone += z.completed;
  for (const auto& g : r.metrics.by_group) by_group += g.completed;
  EXPECT_EQ(by_zone, all.completed);
  EXPECT_EQ(by_group, all.completed);
  // The static rule takes a quarter of the traffic (binomial, 5 sd).
  const double static_share = static_cast<double>(r.metrics.by_group[1].completed) / all.completed;
  EXPECT_NEAR(static_share, 0.25, 5 * std::sqrt(0.25 * 0.75 / all.completed));
  // Nobody was too busy to answer a health check.
  EXPECT_TRUE(r.metrics.health_events.empty());
  // The run ends when the last answer arrives: shortly after the traffic stops.
  EXPECT_GT(r.sim_seconds, 3.0);
  EXPECT_LT(r.sim_seconds, 3.5);
}

TEST(Simulation, CrossZoneOffKeepsEachL4NodeInItsZone) {
  const auto spec = config::load_scenario(two_tier("1000/s", "2s"), "t.yaml");
  const results::RunResult r = models::run_scenario(spec);
  for (const std::string zone : {"a", "b"}) {
    const std::uint64_t l4 = node_named(r, "l4-" + zone + "-0").requests;
    EXPECT_GT(l4, 0u);
    EXPECT_EQ(l4, node_named(r, "l7-" + zone + "-0").requests + node_named(r, "l7-" + zone + "-1").requests) << zone;
  }
}

TEST(Simulation, FullBackendsRefuseAndEveryRequestIsStillAccounted) {
  // 1 worker, no queue, 4 ms service per api backend: 4 backends serve at most
  // 1000/s, offered 3 x 3000/4 = 2250/s. Many requests must be refused with 503.
  const auto spec = config::load_scenario(two_tier("3000/s", "2s", "1", "0"), "t.yaml");
  const results::RunResult r = models::run_scenario(spec);
  const auto& all = r.metrics.overall;
  EXPECT_GT(all.failed, all.sent / 4);
  EXPECT_EQ(all.completed + all.failed, all.sent);
  EXPECT_EQ(all.failures(503), all.failed);
  // The api group's utilisation cannot exceed 1.
  for (const auto& n : r.metrics.nodes) EXPECT_LE(n.utilization(r.sim_seconds), 1.0 + 1e-9) << n.name;
}

TEST(Simulation, L4OnlyLayoutForwardsStraightToBackends) {
  const std::string yaml = R"(name: l4only
seed: 5
duration: 2s
topology: { zones: [a, b] }
clients:
  - { name: c, arrival: { rate: 1000/s }, mix: [ { path: / } ] }
l4: { algorithm: flow_hash, target_group: app }
target_groups:
  app: { per_zone: 3, workers: 4, service_time: { dist: exponential, mean: 2ms } }
)";
  const results::RunResult r = test::run_yaml(yaml, "l4only.yaml");
  const auto& all = r.metrics.overall;
  EXPECT_GT(all.sent, 1500u);
  EXPECT_EQ(all.completed, all.sent);
  std::uint64_t served = 0;
  for (const auto& n : r.metrics.nodes)
    if (n.kind == topology::NodeKind::backend) served += n.requests;
  EXPECT_EQ(served, all.sent);
  EXPECT_EQ(r.metrics.by_group[0].sent, all.sent);
  // TLS passes through the L4 tier: the backends terminate it, one full handshake per
  // connection (one request each here), and their workers pay the CPU.
  std::uint64_t handshakes = 0;
  for (const auto& n : r.metrics.nodes) {
    if (n.kind == topology::NodeKind::backend) handshakes += n.tls_full;
    if (n.kind == topology::NodeKind::l4) {
      EXPECT_EQ(n.tls_full, 0u);
    }
  }
  EXPECT_EQ(handshakes, all.sent);
}

TEST(Simulation, AnswersLaterThanTheDrainAreNeitherCountedTwiceNorRecorded) {
  // Every request takes 10 000 s, far past 2 s + the 5 s drain: all are reported unanswered
  // when the drain ends. The backends' answers still land hours later in simulated time
  // (SimGrid runs the pending timers); they used to be counted again as completed, and to
  // grow the per-second timeline to 10 000 intervals (1.3 GB).
  const auto r = test::run_yaml(R"(name: late
duration: 2s
drain_timeout: 5s
topology: { zones: [a] }
clients:
  - { name: web, arrival: { rate: 100/s }, mix: [ { path: / } ] }
l4: { target_group: api }
target_groups:
  api: { per_zone: 1, service_time: { dist: constant, value: 10000s } }
)");
  const auto& all = r.metrics.overall;
  EXPECT_GT(all.sent, 100u);
  EXPECT_EQ(all.completed, 0u);
  EXPECT_EQ(all.failed, all.sent);
  EXPECT_EQ(r.metrics.unanswered, all.sent);
  EXPECT_DOUBLE_EQ(r.sim_seconds, 7.0);
  EXPECT_LE(r.metrics.timeline.size(), 8u);
}

}  // namespace
}  // namespace lbsim
