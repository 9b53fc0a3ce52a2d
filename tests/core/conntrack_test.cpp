// SPDX-License-Identifier: GPL-3.0-or-later
#include "l4/conntrack.hpp"

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

TEST(ConnTrack, EraseEndsAFlow) {
  ConnTrack table(3, 350);
  table.insert(flow(1), 1, 0.0);
  table.erase(flow(1));
  EXPECT_FALSE(table.lookup(flow(1), 0.0));
  table.erase(flow(9));  // unknown: no effect
  EXPECT_EQ(table.size(), 0u);
}

}  // namespace
}  // namespace lbsim::l4
