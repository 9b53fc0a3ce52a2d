// SPDX-License-Identifier: GPL-3.0-or-later
// Whole simulations. Each test runs in its own process (ctest + gtest_discover_tests):
// SimGrid's engine cannot be reset.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "config/loader.hpp"
#include "models/simulation.hpp"

namespace lbsim {
namespace {

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

std::uint64_t node_requests(const results::RunResult& r, const std::string& name) {
  for (const auto& n : r.metrics.nodes)
    if (n.name == name) return n.requests;
  ADD_FAILURE() << "no node " << name;
  return 0;
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
    const std::uint64_t l4 = node_requests(r, "l4-" + zone + "-0");
    EXPECT_GT(l4, 0u);
    EXPECT_EQ(l4, node_requests(r, "l7-" + zone + "-0") + node_requests(r, "l7-" + zone + "-1")) << zone;
  }
}

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
      models::run_scenario(config::load_scenario(one_of_everything("tls: none, source_ips: 1, keepalive: { requests_per_connection: 1000 }", "ecdsa-p256"), "idle.yaml"));
  const auto& h = r.metrics.overall.latency_ns;
  ASSERT_GT(h.count(), 10u);
  EXPECT_GE(static_cast<double>(h.min()), kRequestNs);
  EXPECT_LE(static_cast<double>(h.quantile(0.9)), kRequestNs + kSlackNs);
  EXPECT_NEAR(static_cast<double>(h.max()), kRequestNs + kClientToL7RoundTripNs + kUpstreamConnectNs, kSlackNs);
}

TEST(Simulation, Tls13FullHandshakeCostsTwoRoundTripsAndItsCpu) {
  // A new connection per request: TCP (1 round trip) + TLS 1.3 full (1) + the L7 core's
  // key exchange and ECDSA signature (2 x 23.8 + 14.3 + 10 = 71.9 us).
  const results::RunResult r =
      models::run_scenario(config::load_scenario(one_of_everything("tls: { version: \"1.3\" }", "ecdsa-p256"), "tls13.yaml"));
  const auto& h = r.metrics.overall.latency_ns;
  const double expected = kRequestNs + 2 * kClientToL7RoundTripNs + 71.9e3;
  EXPECT_GE(static_cast<double>(h.min()), expected);
  EXPECT_LE(static_cast<double>(h.max()), expected + kUpstreamConnectNs + kSlackNs);
  for (const auto& n : r.metrics.nodes)
    if (n.kind == topology::NodeKind::l7) {
      EXPECT_EQ(n.tls_full, r.metrics.overall.sent);
      EXPECT_NEAR(n.tls_cpu_seconds, static_cast<double>(n.tls_full) * 71.9e-6, 1e-9);
    }
}

TEST(Simulation, Tls12FullHandshakeWithRsaCostsThreeRoundTrips) {
  // TCP (1) + TLS 1.2 full (2) round trips, and an RSA-2048 signature: 47.6 + 211 + 10 us.
  const results::RunResult r =
      models::run_scenario(config::load_scenario(one_of_everything("tls: { version: \"1.2\" }", "rsa-2048"), "tls12.yaml"));
  const auto& h = r.metrics.overall.latency_ns;
  const double expected = kRequestNs + 3 * kClientToL7RoundTripNs + 268.6e3;
  EXPECT_GE(static_cast<double>(h.min()), expected);
  EXPECT_LE(static_cast<double>(h.max()), expected + kUpstreamConnectNs + kSlackNs);
}

TEST(Simulation, ResumedSessionsSkipTheSignature) {
  // All resumed (TLS 1.3 PSK with ECDHE): 1 TLS round trip, 2 x 23.8 + 10 = 57.6 us of CPU.
  const results::RunResult r = models::run_scenario(
      config::load_scenario(one_of_everything("tls: { version: \"1.3\", resumption: 100% }", "rsa-2048"), "resumed.yaml"));
  for (const auto& n : r.metrics.nodes)
    if (n.kind == topology::NodeKind::l7) {
      EXPECT_EQ(n.tls_full, 0u);
      EXPECT_EQ(n.tls_resumed, r.metrics.overall.sent);
      EXPECT_NEAR(n.tls_cpu_seconds, static_cast<double>(n.tls_resumed) * 57.6e-6, 1e-9);
    }
  EXPECT_LE(static_cast<double>(r.metrics.overall.latency_ns.max()),
            kRequestNs + 2 * kClientToL7RoundTripNs + 57.6e3 + kUpstreamConnectNs + kSlackNs);
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
  const results::RunResult r = models::run_scenario(config::load_scenario(yaml, "l4only.yaml"));
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

}  // namespace
}  // namespace lbsim

