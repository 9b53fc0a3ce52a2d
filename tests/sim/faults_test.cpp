// SPDX-License-Identifier: GPL-3.0-or-later
// Failure replay: each fault kind against an expectation worked out by hand from the
// scenario's own parameters (health-check thresholds, DNS TTL, timeouts, rates). Each
// test is one simulation in its own process.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "config/loader.hpp"
#include "models/simulation.hpp"
#include "support/simulation.hpp"

namespace lbsim {
namespace {

// Two zones, an L4-only layout: the L4 tier forwards straight to four backends (two per
// zone) and checks them itself with a TCP check every 2 s, unhealthy after 2 misses.
// Clients open one connection per request, give up after 1 s and do not retry; their
// browsers cache DNS for 5 s. Passive checks are off, so the tests of active checks see
// them alone (with_passive_checks turns them on).
std::string l4_only(const std::string& cross_zone, const std::string& faults, const std::string& client_timeout = "1s") {
  return R"(name: t
seed: 11
duration: 30s
drain_timeout: 5s
topology:
  zones: [a, b]
  internet:   { latency: 10ms, bandwidth: 10Gbps }
  intra_zone: { latency: 100us, bandwidth: 10Gbps }
  inter_zone: { latency: 1ms, bandwidth: 10Gbps }
clients:
  - name: web
    arrival: { kind: poisson, rate: 1000/s }
    tls: none
    source_ips: 2000
    mix: [ { path: /api } ]
)" + (client_timeout.empty() ? "" : "    timeout: " + client_timeout + "\n") + R"(
l4: { algorithm: round_robin, cross_zone: )" + cross_zone + R"(, dns_ttl: 5s, target_group: api, passive_health_checks: false }
target_groups:
  api:
    per_zone: 2
    workers: 16
    service_time: { dist: constant, value: 5ms }
    health_check: { interval: 2s, timeout: 1s, healthy: 2, unhealthy: 2 }
faults:
)" + faults;
}

// Two zones, two tiers: one L4 node per zone in front of two L7 nodes per zone, which
// route to four api backends (two per zone), cross-zone, with a 1 s upstream timeout.
// The L4 tier's passive checks are off, as in l4_only.
std::string two_tier(const std::string& faults, const std::string& l7_extra = "", const std::string& duration = "20s",
                     const std::string& client_extra = "") {
  return "name: t\nseed: 7\nduration: " + duration + R"(
drain_timeout: 5s
topology:
  zones: [a, b]
  internet:   { latency: 10ms, bandwidth: 10Gbps }
  intra_zone: { latency: 100us, bandwidth: 10Gbps }
  inter_zone: { latency: 1ms, bandwidth: 10Gbps }
clients:
  - name: web
    arrival: { kind: poisson, rate: 2000/s }
    keepalive: { requests_per_connection: 10 }
    timeout: 3s
    mix: [ { path: /api } ]
)" + client_extra + R"(
l4:
  algorithm: round_robin
  health_check: { interval: 2s, timeout: 1s, healthy: 2, unhealthy: 2 }
  passive_health_checks: false
l7:
  nodes_per_zone: 2
  cpu: { cores: 2, per_request: 50us }
  algorithm: round_robin
  upstream_timeout: 1s
)" + l7_extra + R"(
  rules:
    - { default: true, forward: api }
target_groups:
  api:
    per_zone: 2
    workers: 32
    service_time: { dist: constant, value: 5ms }
    health_check: { interval: 2s, timeout: 1s, healthy: 2, unhealthy: 3 }
faults:
)" + faults;
}

results::RunResult run(const std::string& yaml) { return test::run_yaml(yaml, "t.yaml"); }

// The same scenario with the L4 tier's passive checks on (NLB's default).
std::string with_passive_checks(std::string yaml) {
  const std::string off = "passive_health_checks: false";
  yaml.replace(yaml.find(off), off.size(), "passive_health_checks: true");
  return yaml;
}

// The start of the last timeline interval in which some answer was a failure.
double last_failure_time(const results::RunResult& r) {
  const auto& timeline = r.metrics.timeline;
  for (std::size_t i = timeline.size(); i-- > 0;)
    if (timeline.at(i).failed > 0) return timeline.start_of(i);
  return -1;
}

double first_failure_time(const results::RunResult& r) {
  const auto& timeline = r.metrics.timeline;
  for (std::size_t i = 0; i < timeline.size(); ++i)
    if (timeline.at(i).failed > 0) return timeline.start_of(i);
  return -1;
}

// Times at which `checker`'s (a prefix) active checks declared targets starting with
// `target` unhealthy.
std::vector<double> unhealthy_times(const results::RunResult& r, const std::string& checker, const std::string& target) {
  std::vector<double> times;
  for (const auto& e : r.metrics.health_events) {
    const bool active = e.source == results::HealthSource::l4_check || e.source == results::HealthSource::l7_check;
    if (active && !e.healthy && e.checker.rfind(checker, 0) == 0 && e.target.rfind(target, 0) == 0) times.push_back(e.time);
  }
  return times;
}

// The DNS events about `node`, in time order.
std::vector<results::DnsEvent> dns_events_of(const results::RunResult& r, const std::string& node) {
  std::vector<results::DnsEvent> events;
  for (const auto& e : r.metrics.dns_events)
    if (e.node == node) events.push_back(e);
  return events;
}

