// SPDX-License-Identifier: GPL-3.0-or-later
// The failure timeline (faults:), service-level objectives (slo:) and the keys that
// came with them (drain_timeout, l4.dns_ttl, l7.upstream_timeout/retries/
// circuit_breakers, target_groups.<g>.deregistration_delay).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "config/loader.hpp"
#include "support/loader_helpers.hpp"

namespace lbsim::config {
namespace {

using ::testing::HasSubstr;

// Three zones, an open-loop population that resumes TLS sessions and a closed-loop one.
// The faults the tests add start at line 23 (the `faults:` key is line 22).
const std::string kBase = R"(name: f
duration: 100s
topology:
  zones: [a, b, c]
clients:
  - name: web
    arrival: { kind: poisson, rate: 100/s }
    tls: { resumption: 50% }
    mix:
      - { path: / }
  - name: bots
    arrival: { kind: closed, users: 10 }
    mix:
      - { path: / }
l4: {}
l7:
  nodes_per_zone: 1
  rules:
    - { default: true, forward: api }
target_groups:
  api: { per_zone: 2 }
)";
constexpr int kFirstFaultLine = 23;

std::string with_faults(const std::string& items) { return kBase + "faults:\n" + items; }

// Replaces the first occurrence of `from` in the base scenario.
std::string with(const std::string& from, const std::string& to) { return test::replace_first(kBase, from, to); }

using test::errors_of;

using test::only_error;

Diagnostic only_fault_error(const std::string& items) { return only_error(with_faults(items)); }

TEST(FaultsLoader, NoFaultsNoSloAndTheDefaults) {
  const ScenarioSpec spec = load_scenario(kBase, "s.yaml");
  EXPECT_TRUE(spec.faults.empty());
  EXPECT_TRUE(spec.slo.empty());
  EXPECT_DOUBLE_EQ(spec.drain_timeout_s, 120);
  EXPECT_DOUBLE_EQ(spec.l4.dns_ttl_s, 60);
  EXPECT_DOUBLE_EQ(spec.l7->upstream_timeout_s, 60);
  EXPECT_EQ(spec.l7->retries.max_retries, 0u);
  EXPECT_TRUE(spec.l7->retries.on_5xx);
  EXPECT_TRUE(spec.l7->retries.on_reset);
  EXPECT_FALSE(spec.l7->retries.on_timeout);
  EXPECT_FALSE(spec.l7->circuit_breakers);
  EXPECT_DOUBLE_EQ(spec.target_groups[0].deregistration_delay_s, 300);
}

TEST(FaultsLoader, ZoneOutageScopeBackendsSparesTheBalancerNodes) {
  const ScenarioSpec spec =
      load_scenario(with_faults("  - { at: 1s, kind: zone_outage, zone: b, scope: backends }\n"), "s.yaml");
  ASSERT_EQ(spec.faults.size(), 1u);
  EXPECT_TRUE(spec.faults[0].backends_only);
  EXPECT_FALSE(spec.faults[0].whole_zone);
  EXPECT_EQ(spec.faults[0].label, "zone_outage b (backends)");
}

TEST(FaultsLoader, EveryKindLoadsWithItsFields) {
  const ScenarioSpec spec = load_scenario(with_faults(R"(  - { at: 1s, kind: zone_outage, zone: b, for: 60s }
  - { at: 2s, kind: zone_outage, zone: c, scope: zone }
  - { at: 3s, kind: backend_crash, targets: api-b-*, for: 30s }
  - { at: 4s, kind: slow_backend, targets: api-a-0, factor: 10 }
  - { at: 5s, kind: backend_errors, targets: api-a-*, error_rate: 50% }
  - { at: 6s, kind: node_loss, targets: l7-a-0 }
  - { at: 7s, kind: link_degradation, link: inter-b-a, latency: 50ms, bandwidth: 100Mbps, loss: 1% }
  - { at: 8s, kind: partition, zones: [c, a] }
  - { at: 9s, kind: tls_resumption_loss, for: 60s }
  - { at: 10s, kind: traffic_surge, client: web, factor: 3 }
  - { at: 11s, kind: zonal_shift, zone: b }
  - { at: 12s, kind: deregistration, targets: api-a-0 }
  - { at: 13s, kind: link_degradation, link: edge-c, loss: 100% }
  - { at: 14s, kind: node_loss, targets: "l4-?-0" }
)"),
                                          "s.yaml");
  const auto& f = spec.faults;
  ASSERT_EQ(f.size(), 14u);
  for (std::size_t i = 0; i < f.size(); ++i) {
    EXPECT_DOUBLE_EQ(f[i].at_s, static_cast<double>(i + 1));
    EXPECT_EQ(f[i].line, kFirstFaultLine + static_cast<int>(i));
  }
  EXPECT_EQ(f[0].kind, FaultKind::zone_outage);
  EXPECT_EQ(f[0].zone, "b");
  EXPECT_FALSE(f[0].whole_zone);
  EXPECT_EQ(f[0].for_s, 60.0);
  EXPECT_EQ(f[0].label, "zone_outage b");
  EXPECT_TRUE(f[1].whole_zone);
  EXPECT_FALSE(f[1].for_s);  // until the end of the run
  EXPECT_EQ(f[1].label, "zone_outage c (whole zone)");
  EXPECT_EQ(f[2].kind, FaultKind::backend_crash);
  EXPECT_EQ(f[2].targets, "api-b-*");
  EXPECT_EQ(f[2].label, "backend_crash api-b-*");
  EXPECT_EQ(f[3].kind, FaultKind::slow_backend);
  EXPECT_DOUBLE_EQ(f[3].factor, 10);
  EXPECT_EQ(f[3].label, "slow_backend api-a-0 x10");
  EXPECT_EQ(f[4].kind, FaultKind::backend_errors);
  EXPECT_DOUBLE_EQ(f[4].error_rate, 0.5);
  EXPECT_EQ(f[4].label, "backend_errors api-a-* 50%");
  EXPECT_EQ(f[5].kind, FaultKind::node_loss);
  EXPECT_EQ(f[5].targets, "l7-a-0");
  EXPECT_EQ(f[6].kind, FaultKind::link_degradation);
  EXPECT_EQ(f[6].link, "inter-a-b");  // zones in the order of topology.zones
  EXPECT_DOUBLE_EQ(f[6].extra_latency_s, 0.050);
  EXPECT_EQ(f[6].bandwidth_Bps, 100e6 / 8);
  EXPECT_DOUBLE_EQ(f[6].loss, 0.01);
  EXPECT_EQ(f[6].label, "link_degradation inter-a-b");
  EXPECT_EQ(f[7].kind, FaultKind::partition);
  EXPECT_EQ(f[7].zones, (std::vector<std::string>{"a", "c"}));  // in the order of topology.zones
  EXPECT_EQ(f[7].label, "partition a|c");
  EXPECT_EQ(f[8].kind, FaultKind::tls_resumption_loss);
  EXPECT_EQ(f[8].client, "");  // every population
  EXPECT_EQ(f[8].label, "tls_resumption_loss");
  EXPECT_EQ(f[9].kind, FaultKind::traffic_surge);
  EXPECT_EQ(f[9].client, "web");
  EXPECT_DOUBLE_EQ(f[9].factor, 3);
  EXPECT_EQ(f[9].label, "traffic_surge web x3");
  EXPECT_EQ(f[10].kind, FaultKind::zonal_shift);
  EXPECT_EQ(f[10].label, "zonal_shift b");
  EXPECT_EQ(f[11].kind, FaultKind::deregistration);
  EXPECT_EQ(f[11].label, "deregistration api-a-0");
  EXPECT_EQ(f[12].link, "edge-c");
  EXPECT_FALSE(f[12].bandwidth_Bps);
  EXPECT_DOUBLE_EQ(f[12].loss, 1.0);
  EXPECT_EQ(f[13].targets, "l4-?-0");
}

TEST(FaultsLoader, KindsAreSpeltAsInTheFile) {
  EXPECT_EQ(to_string(FaultKind::zone_outage), "zone_outage");
  EXPECT_EQ(to_string(FaultKind::tls_resumption_loss), "tls_resumption_loss");
  EXPECT_EQ(to_string(FaultKind::deregistration), "deregistration");
}

TEST(FaultsLoader, FaultsAreSortedByTimeKeepingTheFileOrderOnTies) {
  const ScenarioSpec spec = load_scenario(with_faults(R"(  - { at: 30s, kind: zonal_shift, zone: a }
  - { at: 0s, kind: zonal_shift, zone: b }
  - { at: 10s, kind: zonal_shift, zone: c }
  - { at: 0, kind: zonal_shift, zone: a }
)"),
                                          "s.yaml");
  ASSERT_EQ(spec.faults.size(), 4u);
  EXPECT_EQ(spec.faults[0].label, "zonal_shift b");
  EXPECT_EQ(spec.faults[1].label, "zonal_shift a");
  EXPECT_EQ(spec.faults[1].line, kFirstFaultLine + 3);
  EXPECT_EQ(spec.faults[2].label, "zonal_shift c");
  EXPECT_EQ(spec.faults[3].at_s, 30);
}

TEST(FaultsLoader, KeyOfAnotherKindNamesTheKeysThisKindTakes) {
  const Diagnostic d = only_fault_error(R"(  - { at: 1s, kind: zonal_shift, zone: a }
  - { at: 2s, kind: zonal_shift, zone: b }
  - { at: 10s, kind: zone_outage, zone: b, factor: 2, for: 60s }
)");
  EXPECT_EQ(d.line, kFirstFaultLine + 2);
  EXPECT_EQ(d.column, 44);
  EXPECT_EQ(d.message, "faults[2].factor: not a key of a zone_outage fault; it takes: at, kind, zone, scope, for");
}

TEST(FaultsLoader, MisspeltKeyOfTheKindGetsASuggestionOnce) {
  const Diagnostic d = only_fault_error("  - { at: 1s, kind: slow_backend, targets: api-a-0, facter: 2 }\n");
  EXPECT_EQ(d.line, kFirstFaultLine);
  EXPECT_EQ(d.column, 53);
  EXPECT_EQ(d.message, "unknown key 'facter' in faults[0]; did you mean 'factor'?");
}

TEST(FaultsLoader, MissingRequiredKeyPointsAtTheFault) {
  Diagnostic d = only_fault_error("  - { at: 1s, kind: backend_crash }\n");
  EXPECT_EQ(d.line, kFirstFaultLine);
  EXPECT_EQ(d.column, 5);
  EXPECT_THAT(d.message, HasSubstr("faults[0]: missing required key 'targets'"));
  d = only_fault_error("  - { kind: zonal_shift, zone: a }\n");
  EXPECT_THAT(d.message, HasSubstr("faults[0]: missing required key 'at'"));
  d = only_fault_error("  - { at: 1s, zone: a }\n");
  EXPECT_THAT(d.message, HasSubstr("faults[0]: missing required key 'kind' (one of: zone_outage, backend_crash"));
}

TEST(FaultsLoader, UnknownKindGetsASuggestionAndNothingElse) {
  const Diagnostic d = only_fault_error("  - { at: 1s, kind: zone_outtage, zone: b }\n");
  EXPECT_EQ(d.column, 21);
  EXPECT_THAT(d.message, HasSubstr("faults[0].kind: expected one of:"));
  EXPECT_THAT(d.message, HasSubstr("did you mean 'zone_outage'?"));
}

TEST(FaultsLoader, UnknownZoneGetsTheClosest) {
  Diagnostic d = only_fault_error("  - { at: 10s, kind: zone_outage, zone: bb }\n");
  EXPECT_EQ(d.line, kFirstFaultLine);
  EXPECT_EQ(d.column, 41);
  EXPECT_EQ(d.message, "faults[0].zone: no zone 'bb'; did you mean 'b'?");
  d = only_fault_error("  - { at: 10s, kind: partition, zones: [a, zzzz] }\n");
  EXPECT_EQ(d.message, "faults[0].zones[1]: no zone 'zzzz'; expected one of: a, b or c");
}

TEST(FaultsLoader, TimesMustFitTheRun) {
  Diagnostic d = only_fault_error("  - { at: 100s, kind: zonal_shift, zone: a }\n");
  EXPECT_EQ(d.column, 11);
  EXPECT_EQ(d.message, "faults[0].at: expected a time before the end of the run (duration: 100s), got '100s'");
  d = only_fault_error("  - { at: 1s, kind: zonal_shift, zone: a, for: 0s }\n");
  EXPECT_THAT(d.message, HasSubstr("faults[0].for: expected a positive duration"));
}

TEST(FaultsLoader, GlobThatMatchesNoBackendSaysHowBackendsAreNamed) {
  const Diagnostic d = only_fault_error(R"(  - { at: 10s, kind: zonal_shift, zone: b }
  - { at: 10s, kind: backend_crash, targets: apx-b-*, for: 30s }
)");
  EXPECT_EQ(d.line, kFirstFaultLine + 1);
  EXPECT_EQ(d.column, 46);
  EXPECT_EQ(d.message, "faults[1].targets: 'apx-b-*' matches no backend; backends are named <group>-<zone>-<n>, e.g. api-a-0");
  EXPECT_THAT(only_fault_error("  - { at: 1s, kind: deregistration, targets: l7-a-0 }\n").message,
              HasSubstr("matches no backend; backends are named <group>-<zone>-<n>, e.g. api-a-0 (L4 and L7 nodes fail with node_loss)"));
}

TEST(FaultsLoader, AScenarioWithNoNodesStillGetsItsMessageNotACrash) {
  // Three lines: no topology, no target groups, so no backend or node name to give as an
  // example. This crashed `lbsim validate` (the example was the first of an empty list).
  const auto errors = errors_of("name: x\nfaults:\n  - { at: 1s, kind: backend_crash, targets: a }\n");
  const auto crash = std::find_if(errors.begin(), errors.end(), [](const Diagnostic& d) { return d.message.find("matches no backend") != std::string::npos; });
  ASSERT_NE(crash, errors.end());
  EXPECT_EQ(crash->line, 3);
  EXPECT_THAT(crash->message, HasSubstr("backends are named <group>-<zone>-<n>; this scenario has none"));
  const auto lost = errors_of("name: x\nfaults:\n  - { at: 1s, kind: node_loss, targets: a }\n");
  EXPECT_TRUE(std::any_of(lost.begin(), lost.end(), [](const Diagnostic& d) { return d.message.find("this scenario has none") != std::string::npos; }));
}

TEST(FaultsLoader, NodeLossTakesL4OrL7Nodes) {
  Diagnostic d = only_fault_error("  - { at: 10s, kind: node_loss, targets: api-a-0 }\n");
  EXPECT_EQ(d.column, 42);
  EXPECT_EQ(d.message, "faults[0].targets: 'api-a-0' names backends; node_loss takes L4 or L7 nodes (a backend fails with backend_crash)");
  d = only_fault_error("  - { at: 10s, kind: node_loss, targets: l7-d-* }\n");
  EXPECT_THAT(d.message, HasSubstr("matches no L4 or L7 node; they are named l4-<zone>-<n> and l7-<zone>-<n>, e.g. l7-a-0"));
}

TEST(FaultsLoader, TargetsAreCheckedOnlyWhenTheRestIsValid) {
  // The topology cannot be laid out from a spec with errors: only the first is reported.
  const Diagnostic d = only_error(with("  api: { per_zone: 2 }", "  api: { per_zone: 0 }") +
                                  "faults:\n  - { at: 1s, kind: backend_crash, targets: nothing-* }\n");
  EXPECT_THAT(d.message, HasSubstr("target_groups.api.per_zone"));
}

TEST(FaultsLoader, SurgeCannotApplyToAClosedLoop) {
  Diagnostic d = only_fault_error("  - { at: 10s, kind: traffic_surge, client: bots, factor: 3 }\n");
  EXPECT_EQ(d.column, 45);
  EXPECT_EQ(d.message,
            "faults[0].client: 'bots' is a closed loop (arrival kind closed); a closed loop's load is set by its users, not by a rate");
  d = only_fault_error("  - { at: 10s, kind: traffic_surge, factor: 3 }\n");
  EXPECT_EQ(d.column, 5);
  EXPECT_THAT(d.message, HasSubstr("faults[0]: without 'client' every population surges, and 'bots' is a closed loop"));
  EXPECT_THAT(d.message, HasSubstr("a closed loop's load is set by its users"));
  d = only_fault_error("  - { at: 10s, kind: traffic_surge, client: webb, factor: 3 }\n");
  EXPECT_EQ(d.message, "faults[0].client: no client population 'webb'; did you mean 'web'?");
}

TEST(FaultsLoader, ResumptionLossNeedsAPopulationThatResumes) {
  const Diagnostic d = only_error(with("    tls: { resumption: 50% }\n", "") + "faults:\n  - { at: 1s, kind: tls_resumption_loss }\n");
  EXPECT_THAT(d.message, HasSubstr("faults[0]: no client population resumes TLS sessions"));
  EXPECT_THAT(only_fault_error("  - { at: 1s, kind: tls_resumption_loss, client: bots }\n").message,
              HasSubstr("faults[0].client: 'bots' resumes no TLS sessions"));
}

TEST(FaultsLoader, PartitionNeedsTwoDistinctZones) {
  Diagnostic d = only_fault_error("  - { at: 10s, kind: partition, zones: [a], for: 30s }\n");
  EXPECT_EQ(d.line, kFirstFaultLine);
  EXPECT_EQ(d.column, 40);
  EXPECT_EQ(d.message, "faults[0].zones: expected exactly two zones, e.g. [a, b]; got 1");
  d = only_fault_error("  - { at: 10s, kind: partition, zones: [b, b] }\n");
  EXPECT_EQ(d.message, "faults[0].zones: expected two distinct zones; got 'b' twice");
}

TEST(FaultsLoader, LinkDegradationErrors) {
  Diagnostic d = only_fault_error("  - { at: 1s, kind: link_degradation, link: inter-a-d, loss: 1% }\n");
  EXPECT_EQ(d.column, 45);
  EXPECT_EQ(d.message, "faults[0].link: no link 'inter-a-d'; did you mean 'inter-a-b'?");
  d = only_fault_error("  - { at: 1s, kind: link_degradation, link: backbone, loss: 1% }\n");
  EXPECT_THAT(d.message, HasSubstr("links are named inter-<zone>-<zone> or edge-<zone>: edge-a, inter-a-b"));
  d = only_fault_error("  - { at: 1s, kind: link_degradation, link: edge-a }\n");
  EXPECT_EQ(d.column, 5);
  EXPECT_EQ(d.message, "faults[0]: a link_degradation needs at least one of latency, bandwidth or loss");
  d = only_fault_error("  - { at: 1s, kind: link_degradation, link: edge-a, loss: 120% }\n");
  EXPECT_THAT(d.message, HasSubstr("faults[0].loss: expected a percentage"));
}

TEST(FaultsLoader, FactorsAndRatesAreChecked) {
  Diagnostic d = only_fault_error("  - { at: 1s, kind: slow_backend, targets: api-a-0, factor: 0.5 }\n");
  EXPECT_EQ(d.message, "faults[0].factor: expected a number greater than 1 and at most 1000 (service times are multiplied by it), got '0.5'");
  d = only_fault_error("  - { at: 1s, kind: traffic_surge, client: web, factor: 0 }\n");
  EXPECT_THAT(d.message, HasSubstr("faults[0].factor: expected a number greater than 0"));
  d = only_fault_error("  - { at: 1s, kind: backend_errors, targets: api-a-0, error_rate: 0.5 }\n");
  EXPECT_THAT(d.message, HasSubstr("faults[0].error_rate: expected a percentage such as 50%"));
  d = only_fault_error("  - { at: 1s, kind: zone_outage, zone: a, scope: region }\n");
  EXPECT_THAT(d.message, HasSubstr("faults[0].scope: expected one of: backends, targets or zone"));
}

TEST(FaultsLoader, FaultsMustBeAListOfMappings) {
  EXPECT_THAT(only_error(kBase + "faults: { at: 1s }\n").message, HasSubstr("faults: expected a list, got a mapping"));
  EXPECT_THAT(only_fault_error("  - zone_outage\n").message, HasSubstr("faults[0]: expected a mapping, got 'zone_outage'"));
}

// ---- slo ----

TEST(SloLoader, ObjectivesLoadWithTheirText) {
  const ScenarioSpec spec = load_scenario(kBase + R"(slo:
  - { p99: 250ms }
  - { error_rate: 1%, window: 10s }
  - { mean: 20ms, window: 2000ms }
  - { p999: 1s }
)",
                                          "s.yaml");
  ASSERT_EQ(spec.slo.size(), 4u);
  EXPECT_EQ(spec.slo[0].metric, SloObjective::Metric::p99);
  EXPECT_DOUBLE_EQ(spec.slo[0].threshold, 0.250);
  EXPECT_FALSE(spec.slo[0].window_s);
  EXPECT_EQ(spec.slo[0].text, "p99 <= 250ms");
  EXPECT_EQ(spec.slo[0].line, 23);
  EXPECT_EQ(spec.slo[1].metric, SloObjective::Metric::error_rate);
  EXPECT_DOUBLE_EQ(spec.slo[1].threshold, 0.01);
  EXPECT_EQ(spec.slo[1].window_s, 10.0);
  EXPECT_EQ(spec.slo[1].text, "error_rate <= 1% per 10s");
  EXPECT_EQ(spec.slo[2].metric, SloObjective::Metric::mean);
  EXPECT_EQ(spec.slo[2].window_s, 2.0);
  EXPECT_EQ(spec.slo[3].metric, SloObjective::Metric::p999);
}

