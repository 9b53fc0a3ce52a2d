// SPDX-License-Identifier: GPL-3.0-or-later
#include <gtest/gtest.h>

#include <algorithm>

#include "l4/flow.hpp"
#include "l4/maglev.hpp"
#include "l4/registry.hpp"

namespace lbsim::l4 {
namespace {

std::vector<Target> targets(std::size_t n, const std::string& prefix = "backend-") {
  std::vector<Target> out;
  for (std::size_t i = 0; i < n; ++i) out.push_back({prefix + std::to_string(i), 1.0});
  return out;
}

FlowKey flow(std::uint32_t i) {
  return {0xC6120000u + (i % 60000), 0xCB007132u, static_cast<std::uint16_t>(32768 + i % 28000), 443, Protocol::tcp};
}

TEST(Hash, IsXxh3WithItsPublishedKnownAnswer) {
  // XXH3_64bits("") with seed 0, from the xxHash reference test vectors.
  EXPECT_EQ(hash_name(""), 0x2D06800538D394C2ULL);
  // The flow hash is over the wire-order bytes: equal tuples hash equal, and any field changes it.
  FlowKey a = flow(1), b = flow(1);
  EXPECT_EQ(hash_flow(a), hash_flow(b));
  b.dst_port = 80;
  EXPECT_NE(hash_flow(a), hash_flow(b));
}

TEST(Registry, KnowsEveryAlgorithmAndRejectsOthers) {
  for (const auto& algorithm : algorithms()) EXPECT_NE(make_picker(algorithm.name, targets(3)), nullptr) << algorithm.name;
  EXPECT_THROW(make_picker("telepathy", targets(3)), std::invalid_argument);
  EXPECT_THROW(make_picker("round_robin", {}), std::invalid_argument);
}

TEST(RoundRobin, VisitsEachTargetInTurn) {
  auto picker = make_picker("round_robin", targets(3));
  std::vector<std::size_t> seen;
  for (int i = 0; i < 7; ++i) seen.push_back(picker->pick({}));
  EXPECT_EQ(seen, (std::vector<std::size_t>{0, 1, 2, 0, 1, 2, 0}));
}

TEST(RandomPick, StaysInRangeAndSpreadsEvenly) {
  auto picker = make_picker("random", targets(4));
  Random random(99);
  std::vector<int> counts(4, 0);
  for (int i = 0; i < 40000; ++i) ++counts.at(picker->pick({0, 0, {}, &random}));
  // Binomial(40000, 1/4): sd ~ 87; 5 sd = 435.
  for (int c : counts) EXPECT_NEAR(c, 10000, 435);
}

TEST(LeastOutstanding, PicksTheLeastBusyAndBreaksTiesByIndex) {
  auto picker = make_picker("least_outstanding_requests", targets(4));
  std::vector<std::uint32_t> load{3, 1, 4, 1};
  EXPECT_EQ(picker->pick({0, 0, load, nullptr}), 1u);
  load[1] = 5;
  EXPECT_EQ(picker->pick({0, 0, load, nullptr}), 3u);
}

TEST(ModuloHash, IsTheHashModuloTheTargetCount) {
  auto by_source = make_picker("source_ip_hash", targets(7));
  auto by_flow = make_picker("flow_hash", targets(7));
  for (std::uint32_t i = 0; i < 100; ++i) {
    const FlowKey f = flow(i);
    const PickInput in{hash_flow(f), hash_source_ip(f.src_ip), {}, nullptr};
    EXPECT_EQ(by_source->pick(in), hash_source_ip(f.src_ip) % 7);
    EXPECT_EQ(by_flow->pick(in), hash_flow(f) % 7);
  }
}

// Share of flows whose target changes when the target list goes from `before` to `after`.
template <typename PickName>
double moved_share(PickName pick_name, const std::vector<Target>& before, const std::vector<Target>& after) {
  int moved = 0;
  const int flows = 20000;
  for (int i = 0; i < flows; ++i) {
    const std::uint64_t h = hash_flow(flow(static_cast<std::uint32_t>(i)));
    if (pick_name(before, h) != pick_name(after, h)) ++moved;
  }
  return static_cast<double>(moved) / flows;
}

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

}  // namespace
}  // namespace lbsim::l4
