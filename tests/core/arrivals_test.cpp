// SPDX-License-Identifier: GPL-3.0-or-later
#include "traffic/arrivals.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace lbsim::traffic {
namespace {

// Arrivals counted in [from, to) over a run from 0 to `end`.
std::vector<int> counts(const ArrivalProcess& p, double end, double bucket, std::uint64_t seed = 5) {
  Random random(seed);
  std::vector<int> c(static_cast<std::size_t>(end / bucket), 0);
  for (double t = p.next_after(0, random); t < end; t = p.next_after(t, random)) ++c[static_cast<std::size_t>(t / bucket)];
  return c;
}

TEST(RateProfile, ShapesAtChosenTimes) {
  const auto ramp = RateProfile::ramp(100, 1100, 10);
  EXPECT_DOUBLE_EQ(ramp.rate_at(0), 100);
  EXPECT_DOUBLE_EQ(ramp.rate_at(5), 600);
  EXPECT_DOUBLE_EQ(ramp.rate_at(30), 1100);
  const auto steps = RateProfile::steps({{0, 10}, {5, 50}, {8, 20}});
  EXPECT_DOUBLE_EQ(steps.rate_at(4.99), 10);
  EXPECT_DOUBLE_EQ(steps.rate_at(5), 50);
  EXPECT_DOUBLE_EQ(steps.rate_at(100), 20);
  EXPECT_DOUBLE_EQ(steps.peak(), 50);
  const auto bursts = RateProfile::bursts(100, 1000, 10, 2, 5);
  EXPECT_DOUBLE_EQ(bursts.rate_at(4), 100);
  EXPECT_DOUBLE_EQ(bursts.rate_at(6), 1000);
  EXPECT_DOUBLE_EQ(bursts.rate_at(8), 100);
  EXPECT_DOUBLE_EQ(bursts.rate_at(15.5), 1000);
  const auto daily = RateProfile::daily(1000, 5000, 86400, 14 * 3600);
  EXPECT_NEAR(daily.rate_at(14 * 3600), 5000, 1e-9);
  EXPECT_NEAR(daily.rate_at(2 * 3600), 1000, 1e-9);  // 12 h from the peak
  EXPECT_NEAR(daily.rate_at(8 * 3600), 3000, 1e-9);  // a quarter period: halfway
}

TEST(Arrivals, PoissonCountsFollowTheProfile) {
  // Expected count in a bucket = integral of the rate; Poisson sd = sqrt(count).
  const ArrivalProcess ramp(RateProfile::ramp(1000, 3000, 20), false);
  const auto c = counts(ramp, 20, 2);
  for (std::size_t i = 0; i < c.size(); ++i) {
    const double mid = (i + 0.5) * 2;
    const double expected = 2 * (1000 + 100 * mid);
    EXPECT_NEAR(c[i], expected, 5 * std::sqrt(expected)) << "bucket " << i;
  }
}

TEST(Arrivals, StepsChangeTheRateAtTheirTime) {
  const ArrivalProcess p(RateProfile::steps({{0, 1000}, {10, 4000}}), false);
  const auto c = counts(p, 20, 10);
  EXPECT_NEAR(c[0], 10000, 5 * 100);
  EXPECT_NEAR(c[1], 40000, 5 * 200);
}

TEST(Arrivals, UniformSpacingIsExact) {
  const ArrivalProcess p(RateProfile::constant(250), true);
  Random random(1);
  double t = 0;
  for (int i = 1; i <= 1000; ++i) {
    t = p.next_after(t, random);
    ASSERT_NEAR(t, i * 0.004, 1e-9);
  }
}

TEST(Arrivals, PoissonGapsAreExponential) {
  // Constant Poisson at 1000/s: mean gap 1 ms, and P(gap > 3 ms) = e^-3.
  const ArrivalProcess p(RateProfile::constant(1000), false);
  Random random(8);
  double t = 0, sum = 0;
  int over3 = 0;
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    const double next = p.next_after(t, random);
    sum += next - t;
    over3 += (next - t) > 0.003 ? 1 : 0;
    t = next;
  }
  EXPECT_NEAR(sum / n, 0.001, 0.001 * 0.01);
  EXPECT_NEAR(over3 / double(n), std::exp(-3.0), 5 * std::sqrt(std::exp(-3.0) / n));
}

}  // namespace
}  // namespace lbsim::traffic
