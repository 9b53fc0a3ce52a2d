// SPDX-License-Identifier: GPL-3.0-or-later
// The L7 tier's own answers: WAF, rate limits, redirects and fixed responses.
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

std::string one_zone_l7(const std::string& l7_extra, const std::string& mix, const std::string& rate, int source_ips = 1000) {
  return R"(name: l7tier
seed: 9
duration: 2s
topology: { zones: [a] }
clients:
  - name: c
    arrival: { rate: )" + rate + R"( }
    source_ips: )" + std::to_string(source_ips) + R"(
    mix: )" + mix + R"(
l4: { algorithm: round_robin }
l7:
  nodes_per_zone: 1
)" + l7_extra + R"(
  rules:
    - { priority: 1, if: { path: /old/* }, redirect: { status: 301, path: /new } }
    - { priority: 2, if: { path: /missing }, fixed_response: { status: 404 } }
    - { default: true, forward: app }
target_groups:
  app: { per_zone: 2, workers: 32, service_time: { dist: constant, value: 1ms } }
)";
}

TEST(Simulation, WafBlocksEveryAttackAndNothingElse) {
  const std::string mix = R"([ { weight: 4, path: /search, query: "q=shoes" }, { weight: 1, path: /search, query: "q=1'+or+1=1--" } ])";
  const results::RunResult r = test::run_yaml(one_zone_l7("  waf: true", mix, "1000/s"), "w.yaml");
  const auto& all = r.metrics.overall;
  const auto blocked = all.failures(403);
  EXPECT_EQ(all.failed, blocked);  // nothing else fails
  EXPECT_EQ(all.completed + blocked, all.sent);
  // One request in five is an attack (binomial, 5 sd).
  const double share = static_cast<double>(blocked) / all.sent;
  EXPECT_NEAR(share, 0.2, 5 * std::sqrt(0.2 * 0.8 / all.sent));
  // Blocked requests never reach a backend.
  std::uint64_t served = 0;
  for (const auto& n : r.metrics.nodes)
    if (n.kind == topology::NodeKind::backend) served += n.requests;
  EXPECT_EQ(served, all.completed);
}

TEST(Simulation, RateLimitAllowsTheBurstThenTheRate) {
  // One client address, 1000 req/s for 2 s against 100/s with a burst of 10 on the one
  // L7 node: the bucket lets through its 10 tokens plus what refills while requests
  // keep coming, 100/s x (time of the last arrival, just under 2 s): about 210.
  const std::string mix = "[ { path: /x } ]";
  const results::RunResult r = models::run_scenario(
      config::load_scenario(one_zone_l7("  rate_limit: { key: source_ip, rate: 100/s, burst: 10 }", mix, "1000/s", 1), "r.yaml"));
  const auto& all = r.metrics.overall;
  EXPECT_NEAR(static_cast<double>(all.completed), 210, 3);
  EXPECT_EQ(all.failures(429), all.sent - all.completed);
}

TEST(Simulation, RedirectsAndFixedResponsesAreAnsweredByTheL7Tier) {
  const std::string mix = "[ { path: /old/page }, { path: /missing }, { path: /ok } ]";
  const results::RunResult r = test::run_yaml(one_zone_l7("", mix, "600/s"), "f.yaml");
  const auto& all = r.metrics.overall;
  // 301 counts as answered; 404 as failed; only /ok reaches a backend.
  EXPECT_EQ(all.failed, all.failures(404));
  std::uint64_t served = 0;
  for (const auto& n : r.metrics.nodes)
    if (n.kind == topology::NodeKind::backend) served += n.requests;
  EXPECT_EQ(all.completed + all.failed, all.sent);
  const std::uint64_t redirected = all.completed - served;
  const double sd = 5 * std::sqrt(2.0 / 9 / all.sent);  // each a third (binomial, 5 sd)
  EXPECT_NEAR(static_cast<double>(served) / all.sent, 1.0 / 3, sd);
  EXPECT_NEAR(static_cast<double>(redirected) / all.sent, 1.0 / 3, sd);
  EXPECT_NEAR(static_cast<double>(all.failed) / all.sent, 1.0 / 3, sd);
}

TEST(Simulation, ARewriteOfAVeryLongPathRunsInsideAnActor) {
  // std::regex recursed once per character and overflowed the 256 KiB actor stack on a
  // 1000-character path (SIGSEGV); RE2 does not recurse.
  const std::string path = "/api/" + std::string(20'000, 'x');
  const std::string yaml = R"(name: long-path
seed: 3
duration: 1s
topology: { zones: [a] }
clients:
  - { name: c, arrival: { rate: 200/s }, mix: [ { path: ")" + path + R"(" } ] }
l4: {}
l7:
  nodes_per_zone: 1
  rules:
    - { default: true, forward: app, rewrite: { path: { regex: "^/api/(.*)$", replacement: "/$1" } } }
target_groups:
  app: { per_zone: 1 }
)";
  const results::RunResult r = test::run_yaml(yaml, "long.yaml");
  EXPECT_GT(r.metrics.overall.sent, 100u);
  EXPECT_EQ(r.metrics.overall.completed, r.metrics.overall.sent);
}

TEST(Simulation, TheL7TierDrawsBackendsInProportionToTheirWeights) {
  // Random picks at the L7 node, app-a-0 weighing 4 against app-a-1's 1: 80 % of the
  // requests (binomial, 5 sd); the L4 tier in front never reads backend weights.
  std::string yaml = one_zone_l7("  algorithm: random", "[ { path: /x } ]", "1000/s");
  yaml.replace(yaml.find("app: { per_zone: 2,"), 19, "app: { per_zone: 2, weights: { app-a-0: 4 },");
  const results::RunResult r = test::run_yaml(yaml, "w.yaml");
  const double heavy = static_cast<double>(test::node_named(r, "app-a-0").requests);
  const double light = static_cast<double>(test::node_named(r, "app-a-1").requests);
  const double n = heavy + light;
  EXPECT_GT(n, 1500);
  EXPECT_NEAR(heavy / n, 0.8, 5 * std::sqrt(0.8 * 0.2 / n));
}

}  // namespace
}  // namespace lbsim
