// SPDX-License-Identifier: GPL-3.0-or-later
// Client timeouts and retries against their closed forms, and what a retry budget caps.
// Each test is one simulation in its own process (SimGrid's engine cannot be reset).
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>

#include "config/loader.hpp"
#include "models/simulation.hpp"
#include "support/simulation.hpp"

namespace lbsim {
namespace {

std::string retrying(const std::string& client_extra, const std::string& group_extra, const std::string& service) {
  return R"(name: retries
seed: 61
duration: 10s
topology: { zones: [a], internet: { latency: 1ms } }
clients:
  - { name: c, arrival: { rate: 200/s }, source_ips: 50, tls: none, keepalive: { requests_per_connection: 1000000 }, )" +
         client_extra + R"(, mix: [ { path: / } ] }
l4: { algorithm: round_robin, target_group: app }
target_groups:
  app: { per_zone: 4, workers: 64, )" + group_extra + R"( service_time: { dist: constant, value: )" + service + R"( } }
)";
}

TEST(Simulation, TimeoutsEndEveryAttemptAtTheTimeout) {
  // Service takes 50 ms; the client waits 20 ms: every request times out at exactly 20 ms.
  const auto r = test::run_yaml(retrying("timeout: 20ms", "", "50ms"), "t.yaml");
  const auto& all = r.metrics.overall;
  EXPECT_EQ(all.failures(results::kStatusTimeout), all.sent);
  EXPECT_EQ(all.latency_ns.min(), 20'000'000u);
  EXPECT_EQ(all.latency_ns.max(), 20'000'000u);
}

TEST(Simulation, RetriesRecoverErrorsAsTheirClosedFormSays) {
  // Each attempt fails with 1/2 (500); up to 3 retries, no budget limit in practice:
  // a request fails only if all 4 attempts do, 1/16; it makes 1/2 + 1/4 + 1/8 = 0.875
  // retries on average.
  const auto r = test::run_yaml(
      retrying("retries: { max: 3, backoff: 1ms, budget: 100%, min_concurrency: 1000 }", "error_rate: 50%,", "1ms"), "r.yaml");
  const auto& all = r.metrics.overall;
  const double n = static_cast<double>(all.sent);
  EXPECT_NEAR(all.failures(500) / n, 1.0 / 16, 5 * std::sqrt(1.0 / 16 * 15 / 16 / n));
  EXPECT_NEAR(all.retries / n, 0.875, 0.05);
  EXPECT_EQ(all.completed + all.failed, all.sent);
}

TEST(Simulation, WithoutABudgetEveryFailureIsRetriedToTheMax) {
  // Every attempt fails. With the budget out of the way, 3 retries per request: the
  // retry storm, exactly 3 x sent.
  const auto storm = retrying("retries: { max: 3, backoff: 10ms, budget: 100%, min_concurrency: 1000 }", "error_rate: 100%,", "1ms");
  const auto r = test::run_yaml(storm, "s.yaml");
  EXPECT_EQ(r.metrics.overall.retries, 3 * r.metrics.overall.sent);
}

TEST(Simulation, ARetryBudgetCapsARetryStorm) {
  // The same failures with a 10 % budget and no minimum: retries in flight stay under a
  // tenth of the active requests, so far fewer than one retry per request is made.
  const auto budgeted = retrying("retries: { max: 3, backoff: 10ms, budget: 10%, min_concurrency: 0 }", "error_rate: 100%,", "1ms");
  const auto r = test::run_yaml(budgeted, "b.yaml");
  EXPECT_LT(r.metrics.overall.retries, r.metrics.overall.sent);
  EXPECT_EQ(r.metrics.overall.failures(500), r.metrics.overall.sent);
}

}  // namespace
}  // namespace lbsim
