// SPDX-License-Identifier: GPL-3.0-or-later
// The algorithm registry: every descriptor's claims checked on its picker.
#include <gtest/gtest.h>

#include <set>

#include "balancing/registry.hpp"
#include "support/pickers.hpp"

namespace lbsim::balancing {
namespace {

using namespace lbsim::l4;  // flows and their hashes
using test::flow;
using test::targets;

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

}  // namespace
}  // namespace lbsim::balancing
