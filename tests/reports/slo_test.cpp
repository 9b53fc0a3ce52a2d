// SPDX-License-Identifier: GPL-3.0-or-later
// Service-level objectives against hand-written runs: overall and per window, pass and
// fail exactly at the threshold, and an error rate that counts every kind of failure.
#include "reports/slo.hpp"

#include <gtest/gtest.h>

#include "synthetic_run.hpp"

namespace lbsim::reports {
namespace {

using testing::answer;
using testing::kMs;
using testing::scenario;

SloResult only_objective(const std::string& objective, const results::RunResult& run, const std::string& duration = "30s") {
  const auto report = evaluate_slo(scenario("slo:\n  - " + objective + "\n", duration), run);
  EXPECT_EQ(report.objectives.size(), 1u);
  EXPECT_EQ(report.passed, !report.objectives.empty() && report.objectives.front().passed);
  return report.objectives.empty() ? SloResult{} : report.objectives.front();
}

// 100 answers a second in [from, to), all succeeding in `latency`.
void steady(results::RunResult& run, std::size_t from, std::size_t to, std::uint64_t latency = 100 * kMs) {
  for (std::size_t s = from; s < to; ++s) answer(run, s, 100, latency);
}

TEST(Slo, NoObjectivesPasses) {
  results::RunResult run;
  steady(run, 0, 10, 900 * kMs);
  const auto report = evaluate_slo(scenario(""), run);
  EXPECT_TRUE(report.passed);
  EXPECT_TRUE(report.objectives.empty());
}

TEST(Slo, OverallLatencyExactlyAtTheThresholdPasses) {
  results::RunResult run;
  steady(run, 0, 10, 250 * kMs);  // one value: the histogram reports it exactly
  const auto at = only_objective("{ p99: 250ms }", run);
  EXPECT_TRUE(at.passed);
  EXPECT_EQ(at.text, "p99 <= 250ms");
  EXPECT_EQ(at.metric, config::SloObjective::Metric::p99);
  EXPECT_DOUBLE_EQ(at.value, 0.25);
  EXPECT_DOUBLE_EQ(at.threshold, 0.25);
  EXPECT_FALSE(at.window_s);
  EXPECT_FALSE(at.worst_window_value);
  EXPECT_FALSE(only_objective("{ p99: 249ms }", run).passed);
}

TEST(Slo, MeanIsOverEveryAnswer) {
  results::RunResult run;
  steady(run, 0, 5, 100 * kMs);
  steady(run, 5, 10, 300 * kMs);
  EXPECT_DOUBLE_EQ(only_objective("{ mean: 200ms }", run).value, 0.2);
  EXPECT_TRUE(only_objective("{ mean: 200ms }", run).passed);
  EXPECT_FALSE(only_objective("{ mean: 199ms }", run).passed);
}

TEST(Slo, ErrorRateCountsTimeoutsResetsAndUnansweredRequests) {
  results::RunResult run;
  answer(run, 0, 96, 100 * kMs);
  answer(run, 1, 1, 100 * kMs, 503);
  answer(run, 1, 1, 2000 * kMs, results::kStatusTimeout);
  answer(run, 1, 1, 1 * kMs, results::kStatusReset);
  // Still unanswered when the run ended: counted as the client counts it, with no time.
  run.metrics.unanswered = 1;
  run.metrics.overall.failed += 1;
  run.metrics.overall.failures_by_status[results::kStatusUnanswered] += 1;
  const auto at = only_objective("{ error_rate: 4% }", run);
  EXPECT_DOUBLE_EQ(at.value, 4.0 / 100);
  EXPECT_TRUE(at.passed);
  EXPECT_FALSE(only_objective("{ error_rate: 3.9% }", run).passed);
}

// 100 fast answers a second for 30 s, and 20 more at 320 ms in [15, 16): p99 is slow in
// the window [10, 20) (20 of 1020 answers) but not overall (20 of 3020).
results::RunResult slow_second_window() {
  results::RunResult run;
  steady(run, 0, 30);
  answer(run, 15, 20, 320 * kMs);
  return run;
}

TEST(Slo, WindowMissesWhatTheOverallFigureHides) {
  const auto r = only_objective("{ p99: 250ms, window: 10s }", slow_second_window());
  EXPECT_DOUBLE_EQ(r.value, 0.1);
  ASSERT_TRUE(r.window_s && r.worst_window_value && r.worst_window_start_s);
  EXPECT_DOUBLE_EQ(*r.window_s, 10);
  EXPECT_DOUBLE_EQ(*r.worst_window_start_s, 10);
  EXPECT_DOUBLE_EQ(*r.worst_window_value, 0.32);
  EXPECT_EQ(r.text, "p99 <= 250ms per 10s");
  EXPECT_FALSE(r.passed);
  EXPECT_TRUE(only_objective("{ p99: 250ms }", slow_second_window()).passed);  // overall only
}

TEST(Slo, WindowExactlyAtTheThresholdPasses) {
  EXPECT_TRUE(only_objective("{ p99: 320ms, window: 10s }", slow_second_window()).passed);
  EXPECT_FALSE(only_objective("{ p99: 319ms, window: 10s }", slow_second_window()).passed);
}

TEST(Slo, ErrorRateExactlyAtTheThresholdInAWindowPasses) {
  results::RunResult run;
  for (std::size_t s = 0; s < 10; ++s) {
    answer(run, s, 99, 100 * kMs);
    answer(run, s, 1, 100 * kMs, 500);
  }
  const auto at = only_objective("{ error_rate: 1%, window: 10s }", run, "10s");
  ASSERT_TRUE(at.worst_window_value);
  EXPECT_DOUBLE_EQ(*at.worst_window_value, 0.01);
  EXPECT_TRUE(at.passed);
  EXPECT_FALSE(only_objective("{ error_rate: 0.9%, window: 10s }", run, "10s").passed);
}

TEST(Slo, WindowsWithoutAnswersAndAnswersAfterTheDurationAreLeftOut) {
  results::RunResult run;
  steady(run, 0, 10);
  answer(run, 31, 5, 900 * kMs);  // during the drain, after the 30 s of traffic
  const auto r = only_objective("{ p99: 250ms, window: 10s }", run);
  ASSERT_TRUE(r.worst_window_value);
  EXPECT_DOUBLE_EQ(*r.worst_window_start_s, 0);
  EXPECT_DOUBLE_EQ(*r.worst_window_value, 0.1);
  EXPECT_TRUE(r.passed);
}

TEST(Slo, LastWindowMayBeShorter) {
  results::RunResult run;
  steady(run, 0, 25);
  answer(run, 22, 10, 100 * kMs, 503);  // [20, 25): 10 of 510
  const auto r = only_objective("{ error_rate: 1%, window: 10s }", run, "25s");
  EXPECT_DOUBLE_EQ(r.value, 10.0 / 2510);
  ASSERT_TRUE(r.worst_window_value);
  EXPECT_DOUBLE_EQ(*r.worst_window_start_s, 20);
  EXPECT_DOUBLE_EQ(*r.worst_window_value, 10.0 / 510);
  EXPECT_FALSE(r.passed);
}

TEST(Slo, ReportPassesOnlyWhenEveryObjectiveDoes) {
  results::RunResult run;
  steady(run, 0, 10, 100 * kMs);
  const auto report = evaluate_slo(scenario("slo:\n  - { p50: 1s }\n  - { p90: 50ms }\n  - { error_rate: 0% }\n", "10s"), run);
  ASSERT_EQ(report.objectives.size(), 3u);
  EXPECT_TRUE(report.objectives[0].passed);
  EXPECT_FALSE(report.objectives[1].passed);
  EXPECT_TRUE(report.objectives[2].passed);  // no failures: exactly 0
  EXPECT_FALSE(report.passed);
}

}  // namespace
}  // namespace lbsim::reports
