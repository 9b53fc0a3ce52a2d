// SPDX-License-Identifier: GPL-3.0-or-later
// The run-cost estimate: its counts against hand-computed ones, its request totals against
// the rate profile's closed form, the layouts that once exhausted the machine refused, the
// shipped scenarios accepted, and its growth in the right direction.
#include "config/cost.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "config/loader.hpp"

namespace {

using lbsim::config::CostLimits;
using lbsim::config::estimate_cost;
using lbsim::config::load_scenario;
using lbsim::config::over_limits;
using lbsim::config::ScenarioSpec;
using ::testing::HasSubstr;
using ::testing::StartsWith;

std::string zone_list(int zones) {
  std::string list;
  for (int z = 0; z < zones; ++z) list += (z ? ",z" : "z") + std::to_string(z);
  return list;
}

// One population, one target group of 8 backends a zone; two L7 nodes a zone when two-tier.
ScenarioSpec layout(int zones, const std::string& rate, const std::string& duration, bool two_tier, const std::string& extra = "") {
  std::string yaml = "name: cost\nduration: " + duration + "\ntopology: { zones: [" + zone_list(zones) + "] }\n" +
                     "clients:\n  - name: web\n    arrival: { kind: poisson, rate: " + rate + " }\n" +
                     "    mix: [ { weight: 1, path: / } ]\n";
  yaml += two_tier ? "l4: { nodes_per_zone: 1 }\nl7: { nodes_per_zone: 2, cpu: { cores: 4 }, rules: [ { default: true, forward: app } ] }\n"
                   : "l4: { nodes_per_zone: 1, target_group: app }\n";
  yaml += "target_groups:\n  app: { per_zone: 8, workers: 16 }\n" + extra;
  return load_scenario(yaml, "cost.yaml");
}

ScenarioSpec shipped(const std::string& name) {
  const std::string path = std::string(LBSIM_SOURCE_DIR) + "/scenarios/" + name;
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return load_scenario(text.str(), path);
}

TEST(RunCost, CountsNodesAndHealthCheckedPairsAsTheLayoutHasThem) {
  // 3 zones: 1 population, 3 L4 nodes, 6 L7 nodes, 24 backends. The L4 nodes check their
  // zone's 2 L7 nodes (3 x 2); each L7 node, cross-zone on, checks all 24 backends (6 x 24).
  const auto cost = estimate_cost(layout(3, "100/s", "10s", true));
  EXPECT_EQ(cost.nodes, 1u + 3 + 6 + 24);
  EXPECT_EQ(cost.checked_pairs, 3u * 2 + 6 * 24);
  // Actors: a prober per L4 node, the fault timeline, and per L7 node 4 cores, 2 timekeepers, 1 prober.
  EXPECT_EQ(cost.actors, 3u + 1 + 6 * (4 + 2 + 1));
  // Cross-zone off: each L7 node checks only its own zone's 8.
  ScenarioSpec local = layout(3, "100/s", "10s", true);
  local.l7->cross_zone = false;
  EXPECT_EQ(estimate_cost(local).checked_pairs, 3u * 2 + 6 * 8);
  // L4 only: each L4 node checks its zone's 8 backends.
  EXPECT_EQ(estimate_cost(layout(3, "100/s", "10s", false)).checked_pairs, 3u * 8);
}

TEST(RunCost, RequestsAreTheRateIntegratedOverTheRunSurgesIncluded) {
  EXPECT_NEAR(estimate_cost(layout(3, "100/s", "10s", false)).requests, 1000, 1e-6);
  // x3 from 2 s for 4 s: 100 x 10 + 200 x 4 more.
  const auto surged = layout(3, "100/s", "10s", false, "faults:\n  - { at: 2s, for: 4s, kind: traffic_surge, factor: 3 }\n");
  EXPECT_NEAR(estimate_cost(surged).requests, 1800, 1e-6);
  // A ramp from 0 to 200/s over the 10 s: its mean, 100/s.
  const auto ramp = load_scenario(
      "name: ramp\nduration: 10s\ntopology: { zones: [a] }\nclients:\n  - name: web\n"
      "    arrival: { kind: ramp, from: 0/s, to: 200/s, over: 10s }\n    mix: [ { weight: 1, path: / } ]\n"
      "l4: { target_group: app }\ntarget_groups:\n  app: { per_zone: 1 }\n",
      "ramp.yaml");
  EXPECT_NEAR(estimate_cost(ramp).requests, 1000, 1);
}

TEST(RunCost, TheShippedScenariosAreWellWithinTheDefaultLimits) {
  for (const char* name : {"two-tier-3az.yaml", "l4-only-3az.yaml", "failures/retry-storm.yaml", "failures/zone-outage-two-tier.yaml"}) {
    const auto cost = estimate_cost(shipped(name));
    EXPECT_EQ(over_limits(cost, CostLimits{}), "") << name;
    EXPECT_LT(cost.memory_bytes, 200e6) << name;  // measured: 55-80 MB (bench/cost-calibration.sh)
    EXPECT_LT(cost.wall_seconds, 60) << name;     // measured: 1.5-24 s
  }
}

TEST(RunCost, AThousandZonesTwoTierIsRefusedWithTheEstimateAndTheOptionThatRaisesTheLimit) {
  // It once died with "Failed to allocate stack" after 45 s and 3 GB: 2 000 L7 nodes each
  // checking 8 000 backends is 16 M health-checked pairs.
  const auto cost = estimate_cost(layout(1000, "100/s", "10s", true));
  EXPECT_GT(cost.checked_pairs, 15'000'000u);
  const std::string why = over_limits(cost, CostLimits{});
  EXPECT_THAT(why, StartsWith("this run would need ~"));
  EXPECT_THAT(why, HasSubstr("GB of memory"));
  EXPECT_THAT(why, HasSubstr("health-checked pairs"));
  EXPECT_THAT(why, HasSubstr("the limit is 2.0 GB; raise it with --max-memory"));
  CostLimits more;
  more.memory_bytes = 1e12;
  more.wall_seconds = 1e6;
  EXPECT_EQ(over_limits(cost, more), "");
}

TEST(RunCost, TenThousandZonesAreRefusedEvenL4Only) {
  // SimGrid's routing table between the zones alone grows with their square.
  EXPECT_GT(estimate_cost(layout(10000, "100/s", "10s", false)).memory_bytes, 50e9);
  EXPECT_NE(over_limits(estimate_cost(layout(10000, "100/s", "10s", false)), CostLimits{}), "");
}

TEST(RunCost, AMillionRequestsASecondIntoTheShippedTwoTierLayoutIsRefused) {
  // It grew to 2-4 GB: more bytes than the L4 nodes' NICs carry pile up for the whole run.
  ScenarioSpec spec = shipped("two-tier-3az.yaml");
  spec.clients[0].arrival.profile = lbsim::traffic::RateProfile::constant(1e6);
  const auto cost = estimate_cost(spec);
  EXPECT_GT(cost.saturated_flows, 0);
  EXPECT_THAT(over_limits(cost, CostLimits{}), HasSubstr("transfers sharing saturated links"));
}

TEST(RunCost, GrowsWithZonesRateAndDuration) {
  double previous = 0;
  for (int zones : {3, 30, 100, 300}) {
    const double memory = estimate_cost(layout(zones, "100/s", "10s", true)).memory_bytes;
    EXPECT_GT(memory, previous) << zones;
    previous = memory;
  }
  EXPECT_LT(estimate_cost(layout(3, "1000/s", "10s", false)).wall_seconds, estimate_cost(layout(3, "100000/s", "10s", false)).wall_seconds);
  EXPECT_LT(estimate_cost(layout(3, "1000/s", "10s", false)).peak_in_flight, estimate_cost(layout(3, "100000/s", "10s", false)).peak_in_flight);
  EXPECT_LT(estimate_cost(layout(3, "1000/s", "10s", false)).events, estimate_cost(layout(3, "1000/s", "100s", false)).events);
}

TEST(RunCost, InFlightFollowsLittlesLawBelowCapacityAndTheQueuesAboveIt) {
  // 1 000/s, well below 24 backends x 16 workers / 10 ms = 38 400/s: rate x time in system,
  // which is at least the 40 ms round trip and the 10 ms service.
  const auto light = estimate_cost(layout(3, "1000/s", "10s", false));
  EXPECT_GE(light.peak_in_flight, 1000 * 0.050);
  EXPECT_LE(light.peak_in_flight, 1000 * 0.300);
  // 100 000/s: the 24 backends' queues (1 000 each) fill as well.
  const auto heavy = estimate_cost(layout(3, "100000/s", "10s", false));
  EXPECT_GE(heavy.peak_in_flight, 24 * 1000 + 100000 * 0.050);
}

TEST(RunCost, TooManyActorsOrTooLongARunAreRefusedNamingWhatToChange) {
  const auto cost = estimate_cost(layout(100, "100/s", "10s", true));  // 200 L7 nodes x 7 actors
  CostLimits few;
  few.actors = 1000;
  EXPECT_THAT(over_limits(cost, few), HasSubstr("vm.max_map_count"));
  CostLimits quick;
  quick.wall_seconds = 1e-3;
  EXPECT_THAT(over_limits(cost, quick), HasSubstr("raise it with --max-run-time"));
}

}  // namespace
