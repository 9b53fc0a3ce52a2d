// SPDX-License-Identifier: GPL-3.0-or-later
// The simulator against queueing theory. Each case states its closed form; the network
// is made negligible (microsecond links, plain HTTP) so a request's latency is its
// sojourn at the backends. One process per case (SimGrid's engine cannot be reset).
#include <gtest/gtest.h>

#include <cmath>

#include "config/loader.hpp"
#include "models/simulation.hpp"
#include "support/simulation.hpp"

namespace lbsim {
namespace {

// Clients -> one L4 node -> `backends` backends of `workers` workers each, exponential
// service with mean 1 ms, Poisson arrivals at `rate` per second.
std::string l4_only(double rate, int backends, int workers, const std::string& duration, const std::string& algorithm) {
  return R"(name: queueing
seed: 31
duration: )" + duration + R"(
topology:
  zones: [a]
  internet:   { latency: 1us, bandwidth: 100Gbps }
  intra_zone: { latency: 1us, bandwidth: 100Gbps }
clients:
  - { name: c, arrival: { rate: )" + std::to_string(rate) + R"(/s }, source_ips: 100000, tls: none, mix: [ { path: /, request: 100B, response: 100B } ] }
l4: { algorithm: )" + algorithm + R"(, target_group: app }
target_groups:
  app: { per_zone: )" + std::to_string(backends) + ", workers: " + std::to_string(workers) +
         R"(, queue_limit: 1000000, service_time: { dist: exponential, mean: 1ms } }
)";
}

// The network's share of a request: a few one-microsecond hops and a TCP round trip.
constexpr double kNetworkMs = 0.02;

double mean_ms(const results::RunResult& r) { return r.metrics.overall.latency_ns.mean() / 1e6; }
double p99_ms(const results::RunResult& r) { return static_cast<double>(r.metrics.overall.latency_ns.quantile(0.99)) / 1e6; }

// Random picks split a Poisson stream into independent Poisson streams, so 20 backends
// with one worker each are 20 independent M/M/1 queues: twenty times the samples of
// one queue for the same simulated time. (Across seeds, 20 queues x 30 s at rho = 0.9
// spread the mean by about 2 % and the p99 by about 3 %; the tolerances are ~2 sd.)
TEST(Validation, MM1AtHalfLoad) {
  // M/M/1, mu = 1000/s, lambda = 500/s: sojourn ~ Exp(mu - lambda = 500/s), so its mean
  // is 2 ms and its p99 ln(100)/500 = 9.21 ms.
  const auto r = test::run_yaml(l4_only(20 * 500, 20, 1, "30s", "random"), "mm1.yaml");
  EXPECT_NEAR(mean_ms(r) - kNetworkMs, 2.0, 2.0 * 0.03);
  EXPECT_NEAR(p99_ms(r) - kNetworkMs, 9.21, 9.21 * 0.05);
}

TEST(Validation, MM1AtNinetyPercentLoad) {
  // M/M/1 at rho = 0.9: sojourn ~ Exp(100/s): mean 10 ms, p99 ln(100)/100 = 46.05 ms.
  const auto r = test::run_yaml(l4_only(20 * 900, 20, 1, "30s", "random"), "mm1.yaml");
  EXPECT_NEAR(mean_ms(r) - kNetworkMs, 10.0, 10.0 * 0.05);
  EXPECT_NEAR(p99_ms(r) - kNetworkMs, 46.05, 46.05 * 0.07);
}

// Erlang C: the probability that an arrival waits in M/M/c with offered load a = lambda/mu.
double erlang_c(int c, double a) {
  double term = 1, sum = 0;  // sum_{k<c} a^k / k!
  for (int k = 0; k < c; ++k) {
    if (k > 0) term *= a / k;
    sum += term;
  }
  const double last = term * a / c;  // a^c / c!
  const double rho = a / c;
  return last / (1 - rho) / (sum + last / (1 - rho));
}

TEST(Validation, MMcMatchesErlangC) {
  // M/M/4, mu = 1000/s, lambda = 3200/s (a = 3.2, rho = 0.8): P(wait) = C(4, 3.2) and
  // the mean wait W_q = C / (c mu - lambda).
  const auto r = test::run_yaml(l4_only(3200, 1, 4, "60s", "round_robin"), "mmc.yaml");
  const double c = erlang_c(4, 3.2);
  const double wq_ms = c / (4 * 1000.0 - 3200) * 1e3;
  const results::NodeStats* backend = nullptr;
  for (const auto& n : r.metrics.nodes)
    if (n.kind == topology::NodeKind::backend) backend = &n;
  ASSERT_NE(backend, nullptr);
  const double waited = static_cast<double>(backend->waited) / backend->requests;
  const double mean_wait_ms = backend->wait_seconds / backend->requests * 1e3;
  EXPECT_NEAR(waited, c, 0.03);                        // C(4, 3.2) = 0.5964
  EXPECT_NEAR(mean_wait_ms, wq_ms, wq_ms * 0.08);      // 0.7455 ms
  EXPECT_NEAR(mean_ms(r) - kNetworkMs, wq_ms + 1.0, (wq_ms + 1.0) * 0.05);
}

// Two-tier: one L7 node with plenty of cores and no CPU cost, so its picks are the only
// thing it adds; 50 single-worker backends at rho = 0.9.
std::string supermarket(const std::string& algorithm) {
  return R"(name: supermarket
seed: 33
duration: 12s
topology:
  zones: [a]
  internet:   { latency: 1us, bandwidth: 100Gbps }
  intra_zone: { latency: 1us, bandwidth: 100Gbps }
clients:
  - { name: c, arrival: { rate: 45000/s }, source_ips: 1000, tls: none, keepalive: { requests_per_connection: 1000 }, mix: [ { path: /, request: 100B, response: 100B } ] }
l4: { algorithm: round_robin }
l7:
  nodes_per_zone: 1
  cpu: { cores: 64, per_request: 0 }
  algorithm: )" + algorithm + R"(
  rules: [ { default: true, forward: app } ]
target_groups:
  app: { per_zone: 50, workers: 1, queue_limit: 1000000, service_time: { dist: exponential, mean: 1ms } }
)";
}