namespace lbsim {
namespace {

std::string one_zone_l7(const std::string& l7_extra, const std::string& mix, const std::string& rate, int source_ips = 1000) {
  return R"(name: l7tier
seed: 9
duration: 2s
topology: { zones: [a] }
clients:
  - name: c
    arrival: { rate: )" + rate + R"( }
    source_ips: )" + std::to_string(source_ips) + R"(
    mix: )" + mix + R"(
l4: { algorithm: round_robin }
l7:
  nodes_per_zone: 1
)" + l7_extra + R"(
  rules:
    - { priority: 1, if: { path: /old/* }, redirect: { status: 301, path: /new } }
    - { priority: 2, if: { path: /missing }, fixed_response: { status: 404 } }
    - { default: true, forward: app }
target_groups:
  app: { per_zone: 2, workers: 32, service_time: { dist: constant, value: 1ms } }
)";
}

TEST(Simulation, WafBlocksEveryAttackAndNothingElse) {
  const std::string mix = R"([ { weight: 4, path: /search, query: "q=shoes" }, { weight: 1, path: /search, query: "q=1'+or+1=1--" } ])";
  const results::RunResult r = models::run_scenario(config::load_scenario(one_zone_l7("  waf: true", mix, "1000/s"), "w.yaml"));
  const auto& all = r.metrics.overall;
  const auto blocked = all.failures(403);
  EXPECT_EQ(all.failed, blocked);  // nothing else fails
  EXPECT_EQ(all.completed + blocked, all.sent);
  // One request in five is an attack (binomial, 5 sd).
  const double share = static_cast<double>(blocked) / all.sent;
  EXPECT_NEAR(share, 0.2, 5 * std::sqrt(0.2 * 0.8 / all.sent));
  // Blocked requests never reach a backend.
  std::uint64_t served = 0;
  for (const auto& n : r.metrics.nodes)
    if (n.kind == topology::NodeKind::backend) served += n.requests;
  EXPECT_EQ(served, all.completed);
}

TEST(Simulation, RateLimitAllowsTheBurstThenTheRate) {
  // One client address, 1000 req/s for 2 s against 100/s with a burst of 10 on the one
  // L7 node: the bucket lets through its 10 tokens plus what refills while requests
  // keep coming, 100/s x (time of the last arrival, just under 2 s): about 210.
  const std::string mix = "[ { path: /x } ]";
  const results::RunResult r = models::run_scenario(
      config::load_scenario(one_zone_l7("  rate_limit: { key: source_ip, rate: 100/s, burst: 10 }", mix, "1000/s", 1), "r.yaml"));
  const auto& all = r.metrics.overall;
  EXPECT_NEAR(static_cast<double>(all.completed), 210, 3);
  EXPECT_EQ(all.failures(429), all.sent - all.completed);
}

TEST(Simulation, RedirectsAndFixedResponsesAreAnsweredByTheL7Tier) {
  const std::string mix = "[ { path: /old/page }, { path: /missing }, { path: /ok } ]";
  const results::RunResult r = models::run_scenario(config::load_scenario(one_zone_l7("", mix, "600/s"), "f.yaml"));
  const auto& all = r.metrics.overall;
  // 301 counts as answered; 404 as failed; only /ok reaches a backend.
  EXPECT_EQ(all.failed, all.failures(404));
  std::uint64_t served = 0;
  for (const auto& n : r.metrics.nodes)
    if (n.kind == topology::NodeKind::backend) served += n.requests;
  EXPECT_EQ(all.completed + all.failed, all.sent);
  const std::uint64_t redirected = all.completed - served;
  const double sd = 5 * std::sqrt(2.0 / 9 / all.sent);  // each a third (binomial, 5 sd)
  EXPECT_NEAR(static_cast<double>(served) / all.sent, 1.0 / 3, sd);
  EXPECT_NEAR(static_cast<double>(redirected) / all.sent, 1.0 / 3, sd);
  EXPECT_NEAR(static_cast<double>(all.failed) / all.sent, 1.0 / 3, sd);
}

}  // namespace
}  // namespace lbsim

namespace lbsim {
namespace {

TEST(Simulation, AStuckBackendFailsItsHealthChecksWithinTheThresholdWindow) {
  // One worker per backend and 30 s of service: from its first request on, a backend
  // answers nothing, probes included, until its queue drains long after the traffic. Checks every 3 s with a 1 s timeout and an
  // unhealthy threshold of 2: a target stuck at time s is marked unhealthy within
  // [s + 3 x (2 - 1), s + 3 x 2 + 1] (the probe phase decides where). Both backends
  // get stuck almost at once (10 req/s), so the L7 node then fails open.
  const std::string yaml = R"(name: stuck
seed: 4
duration: 12s
topology: { zones: [a] }
clients:
  - { name: c, arrival: { rate: 10/s }, mix: [ { path: / } ] }
l4: { algorithm: round_robin }
l7:
  nodes_per_zone: 1
  rules: [ { default: true, forward: app } ]
target_groups:
  app:
    per_zone: 2
    workers: 1
    queue_limit: 100000
    service_time: { dist: constant, value: 30s }
    health_check: { interval: 3s, timeout: 1s, healthy: 2, unhealthy: 2 }
)";
  const results::RunResult r = models::run_scenario(config::load_scenario(yaml, "stuck.yaml"));
  std::vector<const results::HealthEvent*> unhealthy;
  for (const auto& e : r.metrics.health_events)
    if (e.checker == "l7-a-0-hc-app" && !e.healthy) unhealthy.push_back(&e);
  ASSERT_EQ(unhealthy.size(), 2u);  // each backend once: busy until their queues drain
  for (const auto* e : unhealthy) {
    // Stuck from its first request, within the first second or so at 10 req/s.
    EXPECT_GE(e->time, 3.0) << e->target;
    EXPECT_LE(e->time, 1.5 + 3 * 2 + 1) << e->target;
    EXPECT_EQ(e->reason, "2 consecutive failures reached unhealthy threshold 2");
  }
  EXPECT_NE(unhealthy[0]->target, unhealthy[1]->target);
  // Fail-open: with every target unhealthy the node still forwards (nothing is refused).
  EXPECT_EQ(r.metrics.overall.failures(503), 0u);
}

}  // namespace
}  // namespace lbsim

namespace lbsim {
namespace {

TEST(Simulation, OutlierEjectionRespectsTheCapAndGrowsEachEjection) {
  // Ten backends that answer every request with 500. Ejection after 5 consecutive 5xx
  // for n x 1 s (the n-th time), at most 10 % of the group at once: one backend.
  const std::string yaml = R"(name: outliers
seed: 6
duration: 6s
topology: { zones: [a] }
clients:
  - { name: c, arrival: { rate: 500/s }, mix: [ { path: / } ] }
l4: { algorithm: round_robin }
l7:
  nodes_per_zone: 1
  outlier_detection: { consecutive_5xx: 5, base_ejection_time: 1s, max_ejection_percent: 10% }
  rules: [ { default: true, forward: app } ]
target_groups:
  app: { per_zone: 10, workers: 8, error_rate: 100%, service_time: { dist: constant, value: 1ms } }
)";
  const results::RunResult r = models::run_scenario(config::load_scenario(yaml, "outliers.yaml"));
  EXPECT_EQ(r.metrics.overall.failures(500), r.metrics.overall.sent);
  std::vector<const results::HealthEvent*> ejections;
  for (const auto& e : r.metrics.health_events)
    if (e.until > 0) ejections.push_back(&e);
  ASSERT_GE(ejections.size(), 3u);
  std::map<std::string, int> times;
  for (std::size_t i = 0; i < ejections.size(); ++i) {
    const auto& e = *ejections[i];
    const int nth = ++times[e.target];
    EXPECT_NEAR(e.until - e.time, nth * 1.0, 1e-9) << e.target << " ejection " << nth;
    // One at a time: the next ejection starts no earlier than this one ends.
    if (i + 1 < ejections.size()) {
      EXPECT_GE(ejections[i + 1]->time, e.until - 1e-9);
    }
  }
}

}  // namespace
}  // namespace lbsim

namespace lbsim {
namespace {

// 50 client addresses, each a browser with a cookie jar, 10 requests/s each, every
// request on a new connection (so the L4 tier spreads them over both L7 nodes).
std::string sticky_scenario(const std::string& stickiness) {
  return R"(name: sticky
seed: 12
duration: 4s
topology: { zones: [a] }
clients:
  - { name: c, arrival: { rate: 500/s }, source_ips: 50, mix: [ { path: / } ] }
l4: { algorithm: round_robin }
l7:
  nodes_per_zone: 2
  rules: [ { default: true, forward: app } ]
target_groups:
  app: { per_zone: 4, workers: 16, stickiness: )" + stickiness + R"(, service_time: { dist: constant, value: 1ms } }
)";
}

// About one miss per address, plus the requests sent before its first answer came back
// (a ~42 ms round trip against ~100 ms between requests); every other request hits.
void expect_sticky_after_the_first_answer(const results::RunResult& r) {
  const auto& g = r.metrics.by_group.at(0);
  EXPECT_EQ(g.sticky_hits + g.sticky_misses, r.metrics.overall.sent);
  EXPECT_GE(g.sticky_misses, 50u);
  EXPECT_LT(g.sticky_misses, 50u + r.metrics.overall.sent / 10);
  EXPECT_EQ(r.metrics.overall.completed, r.metrics.overall.sent);
}

TEST(Simulation, StickyCookieKeepsEachClientOnItsBackendAcrossL7Nodes) {
  // A client's first request is placed and gets AWSALB; later ones hit — on either node,
  // since both belong to one load balancer.
  const std::string yaml = sticky_scenario("{ type: lb_cookie, duration: 1h }");
  expect_sticky_after_the_first_answer(models::run_scenario(config::load_scenario(yaml, "sticky.yaml")));
}

TEST(Simulation, AppCookieStickinessFollowsTheSessionTheBackendStarted) {
  // Application-based: a client's first request has no session, so it is not sticky (a
  // miss) and its backend starts one (SESSIONID); the balancer points AWSALBAPP at that
  // backend, and every later request carries both and hits.
  const std::string yaml = sticky_scenario("{ type: app_cookie, cookie: SESSIONID, duration: 1h }");
  expect_sticky_after_the_first_answer(models::run_scenario(config::load_scenario(yaml, "sticky.yaml")));
}

}  // namespace
}  // namespace lbsim

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
  const results::RunResult r = models::run_scenario(config::load_scenario(yaml, "shed.yaml"));
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

}  // namespace
}  // namespace lbsim

namespace lbsim {
namespace {

TEST(Simulation, ClosedLoopThroughputFollowsLittlesLaw) {
  // 100 users, each: send, wait for the answer (response time R), think Z (exp, 90 ms).
  // Under light load the throughput is users / (R + Z) (the interactive response time
  // law). R here is ~10 ms: a 1 ms path each way and 8 ms of constant service.
  const std::string yaml = R"(name: closed
seed: 51
duration: 60s
topology: { zones: [a], internet: { latency: 1ms }, intra_zone: { latency: 10us } }
clients:
  - { name: c, arrival: { kind: closed, users: 100, think_time: { dist: exponential, mean: 90ms } }, source_ips: 100, tls: none, keepalive: { requests_per_connection: 1000000 }, mix: [ { path: / } ] }
l4: { algorithm: round_robin, target_group: app }
target_groups:
  app: { per_zone: 4, workers: 64, service_time: { dist: constant, value: 8ms } }
)";
  const results::RunResult r = models::run_scenario(config::load_scenario(yaml, "closed.yaml"));
  const auto& all = r.metrics.overall;
  const double response_s = all.latency_ns.mean() / 1e9;
  EXPECT_NEAR(response_s, 0.010, 0.0005);  // 2 x (1 ms + 10 us + 10 us) + 8 ms, plus the first connections' handshakes
  const double throughput = static_cast<double>(all.completed) / 60.0;
  EXPECT_NEAR(throughput, 100 / (response_s + 0.090), 100 / (response_s + 0.090) * 0.02);
  EXPECT_EQ(all.completed, all.sent);
}

}  // namespace
}  // namespace lbsim

namespace lbsim {
namespace {

std::string retrying(const std::string& client_extra, const std::string& group_extra, const std::string& service) {
  return R"(name: retries
seed: 61
duration: 10s
topology: { zones: [a], internet: { latency: 1ms } }
clients:
  - { name: c, arrival: { rate: 200/s }, source_ips: 50, tls: none, keepalive: { requests_per_connection: 1000000 }, )" +
         client_extra + R"(, mix: [ { path: / } ] }
l4: { algorithm: round_robin, target_group: app }
target_groups:
  app: { per_zone: 4, workers: 64, )" + group_extra + R"( service_time: { dist: constant, value: )" + service + R"( } }
)";
}

TEST(Simulation, TimeoutsEndEveryAttemptAtTheTimeout) {
  // Service takes 50 ms; the client waits 20 ms: every request times out at exactly 20 ms.
  const auto r = models::run_scenario(config::load_scenario(retrying("timeout: 20ms", "", "50ms"), "t.yaml"));
  const auto& all = r.metrics.overall;
  EXPECT_EQ(all.failures(results::kStatusTimeout), all.sent);
  EXPECT_EQ(all.latency_ns.min(), 20'000'000u);
  EXPECT_EQ(all.latency_ns.max(), 20'000'000u);
}

TEST(Simulation, RetriesRecoverErrorsAsTheirClosedFormSays) {
  // Each attempt fails with 1/2 (500); up to 3 retries, no budget limit in practice:
  // a request fails only if all 4 attempts do, 1/16; it makes 1/2 + 1/4 + 1/8 = 0.875
  // retries on average.
  const auto r = models::run_scenario(config::load_scenario(
      retrying("retries: { max: 3, backoff: 1ms, budget: 100%, min_concurrency: 1000 }", "error_rate: 50%,", "1ms"), "r.yaml"));
  const auto& all = r.metrics.overall;
  const double n = static_cast<double>(all.sent);
  EXPECT_NEAR(all.failures(500) / n, 1.0 / 16, 5 * std::sqrt(1.0 / 16 * 15 / 16 / n));
  EXPECT_NEAR(all.retries / n, 0.875, 0.05);
  EXPECT_EQ(all.completed + all.failed, all.sent);
}

TEST(Simulation, WithoutABudgetEveryFailureIsRetriedToTheMax) {
  // Every attempt fails. With the budget out of the way, 3 retries per request: the
  // retry storm, exactly 3 x sent.
  const auto storm = retrying("retries: { max: 3, backoff: 10ms, budget: 100%, min_concurrency: 1000 }", "error_rate: 100%,", "1ms");
  const auto r = models::run_scenario(config::load_scenario(storm, "s.yaml"));
  EXPECT_EQ(r.metrics.overall.retries, 3 * r.metrics.overall.sent);
}

TEST(Simulation, ARetryBudgetCapsARetryStorm) {
  // The same failures with a 10 % budget and no minimum: retries in flight stay under a
  // tenth of the active requests, so far fewer than one retry per request is made.
  const auto budgeted = retrying("retries: { max: 3, backoff: 10ms, budget: 10%, min_concurrency: 0 }", "error_rate: 100%,", "1ms");
  const auto r = models::run_scenario(config::load_scenario(budgeted, "b.yaml"));
  EXPECT_LT(r.metrics.overall.retries, r.metrics.overall.sent);
  EXPECT_EQ(r.metrics.overall.failures(500), r.metrics.overall.sent);
}

}  // namespace
}  // namespace lbsim

namespace lbsim {
namespace {

struct ZoneSplit {
  double l7_a = 0, l7_b = 0, backends_a = 0;
};

ZoneSplit zone_split(const std::string& cross_zone) {
  // Two zones; each zone's clients reach their own L4 and L7 nodes (L4 cross-zone off);
  // round robin over the group's 4 + 4 backends.
  const std::string yaml = R"(name: zones
seed: 71
duration: 3s
topology: { zones: [a, b] }
clients:
  - { name: c, arrival: { rate: 1000/s }, tls: none, mix: [ { path: / } ] }
l4: { algorithm: round_robin }
l7:
  nodes_per_zone: 1
  cross_zone: )" + cross_zone + R"(
  rules: [ { default: true, forward: app } ]
target_groups:
  app: { per_zone: 4, workers: 16, service_time: { dist: constant, value: 1ms } }
)";
  const results::RunResult r = models::run_scenario(config::load_scenario(yaml, "zones.yaml"));
  ZoneSplit split;
  for (const auto& n : r.metrics.nodes) {
    if (n.kind == topology::NodeKind::l7) (n.zone == "a" ? split.l7_a : split.l7_b) = static_cast<double>(n.requests);
    if (n.kind == topology::NodeKind::backend && n.zone == "a") split.backends_a += static_cast<double>(n.requests);
  }
  return split;
}

TEST(Simulation, ZoneAwareRoutingKeepsTrafficInZoneWhenEveryZoneIsHealthy) {
  // Equal callers and equal healthy backends per zone: Envoy's plan is "all local", so
  // zone a's backends serve exactly what zone a's L7 node routed.
  const ZoneSplit split = zone_split("zone_aware");
  EXPECT_GT(split.l7_a, 0);
  EXPECT_EQ(split.backends_a, split.l7_a);
}

TEST(Simulation, PlainCrossZoneSpreadsOverEveryZone) {
  // ALB-style cross-zone: round robin over all 8 sends half of each node's requests into
  // each zone (within one turn of 4), so zone a's backends serve half of everything.
  const ZoneSplit split = zone_split("true");
  EXPECT_NEAR(split.backends_a, (split.l7_a + split.l7_b) / 2, 8);
}

}  // namespace
}  // namespace lbsim

namespace lbsim {
namespace {

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
  const results::RunResult r = models::run_scenario(config::load_scenario(yaml, "pps.yaml"));
  const double sent = static_cast<double>(r.metrics.overall.sent);
  EXPECT_NEAR(r.sim_seconds, sent / 1000.0, 0.1);
  for (const auto& n : r.metrics.nodes)
    if (n.kind == topology::NodeKind::l4) {
      EXPECT_GT(n.utilization(r.sim_seconds), 0.97);
    }
}

}  // namespace
}  // namespace lbsim

namespace lbsim {
namespace {

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
  const results::RunResult r = models::run_scenario(config::load_scenario(yaml, "pool.yaml"));
  const double sent = static_cast<double>(r.metrics.overall.sent);
  EXPECT_NEAR(r.sim_seconds, sent * 0.0102 / 2, 0.03);
  for (const auto& n : r.metrics.nodes)
    if (n.kind == topology::NodeKind::l7) {
      EXPECT_EQ(n.upstream_connections, 2u);
    }
  EXPECT_EQ(r.metrics.overall.completed, r.metrics.overall.sent);
}

// Two backends behind the L4 tier, one of them ten times slower from the start; every
// request its own connection, so the L4 algorithm picks per request.
std::string one_slow_backend(const std::string& algorithm) {
  return R"(name: t
seed: 5
duration: 5s
topology: { zones: [a], internet: { latency: 1ms, bandwidth: 10Gbps } }
clients:
  - { name: web, arrival: { rate: 2000/s }, source_ips: 500, tls: none, keepalive: { requests_per_connection: 1 }, mix: [ { path: /x } ] }
l4: { algorithm: )" + algorithm + R"(, target_group: app }
target_groups:
  app: { per_zone: 2, workers: 64, service_time: { dist: constant, value: 5ms } }
faults:
  - { at: 0s, kind: slow_backend, targets: app-a-1, factor: 10 }
)";
}

double slow_share(const results::RunResult& r) {
  const double fast = static_cast<double>(node_requests(r, "app-a-0")), slow = static_cast<double>(node_requests(r, "app-a-1"));
  return slow / (fast + slow);
}

TEST(Simulation, L4RoundRobinIgnoresHowSlowABackendIs) {
  const auto r = models::run_scenario(config::load_scenario(one_slow_backend("round_robin"), "t.yaml"));
  EXPECT_NEAR(slow_share(r), 0.5, 0.01);
}

TEST(Simulation, L4LeastConnectionsCountsAConnectionOpenUntilItsAnswerGoesBack) {
  // Under DNAT a connection is open at the L4 node from its SYN until its last answer
  // passes back: about 2 ms of round trips plus 5 ms on the fast backend, plus 50 ms on
  // the slow one. Least connections keeps the open counts level, so each backend's share
  // of new connections goes as 1 / lifetime: the slow one gets about 7 / (7 + 52) = 12 %.
  const auto r = models::run_scenario(config::load_scenario(one_slow_backend("least_connections"), "t.yaml"));
  EXPECT_GT(slow_share(r), 0.05);
  EXPECT_LT(slow_share(r), 0.2);
}

}  // namespace
}  // namespace lbsim
