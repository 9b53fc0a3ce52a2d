// SPDX-License-Identifier: GPL-3.0-or-later
// Where zone-aware and plain cross-zone routing send traffic in a whole run.
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
  const results::RunResult r = test::run_yaml(yaml, "zones.yaml");
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
