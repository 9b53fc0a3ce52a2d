// SPDX-License-Identifier: GPL-3.0-or-later
// The crosscheck's verdicts on hand-written summaries: each row's difference and
// tolerance as docs/TESTBED.md states them, worked by hand below.
#include <gtest/gtest.h>

#include <sstream>

#include "reports/crosscheck.hpp"

namespace lbsim::reports {
namespace {

using nlohmann::json;

json summary(double rps, double p50_ms, double failed, std::uint64_t full, std::uint64_t resumed, double tls_cpu_s) {
  json s;
  s["scenario"] = "hand";
  s["seed"] = 1;
  s["duration_s"] = 10.0;
  s["throughput_rps"] = rps;
  s["latency_ms"] = {{"mean", p50_ms}, {"p50", p50_ms}, {"p90", 2 * p50_ms}, {"p99", 3 * p50_ms}};
  s["requests"] = {{"sent", 1000}, {"failed", failed}, {"failures", {{"timeout", failed}}}};
  s["nodes"] = json::array({{{"name", "app-a-0"}, {"kind", "backend"}, {"utilization", 0.5},
                             {"tls", {{"full", full}, {"resumed", resumed}, {"cpu_seconds", tls_cpu_s}}}}});
  s["health_events"] = json::array();
  s["dns_events"] = json::array();
  return s;
}

const nlohmann::ordered_json& row(const nlohmann::ordered_json& check, const std::string& figure) {
  for (const auto& r : check["rows"])
    if (r["figure"] == figure) return r;
  throw std::runtime_error("no row " + figure);
}

TEST(Crosscheck, AgreementWithinEveryToleranceIsAPass) {
  // 1 % less throughput, 9 % slower p50: both inside (2 %, 10 %).
  const auto check = crosscheck_json(summary(100, 10, 0, 40, 60, 0.010), summary(99, 10.9, 0, 40, 60, 0.012), 2.0);
  EXPECT_TRUE(check["passed"].get<bool>());
  EXPECT_NEAR(row(check, "throughput")["difference"].get<double>(), -0.01, 1e-12);
  EXPECT_NEAR(row(check, "latency p50")["difference"].get<double>(), 0.09, 1e-12);
}

TEST(Crosscheck, LatencyBeyondItsToleranceFailsTheVerdict) {
  const auto check = crosscheck_json(summary(100, 10, 0, 40, 60, 0.010), summary(100, 11.5, 0, 40, 60, 0.010), 2.0);
  EXPECT_FALSE(check["passed"].get<bool>());
  EXPECT_FALSE(row(check, "latency p50")["pass"].get<bool>());
  // mean and p50 (15 % > 10 %) fail; p90 (15 % = 15 %) and p99 (15 % < 20 %) pass.
  EXPECT_TRUE(row(check, "latency p90")["pass"].get<bool>());
  EXPECT_EQ(check["failed_rows"].get<int>(), 2);
}

TEST(Crosscheck, TlsRowsCompareHandshakesResumptionAndCpu) {
  // Predicted: 100 handshakes, 60 resumed, 10 ms of CPU = 100 us each. Measured: 101
  // handshakes (+1 %), 55 resumed (54.5 %: -5.5 points), 20.2 ms = 200 us each (+100 %).
  const auto check = crosscheck_json(summary(100, 10, 0, 40, 60, 0.010), summary(100, 10, 0, 46, 55, 0.0202), 2.0);
  const auto& handshakes = row(check, "TLS handshakes");
  EXPECT_NEAR(handshakes["difference"].get<double>(), 0.01, 1e-12);
  EXPECT_TRUE(handshakes["pass"].get<bool>());
  const auto& resumed = row(check, "TLS handshakes resumed");
  EXPECT_NEAR(resumed["difference"].get<double>(), 55.0 / 101 - 0.6, 1e-12);
  EXPECT_FALSE(resumed["pass"].get<bool>());
  const auto& cpu = row(check, "TLS server CPU per handshake");
  EXPECT_NEAR(cpu["predicted"].get<double>(), 100.0, 1e-9);
  EXPECT_NEAR(cpu["measured"].get<double>(), 200.0, 1e-9);
  EXPECT_FALSE(cpu["pass"].get<bool>());
  EXPECT_TRUE(cpu["gating"].get<bool>());
  // Twice the predicted CPU is beyond 50 %: with the resumed share, two gating rows fail.
  EXPECT_EQ(check["failed_rows"].get<int>(), 2);
  std::ostringstream table;
  print_crosscheck(table, check);
  EXPECT_NE(table.str().find("200.0 µs"), std::string::npos) << table.str();
  EXPECT_NE(table.str().find(" 101 "), std::string::npos) << "handshakes are whole: " << table.str();
}

TEST(Crosscheck, RetriesAreComparedAsSharesOfTheRequestsSentWhereEitherSideMadeAny) {
  json predicted = summary(100, 10, 0, 0, 0, 0), measured = predicted;
  EXPECT_THROW(row(crosscheck_json(predicted, measured, 2.0), "retries"), std::runtime_error) << "no retries, no row";
  predicted["requests"]["retries"] = 46;  // of 1000 sent: 4.6 %
  measured["requests"]["retries"] = 30;   // 3.0 %: 1.6 points fewer, beyond 1
  const auto check = crosscheck_json(predicted, measured, 2.0);
  EXPECT_NEAR(row(check, "retries")["difference"].get<double>(), -0.016, 1e-12);
  EXPECT_FALSE(check["passed"].get<bool>());
}

TEST(Crosscheck, AStickyGroupsCookieHitsAreComparedAsShares) {
  json predicted = summary(100, 10, 0, 0, 0, 0), measured = predicted;
  predicted["target_groups"] = json::array({{{"group", "api"}, {"sticky", {{"hits", 900}, {"misses", 100}}}}, {{"group", "static"}}});
  measured["target_groups"] = json::array({{{"group", "api"}, {"sticky", {{"hits", 430}, {"misses", 70}}}}, {{"group", "static"}}});
  const auto check = crosscheck_json(predicted, measured, 2.0);
  const auto& api = row(check, "api sticky hits");
  EXPECT_NEAR(api["predicted"].get<double>(), 0.90, 1e-12);
  EXPECT_NEAR(api["measured"].get<double>(), 0.86, 1e-12);  // 4 points fewer: within 5
  EXPECT_TRUE(api["pass"].get<bool>());
  EXPECT_THROW(row(check, "static sticky hits"), std::runtime_error) << "a group without stickiness has no row";
  // An engine that does not say (HAProxy, nginx) gets no row rather than a zero.
  measured["l7_engine"] = "haproxy";
  EXPECT_THROW(row(crosscheck_json(predicted, measured, 2.0), "api sticky hits"), std::runtime_error);
}

TEST(Crosscheck, NoTlsRowsWhereNothingTerminatesTls) {
  const auto check = crosscheck_json(summary(100, 10, 0, 0, 0, 0), summary(100, 10, 0, 0, 0, 0), 2.0);
  for (const auto& r : check["rows"]) EXPECT_EQ(r["figure"].get<std::string>().rfind("TLS", 0), std::string::npos) << r;
}

TEST(Crosscheck, DnsWithdrawalAndReturnAreTimedFromTheFault) {
  json predicted = summary(100, 10, 0, 0, 0, 0), measured = predicted;
  predicted["faults"] = json::array({{{"start_s", 5.0}, {"end_s", 15.0}}});
  predicted["dns_events"] = json::array({{{"time_s", 9.0}, {"node", "l4-b-0"}, {"announced", false}},
                                         {{"time_s", 19.0}, {"node", "l4-b-0"}, {"announced", true}}});
  // The testbed withdrew 1.5 s later than predicted (inside a 2 s interval) and never
  // announced the node again.
  measured["dns_events"] = json::array({{{"time_s", 10.5}, {"node", "l4-b-0"}, {"announced", false}}});
  const auto check = crosscheck_json(predicted, measured, 2.0);
  const auto& withdraws = row(check, "DNS withdraws l4-b-0");
  EXPECT_NEAR(withdraws["predicted"].get<double>(), 4.0, 1e-12);
  EXPECT_NEAR(withdraws["measured"].get<double>(), 5.5, 1e-12);
  EXPECT_TRUE(withdraws["pass"].get<bool>());
  const auto& returns = row(check, "DNS announces l4-b-0");
  EXPECT_NEAR(returns["predicted"].get<double>(), 14.0, 1e-12);
  EXPECT_TRUE(returns["measured"].is_null());
  EXPECT_FALSE(returns["pass"].get<bool>());
}

}  // namespace
}  // namespace lbsim::reports