TEST(SloLoader, OneMetricPerObjective) {
  Diagnostic d = only_error(kBase + "slo:\n  - { p99: 250ms, mean: 20ms }\n");
  EXPECT_EQ(d.line, 23);
  EXPECT_EQ(d.column, 25);
  EXPECT_EQ(d.message, "slo[0].mean: one metric per objective (this one has p99); write another item");
  // The later one in the file is the extra one, whatever the metrics.
  d = only_error(kBase + "slo:\n  - { p99: 250ms, p50: 20ms }\n");
  EXPECT_EQ(d.message, "slo[0].p50: one metric per objective (this one has p99); write another item");
}

TEST(SloLoader, WindowIsWholeSeconds) {
  Diagnostic d = only_error(kBase + "slo:\n  - { p99: 250ms, window: 1.5s }\n");
  EXPECT_EQ(d.line, 23);
  EXPECT_EQ(d.column, 27);
  EXPECT_EQ(d.message, "slo[0].window: expected a whole number of seconds, at least 1s, got '1.5s'");
  d = only_error(kBase + "slo:\n  - { p99: 250ms, window: 500ms }\n");
  EXPECT_THAT(d.message, HasSubstr("at least 1s, got '500ms'"));
}

TEST(SloLoader, ObjectiveErrors) {
  Diagnostic d = only_error(kBase + "slo:\n  - { window: 10s }\n");
  EXPECT_EQ(d.column, 5);
  EXPECT_THAT(d.message, HasSubstr("slo[0]: expected a metric: p50, p90, p99, p999, mean"));
  d = only_error(kBase + "slo:\n  - { p95: 100ms }\n");
  EXPECT_EQ(d.message, "unknown key 'p95' in slo[0]; did you mean 'p90'?");
  d = only_error(kBase + "slo:\n  - { error_rate: 250ms }\n");
  EXPECT_THAT(d.message, HasSubstr("slo[0].error_rate: expected a percentage"));
  d = only_error(kBase + "slo:\n  - { p50: 1% }\n");
  EXPECT_THAT(d.message, HasSubstr("slo[0].p50: expected a positive duration"));
}