// Times at which an L4 node's passive checks took targets starting with `target` out.
std::vector<double> passive_out_times(const results::RunResult& r, const std::string& target) {
  std::vector<double> times;
  for (const auto& e : r.metrics.health_events)
    if (!e.healthy && e.source == results::HealthSource::l4_passive && e.target.rfind(target, 0) == 0) times.push_back(e.time);
  return times;
}

const auto& node = test::node_named;

std::uint64_t failures(const results::RunResult& r, std::uint16_t status) { return r.metrics.overall.failures(status); }

TEST(Faults, DetectionTimeLiesWithinWhatTheThresholdsImply) {
  // A crashed backend fails every check from the first one after the crash: the checker
  // needs `unhealthy` failed rounds, and the first may come up to one interval late, plus
  // the round's timeout: detection in [interval x (unhealthy - 1), interval x unhealthy +
  // timeout] = [2 s, 5 s] after the crash.
  const auto r = run(l4_only("true", "  - { at: 10.3s, kind: backend_crash, targets: api-b-0 }\n"));
  for (const std::string checker : {"l4-a-0", "l4-b-0"}) {
    const auto times = unhealthy_times(r, checker, "api-b-0");
    ASSERT_EQ(times.size(), 1u) << checker;
    EXPECT_GE(times[0] - 10.3, 2.0) << checker;
    EXPECT_LE(times[0] - 10.3, 5.0) << checker;
  }
  // Nothing else was ever judged unhealthy.
  EXPECT_EQ(unhealthy_times(r, "", "").size(), 2u);
  // A crashed process's kernel resets connections: the clients see resets, not timeouts,
  // and only until both L4 nodes stopped picking it.
  EXPECT_GT(failures(r, results::kStatusReset), 0u);
  EXPECT_EQ(failures(r, results::kStatusTimeout), 0u);
  EXPECT_GE(first_failure_time(r), 10.0);
  const double detected = std::max(unhealthy_times(r, "l4-a-0", "api-b-0")[0], unhealthy_times(r, "l4-b-0", "api-b-0")[0]);
  EXPECT_LE(last_failure_time(r), detected);
  EXPECT_GT(node(r, "api-b-0").resets, 0u);
}

TEST(Faults, NlbsDefaultChecksMarkACrashedBackendDownWithinAwsDocumentedWindow) {
  // No health_check: NLB's TCP defaults from AWS's CreateTargetGroup reference (every
  // 30 s, 10 s timeout, down after 2 failures). The first failing round starts 0 to 30 s
  // after the crash, the second 30 s later, and a round's verdict comes at its timeout's
  // end (as in the test above): detection in [30 x (2 - 1), 30 x 2 + 10] = [30 s, 70 s].
  std::string yaml = l4_only("true", "  - { at: 10.3s, for: 70s, kind: backend_crash, targets: api-b-0 }\n");
  const auto erase_line = [&](const std::string& start) { const auto at = yaml.find(start); yaml.erase(at, yaml.find('\n', at) - at + 1); };
  erase_line("    health_check:");
  yaml.replace(yaml.find("duration: 30s"), 13, "duration: 90s");
  yaml.replace(yaml.find("rate: 1000/s"), 12, "rate: 200/s");
  const auto r = run(yaml);
  for (const std::string checker : {"l4-a-0", "l4-b-0"}) {
    const auto times = unhealthy_times(r, checker, "api-b-0");
    ASSERT_EQ(times.size(), 1u) << checker;
    EXPECT_GE(times[0] - 10.3, 30.0) << checker;
    EXPECT_LE(times[0] - 10.3, 70.0) << checker;
  }
  // Its time down is the fault's 70 s, which its group's live mean leaves out.
  EXPECT_NEAR(node(r, "api-b-0").out_of_service_seconds, 70.0, 1e-6);
  EXPECT_EQ(node(r, "api-a-0").out_of_service_seconds, 0.0);
}

TEST(Faults, ZoneOutageWithCrossZoneOffFailsUntilTheDnsTtlExpires) {
  // Zone b's backends go dark at 10 s. With cross-zone off, l4-b-0 has only them: once
  // its checks find both down, DNS stops announcing it — but browsers that resolved just
  // before keep using it for the 5 s TTL, and its flows fail (it fails open to its dead
  // targets) with a 1 s timeout each. So failures go on until about detection + TTL + 1 s.
  const auto r = run(l4_only("false", "  - { at: 10s, kind: zone_outage, zone: b }\n"));
  const auto times = unhealthy_times(r, "l4-b-0", "api-b-");
  ASSERT_EQ(times.size(), 2u);
  for (double t : times) {
    EXPECT_GE(t - 10, 2.0);
    EXPECT_LE(t - 10, 5.0);
  }
  const double removed_from_dns = *std::max_element(times.begin(), times.end());
  // DNS withdrew l4-b-0 at the second verdict, and only it, once.
  const auto dns = dns_events_of(r, "l4-b-0");
  ASSERT_EQ(dns.size(), 1u);
  EXPECT_FALSE(dns[0].announced);
  EXPECT_DOUBLE_EQ(dns[0].time, removed_from_dns);
  EXPECT_EQ(dns[0].reason, "none of its targets is healthy");
  EXPECT_EQ(r.metrics.dns_events.size(), 1u);
  const double ttl = 5, timeout = 1;
  EXPECT_GE(first_failure_time(r), 10.0);
  // Some browser resolved within the last moments before the removal (2000 of them,
  // each resolving every 5-7 s) and sent again before its cache expired.
  EXPECT_GE(last_failure_time(r), removed_from_dns + 0.8 * ttl - 1);  // (-1: interval granularity)
  EXPECT_LE(last_failure_time(r), removed_from_dns + ttl + timeout);
  EXPECT_GT(failures(r, results::kStatusTimeout), 0u);
  EXPECT_EQ(failures(r, results::kStatusReset), 0u);  // a dark zone resets nothing
  EXPECT_GT(r.metrics.lost, 0u);
}

