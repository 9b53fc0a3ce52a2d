// SPDX-License-Identifier: GPL-3.0-or-later
#include "zone/zone_routing.hpp"

#include <gtest/gtest.h>

namespace lbsim::zone {
namespace {

TEST(ZoneRouting, OverprovisioningKeepsAMostlyHealthyZoneWhole) {
  // 1.4 x 5/7 = 1.0: five of seven healthy still counts as fully available.
  EXPECT_DOUBLE_EQ(effective_capacity({5, 7, false}), 7.0);
  // 1.4 x 2/4 = 0.7 of four targets.
  EXPECT_DOUBLE_EQ(effective_capacity({2, 4, false}), 2.8);
  EXPECT_DOUBLE_EQ(effective_capacity({4, 4, true}), 0.0);  // shifted away
  EXPECT_DOUBLE_EQ(effective_capacity({0, 0, false}), 0.0);
}

TEST(ZoneRouting, CrossZoneOffStaysLocalEvenWhenLocalIsDown) {
  const std::vector<double> callers{0.5, 0.5};
  const std::vector<ZoneState> zones{{0, 4, false}, {4, 4, false}};
  const ZonePlan p = plan(Mode::local_only, 0, callers, zones);
  EXPECT_EQ(p.kind, ZonePlan::Kind::all_local);
  Random random(1);
  EXPECT_EQ(choose_zone(p, 0, random), 0u);
}

TEST(ZoneRouting, ZoneAwareStaysLocalWhileLocalHasItsShare) {
  // Equal callers and targets in three zones: all local.
  const std::vector<double> callers{1.0 / 3, 1.0 / 3, 1.0 / 3};
  const std::vector<ZoneState> zones{{4, 4, false}, {4, 4, false}, {4, 4, false}};
  EXPECT_EQ(plan(Mode::zone_aware, 1, callers, zones).kind, ZonePlan::Kind::all_local);
}

TEST(ZoneRouting, ZoneAwareSpillsWhatLocalCannotCarry) {
  // Zone a lost 3 of 4 targets: capacity a = 4 x min(1, 1.4/4) = 1.4; b = c = 4.
  // Shares: a = 1.4/9.4, b = c = 4/9.4. Callers are a third each, so a keeps
  // (1.4/9.4)/(1/3) = 0.4468 of its traffic and spills the rest equally to b and c
  // (each has 4/9.4 - 1/3 spare).
  const std::vector<double> callers{1.0 / 3, 1.0 / 3, 1.0 / 3};
  const std::vector<ZoneState> zones{{1, 4, false}, {4, 4, false}, {4, 4, false}};
  const ZonePlan p = plan(Mode::zone_aware, 0, callers, zones);
  ASSERT_EQ(p.kind, ZonePlan::Kind::spill);
  EXPECT_NEAR(p.local_share, (1.4 / 9.4) * 3, 1e-12);
  EXPECT_DOUBLE_EQ(p.spill_weights[0], 0.0);
  EXPECT_NEAR(p.spill_weights[1], 4 / 9.4 - 1.0 / 3, 1e-12);
  EXPECT_DOUBLE_EQ(p.spill_weights[1], p.spill_weights[2]);
  // Drawn many times, the shares come out (binomial, 5 sd).
  Random random(4);
  std::vector<int> counts(3, 0);
  const int n = 100000;
  for (int i = 0; i < n; ++i) ++counts[choose_zone(p, 0, random)];
  const double local = p.local_share;
  EXPECT_NEAR(counts[0] / double(n), local, 5 * std::sqrt(local * (1 - local) / n));
  EXPECT_NEAR(counts[1] / double(n), (1 - local) / 2, 0.01);
}

TEST(ZoneRouting, ZonalShiftTakesAZoneOut) {
  const std::vector<double> callers{0.5, 0.5};
  const std::vector<ZoneState> zones{{4, 4, true}, {4, 4, false}};
  const ZonePlan p = plan(Mode::spread, 0, callers, zones);
  EXPECT_DOUBLE_EQ(p.local_share, 0.0);
  Random random(2);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(choose_zone(p, 0, random), 1u);
  EXPECT_EQ(plan(Mode::local_only, 0, callers, zones).kind, ZonePlan::Kind::none_available);
}

TEST(ZoneRouting, SpreadFollowsCapacity) {
  const std::vector<double> callers{0.5, 0.5};
  const std::vector<ZoneState> zones{{2, 2, false}, {6, 6, false}};
  const ZonePlan p = plan(Mode::spread, 0, callers, zones);
  EXPECT_DOUBLE_EQ(p.local_share, 0.25);
  EXPECT_DOUBLE_EQ(p.spill_weights[1], 0.75);
}

TEST(ZoneRouting, NothingAvailableSaysSo) {
  const std::vector<double> callers{1.0};
  const std::vector<ZoneState> zones{{0, 0, false}};
  const ZonePlan p = plan(Mode::zone_aware, 0, callers, zones);
  Random random(1);
  EXPECT_EQ(choose_zone(p, 0, random), std::numeric_limits<std::size_t>::max());
}

}  // namespace
}  // namespace lbsim::zone
