// SPDX-License-Identifier: GPL-3.0-or-later
// ALB's stickiness across L7 nodes: the balancer's cookie and the application's session.
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

// 50 client addresses, each a browser with a cookie jar, 10 requests/s each, every
// request on a new connection (so the L4 tier spreads them over both L7 nodes).
std::string sticky_scenario(const std::string& stickiness) {
  return R"(name: sticky
seed: 12
duration: 4s
topology: { zones: [a] }
clients:
  - { name: c, arrival: { rate: 500/s }, source_ips: 50, mix: [ { path: / } ] }
l4: { algorithm: round_robin }
l7:
  nodes_per_zone: 2
  rules: [ { default: true, forward: app } ]
target_groups:
  app: { per_zone: 4, workers: 16, stickiness: )" + stickiness + R"(, service_time: { dist: constant, value: 1ms } }
)";
}

// About one miss per address, plus the requests sent before its first answer came back
// (a ~42 ms round trip against ~100 ms between requests); every other request hits.
void expect_sticky_after_the_first_answer(const results::RunResult& r) {
  const auto& g = r.metrics.by_group.at(0);
  EXPECT_EQ(g.sticky_hits + g.sticky_misses, r.metrics.overall.sent);
  EXPECT_GE(g.sticky_misses, 50u);
  EXPECT_LT(g.sticky_misses, 50u + r.metrics.overall.sent / 10);
  EXPECT_EQ(r.metrics.overall.completed, r.metrics.overall.sent);
}

TEST(Simulation, StickyCookieKeepsEachClientOnItsBackendAcrossL7Nodes) {
  // A client's first request is placed and gets AWSALB; later ones hit — on either node,
  // since both belong to one load balancer.
  const std::string yaml = sticky_scenario("{ type: lb_cookie, duration: 1h }");
  expect_sticky_after_the_first_answer(test::run_yaml(yaml, "sticky.yaml"));
}

TEST(Simulation, AppCookieStickinessFollowsTheSessionTheBackendStarted) {
  // Application-based: a client's first request has no session, so it is not sticky (a
  // miss) and its backend starts one (SESSIONID); the balancer points AWSALBAPP at that
  // backend, and every later request carries both and hits.
  const std::string yaml = sticky_scenario("{ type: app_cookie, cookie: SESSIONID, duration: 1h }");
  expect_sticky_after_the_first_answer(test::run_yaml(yaml, "sticky.yaml"));
}

}  // namespace
}  // namespace lbsim