TEST(Validation, RandomPickingLeavesEachServerAnMM1) {
  // Random over 50 servers at rho = 0.9: each is an M/M/1 at 0.9, mean sojourn
  // 1/(mu (1 - rho)) = 10 service times (Mitzenmacher).
  const auto r = test::run_yaml(supermarket("random"), "random.yaml");
  EXPECT_NEAR(mean_ms(r) - kNetworkMs, 10.0, 1.0);
}

TEST(Validation, PowerOfTwoChoicesApproachesMitzenmachersLimit) {
  // Power of two choices at rho = 0.9: as n grows the mean sojourn tends to
  // sum_{i>=1} rho^(2^i - 2) = 1 + 0.9^2 + 0.9^6 + 0.9^14 + 0.9^30 + ... = 2.61
  // service times (Mitzenmacher's supermarket model), against 10 for random.
  double limit = 0;
  for (int i = 1; i < 12; ++i) limit += std::pow(0.9, std::pow(2, i) - 2);
  const auto r = test::run_yaml(supermarket("least_request"), "p2c.yaml");
  EXPECT_NEAR(mean_ms(r) - kNetworkMs, limit, limit * 0.10);
}

TEST(Validation, TlsThroughputSaturatesAtCoresOverHandshakeTime) {
  // Every request opens a TLS 1.3 connection with a full RSA-2048 handshake: 880 us of
  // an L7 core each (core/tls's measured table: OpenSSL's 460 + a server's socket work,
  // 420). Two cores finish at most 2 / 880e-6 = 2273 handshakes/s. Offered 10 000/s for
  // 2 s, the cores run flat out
  // from the start until the backlog drains, so handshakes / run time = that capacity.
  const std::string yaml = R"(name: tls-saturation
seed: 35
duration: 2s
topology:
  zones: [a]
  internet:   { latency: 1us, bandwidth: 100Gbps }
  intra_zone: { latency: 1us, bandwidth: 100Gbps }
clients:
  - { name: c, arrival: { rate: 10000/s }, source_ips: 1000000, tls: { version: "1.3" }, mix: [ { path: / } ] }
l4: { algorithm: round_robin }
l7:
  nodes_per_zone: 1
  cpu: { cores: 2, per_request: 0 }
  tls: { key: rsa-2048 }
  rules: [ { default: true, forward: app } ]
target_groups:
  app: { per_zone: 4, workers: 8, service_time: { dist: constant, value: 100us } }
)";
  const auto r = test::run_yaml(yaml, "tls.yaml");
  std::uint64_t handshakes = 0;
  double busy = 0;
  for (const auto& n : r.metrics.nodes)
    if (n.kind == topology::NodeKind::l7) {
      handshakes += n.tls_full;
      busy = n.busy_seconds;
    }
  EXPECT_EQ(handshakes, r.metrics.overall.sent);
  const double capacity = 2 / 880e-6;
  EXPECT_NEAR(static_cast<double>(handshakes) / r.sim_seconds, capacity, capacity * 0.03);
  EXPECT_GT(busy / (2 * r.sim_seconds), 0.97);  // both cores busy almost all the run
}

}  // namespace
}  // namespace lbsim