TEST(Faults, ZoneOutageWithCrossZoneOnFailsOnlyUntilTheChecksSeeIt) {
  // Cross-zone on: both L4 nodes keep healthy targets in zone a, so DNS keeps announcing
  // both and nothing waits for a TTL. Flows fail only while some checker still picks a
  // dead backend: until the last detection plus the 1 s timeout.
  const auto r = run(l4_only("true", "  - { at: 10s, kind: zone_outage, zone: b }\n"));
  const auto times = unhealthy_times(r, "l4-", "api-b-");
  ASSERT_EQ(times.size(), 4u);  // two checkers x two backends
  const double last_detection = *std::max_element(times.begin(), times.end());
  EXPECT_LE(last_detection - 10, 5.0);
  EXPECT_GE(first_failure_time(r), 10.0);
  EXPECT_LE(last_failure_time(r), last_detection + 1);
  // Both L4 nodes carried traffic to the end: neither left DNS.
  EXPECT_GT(node(r, "l4-b-0").requests, 10000u);
}

// ---- NLB's passive checks (health/passive_check.hpp) ----

TEST(Faults, PassiveChecksTakeACrashedBackendOutWithinItsNextTwoConnections) {
  // api-b-0 crashes at 10.3 s; its kernel resets every SYN. Each L4 node takes 1000/s / 2
  // new connections and sends every 4th to api-b-0 (round robin, cross-zone): its second
  // reset comes 8 connections on, 16 ms on average (P(> 100 ms) = P(Poisson(50) < 8) <
  // 1e-14), long before the active checks' [2 s, 5 s]. Back at 20.3 s, it passes the
  // first probe sent after: a verdict at that round's timeout, in [20.3 + 1, 20.3 + 3].
  const auto r = run(with_passive_checks(l4_only("true", "  - { at: 10.3s, for: 10s, kind: backend_crash, targets: api-b-0 }\n")));
  const auto out = passive_out_times(r, "api-b-0");
  ASSERT_EQ(out.size(), 2u);  // once by each L4 node
  for (double t : out) {
    EXPECT_GE(t, 10.3);
    EXPECT_LE(t, 10.4);
  }
  EXPECT_EQ(passive_out_times(r, "").size(), 2u);  // nothing else, ever
  for (const auto& e : r.metrics.health_events) {
    if (e.source != results::HealthSource::l4_passive || !e.healthy) continue;
    EXPECT_EQ(e.target, "api-b-0");
    EXPECT_GE(e.time, 20.3 + 1);
    EXPECT_LE(e.time, 20.3 + 3);
  }
  // Two resets per node, and the few requests in service or in flight at the crash
  // (about 250/s x 5 ms each), where active checks alone let hundreds through.
  EXPECT_GE(failures(r, results::kStatusReset), 4u);
  EXPECT_LE(failures(r, results::kStatusReset), 16u);
  EXPECT_EQ(failures(r, results::kStatusTimeout), 0u);
  EXPECT_GT(node(r, "api-b-0").requests, 0u);  // it served again after the fault
}

TEST(Faults, PassiveChecksTakeASilentBackendOutWhenItsClientsGiveUp) {
  // Zone b's backends go dark at 10 s: SYNs vanish, nobody resets. Each L4 node learns
  // of a failure only when a client gives up on an unanswered handshake (1 s timeout)
  // and its RST passes; the second such give-up on a backend comes a few ms after the
  // first: out in [11 s, 11.2 s], before the active checks' [12 s, 15 s]. (Less the
  // SYN's own trip, 10 ms + 1.1 ms at most: one sent just before 10 s died on arrival.)
  const auto r = run(with_passive_checks(l4_only("true", "  - { at: 10s, kind: zone_outage, zone: b, scope: backends }\n")));
  const auto out = passive_out_times(r, "api-b-");
  ASSERT_EQ(out.size(), 4u);  // two L4 nodes x two backends
  for (double t : out) {
    EXPECT_GE(t, 11.0 - 0.0111);
    EXPECT_LE(t, 11.2);
  }
  for (double t : unhealthy_times(r, "l4-", "api-b-")) EXPECT_GE(t, 12.0);  // the active verdicts came later
  // Cross-zone on: every node kept zone a's targets, so DNS withdrew nobody.
  EXPECT_TRUE(r.metrics.dns_events.empty());
  // Failures ended once both nodes had both out, plus the timeout of the last SYN sent.
  EXPECT_LE(last_failure_time(r), *std::max_element(out.begin(), out.end()) + 1);
}

