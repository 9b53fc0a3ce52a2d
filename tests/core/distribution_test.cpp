// SPDX-License-Identifier: GPL-3.0-or-later
#include "util/distribution.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

namespace lbsim {
namespace {

std::vector<double> draw(const Distribution& d, int n, std::uint64_t seed = 3) {
  Random random(seed);
  std::vector<double> v;
  for (int i = 0; i < n; ++i) v.push_back(d.sample(random));
  std::sort(v.begin(), v.end());
  return v;
}

TEST(Distribution, LognormalHitsItsMedianAndP99) {
  // median 8 ms, p99 40 ms: sigma = ln 5 / 2.3263 = 0.6918; mean = 8 e^(sigma^2/2) = 10.18 ms.
  const auto d = Distribution::lognormal(0.008, 0.040);
  const auto v = draw(d, 200000);
  EXPECT_NEAR(v[100000], 0.008, 0.008 * 0.01);
  EXPECT_NEAR(v[198000], 0.040, 0.040 * 0.03);
  EXPECT_NEAR(d.mean(), 0.008 * std::exp(std::pow(std::log(5.0) / kZ99, 2) / 2), 1e-12);
  double sum = 0;
  for (double x : v) sum += x;
  EXPECT_NEAR(sum / v.size(), d.mean(), d.mean() * 0.01);
}

TEST(Distribution, NormalHasUnitVariance) {
  Random random(9);
  double sum = 0, squares = 0;
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    const double x = random.normal();
    sum += x;
    squares += x * x;
  }
  EXPECT_NEAR(sum / n, 0.0, 0.01);
  EXPECT_NEAR(squares / n, 1.0, 0.01);
}

TEST(Distribution, EmpiricalInterpolatesItsSamples) {
  // Samples 1, 2, 4 ms: the inverse CDF runs 1 -> 2 over the first half, 2 -> 4 over
  // the second. Median 2 ms; mean (1.5 + 3) / 2 = 2.25 ms; never outside [1, 4].
  const auto d = Distribution::empirical({0.004, 0.001, 0.002});
  const auto v = draw(d, 100000);
  EXPECT_GE(v.front(), 0.001);
  EXPECT_LE(v.back(), 0.004);
  EXPECT_NEAR(v[50000], 0.002, 0.00005);
  EXPECT_NEAR(v[25000], 0.0015, 0.00005);
  EXPECT_DOUBLE_EQ(d.mean(), 0.00225);
  EXPECT_DOUBLE_EQ(Distribution::empirical({0.005}).sample(*std::make_unique<Random>(1)), 0.005);
}

TEST(Distribution, RejectsImpossibleParameters) {
  EXPECT_THROW(Distribution::lognormal(0.01, 0.005), std::invalid_argument);
  EXPECT_THROW(Distribution::empirical({}), std::invalid_argument);
  EXPECT_THROW(Distribution::empirical({0.1, -1}), std::invalid_argument);
}

}  // namespace
}  // namespace lbsim
