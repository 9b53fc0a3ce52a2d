// SPDX-License-Identifier: GPL-3.0-or-later
// A sweep's knee and files, from hand-made points: the knee is the first point whose p99
// is more than twice the first point's, or whose error rate is above 1 %.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "reports/sweep.hpp"

namespace lbsim::reports {
namespace {

using json = nlohmann::ordered_json;

// A point along one axis with these figures (p99 in ms, error rate as a share).
SweepPoint point(std::string value, double p99_ms, double error_rate = 0) {
  return {{std::move(value)}, json{{"p99_ms", p99_ms}, {"error_rate", error_rate}}};
}
SweepPoint failed(std::string value) { return {{std::move(value)}, nullptr}; }

TEST(SweepKnee, IsTheFirstPointWhoseP99IsMoreThanTwiceTheFirstPoints) {
  const std::vector<SweepPoint> points{point("100/s", 10), point("200/s", 15), point("300/s", 25), point("400/s", 90)};
  const auto knee = find_knee(points);
  ASSERT_TRUE(knee);
  EXPECT_EQ(knee->point, 2u);
  EXPECT_EQ(knee->previous, 1u);
  EXPECT_TRUE(knee->p99);
  EXPECT_FALSE(knee->errors);
  EXPECT_EQ(knee_text(knee, "rate", points), "p99 knee between rate 200/s (15.00 ms) and 300/s (25.00 ms): p99 over twice the first point's 10.00 ms");
}

TEST(SweepKnee, ExactlyTwiceIsNotYetAKnee) {
  const std::vector<SweepPoint> points{point("1", 10), point("2", 20)};
  EXPECT_FALSE(find_knee(points));
  EXPECT_EQ(knee_text(std::nullopt, "cores", points), "no knee: p99 stayed within twice the first point's (10.00 ms) and errors within 1 %");
}

TEST(SweepKnee, ErrorsAboveOnePercentMakeAKneeEvenAtTheFirstPoint) {
  const std::vector<SweepPoint> points{point("1", 10, 0.02), point("2", 11)};
  const auto knee = find_knee(points);
  ASSERT_TRUE(knee);
  EXPECT_EQ(knee->point, 0u);
  EXPECT_FALSE(knee->previous);
  EXPECT_TRUE(knee->errors);
  EXPECT_FALSE(knee->p99);  // the first point is the reference: it cannot exceed itself
  EXPECT_EQ(knee_text(knee, "nodes", points), "error knee at the first point, nodes 1 (2.0 % errors): errors over 1 %");
  EXPECT_FALSE(find_knee({point("1", 10, 0.01)}));  // 1 % itself is within
}

TEST(SweepKnee, FailedPointsArePassedOver) {
  const std::vector<SweepPoint> points{failed("1"), point("2", 4), failed("3"), point("4", 9, 0.5)};
  const auto knee = find_knee(points);
  ASSERT_TRUE(knee);
  EXPECT_EQ(knee->point, 3u);
  EXPECT_EQ(knee->previous, 1u);  // the last point that finished, not the failed one between
  EXPECT_TRUE(knee->p99 && knee->errors);
  EXPECT_EQ(knee_text(knee, "rate", points),
            "p99 and error knee between rate 2 (4.000 ms, 0 % errors) and 4 (9.000 ms, 50.0 % errors): p99 over twice the first point's 4.000 ms, "
            "errors over 1 %");
  EXPECT_EQ(knee_text(std::nullopt, "rate", {failed("1")}), "no knee: no point finished");
}

TEST(SweepFigures, AreCopiedFromTheSummaryWithTheObjectivesErrorRate) {
  const json summary = json::parse(R"({
    "requests": { "sent": 120, "completed": 90, "failed": 10 },
    "throughput_rps": 9.5,
    "latency_ms": { "p50": 1, "p90": 2, "p99": 3, "p999": 4, "mean": 1.5 },
    "nodes": [ { "kind": "backend", "utilization": 0.25 }, { "kind": "backend", "utilization": 0.75 }, { "kind": "l4", "utilization": 0.1 } ]
  })");
  const json f = sweep_figures(summary);
  EXPECT_DOUBLE_EQ(f["error_rate"].get<double>(), 0.1);  // failed / answered, not / sent
  EXPECT_EQ(f["sent"], 120);
  EXPECT_EQ(f["p99_ms"], 3);
  EXPECT_EQ(f["backend_util_max"], 0.75);
  EXPECT_TRUE(f["l7_util_max"].is_null());  // an L4-only layout has no L7 tier
  EXPECT_TRUE(f["slo_passed"].is_null());
  std::vector<std::string> keys;
  for (const auto& [key, value] : f.items()) keys.push_back(key);
  EXPECT_EQ(keys, sweep_figure_keys());
}

TEST(SweepCsv, QuotesWhatNeedsItAndLeavesAFailedPointsFiguresEmpty) {
  SweepPoint ok{{"{ cores: 2, per_request: 1ms }"}, json::object()};
  for (const auto& key : sweep_figure_keys()) ok.figures[key] = 1;
  const std::string csv = sweep_csv({"l7.cpu"}, {ok, failed("say \"hi\"")});
  const std::string empties(sweep_figure_keys().size(), ',');
  EXPECT_THAT(csv, ::testing::StartsWith("l7.cpu,sent,completed,"));
  EXPECT_THAT(csv, ::testing::HasSubstr("\n\"{ cores: 2, per_request: 1ms }\",1,1,"));
  EXPECT_THAT(csv, ::testing::EndsWith("\n\"say \"\"hi\"\"\"" + empties + "\n"));
}

}  // namespace
}  // namespace lbsim::reports
