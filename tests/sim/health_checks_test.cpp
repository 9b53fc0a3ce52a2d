// SPDX-License-Identifier: GPL-3.0-or-later
// Active health checks and outlier detection, timed against their thresholds.
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
  const results::RunResult r = test::run_yaml(yaml, "stuck.yaml");
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
  const results::RunResult r = test::run_yaml(yaml, "outliers.yaml");
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