TEST(Faults, PassiveChecksTakeASilentBackendOutWhenItsSynsGoUnansweredForASecondEvenIfNoClientGivesUp) {
  // As above, but the clients never give up. A SYN unanswered for 1 s (TCP's initial
  // retransmission timeout: the client resends it) fails the connection, judged as traffic
  // passes: the second such SYN to a backend was forwarded a few ms after the first, so out
  // in [11 s, 11.1 s] (less the SYN's last hop, 1.1 ms at most, for one forwarded just
  // before 10 s that died on arrival).
  const auto r = run(with_passive_checks(l4_only("true", "  - { at: 10s, kind: zone_outage, zone: b, scope: backends }\n", "")));
  const auto out = passive_out_times(r, "api-b-");
  ASSERT_EQ(out.size(), 4u);  // two L4 nodes x two backends
  for (double t : out) {
    EXPECT_GE(t, 11.0 - 0.0011);
    EXPECT_LE(t, 11.1);
  }
  for (const auto& e : r.metrics.health_events)
    if (e.source == results::HealthSource::l4_passive && !e.healthy) {
      EXPECT_NE(e.reason.find("left unanswered for 1 s"), std::string::npos);
    }
}

TEST(Faults, PassiveChecksAreOffUnderDsr) {
  // DSR: the SYN-ACK bypasses the node, which cannot tell a dead target from a live one.
  std::string dsr = with_passive_checks(l4_only("true", "  - { at: 10.3s, kind: backend_crash, targets: api-b-0 }\n"));
  dsr.replace(dsr.find("l4: { "), 6, "l4: { forwarding: dsr, ");
  const auto r = run(dsr);
  EXPECT_TRUE(passive_out_times(r, "").empty());
  EXPECT_EQ(unhealthy_times(r, "l4-", "api-b-0").size(), 2u);  // the active checks still work
}

TEST(Faults, PassiveChecksAreOffForAStickyTargetGroup) {
  std::string sticky = with_passive_checks(l4_only("true", "  - { at: 10.3s, kind: backend_crash, targets: api-b-0 }\n"));
  sticky.replace(sticky.find("    health_check:"), 4, "    stickiness: { type: lb_cookie, duration: 1h }\n    ");
  const auto r = run(sticky);
  EXPECT_TRUE(passive_out_times(r, "").empty());
  EXPECT_EQ(unhealthy_times(r, "l4-", "api-b-0").size(), 2u);
}

TEST(Faults, PassiveChecksEmptyAZoneForDnsBeforeTheActiveChecksWould) {
  // Cross-zone off, zone b's backends dark at 10 s: l4-b-0's passive checks take both out
  // at about 11 s (as above), and DNS stops announcing l4-b-0 at that very instant.
  const auto r = run(with_passive_checks(l4_only("false", "  - { at: 10s, kind: zone_outage, zone: b }\n")));
  const auto out = passive_out_times(r, "api-b-");
  ASSERT_EQ(out.size(), 2u);
  const auto dns = dns_events_of(r, "l4-b-0");
  ASSERT_GE(dns.size(), 1u);
  EXPECT_FALSE(dns[0].announced);
  EXPECT_DOUBLE_EQ(dns[0].time, *std::max_element(out.begin(), out.end()));
  EXPECT_GE(dns[0].time, 11.0 - 0.0111);
  EXPECT_LE(dns[0].time, 11.2);
}

TEST(Faults, AnL7TierWithCrossZoneRidesOutItsZonesBackendsFailing) {
  // Only zone b's backends fail (scope: backends): its L7 nodes live on, so DNS keeps
  // announcing zone b and nothing waits for a TTL. Every L7 node routes cross-zone and
  // stops picking b's backends once its checks (every 2 s, unhealthy after 3, 1 s
  // timeout) see them down: within 7 s; the last request sent to them before that gets
  // its 504 one upstream timeout (1 s) later.
  const auto r = run(two_tier("  - { at: 5s, kind: zone_outage, zone: b, scope: backends }\n"));
  const auto times = unhealthy_times(r, "l7-", "api-b-");
  ASSERT_EQ(times.size(), 8u);  // four L7 nodes x two backends
  const double last_detection = *std::max_element(times.begin(), times.end());
  EXPECT_LE(last_detection - 5, 7.0);
  EXPECT_TRUE(unhealthy_times(r, "l4-", "").empty());  // the L4 tier saw nothing wrong
  EXPECT_EQ(r.metrics.overall.failed, failures(r, 504));
  EXPECT_LE(last_failure_time(r), last_detection + 1);
  EXPECT_GT(node(r, "l4-b-0").requests, 15000u);  // zone b's entry kept its share to the end
}

