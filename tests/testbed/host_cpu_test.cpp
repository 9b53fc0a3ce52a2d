// SPDX-License-Identifier: GPL-3.0-or-later
// The host's stolen CPU share, from /proc/stat lines written by hand.
#include <gtest/gtest.h>

#include "testbed/host_cpu.hpp"

namespace lbsim::testbed {
namespace {

TEST(HostCpu, StealShareIsStolenTicksOverAllTicksBetweenReadings) {
  // user nice system idle iowait irq softirq steal guest guest_nice
  const auto before = parse_proc_stat("cpu  100 0 50 800 10 0 5 35 0 0\ncpu0 50 0 25 400 5 0 2 18 0 0\n");
  const auto after = parse_proc_stat("cpu  160 0 70 1000 10 0 10 50 7 0\ncpu0 80 0 35 500 5 0 5 25 0 0\n");
  ASSERT_TRUE(before && after);
  EXPECT_EQ(before->total, 1000u);  // 100+50+800+10+5+35
  EXPECT_EQ(before->steal, 35u);
  EXPECT_EQ(after->total, 1300u);   // guest (7) is inside user already: not counted twice
  // 15 of the 300 ticks between them were stolen.
  EXPECT_DOUBLE_EQ(*steal_share(*before, *after), 0.05);
}

TEST(HostCpu, NoShareFromALineWithoutStealOrWithoutTimePassing) {
  EXPECT_FALSE(parse_proc_stat("cpu  100 0 50 800 10 0 5\n"));  // a kernel older than steal
  EXPECT_FALSE(parse_proc_stat("intr 12345\n"));
  EXPECT_FALSE(parse_proc_stat("cpu0 1 2 3 4 5 6 7 8\n"));  // one core's line is not the host's
  const CpuTimes same{1000, 35};
  EXPECT_FALSE(steal_share(same, same));
}

TEST(HostCpu, ThisHostsProcStatReads) {
  const auto first = read_cpu_times();
  ASSERT_TRUE(first) << "/proc/stat has no aggregate cpu line with a steal field";
  EXPECT_GT(first->total, first->steal);
}

}  // namespace
}  // namespace lbsim::testbed