// ---- keys elsewhere ----

TEST(FaultsLoader, NewKeysLoad) {
  std::string yaml = with("duration: 100s\n", "duration: 100s\ndrain_timeout: 30s\n");
  yaml.replace(yaml.find("l4: {}"), 6, "l4: { dns_ttl: 0 }");
  yaml.replace(yaml.find("  nodes_per_zone: 1\n"), 20, R"(  nodes_per_zone: 1
  upstream_timeout: 15s
  retries: { max: 1, on: [5xx, timeout], budget: 25%, min_concurrency: 2 }
  circuit_breakers: { max_pending_requests: 64 }
)");
  yaml.replace(yaml.find("{ per_zone: 2 }"), 15, "{ per_zone: 2, deregistration_delay: 0 }");
  const ScenarioSpec spec = load_scenario(yaml, "s.yaml");
  EXPECT_DOUBLE_EQ(spec.drain_timeout_s, 30);
  EXPECT_DOUBLE_EQ(spec.l4.dns_ttl_s, 0);
  EXPECT_DOUBLE_EQ(spec.l7->upstream_timeout_s, 15);
  EXPECT_EQ(spec.l7->retries.max_retries, 1u);
  EXPECT_TRUE(spec.l7->retries.on_5xx);
  EXPECT_FALSE(spec.l7->retries.on_reset);  // a list given replaces the default
  EXPECT_TRUE(spec.l7->retries.on_timeout);
  EXPECT_DOUBLE_EQ(spec.l7->retries.budget.percent, 25);
  EXPECT_EQ(spec.l7->retries.budget.min_concurrency, 2u);
  ASSERT_TRUE(spec.l7->circuit_breakers);
  EXPECT_EQ(spec.l7->circuit_breakers->max_requests, 1024u);  // Envoy's default
  EXPECT_EQ(spec.l7->circuit_breakers->max_pending_requests, 64u);
  EXPECT_DOUBLE_EQ(spec.target_groups[0].deregistration_delay_s, 0);
}

