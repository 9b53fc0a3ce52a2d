// SPDX-License-Identifier: GPL-3.0-or-later
// Envoy's outlier detection: consecutive 5xx, growing ejections, and the ejection cap.
#include <gtest/gtest.h>

#include <vector>

#include "health/outlier.hpp"

namespace lbsim::health {
namespace {

// ---- outlier ejection -------------------------------------------------------------
// Sends `count` responses of one kind from `target` at `now`; true if any ejected it.
bool responses(OutlierDetector& detector, std::size_t target, int count, bool is_5xx, double now) {
  bool ejected = false;
  for (int i = 0; i < count; ++i) ejected = detector.record_response(target, is_5xx, now) || ejected;
  return ejected;
}

TEST(OutlierDetector, DefaultsAreEnvoys) {
  const OutlierConfig config;
  EXPECT_EQ(config.consecutive_5xx, 5u);
  EXPECT_EQ(config.base_ejection_time_s, 30.0);
  EXPECT_EQ(config.max_ejection_percent, 10.0);
  EXPECT_EQ(config.max_ejection_time_s, 300.0);
  EXPECT_FALSE(config.always_eject_one_host);
}

TEST(OutlierDetector, EjectsAtTheFifthConsecutive5xxForThirtySeconds) {
  OutlierDetector detector(10);
  EXPECT_FALSE(responses(detector, 3, 4, true, 100.0));
  EXPECT_EQ(detector.consecutive_5xx(3), 4u);
  EXPECT_FALSE(detector.is_ejected(3, 100.0));
  EXPECT_TRUE(detector.record_response(3, true, 100.0));
  EXPECT_EQ(detector.times_ejected(3), 1u);
  EXPECT_EQ(detector.ejected_until(3), 130.0);
  EXPECT_TRUE(detector.is_ejected(3, 100.0));
  EXPECT_TRUE(detector.is_ejected(3, 129.999));
  EXPECT_FALSE(detector.is_ejected(3, 130.0));  // back in service at exactly base × 1
  EXPECT_EQ(detector.ejected_count(129.0), 1u);
  EXPECT_EQ(detector.ejected_count(130.0), 0u);
}

TEST(OutlierDetector, TheNthEjectionLastsNTimesTheBase) {
  OutlierDetector detector(10);
  EXPECT_TRUE(responses(detector, 0, 5, true, 0.0));  // until 30
  EXPECT_TRUE(responses(detector, 0, 5, true, 200.0));
  EXPECT_EQ(detector.ejected_until(0), 260.0);  // 2 × 30
  EXPECT_TRUE(detector.is_ejected(0, 259.999));
  EXPECT_FALSE(detector.is_ejected(0, 260.0));
  EXPECT_TRUE(responses(detector, 0, 5, true, 300.0));
  EXPECT_EQ(detector.ejected_until(0), 390.0);  // 3 × 30
  EXPECT_EQ(detector.times_ejected(0), 3u);
}

TEST(OutlierDetector, EjectionTimeStopsGrowingAtTheMaximum) {
  OutlierConfig config;
  config.max_ejection_percent = 100.0;  // one target: let it be ejected
  OutlierDetector detector(1, config);
  double now = 0.0;
  for (std::uint32_t nth = 1; nth <= 12; ++nth) {
    ASSERT_TRUE(responses(detector, 0, 5, true, now));
    const double expected = nth <= 10 ? 30.0 * nth : 300.0;
    EXPECT_EQ(detector.ejected_until(0) - now, expected) << "ejection " << nth;
    now = detector.ejected_until(0);
  }
}

TEST(OutlierDetector, ASuccessResetsTheRun) {
  OutlierDetector detector(10);
  EXPECT_FALSE(responses(detector, 1, 4, true, 0.0));
  EXPECT_FALSE(detector.record_response(1, false, 0.0));
  EXPECT_EQ(detector.consecutive_5xx(1), 0u);
  EXPECT_FALSE(responses(detector, 1, 4, true, 1.0));
  EXPECT_TRUE(detector.record_response(1, true, 1.0));
}

TEST(OutlierDetector, ResponsesWhileEjectedChangeNothing) {
  OutlierDetector detector(10);
  EXPECT_TRUE(responses(detector, 2, 5, true, 0.0));
  EXPECT_FALSE(responses(detector, 2, 20, true, 10.0));
  EXPECT_EQ(detector.consecutive_5xx(2), 0u);
  EXPECT_EQ(detector.times_ejected(2), 1u);
  EXPECT_EQ(detector.ejected_until(2), 30.0);
  // Back at 30 with a fresh run: four more 5xx are not enough.
  EXPECT_FALSE(responses(detector, 2, 4, true, 30.0));
  EXPECT_TRUE(detector.record_response(2, true, 30.0));
  EXPECT_EQ(detector.ejected_until(2), 90.0);
}

TEST(OutlierDetector, NeverEjectsMoreThanTheMaxPercent) {
  OutlierDetector detector(10);  // 10 % of 10: one target at a time
  EXPECT_TRUE(responses(detector, 0, 5, true, 0.0));
  EXPECT_FALSE(responses(detector, 1, 5, true, 1.0));  // 2 of 10 = 20 % > 10 %
  EXPECT_EQ(detector.overflows(), 1u);
  EXPECT_EQ(detector.consecutive_5xx(1), 0u);  // the refused attempt still restarts the run
  EXPECT_FALSE(detector.is_ejected(1, 1.0));
  // Target 0 is back at 30: room for one again.
  EXPECT_FALSE(responses(detector, 1, 4, true, 30.0));
  EXPECT_TRUE(detector.record_response(1, true, 30.0));
  EXPECT_EQ(detector.ejected_count(30.0), 1u);
}

TEST(OutlierDetector, TwentyTargetsAllowTwoEjections) {
  OutlierDetector detector(20);
  EXPECT_TRUE(responses(detector, 0, 5, true, 0.0));
  EXPECT_TRUE(responses(detector, 1, 5, true, 0.0));   // 2 of 20 = 10 %: allowed
  EXPECT_FALSE(responses(detector, 2, 5, true, 0.0));  // 3 of 20 = 15 %
  EXPECT_EQ(detector.ejected_count(0.0), 2u);
}

TEST(OutlierDetector, SmallSetsEjectNothingUnlessOneIsAlwaysAllowed) {
  OutlierDetector strict(5);  // 1 of 5 = 20 % > 10 %
  EXPECT_FALSE(responses(strict, 0, 5, true, 0.0));
  EXPECT_EQ(strict.overflows(), 1u);

  OutlierConfig config;
  config.always_eject_one_host = true;
  OutlierDetector lenient(5, config);
  EXPECT_TRUE(responses(lenient, 0, 5, true, 0.0));
  EXPECT_FALSE(responses(lenient, 1, 5, true, 0.0));  // one is already out
  EXPECT_EQ(lenient.overflows(), 1u);
}

}  // namespace
}  // namespace lbsim::health
