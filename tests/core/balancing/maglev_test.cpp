// SPDX-License-Identifier: GPL-3.0-or-later
// Maglev: slot balance, weights, and how little a change of targets disrupts.
#include <gtest/gtest.h>

#include <algorithm>

#include "balancing/maglev.hpp"
#include "balancing/registry.hpp"
#include "support/pickers.hpp"

namespace lbsim::balancing {
namespace {

using test::moved_share;
using test::targets;

TEST(Maglev, EqualWeightsGiveSlotCountsWithinOne) {
  const MaglevTable table(targets(100));
  const auto counts = table.slot_counts(100);
  const auto [lo, hi] = std::minmax_element(counts.begin(), counts.end());
  EXPECT_LE(*hi - *lo, 1u);
  EXPECT_EQ(table.size(), 65537u);
}

TEST(Maglev, RemovingOneOfAHundredMovesAboutOnePercent) {
  const auto before = targets(100);
  auto after = before;
  after.erase(after.begin() + 37);
  const MaglevTable old_table(before), new_table(after);
  std::size_t moved = 0;
  for (std::uint32_t s = 0; s < old_table.size(); ++s) {
    if (before[old_table.slots()[s]].name != after[new_table.slots()[s]].name) ++moved;
  }
  const double share = static_cast<double>(moved) / old_table.size();
  // The removed backend's 1 % must move; Maglev's extra churn is small (the paper: near-minimal).
  EXPECT_GE(share, 0.0099);
  EXPECT_LE(share, 0.02);
}

TEST(Maglev, ModuloHashMovesMostFlowsWhereMaglevMovesFew) {
  const auto ten = targets(10), eleven = targets(11);
  // Modulo: a flow stays only if h mod 10 == h mod 11, true for 10 of every 110
  // residues, so 10/11 of flows move when an 11th target is added.
  auto modulo = [](const std::vector<Target>& t, std::uint64_t h) { return t[h % t.size()].name; };
  EXPECT_NEAR(moved_share(modulo, ten, eleven), 10.0 / 11, 0.01);
  // Consistent hashing: about the new target's share, 1/11, moves.
  const MaglevTable table10(ten, 1009), table11(eleven, 1009);
  auto maglev = [&](const std::vector<Target>& t, std::uint64_t h) {
    return t.size() == 10 ? t[table10.lookup(h)].name : t[table11.lookup(h)].name;
  };
  EXPECT_LT(moved_share(maglev, ten, eleven), 0.15);
  EXPECT_GT(moved_share(maglev, ten, eleven), 1.0 / 11 - 0.01);
}

TEST(Maglev, WeightsSetTheShareOfSlots) {
  std::vector<Target> weighted{{"big", 2.0}, {"small", 1.0}};
  const MaglevTable table(weighted);
  const auto counts = table.slot_counts(2);
  EXPECT_NEAR(static_cast<double>(counts[0]) / table.size(), 2.0 / 3, 0.01);
}

TEST(Maglev, RejectsANonPrimeTable) {
  EXPECT_THROW(MaglevTable(targets(3), 65536), std::invalid_argument);
  EXPECT_TRUE(is_prime(65537));
  EXPECT_FALSE(is_prime(65535));
}

TEST(Maglev, CompareReportsTheDisruptionOfAChange) {
  const auto before = targets(100);
  auto after = before;
  after.push_back({"backend-new", 1.0});
  const MaglevTable a(before), b(after);
  const auto d = MaglevTable::compare(a, before, b, after);
  // The newcomer takes about 1/101 of the slots; Maglev moves little else.
  EXPECT_GE(d.share, 1.0 / 101 - 0.001);
  EXPECT_LE(d.share, 0.02);
  EXPECT_EQ(MaglevTable::compare(a, before, a, before).moved_slots, 0u);
  auto reweighted = before;
  reweighted[0].weight = 2.0;
  const MaglevTable c(reweighted);
  const auto grow = MaglevTable::compare(a, before, c, reweighted);
  // Doubling one of 100: its share goes from 1/100 to 2/101, about 1 % of slots more.
  EXPECT_GT(grow.share, 0.009);
  EXPECT_LT(grow.share, 0.03);
}

}  // namespace
}  // namespace lbsim::balancing
