// SPDX-License-Identifier: GPL-3.0-or-later
// RoutableTargets needs no simulation engine: health, ejection and slow start are
// bookkeeping over core's pickers.
#include "balancing/routable_targets.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace lbsim::balancing {
namespace {

std::vector<balancing::Target> two() { return {{"a", 1.0}, {"b", 1.0}}; }

double share_of_b(RoutableTargets& targets, double now, int n = 100000) {
  Random random(17);
  int b = 0;
  for (int i = 0; i < n; ++i) b += targets.pick(0, 0, random, now) == 1 ? 1 : 0;
  return static_cast<double>(b) / n;
}

TEST(RoutableTargets, SlowStartFollowsItsClosedForm) {
  // Random picker over two targets; b recovered at t = 0 with a 100 s window. An
  // attempt yields b with 1/2 and keeps it with the weight factor f (0.1 floor, then
  // t/100); up to three attempts, the third standing. With d = (1 - f)/2:
  //   P(b) = f/2 x (1 + d + d^2) + d^3.
  RoutableTargets targets(two(), "random", {}, 0.0, 100.0);
  targets.set_healthy(1, false, 0.0);
  targets.set_healthy(1, true, 0.0);
  auto expected = [](double f) {
    const double d = (1 - f) / 2;
    return f / 2 * (1 + d + d * d) + d * d * d;
  };
  const double sd5 = 5 * std::sqrt(0.25 / 100000);
  EXPECT_NEAR(share_of_b(targets, 5.0), expected(0.1), sd5);    // floor: max(0.1, 0.05)
  EXPECT_NEAR(share_of_b(targets, 50.0), expected(0.5), sd5);
  EXPECT_NEAR(share_of_b(targets, 100.0), 0.5, sd5);            // warmed up
}

TEST(RoutableTargets, UnhealthyAndEjectedTargetsAreSkippedUntilFailOpen) {
  RoutableTargets targets(two(), "round_robin", {}, 0.0);
  Random random(1);
  targets.set_healthy(0, false);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(targets.pick(0, 0, random, 0.0), 1u);
  targets.eject(1, 10.0);  // nothing healthy is left: fail open, both routable
  EXPECT_EQ(targets.mode(), health::RoutingMode::fail_open);
  EXPECT_TRUE(targets.routable(0));
  targets.set_healthy(0, true);  // a is back; b is still ejected until t = 10
  for (int i = 0; i < 4; ++i) EXPECT_EQ(targets.pick(0, 0, random, 9.9), 0u);
  EXPECT_TRUE(targets.ejected(1));
  // At t = 10 the ejection ends, released by the pick itself.
  int b = 0;
  for (int i = 0; i < 4; ++i) b += targets.pick(0, 0, random, 10.0) == 1u ? 1 : 0;
  EXPECT_EQ(b, 2);
  EXPECT_FALSE(targets.ejected(1));
}

TEST(RoutableTargets, LoadAwarePickersKeepTheirCountsAcrossHealthChanges) {
  RoutableTargets targets({{"a", 1}, {"b", 1}, {"c", 1}}, "least_connections", {}, 0.0);
  Random random(1);
  targets.start(0);
  targets.start(0);
  targets.start(1);
  EXPECT_EQ(targets.pick(0, 0, random, 0.0), 2u);
  targets.set_healthy(2, false);
  EXPECT_EQ(targets.pick(0, 0, random, 0.0), 1u);  // counts survived the rebuild
  targets.set_healthy(2, true);
  EXPECT_EQ(targets.pick(0, 0, random, 0.0), 2u);
}

}  // namespace
}  // namespace lbsim::balancing
