// SPDX-License-Identifier: GPL-3.0-or-later
// Deregistration delay: no new traffic, in-flight work cut at the deadline.
#include <gtest/gtest.h>

#include "health/draining.hpp"

namespace lbsim::health {
namespace {

// ---- draining ---------------------------------------------------------------------
TEST(Draining, DefaultsToAwsDeregistrationDelay) { EXPECT_EQ(Draining().delay(), 300.0); }

TEST(Draining, StopsNewTrafficAndCutsWhatRemainsAtTheDeadline) {
  Draining draining;
  EXPECT_TRUE(draining.accepts_new());
  EXPECT_EQ(draining.state(50.0, 3), DrainState::registered);
  EXPECT_FALSE(draining.done(50.0, 3));

  draining.begin(100.0, 3);
  EXPECT_FALSE(draining.accepts_new());
  EXPECT_EQ(draining.deadline(), 400.0);
  EXPECT_EQ(draining.in_flight_at_start(), 3u);
  EXPECT_EQ(draining.state(150.0, 3), DrainState::draining);
  EXPECT_EQ(draining.state(399.999, 2), DrainState::draining);
  EXPECT_EQ(draining.to_cut(399.999, 2), 0u);
  EXPECT_EQ(draining.state(400.0, 2), DrainState::expired);  // the deadline is inclusive
  EXPECT_TRUE(draining.done(400.0, 2));
  EXPECT_EQ(draining.to_cut(400.0, 2), 2u);
}

TEST(Draining, EndsAsSoonAsNothingIsInFlight) {
  Draining draining;
  draining.begin(100.0, 3);
  EXPECT_FALSE(draining.done(200.0, 1));
  EXPECT_EQ(draining.state(200.0, 0), DrainState::drained);
  EXPECT_TRUE(draining.done(200.0, 0));
  EXPECT_EQ(draining.to_cut(200.0, 0), 0u);

  Draining idle;
  idle.begin(100.0, 0);  // nothing in flight: complete at once
  EXPECT_TRUE(idle.done(100.0, 0));
}

TEST(Draining, DeregisteringAgainDoesNotExtendTheDeadline) {
  Draining draining(60.0);
  draining.begin(10.0, 3);
  draining.begin(40.0, 5);
  EXPECT_EQ(draining.began_at(), 10.0);
  EXPECT_EQ(draining.deadline(), 70.0);
  EXPECT_EQ(draining.in_flight_at_start(), 3u);
}

TEST(Draining, ZeroDelayCutsAtOnce) {
  Draining draining(0.0);
  draining.begin(10.0, 4);
  EXPECT_EQ(draining.state(10.0, 4), DrainState::expired);
  EXPECT_EQ(draining.to_cut(10.0, 4), 4u);
  EXPECT_THROW(Draining(-1.0), std::invalid_argument);
}

}  // namespace
}  // namespace lbsim::health
