// SPDX-License-Identifier: GPL-3.0-or-later
// A closed loop's throughput against Little's law.
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

TEST(Simulation, ClosedLoopThroughputFollowsLittlesLaw) {
  // 100 users, each: send, wait for the answer (response time R), think Z (exp, 90 ms).
  // Under light load the throughput is users / (R + Z) (the interactive response time
  // law). R here is ~10 ms: a 1 ms path each way and 8 ms of constant service.
  const std::string yaml = R"(name: closed
seed: 51
duration: 60s
topology: { zones: [a], internet: { latency: 1ms }, intra_zone: { latency: 10us } }
clients:
  - { name: c, arrival: { kind: closed, users: 100, think_time: { dist: exponential, mean: 90ms } }, source_ips: 100, tls: none, keepalive: { requests_per_connection: 1000000 }, mix: [ { path: / } ] }
l4: { algorithm: round_robin, target_group: app }
target_groups:
  app: { per_zone: 4, workers: 64, service_time: { dist: constant, value: 8ms } }
)";
  const results::RunResult r = test::run_yaml(yaml, "closed.yaml");
  const auto& all = r.metrics.overall;
  const double response_s = all.latency_ns.mean() / 1e9;
  EXPECT_NEAR(response_s, 0.010, 0.0005);  // 2 x (1 ms + 10 us + 10 us) + 8 ms, plus the first connections' handshakes
  const double throughput = static_cast<double>(all.completed) / 60.0;
  EXPECT_NEAR(throughput, 100 / (response_s + 0.090), 100 / (response_s + 0.090) * 0.02);
  EXPECT_EQ(all.completed, all.sent);
}

}  // namespace
}  // namespace lbsim
