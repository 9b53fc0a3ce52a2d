// SPDX-License-Identifier: GPL-3.0-or-later
// What an L4 algorithm sees of a slow backend: round robin nothing, least connections its open connections.
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

using test::node_named;

// Two backends behind the L4 tier, one of them ten times slower from the start; every
// request its own connection, so the L4 algorithm picks per request.
std::string one_slow_backend(const std::string& algorithm) {
  return R"(name: t
seed: 5
duration: 5s
topology: { zones: [a], internet: { latency: 1ms, bandwidth: 10Gbps } }
clients:
  - { name: web, arrival: { rate: 2000/s }, source_ips: 500, tls: none, keepalive: { requests_per_connection: 1 }, mix: [ { path: /x } ] }
l4: { algorithm: )" + algorithm + R"(, target_group: app }
target_groups:
  app: { per_zone: 2, workers: 64, service_time: { dist: constant, value: 5ms } }
faults:
  - { at: 0s, kind: slow_backend, targets: app-a-1, factor: 10 }
)";
}

double slow_share(const results::RunResult& r) {
  const double fast = static_cast<double>(node_named(r, "app-a-0").requests), slow = static_cast<double>(node_named(r, "app-a-1").requests);
  return slow / (fast + slow);
}

TEST(Simulation, L4RoundRobinIgnoresHowSlowABackendIs) {
  const auto r = test::run_yaml(one_slow_backend("round_robin"), "t.yaml");
  EXPECT_NEAR(slow_share(r), 0.5, 0.01);
}

TEST(Simulation, L4LeastConnectionsCountsAConnectionOpenUntilItsAnswerGoesBack) {
  // Under DNAT a connection is open at the L4 node from its SYN until its last answer
  // passes back: about 2 ms of round trips plus 5 ms on the fast backend, plus 50 ms on
  // the slow one. Least connections keeps the open counts level, so each backend's share
  // of new connections goes as 1 / lifetime: the slow one gets about 7 / (7 + 52) = 12 %.
  const auto r = test::run_yaml(one_slow_backend("least_connections"), "t.yaml");
  EXPECT_GT(slow_share(r), 0.05);
  EXPECT_LT(slow_share(r), 0.2);
}

TEST(Simulation, L4SmoothWeightedRoundRobinSendsEachBackendItsWeightsShare) {
  // The fast backend weighs 3, the other 1 (no slow-down): one L4 node picks once per
  // connection, and nginx's sequence gives 3 of every 4 picks to the heavier one.
  std::string yaml = one_slow_backend("smooth_weighted_round_robin");
  yaml = yaml.substr(0, yaml.find("faults:"));
  yaml.replace(yaml.find("app: { per_zone: 2,"), 19, "app: { per_zone: 2, weights: { app-a-0: 3 },");
  const auto r = test::run_yaml(yaml, "t.yaml");
  const auto heavy = node_named(r, "app-a-0").requests, light = node_named(r, "app-a-1").requests;
  EXPECT_GT(light, 2000u);
  EXPECT_LE(std::llabs(static_cast<long long>(heavy) - 3 * static_cast<long long>(light)), 3);
}

}  // namespace
}  // namespace lbsim
