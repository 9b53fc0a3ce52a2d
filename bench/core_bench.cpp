// SPDX-License-Identifier: GPL-3.0-or-later
// Micro-benchmarks of the per-request decisions (core/). Prints figures; asserts none.
#include <benchmark/benchmark.h>

#include "l4/flow.hpp"
#include "balancing/maglev.hpp"
#include "balancing/registry.hpp"
#include "l7/rules.hpp"
#include "metrics/histogram.hpp"

namespace {

using namespace lbsim;

std::vector<balancing::Target> targets(std::size_t n) {
  std::vector<balancing::Target> out;
  for (std::size_t i = 0; i < n; ++i) out.push_back({"backend-" + std::to_string(i), 1.0});
  return out;
}

void BM_Pick(benchmark::State& state, const char* algorithm) {
  const auto n = static_cast<std::size_t>(state.range(0));
  auto picker = balancing::make_picker(algorithm, targets(n));
  // A fixed, uneven load: the pick alone is timed (the upkeep is BM_LoadTrackerUpdate).
  balancing::LoadTracker load(n);
  Random random(1);
  for (std::size_t i = 0; i < n; ++i)
    for (std::uint64_t k = random.below(8); k > 0; --k) load.start(i);
  std::uint64_t h = 0x9E3779B97F4A7C15ULL;
  for (auto _ : state) {
    h = h * 6364136223846793005ULL + 1442695040888963407ULL;  // a new flow each time
    benchmark::DoNotOptimize(picker->pick({h, h >> 7, &load, &random}));
  }
}
BENCHMARK_CAPTURE(BM_Pick, round_robin, "round_robin")->Arg(1000);
BENCHMARK_CAPTURE(BM_Pick, random, "random")->Arg(1000);
BENCHMARK_CAPTURE(BM_Pick, source_ip_hash, "source_ip_hash")->Arg(1000);
BENCHMARK_CAPTURE(BM_Pick, maglev_lookup, "maglev")->Arg(1000);
BENCHMARK_CAPTURE(BM_Pick, smooth_weighted_round_robin, "smooth_weighted_round_robin")->Arg(1000);
BENCHMARK_CAPTURE(BM_Pick, least_request_p2c, "least_request")->Arg(1000);
BENCHMARK_CAPTURE(BM_Pick, least_connections, "least_connections")->Arg(1000);
BENCHMARK_CAPTURE(BM_Pick, ring_hash_lookup, "ring_hash")->Arg(1000);

// What a load-aware balancer pays per request besides the pick: one start, one finish.
void BM_LoadTrackerUpdate(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  balancing::LoadTracker load(n);
  std::uint64_t h = 1;
  for (auto _ : state) {
    h = h * 6364136223846793005ULL + 1442695040888963407ULL;
    load.start((h >> 20) % n);
    load.finish((h >> 40) % n);
  }
  benchmark::DoNotOptimize(load.least_loaded());
}
BENCHMARK(BM_LoadTrackerUpdate)->Arg(1000);

void BM_FlowHash(benchmark::State& state) {
  l4::FlowKey flow{0xC6120001u, 0xCB007132u, 40000, 443, l4::Protocol::tcp};
  for (auto _ : state) {
    ++flow.src_port;
    benchmark::DoNotOptimize(l4::hash_flow(flow));
  }
}
BENCHMARK(BM_FlowHash);

void BM_MaglevBuild(benchmark::State& state) {
  const auto t = targets(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    balancing::MaglevTable table(t);
    benchmark::DoNotOptimize(table.slots().data());
  }
}
BENCHMARK(BM_MaglevBuild)->Arg(1000)->Unit(benchmark::kMillisecond);

void BM_MatchRules(benchmark::State& state) {
  // 100 rules; the request matches only the default, so every rule is tried.
  std::vector<l7::Rule> rules;
  for (std::uint32_t i = 1; i <= 100; ++i) {
    l7::Rule r;
    r.label = "priority " + std::to_string(i);
    r.priority = i;
    r.when.path = l7::PathMatch{l7::PathMatch::Kind::glob, "/service-" + std::to_string(i) + "/*"};
    r.when.headers = {{"x-tenant", "t" + std::to_string(i)}};
    r.forward = {{0, 1}};
    rules.push_back(r);
  }
  l7::Rule fallback;
  fallback.label = "default";
  fallback.is_default = true;
  fallback.forward = {{0, 1}};
  rules.push_back(fallback);
  const l7::RuleTable table(rules);
  const l7::Field headers[] = {{"user-agent", "bench"}, {"x-tenant", "other"}};
  l7::RequestView req;
  req.path = "/service-x/users/42";
  req.headers = headers;
  Random random(1);
  for (auto _ : state) benchmark::DoNotOptimize(table.route(req, random).rule);
}
BENCHMARK(BM_MatchRules);

void BM_HistogramRecord(benchmark::State& state) {
  metrics::Histogram h;
  std::uint64_t v = 12345;
  for (auto _ : state) {
    v = v * 6364136223846793005ULL + 1442695040888963407ULL;
    h.record((v >> 40) + 1000);
  }
  benchmark::DoNotOptimize(h.count());
}
BENCHMARK(BM_HistogramRecord);

}  // namespace

BENCHMARK_MAIN();
