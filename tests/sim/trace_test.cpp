// SPDX-License-Identifier: GPL-3.0-or-later
// The per-request trace: what each forwarding mode rewrites, field by field, and where a
// request's time went. One simulation per test (each in its own process).
#include <gtest/gtest.h>

#include <numeric>
#include <set>

#include "config/loader.hpp"
#include "models/simulation.hpp"

namespace lbsim {
namespace {

std::string l4_only(const std::string& forwarding) {
  return R"(name: t
seed: 4
duration: 1s
topology: { zones: [a, b] }
clients:
  - { name: web, arrival: { rate: 200/s }, source_ips: 50, keepalive: { requests_per_connection: 3 }, mix: [ { path: /x } ] }
l4: { algorithm: round_robin, forwarding: )" + forwarding + R"(, target_group: app }
target_groups:
  app: { per_zone: 2, service_time: { dist: constant, value: 2ms } }
)";
}

results::Trace trace_of(const std::string& yaml, std::uint64_t request) {
  models::RunOptions options;
  options.trace = {request};
  const auto result = models::run_scenario(config::load_scenario(yaml, "t.yaml"), options);
  EXPECT_EQ(result.traces.size(), 1u);
  return result.traces.empty() ? results::Trace{} : result.traces.front();
}

std::vector<const results::TraceHop*> hops_of(const results::Trace& t, const std::string& tier) {
  std::vector<const results::TraceHop*> found;
  for (const auto& h : t.hops)
    if (h.tier == tier) found.push_back(&h);
  return found;
}

constexpr std::uint32_t kVip = (203u << 24) | (113u << 8) | 50u;

TEST(Trace, DnatRewritesTheDestinationOnTheWayInAndTheSourceOnTheWayBack) {
  const results::Trace t = trace_of(l4_only("dnat"), 5);
  ASSERT_TRUE(t.complete);
  EXPECT_EQ(t.status, 200);
  const auto l4 = hops_of(t, "l4");
  ASSERT_FALSE(l4.empty());
  for (const results::TraceHop* h : l4) {
    EXPECT_EQ(h->layer, 4);
    const bool reply = h->in.src_ip != kVip && h->in.dst_ip != kVip;  // backend -> client
    // Routed both ways: a new frame (both MACs) and one address, the target's or the VIP.
    const l4::FieldChanges expected = reply ? l4::FieldChanges({l4::Field::src_mac, l4::Field::dst_mac, l4::Field::src_ip})
                                            : l4::FieldChanges({l4::Field::src_mac, l4::Field::dst_mac, l4::Field::dst_ip});
    EXPECT_EQ(h->rewrote, expected) << h->message;
    EXPECT_EQ(h->out.src_ip == kVip, reply) << h->message;
  }
  // Every reply came back through the L4 node: as many L4 hops in as out.
  std::size_t in = 0;
  for (const results::TraceHop* h : l4) in += h->in.dst_ip == kVip ? 1 : 0;
  EXPECT_EQ(2 * in, l4.size());
}

TEST(Trace, DsrRewritesOnlyTheMacsAndTheBackendAnswersFromTheVip) {
  const results::Trace t = trace_of(l4_only("dsr"), 5);
  ASSERT_TRUE(t.complete);
  const auto l4 = hops_of(t, "l4");
  ASSERT_FALSE(l4.empty());
  for (const results::TraceHop* h : l4) {
    EXPECT_EQ(h->rewrote, l4::FieldChanges({l4::Field::src_mac, l4::Field::dst_mac})) << h->message;
    EXPECT_EQ(h->out.dst_ip, kVip);  // L3 untouched: still addressed to the VIP
  }
  for (const results::TraceHop* h : l4) EXPECT_EQ(h->in.dst_mac, h->out.src_mac) << "the VIP's frames arrive at the L4 node's MAC";
  for (const results::TraceHop* h : hops_of(t, "backend")) {
    EXPECT_EQ(h->out.src_ip, kVip) << "a DSR backend answers from the VIP";
    EXPECT_TRUE(h->rewrote.empty());
    // Its answer's frame goes to the client's side, not back to the balancer it came from.
    EXPECT_NE(h->out.dst_mac, h->in.src_mac) << h->message;
    EXPECT_EQ(h->out.dst_mac, t.hops.front().out.src_mac) << h->message;
  }
  // Replies bypass the L4 tier: after a backend hop comes the client, never an L4 node.
  for (std::size_t i = 0; i + 1 < t.hops.size(); ++i)
    if (t.hops[i].tier == "backend") {
      EXPECT_EQ(t.hops[i + 1].tier, "client");
    }
}

TEST(Trace, AnL7NodeTerminatesTheConnectionAndReadsTheRequest) {
  const std::string yaml = R"(name: t
seed: 4
duration: 1s
topology: { zones: [a] }
clients:
  - { name: web, arrival: { rate: 200/s }, mix: [ { path: /api/x } ] }
l4: { algorithm: round_robin }
l7:
  nodes_per_zone: 1
  rules:
    - { priority: 1, if: { path: /static/* }, forward: static }
    - { default: true, forward: api }
target_groups:
  api: { per_zone: 1, service_time: { dist: constant, value: 2ms } }
  static: { per_zone: 1 }
)";
  const results::Trace t = trace_of(yaml, 1);  // the first request: it opens the connections
  ASSERT_TRUE(t.complete);
  bool routed = false;
  for (const auto& h : t.hops) {
    if (h.tier != "l7" || h.message != "request") continue;
    routed = true;
    EXPECT_EQ(h.layer, 7);
    EXPECT_NE(std::find(h.read.begin(), h.read.end(), "path"), h.read.end());
    EXPECT_TRUE(h.rewrote.empty()) << "a proxy does not rewrite: it opens a connection of its own";
    EXPECT_NE(h.out.src_ip, h.in.src_ip);  // the backend sees the L7 node, not the client
    const std::string rules = std::accumulate(h.notes.begin(), h.notes.end(), std::string(), [](std::string a, const text::Note& b) { return a + text::render(b) + "\n"; });
    EXPECT_NE(rules.find("rule priority 1: skipped, path /static/* does not match"), std::string::npos) << rules;
    EXPECT_NE(rules.find("matched"), std::string::npos) << rules;
  }
  EXPECT_TRUE(routed);
  // TLS is terminated at the L7 tier: a hop there spent TLS CPU.
  double tls = 0;
  for (const auto& h : hops_of(t, "l7")) tls += h->tls_s;
  EXPECT_GT(tls, 0.0);
  EXPECT_TRUE(hops_of(t, "backend").empty() || hops_of(t, "backend").front()->tls_s == 0.0);
}

TEST(Trace, TheHopsAccountForTheWholeLatency) {
  // Between hops: network; within a hop: queueing, TLS and work. Nothing else.
  const results::Trace t = trace_of(l4_only("dnat"), 1);
  ASSERT_TRUE(t.complete);
  double total = 0;
  for (std::size_t i = 0; i < t.hops.size(); ++i) {
    total += t.hops[i].left - t.hops[i].arrived;
    if (i > 0) total += t.hops[i].arrived - t.hops[i - 1].left;
    EXPECT_GE(t.hops[i].left, t.hops[i].arrived);
    EXPECT_NEAR(t.hops[i].left - t.hops[i].started, t.hops[i].tls_s + t.hops[i].processing_s, 1e-9) << t.hops[i].node;
  }
  EXPECT_NEAR(total, t.answered_at - t.sent_at, 1e-9);
  EXPECT_EQ(t.hops.front().tier, "client");
  EXPECT_EQ(t.hops.back().tier, "client");
}

TEST(Trace, EveryPacketOfAOneRequestConnectionGoesToOneTarget) {
  // Round robin at L4 picks per new flow; the SYN, the TLS flights and the request of a
  // connection are one flow, even when the request is the connection's last.
  const results::Trace t = trace_of(R"(name: t
seed: 4
duration: 1s
topology: { zones: [a] }
clients:
  - { name: web, arrival: { rate: 200/s }, source_ips: 50, tls: { version: "1.2" }, keepalive: { requests_per_connection: 1 }, mix: [ { path: /x } ] }
l4: { algorithm: round_robin, target_group: app }
target_groups:
  app: { per_zone: 4, tls: { key: ecdsa-p256 }, service_time: { dist: constant, value: 2ms } }
)", 7);
  ASSERT_TRUE(t.complete);
  std::set<std::uint32_t> targets;
  std::size_t forwards = 0;
  for (const results::TraceHop* h : hops_of(t, "l4"))
    if (h->in.dst_ip == kVip) {
      targets.insert(h->out.dst_ip);
      ++forwards;
    }
  EXPECT_EQ(forwards, 4u);  // SYN, ClientHello, TLS 1.2's Finished, the request
  EXPECT_EQ(targets.size(), 1u);
}

}  // namespace
}  // namespace lbsim