TEST(Faults, NoUserWaitsLongerThanItsAttemptsAllow) {
  // Timeouts of 1 s and one retry after at most 25 ms of backoff: whatever happens to
  // connections that die mid-handshake or with requests queued on them, no user waits
  // more than 2 x 1 s + 25 ms for an outcome.
  std::string yaml = l4_only("true", "  - { at: 10s, kind: zone_outage, zone: b, for: 10s }\n");
  yaml.replace(yaml.find("    timeout: 1s\n"), 0, "    retries: { max: 1 }\n    keepalive: { requests_per_connection: 10 }\n");
  // Few addresses, so requests often queue behind a connection still being opened.
  yaml.replace(yaml.find("source_ips: 2000"), 16, "source_ips: 20");
  const auto r = run(yaml);
  EXPECT_GT(r.metrics.overall.retries, 0u);
  EXPECT_LE(static_cast<double>(r.metrics.overall.latency_ns.max()) / 1e9, 2 * 1.0 + 0.025 + 0.001);
  EXPECT_EQ(r.metrics.unanswered, 0u);
}

TEST(Faults, LostRequestsWithNoTimeoutAnywhereEndTheRunAsUnanswered) {
  // No client timeout and no L7 tier: a request swallowed by a dark backend has nobody
  // to time it out. The run still ends, drain_timeout (5 s) after the traffic stops, and
  // reports what never came back.
  const auto r = run(l4_only("true", "  - { at: 10s, kind: zone_outage, zone: b }\n", ""));
  EXPECT_GT(r.metrics.lost, 0u);
  EXPECT_EQ(r.metrics.unanswered, r.metrics.lost);
  EXPECT_EQ(failures(r, results::kStatusUnanswered), r.metrics.unanswered);
  EXPECT_NEAR(r.sim_seconds, 30 + 5, 1e-6);
  const auto& all = r.metrics.overall;
  EXPECT_EQ(all.completed + all.failed, all.sent);
}


double share(std::uint64_t part, std::uint64_t whole) { return static_cast<double>(part) / static_cast<double>(whole); }
// Five standard deviations of a binomial share: a bound that fails by chance ~1 in 10^6.
double five_sd(double p, std::uint64_t n) { return 5 * std::sqrt(p * (1 - p) / static_cast<double>(n)); }

std::uint64_t sum_over_nodes(const results::RunResult& r, std::uint64_t results::NodeStats::*field) {
  std::uint64_t total = 0;
  for (const auto& n : r.metrics.nodes) total += n.*field;
  return total;
}

TEST(Faults, BackendErrorsAreServedAsTheirShareOfTraffic) {
  // One of four backends answers 500 to everything; round robin gives it a quarter.
  const auto r = run(two_tier("  - { at: 0s, kind: backend_errors, targets: api-a-0, error_rate: 100% }\n"));
  const auto& all = r.metrics.overall;
  EXPECT_NEAR(share(failures(r, 500), all.sent), 0.25, five_sd(0.25, all.sent));
  EXPECT_EQ(all.failed, failures(r, 500));
}

TEST(Faults, L7RetriesHideAFailingBackend) {
  // The same, with Envoy-style retries: a 5xx is retried once, on another backend when
  // a few picks find one, so nearly every failure turns into a success, at the price of
  // a retry for a quarter of the requests. (The budget is out of the way here.)
  // (Random picks: with round robin the retries' own picks would shift the rotation.)
  std::string yaml = two_tier("  - { at: 0s, kind: backend_errors, targets: api-a-0, error_rate: 100% }\n",
                              "  retries: { max: 1, on: [5xx], budget: 100%, min_concurrency: 1000 }\n");
  yaml.replace(yaml.find("  algorithm: round_robin\n  upstream_timeout"), 25, "  algorithm: random\n");
  const auto r = run(yaml);
  const auto& all = r.metrics.overall;
  const std::uint64_t retries = sum_over_nodes(r, &results::NodeStats::retries);
  EXPECT_NEAR(share(retries, all.sent), 0.25, five_sd(0.25, all.sent));
  // A retry avoids the failing backend unless four random picks in a row (the first and
  // three more tries) all land on it: (1/4)^4 of the retries still fail.
  const double still_failing = static_cast<double>(retries) / 256;
  EXPECT_NEAR(static_cast<double>(failures(r, 500)), still_failing, 5 * std::sqrt(still_failing));
}

TEST(Faults, PartitionFailsOnlyCrossZonePathsUntilTheChecksSeeIt) {
  // Zones a and b lose each other at 5 s. L7 nodes reach their own zone's backends as
  // before; requests they send across time out after the 1 s upstream timeout (504),
  // until their checks (every 2 s, unhealthy after 3, 1 s timeout: within [4 s, 7 s])
  // take the other zone's backends out.
  const auto r = run(two_tier("  - { at: 5s, kind: partition, zones: [a, b] }\n"));
  double last_detection = 0;
  for (const std::string zone : {"a", "b"}) {
    const std::string other = zone == "a" ? "b" : "a";
    for (int n = 0; n < 2; ++n) {
      const std::string checker = "l7-" + zone + "-" + std::to_string(n) + "-hc";
      EXPECT_TRUE(unhealthy_times(r, checker, "api-" + zone).empty()) << checker << " lost its own zone";
      const auto times = unhealthy_times(r, checker, "api-" + other);
      ASSERT_EQ(times.size(), 2u) << checker;
      for (double t : times) {
        EXPECT_GE(t - 5, 4.0);
        EXPECT_LE(t - 5, 7.0);
        last_detection = std::max(last_detection, t);
      }
    }
  }
  EXPECT_GT(failures(r, 504), 0u);
  EXPECT_EQ(r.metrics.overall.failed, failures(r, 504));  // no resets, no client timeouts (3 s)
  EXPECT_GE(first_failure_time(r), 6.0);                   // the first 504 waits its 1 s
  EXPECT_LE(last_failure_time(r), last_detection + 1);
}

