// SPDX-License-Identifier: GPL-3.0-or-later
#include "l4/conntrack.hpp"

#include <algorithm>
#include <list>
#include <optional>
#include <vector>

#include <gtest/gtest.h>

namespace lbsim::l4 {
namespace {

FlowKey flow(std::uint16_t port) { return {0xC6120001u, 0xCB007132u, port, 443, Protocol::tcp}; }

TEST(ConnTrack, KeepsAFlowOnItsTarget) {
  ConnTrack table(10, 350);
  EXPECT_FALSE(table.lookup(flow(1), 0.0));
  table.insert(flow(1), 4, 0.0);
  EXPECT_EQ(table.lookup(flow(1), 1.0), 4u);
  EXPECT_EQ(table.lookup(flow(1), 300.0), 4u);
  EXPECT_EQ(table.size(), 1u);
}

TEST(ConnTrack, ForgetsAFlowIdleLongerThanTheTimeout) {
  ConnTrack table(10, 350);
  table.insert(flow(1), 4, 0.0);
  EXPECT_EQ(table.lookup(flow(1), 350.0), 4u);  // exactly the timeout: still alive, and refreshed
  EXPECT_FALSE(table.lookup(flow(1), 700.5));   // 350.5 s idle
  EXPECT_EQ(table.expirations(), 1u);
  EXPECT_EQ(table.size(), 0u);
}

TEST(ConnTrack, EvictsTheLeastRecentlyUsedWhenFull) {
  ConnTrack table(3, 350);
  table.insert(flow(1), 1, 0.0);
  table.insert(flow(2), 2, 1.0);
  table.insert(flow(3), 3, 2.0);
  EXPECT_TRUE(table.lookup(flow(1), 3.0));  // flow 1 is now the most recent; flow 2 the least
  table.insert(flow(4), 4, 4.0);
  EXPECT_EQ(table.evictions(), 1u);
  EXPECT_FALSE(table.lookup(flow(2), 5.0));
  EXPECT_EQ(table.lookup(flow(1), 5.0), 1u);
  EXPECT_EQ(table.lookup(flow(3), 5.0), 3u);
  EXPECT_EQ(table.lookup(flow(4), 5.0), 4u);
}

TEST(ConnTrack, RemembersWhetherAFlowsTargetHasAnsweredIt) {
  ConnTrack table(10, 350);
  EXPECT_FALSE(table.unanswered(flow(1)));     // not tracked
  EXPECT_FALSE(table.note_answered(flow(1)));
  table.insert(flow(2), 3, 0.0);               // tracked mid-stream: awaits no answer
  EXPECT_FALSE(table.unanswered(flow(2)));
  table.insert(flow(1), 4, 0.0, true);
  EXPECT_EQ(table.unanswered(flow(1)), 4u);
  EXPECT_EQ(table.note_answered(flow(1)), 4u);  // the first answer, from target 4
  EXPECT_FALSE(table.note_answered(flow(1)));  // later ones are not news
  EXPECT_FALSE(table.unanswered(flow(1)));
  table.insert(flow(1), 5, 1.0, true);         // re-pointed: the new target has not answered
  EXPECT_EQ(table.unanswered(flow(1)), 5u);
}

TEST(ConnTrack, EraseEndsAFlow) {
  ConnTrack table(3, 350);
  table.insert(flow(1), 1, 0.0);
  table.erase(flow(1));
  EXPECT_FALSE(table.lookup(flow(1), 0.0));
  table.erase(flow(9));  // unknown: no effect
  EXPECT_EQ(table.size(), 0u);
}

TEST(ConnTrack, TellsWhichTargetEachFlowItForgetsByItselfWasOn) {
  // A least-connections count must close what the table drops without being told.
  ConnTrack table(2, 10);
  std::vector<std::uint32_t> forgotten;
  table.on_forget([&](std::uint32_t target) { forgotten.push_back(target); });
  table.insert(flow(1), 7, 0.0);
  table.insert(flow(2), 8, 1.0);
  table.insert(flow(3), 9, 2.0);  // full: flow 1 (target 7) is evicted
  EXPECT_EQ(forgotten, std::vector<std::uint32_t>({7}));
  EXPECT_FALSE(table.lookup(flow(2), 11.5));  // 10.5 s idle: expired
  EXPECT_EQ(forgotten, std::vector<std::uint32_t>({7, 8}));
  EXPECT_EQ(table.erase(flow(3)), 9u);  // erased on request: the caller closes it
  EXPECT_EQ(table.erase(flow(3)), std::nullopt);
  EXPECT_EQ(forgotten.size(), 2u);
  table.insert(flow(4), 1, 20.0);
  table.insert(flow(5), 2, 20.0);
  table.clear();  // a node that lost its state forgets every flow, each told
  EXPECT_EQ(forgotten, std::vector<std::uint32_t>({7, 8, 2, 1}));
  EXPECT_EQ(table.size(), 0u);
}

TEST(ConnTrack, ATimerExpiresIdleFlowsItNeverSeesAgain) {
  // A client that vanished never sends the packet whose lookup would expire its flow.
  ConnTrack table(10, 100);
  std::vector<std::uint32_t> forgotten;
  table.on_forget([&](std::uint32_t target) { forgotten.push_back(target); });
  table.insert(flow(1), 1, 0.0);
  table.insert(flow(2), 2, 50.0);
  table.insert(flow(3), 3, 90.0);
  EXPECT_EQ(table.lookup(flow(1), 95.0), 1u);  // flow 1 is busy again: last seen at 95
  table.expire_idle(160.0);                     // idle: flow 2 (110 s); not 3 (70 s) nor 1 (65 s)
  EXPECT_EQ(forgotten, std::vector<std::uint32_t>({2}));
  EXPECT_EQ(table.size(), 2u);
  table.expire_idle(196.0);  // now all: 3 (106 s) and 1 (101 s), the longest idle first
  EXPECT_EQ(forgotten, std::vector<std::uint32_t>({2, 3, 1}));
  EXPECT_EQ(table.expirations(), 3u);
}

// The table against a plain reference (a list in recency order, searched end to end):
// thousands of random inserts, lookups, erasures, expiries and evictions in a small
// table, so slots are freed and reused in every order. Each answer and each forgotten
// target must be the reference's.
TEST(ConnTrack, AgreesWithAPlainRecencyListOverRandomOperations) {
  struct Flow {
    std::uint32_t key;
    std::uint32_t target;
    double last_seen;
  };
  std::list<Flow> reference;  // front: most recently used
  std::vector<std::uint32_t> reference_forgotten, forgotten;
  constexpr std::size_t kCapacity = 8;
  constexpr double kIdle = 10;
  ConnTrack table(kCapacity, kIdle);
  table.on_forget([&](std::uint32_t target) { forgotten.push_back(target); });
  const auto find = [&](std::uint32_t key) {
    return std::find_if(reference.begin(), reference.end(), [&](const Flow& f) { return f.key == key; });
  };
  std::uint64_t state = 12345;
  const auto next = [&](std::uint32_t below) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::uint32_t>((state >> 33) % below);
  };
  double now = 0;
  for (int step = 0; step < 20000; ++step) {
    now += next(100) / 50.0;
    const std::uint32_t key = next(20);
    switch (next(4)) {
      case 0: {  // insert (or re-point)
        const std::uint32_t target = next(1000);
        table.insert(flow(key), target, now);
        if (auto it = find(key); it != reference.end()) {
          reference.erase(it);
        } else if (reference.size() == kCapacity) {
          reference_forgotten.push_back(reference.back().target);
          reference.pop_back();
        }
        reference.push_front({key, target, now});
        break;
      }
      case 1: {  // lookup
        std::optional<std::uint32_t> expected;
        if (auto it = find(key); it != reference.end()) {
          if (now - it->last_seen > kIdle) {
            reference_forgotten.push_back(it->target);
            reference.erase(it);
          } else {
            expected = it->target;
            Flow touched = *it;
            touched.last_seen = now;
            reference.erase(it);
            reference.push_front(touched);
          }
        }
        ASSERT_EQ(table.lookup(flow(key), now), expected) << "step " << step;
        break;
      }
      case 2: {  // erase
        std::optional<std::uint32_t> expected;
        if (auto it = find(key); it != reference.end()) {
          expected = it->target;
          reference.erase(it);
        }
        ASSERT_EQ(table.erase(flow(key)), expected) << "step " << step;
        break;
      }
      default:  // the idle timer
        table.expire_idle(now);
        while (!reference.empty() && now - reference.back().last_seen > kIdle) {
          reference_forgotten.push_back(reference.back().target);
          reference.pop_back();
        }
    }
    ASSERT_EQ(table.size(), reference.size()) << "step " << step;
    ASSERT_EQ(forgotten, reference_forgotten) << "step " << step;
  }
  table.clear();
  for (const Flow& f : reference) reference_forgotten.push_back(f.target);  // most recent first
  EXPECT_EQ(forgotten, reference_forgotten);
}

}  // namespace
}  // namespace lbsim::l4
