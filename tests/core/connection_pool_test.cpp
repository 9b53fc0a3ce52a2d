// SPDX-License-Identifier: GPL-3.0-or-later
// An L7 proxy's pool of kept-alive connections to each backend, step by step.
#include <gtest/gtest.h>

#include <utility>
#include <vector>

#include "l7/connection_pool.hpp"

namespace lbsim::l7 {
namespace {

using Pool = ConnectionPool<int>;
using Acquired = Pool::Acquired;

TEST(ConnectionPool, OpensUpToItsLimitThenQueuesFirstComeFirstServed) {
  Pool pool(/*backends=*/2, /*max_per_backend=*/2);
  EXPECT_EQ(pool.acquire(0, 1, true), Acquired::open);
  EXPECT_EQ(pool.acquire(0, 2, true), Acquired::open);
  EXPECT_EQ(pool.acquire(0, 3, true), Acquired::wait);
  EXPECT_EQ(pool.acquire(0, 4, true), Acquired::wait);
  EXPECT_EQ(pool.acquire(1, 5, true), Acquired::open);  // each backend has its own connections
  EXPECT_EQ(pool.open(0), 2u);
  EXPECT_EQ(pool.pending(), 2u);
  int next = 0;
  ASSERT_TRUE(pool.release(0, next));  // the connection passes straight to the first in line
  EXPECT_EQ(next, 3);
  ASSERT_TRUE(pool.release(0, next));
  EXPECT_EQ(next, 4);
  EXPECT_EQ(pool.pending(), 0u);
  EXPECT_FALSE(pool.release(0, next));  // nobody waits: it becomes idle
  EXPECT_EQ(pool.idle(0), 1u);
  EXPECT_EQ(pool.acquire(0, 6, true), Acquired::reuse);
  EXPECT_EQ(pool.idle(0), 0u);
  EXPECT_EQ(pool.open(0), 2u);  // reuse opens nothing
}

TEST(ConnectionPool, AClosedConnectionMakesRoomForTheNextInLine) {
  Pool pool(1, 1);
  EXPECT_EQ(pool.acquire(0, 1, true), Acquired::open);
  EXPECT_EQ(pool.acquire(0, 2, true), Acquired::wait);
  int next = 0;
  ASSERT_TRUE(pool.close(0, next));  // a reset: request 2 gets a new connection in its place
  EXPECT_EQ(next, 2);
  EXPECT_EQ(pool.open(0), 1u);
  EXPECT_FALSE(pool.close(0, next));  // the last one closes: none open, none idle
  EXPECT_EQ(pool.open(0), 0u);
  EXPECT_EQ(pool.idle(0), 0u);
  EXPECT_EQ(pool.acquire(0, 3, true), Acquired::open);
}

TEST(ConnectionPool, ABreakerThatRefusesWaitingOverflowsOnlyWhenAllAreBusy) {
  Pool pool(1, 1);
  EXPECT_EQ(pool.acquire(0, 1, /*may_wait=*/false), Acquired::open);  // a free connection needs no waiting
  EXPECT_EQ(pool.acquire(0, 2, false), Acquired::overflow);
  EXPECT_EQ(pool.pending(), 0u);
}

TEST(ConnectionPool, ClearingHandsEveryWaitingRequestBackInOrder) {
  Pool pool(2, 1);
  pool.acquire(0, 1, true);
  pool.acquire(0, 2, true);
  pool.acquire(1, 3, true);
  pool.acquire(1, 4, true);
  pool.acquire(0, 5, true);
  std::vector<std::pair<std::size_t, int>> dropped;
  pool.clear([&](std::size_t slot, int request) { dropped.emplace_back(slot, request); });
  EXPECT_EQ(dropped, (std::vector<std::pair<std::size_t, int>>{{0, 2}, {0, 5}, {1, 4}}));
  EXPECT_EQ(pool.pending(), 0u);
  EXPECT_EQ(pool.open(0), 0u);
  EXPECT_EQ(pool.acquire(1, 6, true), Acquired::open);
}

}  // namespace
}  // namespace lbsim::l7
