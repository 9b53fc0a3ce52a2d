// SPDX-License-Identifier: GPL-3.0-or-later
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "l4/flow.hpp"
#include "balancing/maglev.hpp"
#include "balancing/registry.hpp"
#include "balancing/ring_hash.hpp"

namespace lbsim::balancing {
namespace {

using namespace lbsim::l4;  // flows and their hashes

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
  for (const auto* algorithm : algorithms()) EXPECT_NE(make_picker(algorithm->name, targets(3)), nullptr) << algorithm->name;
  EXPECT_THROW(make_picker("telepathy", targets(3)), std::invalid_argument);
  EXPECT_THROW(make_picker("round_robin", {}), std::invalid_argument);
}

// The descriptor's claims, checked on the pickers themselves.
std::size_t share_moved_by_one_more_target(const Algorithm& algorithm) {
  auto before = make_picker(algorithm, targets(10));
  auto after = make_picker(algorithm, targets(11));
  std::size_t moved = 0;
  for (std::uint32_t i = 0; i < 10'000; ++i) {
    const PickInput input{hash_flow(flow(i)), hash_flow(flow(i)), nullptr, nullptr};
    moved += before->pick(input) != after->pick(input);
  }
  return moved;
}

TEST(Registry, AHashMovesWhatItsDescriptorSaysWhenATargetIsAdded) {
  for (const auto* algorithm : algorithms()) {
    if (algorithm->hashing == Hashing::none) continue;
    const std::size_t moved = share_moved_by_one_more_target(*algorithm);
    // Modulo: a flow stays only when h mod 10 == h mod 11, about 1 in 11. Consistent:
    // only the new target's share (1/11, ~9 %) moves.
    if (algorithm->hashing == Hashing::modulo) {
      EXPECT_GT(moved, 8'000u) << algorithm->name;
    } else {
      EXPECT_LT(moved, 1'500u) << algorithm->name;
    }
  }
}

TEST(Registry, SlowStartCanSteerExactlyThePickersThatAnswerAgainDifferently) {
  Random random(7);
  for (const auto* algorithm : algorithms()) {
    auto picker = make_picker(*algorithm, targets(4));
    LoadTracker load(4);
    std::set<std::size_t> answers;
    for (int i = 0; i < 64; ++i) {
      const std::size_t picked = picker->pick({hash_flow(flow(1)), hash_flow(flow(1)), &load, &random});
      answers.insert(picked);
      if (algorithm->load_aware) load.start(picked);  // least-loaded pickers move on as load grows
    }
    EXPECT_EQ(algorithm->steerable, answers.size() > 1) << algorithm->name;
    EXPECT_EQ(algorithm->steerable, algorithm->hashing == Hashing::none) << algorithm->name;
  }
}

TEST(Registry, EveryTunableDefaultIsInItsRangeAndValid) {
  for (const auto* algorithm : algorithms())
    for (const auto& tunable : algorithm->tunables) {
      EXPECT_GE(tunable.default_value(), tunable.min) << tunable.key;
      EXPECT_LE(tunable.default_value(), tunable.max) << tunable.key;
      if (tunable.valid != nullptr) {
        EXPECT_TRUE(tunable.valid(tunable.default_value())) << tunable.key;
      }
      EXPECT_EQ(algorithm_with_tunable(tunable.key), algorithm) << tunable.key;
    }
  EXPECT_EQ(tunable_keys(), (std::vector<std::string_view>{"choices", "vnodes", "table_size"}));
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
  LoadTracker load(4);
  for (std::size_t t : {0, 0, 0, 1, 2, 2, 2, 2, 3}) load.start(t);  // loads 3, 1, 4, 1
  EXPECT_EQ(picker->pick({0, 0, &load, nullptr}), 1u);
  for (int i = 0; i < 4; ++i) load.start(1);  // 3, 5, 4, 1
  EXPECT_EQ(picker->pick({0, 0, &load, nullptr}), 3u);
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
}  // namespace lbsim::balancing

namespace lbsim::balancing {
namespace {

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

TEST(LeastConnections, SkipsExcludedTargetsAndTracksChanges) {
  auto picker = make_picker("least_connections", targets(3));
  LoadTracker load(3);
  EXPECT_EQ(picker->pick({0, 0, &load, nullptr}), 0u);
  load.start(0);
  EXPECT_EQ(picker->pick({0, 0, &load, nullptr}), 1u);
  load.set_excluded(1, true);
  EXPECT_EQ(picker->pick({0, 0, &load, nullptr}), 2u);
  load.finish(0);
  // 0 and 2 both idle now: 2 has waited longer (it never got work), so it goes first.
  EXPECT_EQ(picker->pick({0, 0, &load, nullptr}), 2u);
  load.start(2);
  load.finish(2);
  EXPECT_EQ(picker->pick({0, 0, &load, nullptr}), 0u);
  for (std::size_t t = 0; t < 3; ++t) load.set_excluded(t, true);
  EXPECT_THROW(picker->pick({0, 0, &load, nullptr}), std::logic_error);
}

TEST(LoadTracker, LeastLoadedMatchesABruteForceScan) {
  // Least load first; among equals, the target that got work least recently; among
  // never-used equals, the lowest index.
  const std::size_t n = 37;  // not a power of two
  LoadTracker load(n);
  std::vector<std::uint64_t> last_start(n, 0);
  std::uint64_t starts = 0;
  Random random(3);
  for (int step = 0; step < 20000; ++step) {
    const std::size_t t = random.below(n);
    switch (random.below(4)) {
      case 0: load.finish(t); break;
      case 1: load.set_excluded(t, random.below(5) == 0); break;
      default:
        load.start(t);
        last_start[t] = ++starts;
        break;
    }
    std::size_t expected = LoadTracker::npos;
    for (std::size_t i = 0; i < n; ++i) {
      if (load.excluded(i)) continue;
      const bool better = expected == LoadTracker::npos || load.load(i) < load.load(expected) ||
                          (load.load(i) == load.load(expected) && last_start[i] < last_start[expected]);
      if (better) expected = i;
    }
    ASSERT_EQ(load.least_loaded(), expected) << "step " << step;
  }
}

TEST(LoadTracker, IdleTargetsTakeTurns) {
  // Requests that finish before the next arrives leave every target idle: least-loaded
  // picking must then go round robin, not always to the first target.
  LoadTracker load(4);
  std::vector<std::size_t> picked;
  for (int i = 0; i < 8; ++i) {
    const std::size_t t = load.least_loaded();
    picked.push_back(t);
    load.start(t);
    load.finish(t);
  }
  EXPECT_EQ(picked, (std::vector<std::size_t>{0, 1, 2, 3, 0, 1, 2, 3}));
}

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
