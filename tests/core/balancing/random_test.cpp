// SPDX-License-Identifier: GPL-3.0-or-later
// The random picker.
#include <gtest/gtest.h>

#include "balancing/registry.hpp"
#include "support/pickers.hpp"

namespace lbsim::balancing {
namespace {

using test::targets;

TEST(RandomPick, StaysInRangeAndSpreadsEvenly) {
  auto picker = make_picker("random", targets(4));
  Random random(99);
  std::vector<int> counts(4, 0);
  for (int i = 0; i < 40000; ++i) ++counts.at(picker->pick({0, 0, {}, &random}));
  // Binomial(40000, 1/4): sd ~ 87; 5 sd = 435.
  for (int c : counts) EXPECT_NEAR(c, 10000, 435);
}

TEST(RandomPick, DrawsInProportionToWeight) {
  const std::vector<Target> t{{"a", 1}, {"b", 3}, {"c", 6}};
  auto picker = make_picker("random", t);
  Random random(7);
  std::vector<int> counts(3, 0);
  for (int i = 0; i < 50000; ++i) ++counts.at(picker->pick({0, 0, {}, &random}));
  // Binomial(50000, p) for p = 0.1, 0.3, 0.6: sd 67, 102, 110; within 5 sd.
  EXPECT_NEAR(counts[0], 5000, 335);
  EXPECT_NEAR(counts[1], 15000, 510);
  EXPECT_NEAR(counts[2], 30000, 550);
}

TEST(RandomPick, EqualWeightsDrawExactlyAsTheUniformPickDoes) {
  // Scenarios without weights keep their figures: the same stream gives the same picks.
  auto weighted = make_picker("random", std::vector<Target>{{"a", 4}, {"b", 4}, {"c", 4}});
  auto plain = make_picker("random", targets(3));
  Random one(11), two(11);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(weighted->pick({0, 0, {}, &one}), plain->pick({0, 0, {}, &two}));
}

}  // namespace
}  // namespace lbsim::balancing
