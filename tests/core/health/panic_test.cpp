// SPDX-License-Identifier: GPL-3.0-or-later
// Panic routing: below the threshold route to all, fail open when none is healthy.
#include <gtest/gtest.h>

#include <vector>

#include "health/panic.hpp"

namespace lbsim::health {
namespace {

// ---- panic and fail-open ----------------------------------------------------------
TEST(Panic, IsStrictlyBelowTheThreshold) {
  EXPECT_FALSE(in_panic(2, 4, kEnvoyPanicThresholdPercent));  // exactly 50 %: not panic
  EXPECT_TRUE(in_panic(1, 4, kEnvoyPanicThresholdPercent));
  EXPECT_FALSE(in_panic(5, 10, 50.0));
  EXPECT_TRUE(in_panic(4, 10, 50.0));
  EXPECT_FALSE(in_panic(0, 4, kPanicDisabled));
  EXPECT_FALSE(in_panic(0, 0, 50.0));
}

TEST(Panic, AtTheThresholdRoutesToTheHealthyOnly) {
  const std::array<bool, 4> healthy{true, false, true, false};
  const auto routing = routable(std::span<const bool>(healthy), kEnvoyPanicThresholdPercent);
  EXPECT_EQ(routing.mode, RoutingMode::normal);
  EXPECT_EQ(routing.healthy_count, 2u);
  EXPECT_EQ(routing.targets, (std::vector<bool>{true, false, true, false}));
}

TEST(Panic, BelowTheThresholdRoutesToAll) {
  const std::vector<bool> healthy{false, false, true, false};
  const auto routing = routable(healthy, kEnvoyPanicThresholdPercent);
  EXPECT_EQ(routing.mode, RoutingMode::panic);
  EXPECT_EQ(routing.healthy_count, 1u);
  EXPECT_EQ(routing.targets, std::vector<bool>(4, true));
}

TEST(Panic, WithoutPanicFewHealthyTakeEverything) {
  const std::vector<bool> healthy{false, false, true, false};
  const auto routing = routable(healthy, kPanicDisabled);
  EXPECT_EQ(routing.mode, RoutingMode::normal);
  EXPECT_EQ(routing.targets, healthy);
}

TEST(Panic, NoneHealthyFailsOpen) {
  const std::vector<bool> healthy(3, false);
  const auto aws = routable(healthy, kPanicDisabled);
  EXPECT_EQ(aws.mode, RoutingMode::fail_open);
  EXPECT_EQ(aws.targets, std::vector<bool>(3, true));
  EXPECT_EQ(routable(healthy, kEnvoyPanicThresholdPercent).mode, RoutingMode::fail_open);
}

TEST(Panic, EnvoyWithoutFailOpenPanicsOrRoutesNowhere) {
  const std::vector<bool> healthy(3, false);
  const auto panic = routable(healthy, kEnvoyPanicThresholdPercent, WhenNoneHealthy::route_to_none);
  EXPECT_EQ(panic.mode, RoutingMode::panic);
  EXPECT_EQ(panic.targets, std::vector<bool>(3, true));
  const auto nowhere = routable(healthy, kPanicDisabled, WhenNoneHealthy::route_to_none);
  EXPECT_EQ(nowhere.mode, RoutingMode::none_healthy);
  EXPECT_EQ(nowhere.targets, std::vector<bool>(3, false));
}

TEST(Panic, AnEmptySetIsNormal) {
  const auto routing = routable(std::vector<bool>{}, kEnvoyPanicThresholdPercent);
  EXPECT_EQ(routing.mode, RoutingMode::normal);
  EXPECT_TRUE(routing.targets.empty());
}

}  // namespace
}  // namespace lbsim::health
