// SPDX-License-Identifier: GPL-3.0-or-later
// Replications' statistics against tables and against a quantity of known mean: the M/M/1
// queue's mean sojourn time, 1 / (mu - lambda).
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "reports/replications.hpp"
#include "util/random.hpp"

namespace lbsim::reports {
namespace {

TEST(Replications, TQuantilesAreTheTablesOnes) {
  EXPECT_NEAR(t_95(1), 12.706, 1e-3);
  EXPECT_NEAR(t_95(4), 2.776, 1e-3);
  EXPECT_NEAR(t_95(19), 2.093, 1e-3);
  EXPECT_NEAR(t_95(1e6), 1.960, 1e-3);
}

TEST(Replications, AnIntervalIsTheMeanPlusOrMinusTTimesTheStandardError) {
  const std::vector<double> values{1, 2, 3};  // mean 2, sample sd 1
  const auto ci = confidence_interval(values);
  EXPECT_DOUBLE_EQ(ci.mean, 2);
  EXPECT_NEAR(ci.half_width, 4.303 / std::sqrt(3.0), 1e-3);
  EXPECT_EQ(confidence_interval(std::vector<double>{5}).half_width, 0);  // one run says nothing of spread
}

TEST(Replications, WelchSeesADifferenceOnlyWhereThereIsOne) {
  const std::vector<double> a{1, 2, 3}, b{1.1, 2.1, 2.9}, far{10, 11, 12};
  EXPECT_FALSE(differs_significantly(a, b));
  EXPECT_TRUE(differs_significantly(a, far));
  EXPECT_FALSE(differs_significantly(std::vector<double>{1}, far));  // too few to say
}

TEST(Replications, SeedsAreTheRunsOwnThenFarApart) {
  EXPECT_EQ(replication_seed(42, 0), 42u);
  std::set<std::uint64_t> seeds;
  for (std::size_t i = 0; i < 1000; ++i) seeds.insert(replication_seed(42, i));
  EXPECT_EQ(seeds.size(), 1000u);
  EXPECT_NE(replication_seed(42, 1), replication_seed(43, 1));
}

// One replication: the mean sojourn of `customers` customers of an M/M/1 queue by
// Lindley's recursion, started in steady state (the first customer's wait is drawn from
// the stationary law: 0 with probability 1 - rho, else exponential of rate mu - lambda).
double mm1_mean_sojourn(Random& random, double lambda, double mu, int customers) {
  auto exponential = [&](double rate) { return -std::log(1 - random.uniform01()) / rate; };
  double wait = random.uniform01() < lambda / mu ? exponential(mu - lambda) : 0;
  double total = 0;
  for (int i = 0; i < customers; ++i) {
    const double service = exponential(mu);
    total += wait + service;
    wait = std::max(0.0, wait + service - exponential(lambda));
  }
  return total / customers;
}

TEST(Replications, TheIntervalCoversTheTrueMeanAboutNinetyFivePercentOfTheTime) {
  // rho = 0.5: the mean sojourn is 1 / (1 - 0.5) = 2. 100 independent trials of 20
  // replications each; a 95 % interval covers 2 in about 95 of them (binomial sd 2.2).
  Random random(2026);
  int covered = 0;
  for (int trial = 0; trial < 100; ++trial) {
    std::vector<double> replications;
    for (int r = 0; r < 20; ++r) replications.push_back(mm1_mean_sojourn(random, 0.5, 1.0, 2000));
    const auto ci = confidence_interval(replications);
    if (ci.low() <= 2.0 && 2.0 <= ci.high()) ++covered;
  }
  EXPECT_GE(covered, 88);
  EXPECT_LE(covered, 99);
}

}  // namespace
}  // namespace lbsim::reports