TEST(FaultsLoader, NewKeysErrors) {
  Diagnostic d = only_error(with("{ per_zone: 2 }", "{ per_zone: 2, deregistration_delay: 3601s }"));
  EXPECT_EQ(d.line, 21);
  EXPECT_EQ(d.column, 45);
  EXPECT_EQ(d.message, "target_groups.api.deregistration_delay: expected a duration from 0s to 3600s, AWS's range");
  d = only_error(with("  nodes_per_zone: 1\n", "  nodes_per_zone: 1\n  retries: { max: 1, on: [5xx, rest] }\n"));
  EXPECT_EQ(d.line, 18);
  EXPECT_THAT(d.message, HasSubstr("l7.retries.on[1]: expected one of: 5xx, reset or timeout; got 'rest' (did you mean 'reset'?)"));
  d = only_error(with("  nodes_per_zone: 1\n", "  nodes_per_zone: 1\n  retries: { on: [5xx] }\n"));
  EXPECT_THAT(d.message, HasSubstr("l7.retries: missing required key 'max'"));
  d = only_error(with("  nodes_per_zone: 1\n", "  nodes_per_zone: 1\n  circuit_breakers: { max_connections: 10 }\n"));
  EXPECT_THAT(d.message, HasSubstr("unknown key 'max_connections' in l7.circuit_breakers"));
  d = only_error(with("  nodes_per_zone: 1\n", "  nodes_per_zone: 1\n  upstream_timeout: 0s\n"));
  EXPECT_THAT(d.message, HasSubstr("l7.upstream_timeout: expected a positive duration"));
  d = only_error(with("l4: {}", "l4: { dns_ttl: -1s }"));
  EXPECT_THAT(d.message, HasSubstr("l4.dns_ttl: expected a duration such as 0"));
  d = only_error(with("duration: 100s\n", "duration: 100s\ndrain_timeout: 0s\n"));
  EXPECT_THAT(d.message, HasSubstr("drain_timeout: expected a positive duration"));
}

}  // namespace
}  // namespace lbsim::config