TEST(Faults, OutlierDetectionEjectsASlowBackendAfterFiveTimeouts) {
  // api-a-0 becomes 1000 times slower at 5 s (5 s per request): each L7 node's requests
  // to it time out after 1 s and count as 5xx. Round robin sends it a quarter of each
  // node's 500 requests/s, so the fifth consecutive 504 comes about 1 s + 5 x 8 ms after
  // the fault: every node ejects it within [6 s, 6.2 s].
  const auto r = run(two_tier("  - { at: 5s, kind: slow_backend, targets: api-a-0, factor: 1000 }\n",
                              "  outlier_detection: { consecutive_5xx: 5, max_ejection_percent: 50% }\n"));
  int ejections = 0;
  for (const auto& e : r.metrics.health_events) {
    if (e.until == 0) continue;  // health-check verdicts
    EXPECT_EQ(e.target, "api-a-0");
    if (e.time >= 30) continue;  // (a second ejection, after the first ends, is not under test)
    EXPECT_GE(e.time, 6.0);
    EXPECT_LE(e.time, 6.2);
    ++ejections;
  }
  EXPECT_EQ(ejections, 4);  // one per L7 node
  // Only the requests sent to it before its ejection fail: about 1.05 s x 125/s per node.
  EXPECT_GT(failures(r, 504), 4u * 5);
  EXPECT_LT(failures(r, 504), 4u * 125 * 13 / 10);
}

TEST(Faults, EdgeLatencyIsPaidOnEveryCrossingOfTheEdge) {
  // 50 ms more on zone a's internet edge for the whole run, TLS off, one request per
  // connection: the SYN, the SYN-ACK, the request and the reply each cross it once, so
  // a request entering zone a takes 4 x 50 ms longer than one entering zone b.
  const auto r = run(l4_only("false", "  - { at: 0s, kind: link_degradation, link: edge-a, latency: 50ms }\n"));
  const double a = r.metrics.by_zone[0].latency_ns.mean() / 1e9;
  const double b = r.metrics.by_zone[1].latency_ns.mean() / 1e9;
  EXPECT_NEAR(a - b, 0.200, 0.002);
}

TEST(Faults, EdgeBandwidthCostsEachMessageItsSerialisation) {
  // Zone a's internet edge cut to 1 Mbps (125 000 B/s) for the whole run, at a load it
  // carries easily (and an edge is a fat pipe: flows do not queue behind each other).
  // Each request entering zone a crosses it as a 60 B SYN, a 60 B SYN-ACK, a 500 B
  // request and a 2000 B reply: (60 + 60 + 500 + 2000) / 125 000 s = 20.96 ms more
  // than one entering zone b.
  std::string yaml = l4_only("false", "  - { at: 0s, kind: link_degradation, link: edge-a, bandwidth: 1Mbps }\n");
  yaml.replace(yaml.find("rate: 1000/s"), 12, "rate: 20/s");
  const auto r = run(yaml);
  const double a = r.metrics.by_zone[0].latency_ns.mean() / 1e9;
  const double b = r.metrics.by_zone[1].latency_ns.mean() / 1e9;
  EXPECT_NEAR(a - b, 2620.0 / 125000, 0.0005);
}

TEST(Faults, PacketLossDelaysTheShareOfRequestsThatLostAPacket) {
  // 10 % loss on zone a's edge: a request entering zone a crosses it in five packets (SYN,
  // SYN-ACK, the 500 B request, the 2000 B reply's two), so it is spared with probability
  // 0.9^5 = 0.59; otherwise a retransmission timeout (200 ms at least) delays it.
  const auto r = run(l4_only("false", "  - { at: 0s, kind: link_degradation, link: edge-a, loss: 10% }\n"));
  const auto& zone_a = r.metrics.by_zone[0].latency_ns;
  const double spared = std::pow(0.9, 5);
  const double slack = five_sd(spared, zone_a.count());
  EXPECT_LT(static_cast<double>(zone_a.quantile(spared - slack - 0.01)) / 1e9, 0.2);
  EXPECT_GT(static_cast<double>(zone_a.quantile(spared + slack + 0.01)) / 1e9, 0.2);
  EXPECT_LT(static_cast<double>(r.metrics.by_zone[1].latency_ns.max()) / 1e9, 0.2);  // zone b's edge is clean
}

TEST(Faults, TrafficSurgeMultipliesTheArrivalRate) {
  // 1000/s for 30 s, three times that from 10 s to 20 s: 50 000 requests expected.
  const auto r = run(l4_only("true", "  - { at: 10s, kind: traffic_surge, factor: 3, for: 10s }\n"));
  EXPECT_NEAR(static_cast<double>(r.metrics.overall.sent), 50000, 5 * std::sqrt(50000.0));
  const auto& timeline = r.metrics.timeline;
  double before = 0, during = 0;
  for (std::size_t i = 2; i < 9; ++i) before += static_cast<double>(timeline.at(i).answered);
  for (std::size_t i = 12; i < 19; ++i) during += static_cast<double>(timeline.at(i).answered);
  EXPECT_NEAR(during / before, 3.0, 0.25);
}

