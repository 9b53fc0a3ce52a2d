// SPDX-License-Identifier: GPL-3.0-or-later
// Ring hash (Ketama): balance, lookup, and the arcs a removed target moves.
#include <gtest/gtest.h>

#include "balancing/ring_hash.hpp"
#include "balancing/registry.hpp"
#include "support/pickers.hpp"

namespace lbsim::balancing {
namespace {

using namespace lbsim::l4;  // flows and their hashes
using test::flow;
using test::moved_share;
using test::targets;

TEST(RingHash, BalanceWithinTolerance) {
  // 10 targets x 100 points: each arc share is a sum of ~100 spacings, so a target's
  // share has a relative standard deviation near 1/sqrt(100) = 10 %; 35 % is 3.5 sd.
  const RingHash ring(targets(10), 100);
  EXPECT_EQ(ring.points(), 1000u);
  const auto share = ring.space_share(10);
  double total = 0;
  for (double s : share) {
    EXPECT_NEAR(s, 0.1, 0.035);
    total += s;
  }
  EXPECT_NEAR(total, 1.0, 1e-9);
}

TEST(RingHash, LookupFollowsTheRingAndTheShareOfFlowsMatchesTheSpace) {
  const auto t = targets(5);
  const RingHash ring(t, 50);
  const auto share = ring.space_share(5);
  std::vector<int> counts(5, 0);
  const int flows = 100000;
  for (int i = 0; i < flows; ++i) ++counts[ring.lookup(hash_flow(flow(static_cast<std::uint32_t>(i))))];
  for (std::size_t k = 0; k < 5; ++k) EXPECT_NEAR(counts[k] / double(flows), share[k], 0.01) << k;
}

TEST(RingHash, RemovingATargetMovesExactlyItsArcs) {
  const auto before = targets(10);
  auto after = before;
  after.erase(after.begin() + 4);
  const RingHash a(before, 100), b(after, 100);
  // The removed target's arcs move and nothing else: the moved share is its share.
  EXPECT_NEAR(RingHash::moved_share(a, before, b, after), a.space_share(10)[4], 1e-12);
  EXPECT_DOUBLE_EQ(RingHash::moved_share(a, before, a, before), 0.0);
}

}  // namespace
}  // namespace lbsim::balancing