namespace lbsim::config {
namespace {

TEST(LiveFault, AJsonMappingBecomesAFaultThatStartsWhenItArrives) {
  const ScenarioSpec spec = load_scenario(kBase, "s.yaml");
  const FaultSpec f = load_live_fault(spec, R"({"kind": "zone_outage", "zone": "b", "for": "30s"})");
  EXPECT_EQ(f.kind, FaultKind::zone_outage);
  EXPECT_EQ(f.zone, "b");
  EXPECT_EQ(f.for_s, 30.0);
  EXPECT_EQ(f.label, "zone_outage b");
}

TEST(LiveFault, IsCheckedLikeAFaultInAFile) {
  const ScenarioSpec spec = load_scenario(kBase, "s.yaml");
  try {
    load_live_fault(spec, R"({"kind": "zone_outage", "zone": "q"})", "stdin");
    FAIL() << "an unknown zone was accepted";
  } catch (const ConfigError& e) {
    ASSERT_EQ(e.diagnostics().size(), 1u);
    EXPECT_EQ(e.diagnostics()[0].file, "stdin");
    EXPECT_THAT(e.diagnostics()[0].message, HasSubstr("zone"));
  }
  EXPECT_THROW(load_live_fault(spec, "{ kind: backend_crash, targets: nothing-* }"), ConfigError);
  EXPECT_THROW(load_live_fault(spec, "{ kind: [unclosed"), ConfigError);
}

}  // namespace
}  // namespace lbsim::config