TEST(Faults, ResumptionLossMakesEveryNewConnectionAFullHandshake) {
  // 80 % of new connections resume a session, except during the second half of the run:
  // then none does. Full handshakes: 0.5 x 20 % + 0.5 x 100 % = 60 % of them.
  // (One request per connection, so connections open at the steady request rate.)
  std::string yaml = two_tier("  - { at: 10s, kind: tls_resumption_loss }\n", "", "20s",
                              "    tls: { version: \"1.3\", resumption: 80% }\n");
  yaml.replace(yaml.find("requests_per_connection: 10"), 27, "requests_per_connection: 1");
  const auto r = run(yaml);
  std::uint64_t full = 0, resumed = 0;
  for (const auto& n : r.metrics.nodes) {
    full += n.tls_full;
    resumed += n.tls_resumed;
  }
  EXPECT_NEAR(share(full, full + resumed), 0.6, five_sd(0.6, full + resumed));
}

TEST(Faults, ZonalShiftTakesAZoneOutOfDnsAndOutOfCrossZoneRouting) {
  // Shifted away from the start: DNS never announces l4-b-0 and the L7 nodes in zone a
  // never pick a backend in b; nothing fails.
  const auto r = run(two_tier("  - { at: 0s, kind: zonal_shift, zone: b }\n"));
  EXPECT_EQ(node(r, "l4-b-0").requests, 0u);
  const auto dns = dns_events_of(r, "l4-b-0");
  ASSERT_EQ(dns.size(), 1u);
  EXPECT_EQ(dns[0].time, 0.0);
  EXPECT_EQ(dns[0].reason, "its zone is shifted away");
  EXPECT_EQ(node(r, "api-b-0").requests + node(r, "api-b-1").requests, 0u);
  EXPECT_GT(node(r, "api-a-0").requests, 0u);
  EXPECT_EQ(r.metrics.overall.failed, 0u);
}

TEST(Faults, DeregistrationDrainsInFlightRequestsWithoutErrors) {
  // Deregistered at 5 s, api-a-0 gets nothing new and finishes what it had: no errors.
  const auto r = run(two_tier("  - { at: 5s, kind: deregistration, targets: api-a-0 }\n"));
  EXPECT_EQ(r.metrics.overall.failed, 0u);
  EXPECT_EQ(node(r, "api-a-0").resets, 0u);
  // It served a quarter of the first 5 s only (2000/s x 5 s / 4 = 2500, Poisson).
  EXPECT_NEAR(static_cast<double>(node(r, "api-a-0").requests), 2500, 5 * std::sqrt(2500.0));
  // From then on it is out of service, which its group's live mean leaves out.
  EXPECT_NEAR(node(r, "api-a-0").out_of_service_seconds, r.sim_seconds - 5, 1e-6);
  EXPECT_EQ(node(r, "api-b-0").out_of_service_seconds, 0.0);
}

TEST(Faults, DeregistrationDelayCutsWhatIsStillInFlight) {
  // api-a-0 turns slow at 4 s (4 s per request) and is deregistered at 5 s with a 1 s
  // delay: the ~500 requests it received in between (a quarter of 2000/s) cannot finish
  // by 6 s, so it resets them then, and the L7 nodes answer each with a 502.
  std::string yaml = two_tier("  - { at: 4s, kind: slow_backend, targets: api-a-0, factor: 800 }\n"
                              "  - { at: 5s, kind: deregistration, targets: api-a-0 }\n",
                              "", "10s");
  yaml.replace(yaml.find("upstream_timeout: 1s"), 20, "upstream_timeout: 30s");
  yaml.replace(yaml.find("    health_check: { interval: 2s, timeout: 1s, healthy: 2, unhealthy: 3 }"), 0,
               "    deregistration_delay: 1s\n");
  const auto r = run(yaml);
  const std::uint64_t cut = node(r, "api-a-0").resets;
  EXPECT_NEAR(static_cast<double>(cut), 500, 5 * std::sqrt(500.0));
  EXPECT_EQ(failures(r, 502), cut);
  EXPECT_EQ(r.metrics.overall.failed, cut);
  // All of them at the end of the delay.
  EXPECT_EQ(first_failure_time(r), 6.0);
  EXPECT_EQ(last_failure_time(r), 6.0);
}

TEST(Faults, L7NodeLossIsDetectedByTheL4TierAndItsRequestsAreLost) {
  // l7-a-0 vanishes at 5 s. What it held is lost (the clients time out after 3 s); the
  // L4 node's checks (every 2 s, unhealthy after 2) take it out within [2 s, 5 s].
  const auto r = run(two_tier("  - { at: 5s, kind: node_loss, targets: l7-a-0 }\n"));
  const auto times = unhealthy_times(r, "l4-a-0", "l7-a-0");
  ASSERT_EQ(times.size(), 1u);
  EXPECT_GE(times[0] - 5, 2.0);
  EXPECT_LE(times[0] - 5, 5.0);
  EXPECT_GT(r.metrics.lost, 0u);
  EXPECT_EQ(r.metrics.overall.failed, failures(r, results::kStatusTimeout));
  EXPECT_LE(last_failure_time(r), times[0] + 3);
}

