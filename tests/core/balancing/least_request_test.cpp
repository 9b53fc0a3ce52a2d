// SPDX-License-Identifier: GPL-3.0-or-later
// Envoy's least request: the better of two random choices.
#include <gtest/gtest.h>

#include "balancing/registry.hpp"
#include "support/pickers.hpp"

namespace lbsim::balancing {
namespace {

using test::targets;

TEST(LeastRequest, NeverPicksTheBusierOfItsTwoChoices) {
  // Property: replaying the picker's random stream shows which two it drew; the
  // choice must be the less loaded of them (the first drawn on a tie).
  const std::size_t n = 50;
  auto picker = make_picker("least_request", targets(n));
  LoadTracker load(n);
  Random random(11), replay(11);
  Random loads(5);
  for (std::size_t i = 0; i < n; ++i)
    for (std::uint64_t k = loads.below(20); k > 0; --k) load.start(i);
  for (int trial = 0; trial < 5000; ++trial) {
    const std::size_t chosen = picker->pick({0, 0, &load, &random});
    const std::size_t first = replay.below(n);
    std::size_t second = replay.below(n);
    while (second == first) second = replay.below(n);
    const std::size_t expected = load.load(second) < load.load(first) ? second : first;
    ASSERT_EQ(chosen, expected) << "trial " << trial;
    load.start(chosen);
    load.finish(loads.below(n));
  }
}

}  // namespace
}  // namespace lbsim::balancing
