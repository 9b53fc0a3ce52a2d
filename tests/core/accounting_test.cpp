// SPDX-License-Identifier: GPL-3.0-or-later
// The counts of a finished run, checked by hand-built cases: one that adds up, and one
// for each rule broken on its own.
#include "results/accounting.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace {

using lbsim::results::accounting_problems;
using lbsim::results::kStatusUnanswered;
using lbsim::results::RunMetrics;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// 10 sent overall: 7 answered ok, 2 answered 503, 1 unanswered at the end. Zone 0 and the
// one group saw the 9 answered ones.
RunMetrics adding_up() {
  RunMetrics m;
  m.by_zone.resize(1);
  m.by_group.resize(1);
  m.overall.sent = 10;
  m.by_zone[0].sent = 10;
  m.by_group[0].sent = 11;  // a retried attempt reaches the group twice
  for (int i = 0; i < 9; ++i) {
    const std::uint16_t status = i < 7 ? 200 : 503;
    for (auto* counters : {&m.overall, &m.by_zone[0], &m.by_group[0]}) counters->record_answer(status, 1'000'000);
  }
  m.unanswered = 1;
  m.overall.failed += 1;
  m.overall.failures_by_status[kStatusUnanswered] += 1;
  return m;
}

TEST(Accounting, ARunWhoseCountsAddUpHasNoProblem) { EXPECT_TRUE(accounting_problems(adding_up()).empty()); }

TEST(Accounting, MoreOutcomesThanRequestsIsAProblem) {
  // The summary once showed completed + failed (396) above sent (387).
  RunMetrics m = adding_up();
  m.overall.sent = 9;
  EXPECT_THAT(accounting_problems(m), ElementsAre(HasSubstr("overall: every request sent must end completed or failed (sent 9, completed 7, failed 3)")));
}

TEST(Accounting, FewerOutcomesThanRequestsIsAProblem) {
  RunMetrics m = adding_up();
  m.overall.sent = 11;
  EXPECT_THAT(accounting_problems(m), ElementsAre(HasSubstr("sent 11, completed 7, failed 3")));
}

TEST(Accounting, FailuresMustAddUpByKind) {
  RunMetrics m = adding_up();
  m.overall.failures_by_status[503] = 1;
  EXPECT_THAT(accounting_problems(m), ElementsAre("overall: failures by kind add up to 2, not to failed 3"));
}

TEST(Accounting, EveryAnswerHasOneLatency) {
  RunMetrics m = adding_up();
  m.by_group[0].latency_ns.record(5);
  EXPECT_THAT(accounting_problems(m), ElementsAre("target group 0: 10 latencies for 9 answers"));
}

TEST(Accounting, AZoneCannotAnswerMoreThanItWasSent) {
  RunMetrics m = adding_up();
  m.by_zone[0].sent = 8;
  EXPECT_THAT(accounting_problems(m), ElementsAre(HasSubstr("zone 0: more answers than requests (sent 8, completed 7, failed 2)")));
}

TEST(Accounting, UnansweredRequestsAreFailuresOfTheirOwnKind) {
  RunMetrics m = adding_up();
  m.unanswered = 2;
  const auto problems = accounting_problems(m);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0], "overall: 2 unanswered, but 1 failures of that kind");
  EXPECT_EQ(problems[1], "overall: 9 latencies and 2 unanswered for 10 outcomes");
}

}  // namespace