TEST(Faults, L4NodeLossLastsForClientsUntilTheirDnsCacheExpires) {
  // l4-b-0 vanishes at 10 s and DNS stops announcing it at once, but browsers that
  // resolved before keep connecting to it until their 5 s TTL runs out, each attempt
  // failing after the 1 s timeout: failures end between about 10 + 0.8 x 5 and 10 + 5 + 1.
  const auto r = run(l4_only("true", "  - { at: 10s, kind: node_loss, targets: l4-b-0 }\n"));
  const auto dns = dns_events_of(r, "l4-b-0");
  ASSERT_EQ(dns.size(), 1u);
  EXPECT_DOUBLE_EQ(dns[0].time, 10.0);
  EXPECT_EQ(dns[0].reason, "the node is down");
  EXPECT_GE(first_failure_time(r), 10.0);
  EXPECT_GE(last_failure_time(r), 10 + 0.8 * 5 - 1);
  EXPECT_LE(last_failure_time(r), 10 + 5 + 1);
  EXPECT_EQ(r.metrics.overall.failed, failures(r, results::kStatusTimeout));
  EXPECT_GT(r.metrics.lost, 0u);
}

TEST(Faults, CircuitBreakerAnswers503InsteadOfPilingOn) {
  // Each L7 node keeps about 500/s x 6 ms = 3 requests outstanding to the group (a
  // breaker at 20 never trips: Poisson(3) reaches 20 with odds ~1e-10). At 20x slower
  // (100 ms a request) that would be 50; the breaker allows 20 and answers the rest 503.
  const auto r = run(two_tier("  - { at: 5s, kind: slow_backend, targets: api-*, factor: 20 }\n",
                              "  circuit_breakers: { max_requests: 20 }\n", "10s"));
  const std::uint64_t overflows = sum_over_nodes(r, &results::NodeStats::overflows);
  EXPECT_GT(overflows, 0u);
  EXPECT_EQ(failures(r, 503), overflows);
  EXPECT_EQ(r.metrics.overall.failed, overflows);
  EXPECT_EQ(first_failure_time(r), 5.0);
  // With at most 20 in flight per node and 100 ms each, a node completes at most 200/s
  // through the breaker: 4 nodes x 200/s x 5 s, plus the first 5 s at 2000/s (+5 sd).
  EXPECT_LE(r.metrics.overall.completed, 4u * 200 * 5 + 2000 * 5 + 5 * 100);
}

TEST(Faults, EveryRequestIsAccountedForUnderFaults) {
  const std::string yaml = two_tier("  - { at: 3s, kind: zone_outage, zone: b, for: 6s }\n"
                                    "  - { at: 4s, kind: link_degradation, link: inter-a-b, loss: 5%, for: 4s }\n",
                                    "", "12s");
  const auto a = run(yaml);
  // Whatever the faults did, each request ended once: answered, failed, or unanswered,
  // and the timeline agrees with the totals.
  const auto& all = a.metrics.overall;
  EXPECT_EQ(all.completed + all.failed, all.sent);
  std::uint64_t answered = 0, failed = 0;
  for (std::size_t i = 0; i < a.metrics.timeline.size(); ++i) {
    answered += a.metrics.timeline.at(i).answered;
    failed += a.metrics.timeline.at(i).failed;
  }
  EXPECT_EQ(answered + a.metrics.unanswered, all.sent);
  EXPECT_EQ(failed + a.metrics.unanswered, all.failed);
}
TEST(Faults, ABackendBackFromACrashServesAgainBehindAnL7Tier) {
  // Its queue holds 1 + 2 requests. While it is down the L7 node's new connections to it
  // are refused (502); each refused request must leave its queue, or after three the
  // backend would look full for good and every request routed to it would get a 503.
  const std::string yaml = R"(name: t
seed: 3
duration: 10s
topology: { zones: [a] }
clients:
  - { name: web, arrival: { kind: constant, rate: 100/s }, tls: none, keepalive: { requests_per_connection: 1 }, mix: [ { path: /x } ] }
l7: { nodes_per_zone: 1, rules: [ { default: true, forward: app } ] }
l4: {}
target_groups:
  app: { per_zone: 2, workers: 1, queue_limit: 2, service_time: { dist: constant, value: 2ms } }
faults:
  - { at: 1s, kind: backend_crash, targets: app-a-0, for: 2s }
)";
  const auto r = test::run_yaml(yaml, "t.yaml");
  EXPECT_GT(r.metrics.overall.failures(502), 0u);
  EXPECT_EQ(r.metrics.overall.failures(503), 0u);
  // Round robin over two: after the 7 s it is back, it takes about half of 700 requests.
  for (const auto& n : r.metrics.nodes) {
    if (n.name == "app-a-0") {
      EXPECT_GT(n.requests, 300u);
    }
  }
}

}  // namespace
}  // namespace lbsim
