// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/child_runs.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace lbsim::cli {
namespace {

std::vector<ChildRun*> runs_estimated(std::vector<ChildRun>& runs, const std::vector<double>& seconds) {
  runs.resize(seconds.size());
  std::vector<ChildRun*> pointers;
  for (std::size_t i = 0; i < seconds.size(); ++i) {
    runs[i].estimated_seconds = seconds[i];
    pointers.push_back(&runs[i]);
  }
  return pointers;
}

// A sweep's points in the order the grid gives them, costs growing with the rate: the
// longest starts first, equal estimates keep their order, unknown ones (0) go last.
TEST(ChildRuns, StartTheLongestEstimatedFirstAndKeepTiesInOrder) {
  std::vector<ChildRun> runs;
  EXPECT_EQ(start_order(runs_estimated(runs, {0.5, 1.0, 4.0, 2.0, 4.0, 0.0})), (std::vector<std::size_t>{2, 4, 3, 1, 0, 5}));
  // Nothing estimated (compare, replications of one run): the order given.
  EXPECT_EQ(start_order(runs_estimated(runs, {0, 0, 0})), (std::vector<std::size_t>{0, 1, 2}));
}

// Two slots and ten points costing 1..10: started in the given order the pool ends on the
// longest alone (makespan 30); longest first it ends within a point of the ideal 27.5.
TEST(ChildRuns, LongestFirstShortensATwoSlotPoolsMakespan) {
  std::vector<ChildRun> runs;
  std::vector<double> costs;
  for (int i = 1; i <= 10; ++i) costs.push_back(i);
  const auto makespan = [&](const std::vector<std::size_t>& order) {
    double slot[2] = {0, 0};
    for (std::size_t i : order) *(slot[0] <= slot[1] ? &slot[0] : &slot[1]) += costs[i];
    return std::max(slot[0], slot[1]);
  };
  std::vector<std::size_t> given(costs.size());
  for (std::size_t i = 0; i < given.size(); ++i) given[i] = i;
  EXPECT_DOUBLE_EQ(makespan(given), 30.0);
  EXPECT_LE(makespan(start_order(runs_estimated(runs, costs))), 28.0);
}

}  // namespace
}  // namespace lbsim::cli
