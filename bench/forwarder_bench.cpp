// SPDX-License-Identifier: GPL-3.0-or-later
// The testbed's L4 forwarder's decision per packet, without sockets: parse the frame, ask
// core's connection table (and the picker for a SYN), rewrite with core's DNAT and
// incremental checksums. Prints packets per second on one core: the ceiling the
// AF_PACKET path cannot exceed (the sockets' own cost comes on top).
#include <benchmark/benchmark.h>

#include <vector>

#include "config/loader.hpp"
#include "testbed/frame.hpp"
#include "testbed/l4_forwarder.hpp"
#include "testbed/plan.hpp"

namespace {

using namespace lbsim;

config::ScenarioSpec scenario(const std::string& algorithm) {
  return config::load_scenario(R"(
name: bench
topology: { zones: [a] }
clients: [{ name: web, arrival: { kind: poisson, rate: 10/s }, tls: none, mix: [{ weight: 1, path: / }] }]
l4: { forwarding: dnat, algorithm: )" + algorithm + R"(, target_group: app }
target_groups: { app: { per_zone: 16 } }
)",
                               "bench.yaml");
}

std::vector<std::uint8_t> segment(std::uint32_t src, std::uint16_t port, std::uint32_t vip, const l4::MacAddress& to, std::uint8_t flags) {
  std::vector<std::uint8_t> f(14 + 40 + 100, 0);
  std::copy(to.begin(), to.end(), f.begin());
  f[12] = 0x08;
  f[14] = 0x45;
  f[17] = 140;
  f[22] = 64;
  f[23] = 6;
  for (int i = 0; i < 4; ++i) {
    f[26 + i] = static_cast<std::uint8_t>(src >> (24 - 8 * i));
    f[30 + i] = static_cast<std::uint8_t>(vip >> (24 - 8 * i));
  }
  f[34] = static_cast<std::uint8_t>(port >> 8);
  f[35] = static_cast<std::uint8_t>(port);
  f[36] = 0x01;
  f[37] = 0xbb;
  f[46] = 5 << 4;
  f[47] = flags;
  return f;
}

// Established flows: 10 000 of them, each packet looked up and rewritten.
void BM_ForwardEstablished(benchmark::State& state, const char* algorithm) {
  const auto spec = scenario(algorithm);
  const topology::Topology topology(spec);
  const testbed::TestbedPlan plan = testbed::plan_testbed(spec, topology);
  const auto& self = plan.nodes[plan.l4_nodes[0]];
  testbed::L4Forwarder forwarder(spec, topology, plan, self);
  constexpr int kFlows = 10000;
  std::vector<std::vector<std::uint8_t>> packets;
  for (int i = 0; i < kFlows; ++i) {
    auto syn = segment(0xc6120000u + static_cast<std::uint32_t>(i), 40000, self.vip, self.mac, testbed::kTcpSyn);
    forwarder.handle(syn, 0.0);
    packets.push_back(segment(0xc6120000u + static_cast<std::uint32_t>(i), 40000, self.vip, self.mac, testbed::kTcpAck));
  }
  std::vector<std::uint8_t> frame;
  std::size_t i = 0;
  for (auto _ : state) {
    frame = packets[i++ % kFlows];  // a fresh copy: the rewrite works in place
    benchmark::DoNotOptimize(forwarder.handle(frame, 1.0));
  }
  state.counters["packets/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK_CAPTURE(BM_ForwardEstablished, flow_hash, "flow_hash");
BENCHMARK_CAPTURE(BM_ForwardEstablished, maglev, "maglev");
BENCHMARK_CAPTURE(BM_ForwardEstablished, least_connections, "least_connections");

// New connections: every packet a SYN the picker places.
void BM_ForwardNewFlows(benchmark::State& state, const char* algorithm) {
  const auto spec = scenario(algorithm);
  const topology::Topology topology(spec);
  const testbed::TestbedPlan plan = testbed::plan_testbed(spec, topology);
  const auto& self = plan.nodes[plan.l4_nodes[0]];
  testbed::L4Forwarder forwarder(spec, topology, plan, self);
  std::uint32_t n = 0;
  std::vector<std::uint8_t> frame;
  for (auto _ : state) {
    frame = segment(0xc6120000u + (n & 0x1ffff), static_cast<std::uint16_t>(1024 + (n >> 17)), self.vip, self.mac, testbed::kTcpSyn);
    ++n;
    benchmark::DoNotOptimize(forwarder.handle(frame, 1.0));
  }
  state.counters["packets/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK_CAPTURE(BM_ForwardNewFlows, flow_hash, "flow_hash");
BENCHMARK_CAPTURE(BM_ForwardNewFlows, maglev, "maglev");

}  // namespace

BENCHMARK_MAIN();
