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

}  // namespace
}  // namespace lbsim::balancing
