// SPDX-License-Identifier: GPL-3.0-or-later
// What each fault did, from hand-written timelines: detection from planted health
// events, the baseline, the recovery boundary and the damage in the impact window.
#include "reports/fault_report.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "synthetic_run.hpp"

namespace lbsim::reports {
namespace {

using testing::answer;
using testing::cross_zone;
using testing::health_event;
using testing::kMs;
using testing::lose;
using testing::scenario;

config::ScenarioSpec with_faults(const std::string& items) { return scenario("faults:\n" + items); }

// 100 answers a second, every one taking `latency` and succeeding, in [from, to).
void steady(results::RunResult& run, std::size_t from, std::size_t to, std::uint64_t latency = 100 * kMs) {
  for (std::size_t s = from; s < to; ++s) answer(run, s, 100, latency);
}

FaultImpact only_impact(const config::ScenarioSpec& spec, const results::RunResult& run) {
  const auto impacts = analyse_faults(spec, run);
  EXPECT_EQ(impacts.size(), 1u);
  return impacts.empty() ? FaultImpact{} : impacts.front();
}

std::optional<double> detection(const std::string& fault, const std::vector<std::pair<double, std::string>>& unhealthy) {
  results::RunResult run;
  steady(run, 0, 40);
  for (const auto& [time, target] : unhealthy) health_event(run, time, target);
  return only_impact(with_faults(fault), run).time_to_detect_s;
}

TEST(FaultReport, StartEndAndLabelComeFromTheSpec) {
  const auto spec = with_faults("  - { at: 20s, for: 5s, kind: backend_crash, targets: api-b-* }\n"
                                "  - { at: 30s, kind: slow_backend, targets: api-a-0, factor: 4 }\n");
  results::RunResult run;
  steady(run, 0, 60);
  const auto impacts = analyse_faults(spec, run);
  ASSERT_EQ(impacts.size(), 2u);
  EXPECT_EQ(impacts[0].index, 0u);
  EXPECT_EQ(impacts[0].kind, config::FaultKind::backend_crash);
  EXPECT_EQ(impacts[0].label, spec.faults[0].label);
  EXPECT_DOUBLE_EQ(impacts[0].start_s, 20);
  EXPECT_DOUBLE_EQ(impacts[0].end_s, 25);
  EXPECT_EQ(impacts[1].index, 1u);
  EXPECT_DOUBLE_EQ(impacts[1].end_s, 60);  // no `for`: until the end of the run
}

TEST(FaultReport, DetectionIsTheFirstUnhealthyVerdictOnAnAffectedTargetAfterTheStart) {
  results::RunResult run;
  steady(run, 0, 40);
  health_event(run, 19.0, "api-b-0");          // before the fault: not its detection
  health_event(run, 21.5, "api-a-0");          // a target the fault does not touch
  health_event(run, 22.0, "api-b-1", true);    // a healthy verdict detects nothing
  health_event(run, 23.25, "api-b-0");         // the one
  health_event(run, 24.0, "api-b-1");
  const auto impact = only_impact(with_faults("  - { at: 20s, for: 5s, kind: backend_crash, targets: api-b-* }\n"), run);
  ASSERT_TRUE(impact.time_to_detect_s);
  EXPECT_DOUBLE_EQ(*impact.time_to_detect_s, 3.25);
}

TEST(FaultReport, NoUnhealthyVerdictOnAnAffectedTargetMeansNotDetected) {
  EXPECT_FALSE(detection("  - { at: 20s, kind: backend_crash, targets: api-b-0 }\n", {{21, "api-b-1"}, {22, "l7-b-0"}}));
}

TEST(FaultReport, ZoneOutageAffectsTheZonesL7NodesAndBackends) {
  const std::vector<std::pair<double, std::string>> events{{11, "l4-b-0"}, {12, "api-c-0"}, {13, "l7-b-0"}, {14, "api-b-1"}};
  EXPECT_EQ(detection("  - { at: 10s, kind: zone_outage, zone: b }\n", events), 3.0);
  // Its L4 nodes too when the whole zone goes; its backends only with scope: backends.
  EXPECT_EQ(detection("  - { at: 10s, kind: zone_outage, zone: b, scope: zone }\n", events), 1.0);
  EXPECT_EQ(detection("  - { at: 10s, kind: zone_outage, zone: b, scope: backends }\n", events), 4.0);
}

TEST(FaultReport, PartitionAffectsEveryNodeOfEitherZone) {
  EXPECT_EQ(detection("  - { at: 10s, kind: partition, zones: [a, b] }\n", {{11, "l7-c-0"}, {12.5, "l4-b-0"}}), 2.5);
}

TEST(FaultReport, FaultWithoutNodesIsDetectedByAnyTarget) {
  EXPECT_EQ(detection("  - { at: 10s, kind: traffic_surge, factor: 3 }\n", {{9, "api-a-0"}, {10.5, "api-c-1"}}), 0.5);
}

// The worked example: 100 ms before the fault; 320 ms and 10 % errors for five seconds;
// then one good second, one slow one, and good (within 10 %) from 27 s on. (Latencies are chosen so
// the coarse histograms report them exactly: 100 ms alone, and 320 ms as a window's
// maximum, which clamps its bucket's midpoint.)
results::RunResult crash_and_recovery() {
  results::RunResult run;
  steady(run, 0, 20);
  for (std::size_t s = 0; s < 20; ++s) cross_zone(run, s, 1000);
  for (std::size_t s = 20; s < 25; ++s) {
    answer(run, s, 90, 320 * kMs);
    if (s == 20) {
      answer(run, s, 5, 320 * kMs, results::kStatusReset);
      answer(run, s, 5, 320 * kMs, 503);
    } else {
      answer(run, s, 10, 320 * kMs, 502);
    }
  }
  lose(run, 20, 3);
  answer(run, 25, 100, 105 * kMs);  // within 10 % of the baseline p99
  answer(run, 26, 100, 200 * kMs);  // not: recovery must wait for three good seconds
  answer(run, 27, 100, 105 * kMs);  // within 10 % again: the first of three
  steady(run, 28, 40);
  for (std::size_t s = 20; s < 27; ++s) cross_zone(run, s, 5000);
  return run;
}

TEST(FaultReport, BaselineIsTheRunBeforeTheStart) {
  const auto impact = only_impact(with_faults("  - { at: 20s, for: 5s, kind: backend_crash, targets: api-b-* }\n"),
                                  crash_and_recovery());
  ASSERT_TRUE(impact.baseline);
  EXPECT_DOUBLE_EQ(impact.baseline->p99_ns, 100.0 * kMs);
  EXPECT_DOUBLE_EQ(impact.baseline->mean_ns, 100.0 * kMs);
  EXPECT_DOUBLE_EQ(impact.baseline->error_share, 0);
  EXPECT_DOUBLE_EQ(impact.baseline->cross_zone_Bps, 1000);
}

TEST(FaultReport, RecoveryIsTheFirstBoundaryFollowedByThreeGoodIntervals) {
  const auto impact = only_impact(with_faults("  - { at: 20s, for: 5s, kind: backend_crash, targets: api-b-* }\n"),
                                  crash_and_recovery());
  ASSERT_TRUE(impact.recovered());
  EXPECT_DOUBLE_EQ(*impact.time_to_recover_s, 7);  // back at 27 s
  EXPECT_DOUBLE_EQ(impact.window_from_s, 20);
  EXPECT_DOUBLE_EQ(impact.window_to_s, 27);
}

TEST(FaultReport, RecoveryIsFailoverWhileTheFaultLastsAndFaultEndedAfter) {
  // Back at 27 s: a fault that lasts to 40 s was routed around; one that ended at 25 s was not.
  const auto lasting = only_impact(with_faults("  - { at: 20s, for: 20s, kind: backend_crash, targets: api-b-* }\n"), crash_and_recovery());
  EXPECT_EQ(lasting.recovery, Recovery::failover);
  const auto brief = only_impact(with_faults("  - { at: 20s, for: 5s, kind: backend_crash, targets: api-b-* }\n"), crash_and_recovery());
  EXPECT_EQ(brief.recovery, Recovery::fault_ended);
  EXPECT_NE(fault_narrative(lasting, scenario("")).find("while the fault lasted"), std::string::npos);
  EXPECT_NE(fault_narrative(brief, scenario("")).find("once the fault had ended"), std::string::npos);
}

TEST(FaultReport, DetectionPerTierIsEachCheckersFirstAndLastVerdictWhileTheFaultLasts) {
  results::RunResult run;
  steady(run, 0, 60);
  using results::HealthSource;
  const auto verdict = [&](double time, const std::string& checker, const std::string& target, HealthSource source) {
    run.metrics.health_events.push_back({time, checker, target, false, "planted", 0.0, source});
  };
  verdict(15, "l4-a-0-hc", "l7-b-0", HealthSource::l4_check);          // before the fault
  verdict(31, "l4-a-0-hc", "l7-b-0", HealthSource::l4_check);          // L4 on an L7 node
  verdict(44, "l4-c-0-hc", "l7-b-0", HealthSource::l4_check);          // the same target from another L4 node
  verdict(22, "l7-a-0-hc-api", "api-b-0", HealthSource::l7_check);     // L7 checks of backends
  verdict(23, "l7-c-0-hc-api", "api-b-1", HealthSource::l7_check);
  verdict(21, "l7-a-0-outlier", "api-b-1", HealthSource::outlier);     // an ejection on live errors
  verdict(25, "l4-b-0-passive", "l7-b-0", HealthSource::l4_passive);   // connections failing on live traffic
  verdict(55, "l4-a-0-hc", "l7-b-0", HealthSource::l4_check);          // after the fault ended at 50 s
  const auto impact = only_impact(with_faults("  - { at: 20s, for: 30s, kind: zone_outage, zone: b }\n"), run);
  ASSERT_EQ(impact.detection.size(), 4u);
  EXPECT_EQ(impact.detection[0].tier, "l4");
  EXPECT_DOUBLE_EQ(impact.detection[0].first_s, 11);
  EXPECT_DOUBLE_EQ(impact.detection[0].last_s, 24);
  EXPECT_EQ(impact.detection[0].verdicts, 2u);
  EXPECT_EQ(impact.detection[0].targets, 1u);
  EXPECT_EQ(impact.detection[1].tier, "l4_passive");
  EXPECT_DOUBLE_EQ(impact.detection[1].first_s, 5);
  EXPECT_EQ(impact.detection[2].tier, "l7");
  EXPECT_DOUBLE_EQ(impact.detection[2].first_s, 2);
  EXPECT_DOUBLE_EQ(impact.detection[2].last_s, 3);
  EXPECT_EQ(impact.detection[2].targets, 2u);
  EXPECT_EQ(impact.detection[3].tier, "outlier");
  EXPECT_DOUBLE_EQ(impact.detection[3].first_s, 1);
  const std::string text = fault_narrative(impact, scenario(""));
  EXPECT_NE(text.find("The L4 tier's health checks marked 1 target down 11 s to 24 s after the start."), std::string::npos) << text;
  EXPECT_NE(text.find("The L4 tier's passive checks (connections failing on live traffic) marked 1 target down 5 s after the start."),
            std::string::npos) << text;
  EXPECT_NE(text.find("Outlier detection ejected 1 target 1 s after the start."), std::string::npos) << text;
  // In Korean, from the same pieces: each figure and who saw it, in Korean word order.
  const std::string korean = render_narrative(fault_narrative_notes(impact, scenario("")), text::Language::ko);
  EXPECT_NE(korean.find("L4 티어의 헬스 체크가 대상 1개를 다운으로 표시했다(시작 뒤 11 s~24 s)."), std::string::npos) << korean;
  EXPECT_NE(korean.find("L7 티어의 헬스 체크가 대상 2개를 다운으로 표시했다(시작 뒤 2 s~3 s)."), std::string::npos) << korean;
  EXPECT_NE(korean.find("이상치 탐지가 대상 1개를 제외했다(시작 뒤 1 s)."), std::string::npos) << korean;
  EXPECT_EQ(korean.find("target"), std::string::npos) << "no English left: " << korean;
}

TEST(FaultReport, DnsWithdrawalsWhileTheFaultLastsWithWhenCachedAnswersExpire) {
  results::RunResult run;
  steady(run, 0, 60);
  const auto dns = [&](double time, const std::string& node, bool announced) {
    run.metrics.dns_events.push_back({time, node, announced, announced ? "it qualifies again" : "none of its targets is healthy"});
  };
  dns(5, "l4-c-0", false);   // before the fault: not this fault's doing
  dns(8, "l4-c-0", true);
  dns(27, "l4-b-0", false);  // 7 s into the fault
  dns(52, "l4-b-0", true);   // back 2 s after it ended
  dns(49, "l4-a-0", false);  // withdrawn just before the end, never back
  dns(51, "l4-d-0", false);  // after the fault ended
  std::sort(run.metrics.dns_events.begin(), run.metrics.dns_events.end(), [](const auto& a, const auto& b) { return a.time < b.time; });
  const std::string faults = "  - { at: 20s, for: 30s, kind: zone_outage, zone: b }\n";
  const auto spec = with_faults(faults);
  const auto impact = only_impact(spec, run);
  ASSERT_EQ(impact.dns.size(), 2u);
  EXPECT_EQ(impact.dns[0].node, "l4-b-0");
  EXPECT_DOUBLE_EQ(impact.dns[0].withdrawn_s, 7);
  EXPECT_DOUBLE_EQ(impact.dns[0].cache_expired_s, 7 + 60);  // NLB's record TTL, 60 s
  ASSERT_TRUE(impact.dns[0].announced_again_s);
  EXPECT_DOUBLE_EQ(*impact.dns[0].announced_again_s, 32);
  EXPECT_EQ(impact.dns[1].node, "l4-a-0");
  EXPECT_FALSE(impact.dns[1].announced_again_s);
  const std::string text = fault_narrative(impact, spec);
  EXPECT_NE(text.find("DNS stopped announcing l4-b-0 7 s after the start (none of its targets is healthy); answers cached before "
                      "then expired by 67 s; it was announced again 32 s after the start."),
            std::string::npos) << text;
  const std::string korean = render_narrative(fault_narrative_notes(impact, spec), text::Language::ko);
  EXPECT_NE(korean.find("DNS는 시작 뒤 7 s에 l4-b-0 노드를 더 알리지 않았고(이유: none of its targets is healthy), 그 전에 캐시된 답은 "
                        "67 s까지 만료되었다. 시작 뒤 32 s에 다시 알렸다."),
            std::string::npos) << korean;
}

TEST(FaultReport, ImpactWindowSumsErrorsByKindLossLatencyAndBytes) {
  const auto impact = only_impact(with_faults("  - { at: 20s, for: 5s, kind: backend_crash, targets: api-b-* }\n"),
                                  crash_and_recovery());
  EXPECT_EQ(impact.answered, 700u);
  EXPECT_EQ(impact.errors, (std::map<std::string, std::uint64_t>{{"reset", 5}, {"503", 5}, {"502", 40}}));
  EXPECT_EQ(impact.lost, 3u);
  // 500 answers at 320 ms, 100 at 105 ms, 100 at 200 ms.
  EXPECT_DOUBLE_EQ(impact.mean_ns, (500 * 320.0 + 100 * 105.0 + 100 * 200.0) / 700 * kMs);
  EXPECT_DOUBLE_EQ(impact.p99_ns, 320.0 * kMs);
  ASSERT_TRUE(impact.extra_mean_ns && impact.extra_p99_ns && impact.cross_zone_bytes_change);
  EXPECT_DOUBLE_EQ(*impact.extra_mean_ns, impact.mean_ns - 100.0 * kMs);
  EXPECT_DOUBLE_EQ(*impact.extra_p99_ns, 220.0 * kMs);
  EXPECT_DOUBLE_EQ(impact.cross_zone_bytes, 7 * 5000.0);
  EXPECT_DOUBLE_EQ(*impact.cross_zone_bytes_change, 7 * 5000.0 - 7 * 1000.0);
}

TEST(FaultReport, ErrorShareWithinATenthOfAPercentOfTheBaselineCountsAsRecovered) {
  results::RunResult run;
  steady(run, 0, 10);
  answer(run, 10, 100, 500 * kMs);
  for (std::size_t s = 11; s < 14; ++s) {
    answer(run, s, 999, 100 * kMs);
    answer(run, s, 1, 100 * kMs, 500);  // 0.1 %: exactly the slack
  }
  const auto impact = only_impact(with_faults("  - { at: 10s, kind: backend_errors, targets: api-a-0, error_rate: 50% }\n"), run);
  ASSERT_TRUE(impact.recovered());
  EXPECT_DOUBLE_EQ(*impact.time_to_recover_s, 1);
}

TEST(FaultReport, RequestsSwallowedCountAsErrorsWhenLost) {
  // A dark zone: for three seconds its share of requests vanishes; those answered are
  // as fast as ever, and the clients' timeouts would land only later.
  results::RunResult run;
  steady(run, 0, 10);
  steady(run, 10, 16);
  for (std::size_t s = 10; s < 13; ++s) lose(run, s, 50);
  const auto impact = only_impact(with_faults("  - { at: 10s, for: 3s, kind: zone_outage, zone: b }\n"), run);
  ASSERT_TRUE(impact.recovered());
  EXPECT_DOUBLE_EQ(*impact.time_to_recover_s, 3);
  EXPECT_EQ(impact.lost, 150u);
  EXPECT_TRUE(impact.errors.empty());
}

TEST(FaultReport, AnIntervalWithoutAnswersIsNotRecovered) {
  results::RunResult run;
  steady(run, 0, 10);
  steady(run, 10, 12);
  steady(run, 13, 16);  // nothing answered in [12, 13)
  const auto impact = only_impact(with_faults("  - { at: 10s, kind: node_loss, targets: l7-a-0 }\n"), run);
  ASSERT_TRUE(impact.recovered());
  EXPECT_DOUBLE_EQ(*impact.time_to_recover_s, 3);
}

TEST(FaultReport, NeverBackMeansNotRecoveredAndTheWindowRunsToTheEnd) {
  results::RunResult run;
  steady(run, 0, 10);
  steady(run, 10, 20, 320 * kMs);
  steady(run, 20, 22);  // two good seconds are not three
  const auto impact = only_impact(with_faults("  - { at: 10s, kind: slow_backend, targets: api-*, factor: 2 }\n"), run);
  EXPECT_FALSE(impact.recovered());
  EXPECT_DOUBLE_EQ(impact.window_to_s, 22);
  EXPECT_EQ(impact.answered, 1200u);
  ASSERT_TRUE(impact.extra_p99_ns);
  EXPECT_DOUBLE_EQ(*impact.extra_p99_ns, 220.0 * kMs);
}

TEST(FaultReport, FaultAtTimeZeroHasNoBaselineAndNoRecovery) {
  results::RunResult run;
  steady(run, 0, 5);
  answer(run, 2, 7, 100 * kMs, results::kStatusTimeout);
  answer(run, 4, 2, 100 * kMs, 429);
  const auto impact = only_impact(with_faults("  - { at: 0s, kind: backend_crash, targets: api-a-0 }\n"), run);
  EXPECT_FALSE(impact.baseline);
  EXPECT_FALSE(impact.recovered());
  EXPECT_DOUBLE_EQ(impact.window_from_s, 0);
  EXPECT_DOUBLE_EQ(impact.window_to_s, 5);
  EXPECT_EQ(impact.errors, (std::map<std::string, std::uint64_t>{{"timeout", 7}, {"429", 2}}));
  EXPECT_FALSE(impact.extra_mean_ns);
  EXPECT_FALSE(impact.extra_p99_ns);
  EXPECT_FALSE(impact.cross_zone_bytes_change);
}

TEST(FaultReport, BaselineIsAtMostTheLastThirtySeconds) {
  results::RunResult run;
  steady(run, 0, 10, 500 * kMs);  // too long ago to count
  steady(run, 10, 50);
  const auto impact = only_impact(with_faults("  - { at: 50s, kind: backend_crash, targets: api-a-0 }\n"), run);
  ASSERT_TRUE(impact.baseline);
  EXPECT_DOUBLE_EQ(impact.baseline->mean_ns, 100.0 * kMs);
}

TEST(FaultReport, BaselineSkipsAnEarlierFaultsImpactWindow) {
  results::RunResult run;
  steady(run, 0, 10);
  steady(run, 10, 15, 400 * kMs);  // the first fault's damage, recovered at 15 s
  steady(run, 15, 30);
  steady(run, 30, 35, 300 * kMs);
  steady(run, 35, 40);
  const auto spec = with_faults("  - { at: 10s, for: 2s, kind: backend_crash, targets: api-a-0 }\n"
                                "  - { at: 30s, for: 2s, kind: backend_crash, targets: api-b-0 }\n");
  const auto impacts = analyse_faults(spec, run);
  ASSERT_EQ(impacts.size(), 2u);
  EXPECT_DOUBLE_EQ(*impacts[0].time_to_recover_s, 5);
  ASSERT_TRUE(impacts[1].baseline);
  EXPECT_DOUBLE_EQ(impacts[1].baseline->mean_ns, 100.0 * kMs);  // [0, 10) and [15, 30)
  EXPECT_DOUBLE_EQ(*impacts[1].time_to_recover_s, 5);
}

TEST(FaultReport, FaultsInjectedLiveAreAnalysedInTimeOrderAfterTheScenarios) {
  const auto spec = with_faults("  - { at: 30s, for: 2s, kind: backend_crash, targets: api-b-0 }\n");
  results::RunResult run;
  steady(run, 0, 10);
  steady(run, 10, 15, 400 * kMs);  // the live fault's damage
  steady(run, 15, 30);
  steady(run, 30, 35, 300 * kMs);
  steady(run, 35, 40);
  run.faults = spec.faults;
  config::FaultSpec live;
  live.kind = config::FaultKind::node_loss;
  live.at_s = 10;
  live.for_s = 2;
  live.targets = "l7-a-0";
  live.label = "node_loss l7-a-0";
  run.faults.push_back(live);
  const auto impacts = analyse_faults(spec, run);
  ASSERT_EQ(impacts.size(), 2u);
  EXPECT_EQ(impacts[1].index, 1u);
  EXPECT_EQ(impacts[1].label, "node_loss l7-a-0");
  EXPECT_DOUBLE_EQ(*impacts[1].time_to_recover_s, 5);
  ASSERT_TRUE(impacts[0].baseline);
  EXPECT_DOUBLE_EQ(impacts[0].baseline->mean_ns, 100.0 * kMs);  // the live fault's window left out
}

TEST(FaultReport, StartInsideAnIntervalCountsThatIntervalWhole) {
  results::RunResult run;
  steady(run, 0, 20);
  answer(run, 20, 100, 300 * kMs);
  steady(run, 21, 30);
  const auto impact = only_impact(with_faults("  - { at: 20500ms, kind: backend_crash, targets: api-a-0 }\n"), run);
  ASSERT_TRUE(impact.baseline);
  EXPECT_DOUBLE_EQ(impact.baseline->mean_ns, 100.0 * kMs);  // [20, 21) does not end before the start
  ASSERT_TRUE(impact.recovered());
  EXPECT_DOUBLE_EQ(*impact.time_to_recover_s, 0.5);  // the first boundary after 20.5 s
  EXPECT_DOUBLE_EQ(impact.window_from_s, 20);
  EXPECT_EQ(impact.answered, 100u);
}

TEST(FaultReport, NoFaultsNoImpacts) {
  results::RunResult run;
  steady(run, 0, 5);
  EXPECT_TRUE(analyse_faults(scenario(""), run).empty());
}

}  // namespace
}  // namespace lbsim::reports
