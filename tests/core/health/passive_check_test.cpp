// SPDX-License-Identifier: GPL-3.0-or-later
// NLB-style passive checks: consecutive connection failures take a target out; only a
// passing active probe brings it back.
#include <gtest/gtest.h>

#include "health/passive_check.hpp"

namespace lbsim::health {
namespace {

TEST(PassiveCheck, TakesATargetOutAtTheThresholdthFailureInARow) {
  PassiveCheck check(3, 2);
  EXPECT_FALSE(check.connection_failed(1));
  EXPECT_EQ(check.consecutive_failures(1), 1u);
  EXPECT_TRUE(check.connection_failed(1));
  EXPECT_TRUE(check.out(1));
  EXPECT_FALSE(check.out(0));
  EXPECT_FALSE(check.out(2));
}

TEST(PassiveCheck, AnAnsweredHandshakeStartsTheCountAgain) {
  PassiveCheck check(1, 3);
  EXPECT_FALSE(check.connection_failed(0));
  EXPECT_FALSE(check.connection_failed(0));
  check.connection_succeeded(0);
  EXPECT_EQ(check.consecutive_failures(0), 0u);
  EXPECT_FALSE(check.connection_failed(0));
  EXPECT_FALSE(check.connection_failed(0));
  EXPECT_FALSE(check.out(0));
  EXPECT_TRUE(check.connection_failed(0));
}

TEST(PassiveCheck, FailuresWhileOutDoNotTakeItOutAgain) {
  PassiveCheck check(1, 1);
  EXPECT_TRUE(check.connection_failed(0));
  EXPECT_FALSE(check.connection_failed(0));  // (in flight before it went out)
  EXPECT_TRUE(check.out(0));
}

TEST(PassiveCheck, OnlyAPassingProbeBringsItBackAndThenItCountsFromZero) {
  PassiveCheck check(2, 2);
  check.connection_failed(0);
  check.connection_failed(0);
  check.connection_succeeded(0);  // an old connection's answer is no proof it serves again
  EXPECT_TRUE(check.out(0));
  EXPECT_FALSE(check.probe_passed(1));  // a target that was never out does not "come back"
  EXPECT_TRUE(check.probe_passed(0));
  EXPECT_FALSE(check.out(0));
  EXPECT_FALSE(check.probe_passed(0));
  EXPECT_FALSE(check.connection_failed(0));
  EXPECT_EQ(check.consecutive_failures(0), 1u);
}

TEST(PassiveCheck, AThresholdOfZeroActsAsOne) {
  PassiveCheck check(1, 0);
  EXPECT_TRUE(check.connection_failed(0));
}

}  // namespace
}  // namespace lbsim::health
