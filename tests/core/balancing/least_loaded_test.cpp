// SPDX-License-Identifier: GPL-3.0-or-later
// Least outstanding requests, least connections, and the load tracker under them.
#include <gtest/gtest.h>

#include "balancing/load.hpp"
#include "balancing/registry.hpp"
#include "support/pickers.hpp"

namespace lbsim::balancing {
namespace {

using test::targets;

TEST(LeastOutstanding, PicksTheLeastBusyAndBreaksTiesByIndex) {
  auto picker = make_picker("least_outstanding_requests", targets(4));
  LoadTracker load(4);
  for (std::size_t t : {0, 0, 0, 1, 2, 2, 2, 2, 3}) load.start(t);  // loads 3, 1, 4, 1
  EXPECT_EQ(picker->pick({0, 0, &load, nullptr}), 1u);
  for (int i = 0; i < 4; ++i) load.start(1);  // 3, 5, 4, 1
  EXPECT_EQ(picker->pick({0, 0, &load, nullptr}), 3u);
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

}  // namespace
}  // namespace lbsim::balancing
