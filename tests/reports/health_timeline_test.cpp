// SPDX-License-Identifier: GPL-3.0-or-later
// The report's health timeline from planted verdicts: each judge's count of targets held
// out, stepped at each verdict, DNS withdrawals, and faults as shaded bands.
#include "reports/html/health_timeline.hpp"

#include <gtest/gtest.h>

#include <string>

#include "synthetic_run.hpp"

namespace lbsim::reports::html {
namespace {

using results::HealthSource;

// The line's value at `t`: that of the last point at or before it (a step line's).
double value_at(const Series& s, double t) {
  double value = 0;
  for (const auto& [x, y] : s.points)
    if (x <= t) value = y;
  return value;
}

const Series& named(const Chart& c, const std::string& name) {
  for (const auto& s : c.series)
    if (s.name == name) return s;
  throw std::runtime_error("no series " + name);
}

results::RunResult planted_run() {
  results::RunResult run;
  testing::answer(run, 59, 1, testing::kMs);  // a 60 s timeline
  auto& events = run.metrics.health_events;
  events.push_back({5, "l7-a-0-outlier", "api-b-1", false, "planted", 35.0, HealthSource::outlier});
  events.push_back({10, "l4-a-0-hc", "l7-b-0", false, "planted", 0.0, HealthSource::l4_check});
  events.push_back({11, "l4-b-0-passive", "l7-b-0", false, "planted", 0.0, HealthSource::l4_passive});
  events.push_back({12, "l4-c-0-hc", "l7-b-0", false, "planted", 0.0, HealthSource::l4_check});  // the same target again
  events.push_back({14, "l4-c-0-hc", "l7-c-0", false, "planted", 0.0, HealthSource::l4_check});
  events.push_back({20, "l4-a-0-hc", "l7-b-0", true, "planted", 0.0, HealthSource::l4_check});   // l4-c-0 still holds it
  events.push_back({22, "l4-c-0-hc", "l7-b-0", true, "planted", 0.0, HealthSource::l4_check});
  events.push_back({30, "l4-b-0-passive", "l7-b-0", true, "planted", 0.0, HealthSource::l4_passive});
  run.metrics.dns_events.push_back({12, "l4-b-0", false, "none of its targets is healthy"});
  run.metrics.dns_events.push_back({40, "l4-b-0", true, "it qualifies again"});
  config::FaultSpec outage;
  outage.label = "zone b dark";
  run.metrics.fault_events.push_back({8, 0, true, outage});
  run.metrics.fault_events.push_back({25, 0, false, outage});
  config::FaultSpec crash;
  crash.kind = config::FaultKind::backend_crash;
  run.metrics.fault_events.push_back({50, 1, true, crash});  // never ends
  return run;
}

TEST(HealthTimeline, CountsTheDistinctTargetsEachJudgeHeldOutAtEachMoment) {
  const Chart c = health_timeline(planted_run());
  ASSERT_EQ(c.series.size(), 4u);  // no L7 checks were given: no line for them
  EXPECT_EQ(c.series[0].name, "L4 active checks");
  EXPECT_EQ(c.series[1].name, "L4 passive checks");
  EXPECT_EQ(c.series[2].name, "outlier ejections");
  EXPECT_EQ(c.series[3].name, "L4 nodes DNS did not announce");
  const Series& active = named(c, "L4 active checks");
  EXPECT_EQ(value_at(active, 9.9), 0);
  EXPECT_EQ(value_at(active, 10), 1);
  EXPECT_EQ(value_at(active, 13), 1);   // two checkers, one target
  EXPECT_EQ(value_at(active, 14), 2);
  EXPECT_EQ(value_at(active, 21), 2);   // l4-c-0 still holds l7-b-0
  EXPECT_EQ(value_at(active, 22), 1);
  EXPECT_EQ(value_at(active, 60), 1);   // l7-c-0 was never let back
  EXPECT_EQ(active.points.back().first, 60);
  const Series& passive = named(c, "L4 passive checks");
  EXPECT_EQ(value_at(passive, 11), 1);
  EXPECT_EQ(value_at(passive, 30), 0);
  const Series& outlier = named(c, "outlier ejections");
  EXPECT_EQ(value_at(outlier, 5), 1);
  EXPECT_EQ(value_at(outlier, 34.9), 1);
  EXPECT_EQ(value_at(outlier, 35), 0);  // the ejection's own end
  const Series& dns = named(c, "L4 nodes DNS did not announce");
  EXPECT_EQ(value_at(dns, 11), 0);
  EXPECT_EQ(value_at(dns, 12), 1);
  EXPECT_EQ(value_at(dns, 40), 0);
  for (const auto& s : c.series) EXPECT_EQ(s.points.front().first, 0) << s.name;
}

TEST(HealthTimeline, ShadesEachFaultWhileInForceToTheEndWhenItNeverEnds) {
  const Chart c = health_timeline(planted_run());
  ASSERT_EQ(c.bands.size(), 2u);
  EXPECT_EQ(c.bands[0].from, 8);
  EXPECT_EQ(c.bands[0].to, 25);
  EXPECT_EQ(c.bands[0].label, "fault: zone b dark");
  EXPECT_EQ(c.bands[1].from, 50);
  EXPECT_EQ(c.bands[1].to, 60);
  EXPECT_EQ(c.bands[1].label, "fault: backend_crash");
}

TEST(HealthTimeline, AQuietRunHasNothingToDraw) {
  results::RunResult run;
  testing::answer(run, 9, 1, testing::kMs);
  const Chart c = health_timeline(run);
  EXPECT_TRUE(c.series.empty());
  EXPECT_TRUE(c.bands.empty());
}

TEST(HealthTimeline, RendersToSvgWithItsBandsInTheLegend) {
  const std::string svg = render_svg(health_timeline(planted_run()));
  EXPECT_NE(svg.find("fault: zone b dark"), std::string::npos);
  EXPECT_NE(svg.find("L4 passive checks"), std::string::npos);
}

}  // namespace
}  // namespace lbsim::reports::html
