// SPDX-License-Identifier: GPL-3.0-or-later
// The warm-up: requests sent before it are left out of the request figures but still
// load the system. A planted transient (a backend 20 times slower for the first second)
// is in the figures without a warm-up and gone with one.
#include <gtest/gtest.h>

#include <string>

#include "config/loader.hpp"
#include "models/simulation.hpp"
#include "support/simulation.hpp"

namespace lbsim {
namespace {

using test::node_named;

// 100 requests/s evenly spaced for 4 s (399 of them, at 0.01 s, 0.02 s, ... 3.99 s) to
// one backend of 4 workers: 1 ms of service, 20 ms during the first second (load 2 of
// 4 workers, so nothing queues). Each way costs 1 ms + 100 us of links, and each request
// opens its own connection: 2.2 ms of TCP handshake, 2.2 ms there and back, then service:
// about 5.4 ms steady, over 24 ms in the first second.
std::string planted_transient(const std::string& warmup) {
  return "name: w\nseed: 4\nduration: 4s\n" + warmup + R"(
topology:
  zones: [a]
  internet:   { latency: 1ms, bandwidth: 10Gbps }
  intra_zone: { latency: 100us, bandwidth: 10Gbps }
clients:
  - { name: c, arrival: { kind: constant, rate: 100/s }, tls: none, mix: [ { path: / } ] }
l4: { target_group: app }
target_groups:
  app: { per_zone: 1, workers: 4, service_time: { dist: constant, value: 1ms } }
faults:
  - { at: 0s, kind: slow_backend, targets: app-a-0, factor: 20, for: 1s }
)";
}

TEST(Simulation, WithoutAWarmUpTheTransientIsInTheFigures) {
  const results::RunResult r = test::run_yaml(planted_transient(""));
  EXPECT_NEAR(static_cast<double>(r.metrics.overall.sent), 399, 1);
  EXPECT_GT(r.metrics.overall.latency_ns.max(), 20'000'000u);  // the slow first second: 20 ms of service
}

TEST(Simulation, AWarmUpLeavesItsRequestsOutOfTheFiguresButNotOutOfTheSystem) {
  const results::RunResult r = test::run_yaml(planted_transient("warmup: 1s"));
  // Only those sent from 1 s on (300 of them) count, every one near the steady 5.4 ms.
  const auto& measured = r.metrics.overall;
  EXPECT_NEAR(static_cast<double>(measured.sent), 300, 1);
  EXPECT_EQ(measured.completed, measured.sent);
  EXPECT_EQ(r.metrics.by_group[0].sent, measured.sent);
  EXPECT_LT(measured.latency_ns.max(), 8'000'000u);
  // The backend served all 399: the warm-up's requests loaded it.
  EXPECT_NEAR(static_cast<double>(node_named(r, "app-a-0").requests), 399, 1);
}

}  // namespace
}  // namespace lbsim
