// SPDX-License-Identifier: GPL-3.0-or-later
// Saturation that averages hide, on hand-made runs: a node at 95 % busy or more for 3 s
// or more is flagged with when; a group names its busiest backend beside its mean.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "reports/saturation.hpp"
#include "reports/summary.hpp"
#include "synthetic_run.hpp"

namespace lbsim::reports {
namespace {

results::NodeSeries series(std::string name, std::vector<double> utilization) {
  results::NodeSeries s;
  s.name = std::move(name);
  s.utilization = std::move(utilization);
  return s;
}

TEST(Saturation, ASpanIsThreeSecondsOrMoreAtNinetyFivePercentOrMore) {
  results::RunMetrics m;
  m.node_timeline.push_back(series("api-a-0", {0.5, 0.96, 0.97, 0.99, 0.5, 0.96, 0.96, 0.2, 0.95, 0.95, 0.95}));
  m.node_timeline.push_back(series("api-b-0", {0.949, 0.949, 0.949, 0.949}));  // never quite
  const auto spans = saturation_spans(m);
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[0].node, "api-a-0");
  EXPECT_EQ(spans[0].from_s, 1);
  EXPECT_EQ(spans[0].to_s, 4);
  EXPECT_DOUBLE_EQ(spans[0].peak, 0.99);
  // Two seconds at 96 % are no span; three at exactly 95 % to the end of the run are.
  EXPECT_EQ(spans[1].from_s, 8);
  EXPECT_EQ(spans[1].to_s, 11);
}

TEST(Saturation, TheSummaryNamesAGroupsBusiestBackendBesideItsMean) {
  const auto spec = testing::scenario("", "10s");
  results::RunResult run;
  run.sim_seconds = 10;
  run.metrics.by_zone.resize(3);
  run.metrics.by_group.resize(1);
  // api: six backends; one ran flat out for the whole run while the others idled at 10 %.
  for (const char* zone : {"a", "b", "c"})
    for (int i = 0; i < 2; ++i) {
      results::NodeStats n;
      n.name = std::string("api-") + zone + "-" + std::to_string(i);
      n.kind = topology::NodeKind::backend;
      n.zone = zone;
      n.group = "api";
      n.capacity = 16;
      n.busy_seconds = (n.name == "api-a-0" ? 1.0 : 0.1) * 16 * 10;
      run.metrics.nodes.push_back(n);
      run.metrics.node_timeline.push_back(series(n.name, std::vector<double>(10, n.name == "api-a-0" ? 1.0 : 0.1)));
    }
  testing::answer(run, 0, 10, 5 * testing::kMs);
  const auto s = summary_json(spec, run);
  const auto& api = s["target_groups"][0];
  EXPECT_NEAR(api["utilization"].get<double>(), 0.25, 1e-6);  // (1 + 5 x 0.1) / 6
  EXPECT_EQ(api["busiest"]["node"], "api-a-0");
  EXPECT_EQ(api["busiest"]["utilization"], 1.0);
  ASSERT_EQ(s["saturation"].size(), 1u);
  EXPECT_EQ(s["saturation"][0]["node"], "api-a-0");
  EXPECT_EQ(s["saturation"][0]["group"], "api");
  EXPECT_EQ(s["saturation"][0]["to_s"], 10.0);
  std::ostringstream text;
  print_summary(text, s);
  EXPECT_THAT(text.str(), ::testing::HasSubstr("warning: saturated: api-a-0 (api) at 95 % busy or more from 0 s to 10.00 s"));
}

}  // namespace
}  // namespace lbsim::reports

namespace lbsim::reports {
namespace {

TEST(Saturation, WarningsGroupANodesSpansAndAGroupsNodesIntoOneLineEach) {
  const auto span = [](const char* node, const char* kind, const char* group, double from, double to, double peak) {
    nlohmann::ordered_json s{{"node", node}, {"kind", kind}};
    if (group != nullptr) s["group"] = group;
    s["from_s"] = from;
    s["to_s"] = to;
    s["peak"] = peak;
    return s;
  };
  nlohmann::ordered_json spans = nlohmann::ordered_json::array();
  spans.push_back(span("api-a-0", "backend", "api", 20, 24, 0.97));
  spans.push_back(span("api-b-0", "backend", "api", 18, 23, 0.991));
  spans.push_back(span("api-a-0", "backend", "api", 25, 27, 0.96));
  spans.push_back(span("l7-a-0", "l7", nullptr, 5, 9, 0.98));
  spans.push_back(span("l7-a-0", "l7", nullptr, 12, 15, 0.99));
  spans.push_back(span("static-c-1", "backend", "static", 1, 4, 0.95));
  EXPECT_THAT(saturation_warnings(spans),
              ::testing::ElementsAre("saturated: 2 nodes of api at 95 % busy or more for 3 s or more, between 18.00 s and 27.00 s "
                                   "(peak 99.1 % on api-b-0)",
                                   "saturated: l7-a-0 (l7) at 95 % busy or more for 3 s or more, between 5.000 s and 15.00 s "
                                   "(peak 99.0 % on l7-a-0)",
                                   "saturated: static-c-1 (static) at 95 % busy or more from 1.000 s to 4.000 s (peak 95.0 %)"));
  EXPECT_TRUE(saturation_warnings(nlohmann::ordered_json::array()).empty());
}

}  // namespace
}  // namespace lbsim::reports
