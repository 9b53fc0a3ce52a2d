// SPDX-License-Identifier: GPL-3.0-or-later
// Round robin, and nginx's smooth weighted round robin.
#include <gtest/gtest.h>

#include "balancing/registry.hpp"
#include "support/pickers.hpp"

namespace lbsim::balancing {
namespace {

using test::targets;

TEST(RoundRobin, VisitsEachTargetInTurn) {
  auto picker = make_picker("round_robin", targets(3));
  std::vector<std::size_t> seen;
  for (int i = 0; i < 7; ++i) seen.push_back(picker->pick({}));
  EXPECT_EQ(seen, (std::vector<std::size_t>{0, 1, 2, 0, 1, 2, 0}));
}

TEST(SmoothWeightedRoundRobin, WeightsFiveOneOneGiveNginxsSequence) {
  const std::vector<Target> t{{"a", 5}, {"b", 1}, {"c", 1}};
  auto picker = make_picker("smooth_weighted_round_robin", t);
  std::string seen;
  for (int i = 0; i < 14; ++i) seen += t[picker->pick({})].name;
  EXPECT_EQ(seen, "aabacaaaabacaa");  // the 7-pick cycle, twice
}

TEST(SmoothWeightedRoundRobin, LongRunSharesFollowTheWeights) {
  const std::vector<Target> t{{"a", 3}, {"b", 2}, {"c", 0}, {"d", 5}};
  auto picker = make_picker("smooth_weighted_round_robin", t);
  std::vector<int> counts(4, 0);
  for (int i = 0; i < 1000; ++i) ++counts[picker->pick({})];
  EXPECT_EQ(counts, (std::vector<int>{300, 200, 0, 500}));  // 100 whole cycles of 10
}

}  // namespace
}  // namespace lbsim::balancing
