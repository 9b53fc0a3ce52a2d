// SPDX-License-Identifier: GPL-3.0-or-later
// ALB's slow start: a linear ramp of weight over the window.
#include <gtest/gtest.h>

#include "health/slow_start.hpp"

namespace lbsim::health {
namespace {

// ---- slow start -------------------------------------------------------------------
TEST(SlowStart, RampsLinearlyFromTheMinimumWeight) {
  EXPECT_DOUBLE_EQ(weight_factor(0.0, 100.0), 0.1);
  EXPECT_DOUBLE_EQ(weight_factor(5.0, 100.0), 0.1);   // 0.05 is under the 10 % floor
  EXPECT_DOUBLE_EQ(weight_factor(10.0, 100.0), 0.1);  // floor and ramp meet
  EXPECT_DOUBLE_EQ(weight_factor(20.0, 100.0), 0.2);
  EXPECT_DOUBLE_EQ(weight_factor(50.0, 100.0), 0.5);
  EXPECT_DOUBLE_EQ(weight_factor(99.0, 100.0), 0.99);
  EXPECT_EQ(weight_factor(100.0, 100.0), 1.0);  // the window has elapsed
  EXPECT_EQ(weight_factor(1000.0, 100.0), 1.0);
  EXPECT_DOUBLE_EQ(weight_factor(-5.0, 100.0), 0.1);
}

TEST(SlowStart, AlbWindowOfFifteenMinutes) {
  EXPECT_DOUBLE_EQ(weight_factor(45.0, 900.0), 0.1);
  EXPECT_DOUBLE_EQ(weight_factor(180.0, 900.0), 0.2);
  EXPECT_DOUBLE_EQ(weight_factor(450.0, 900.0), 0.5);
  EXPECT_EQ(weight_factor(900.0, 900.0), 1.0);
}

TEST(SlowStart, ZeroWindowIsOffAndMinimumIsAdjustable) {
  EXPECT_EQ(weight_factor(0.0, 0.0), 1.0);
  EXPECT_EQ(weight_factor(0.0, 100.0, 0.0), 0.0);
  EXPECT_DOUBLE_EQ(weight_factor(25.0, 100.0, 0.0), 0.25);
  EXPECT_THROW(weight_factor(0.0, -1.0), std::invalid_argument);
  EXPECT_THROW(weight_factor(0.0, 100.0, 1.5), std::invalid_argument);
}

TEST(SlowStart, AlbAcceptsZeroOrThirtyToNineHundredSeconds) {
  EXPECT_TRUE(is_valid_alb_window(0.0));
  EXPECT_FALSE(is_valid_alb_window(29.0));
  EXPECT_TRUE(is_valid_alb_window(30.0));
  EXPECT_TRUE(is_valid_alb_window(900.0));
  EXPECT_FALSE(is_valid_alb_window(901.0));
}

}  // namespace
}  // namespace lbsim::health
