// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Runs written by hand: timelines with known latencies, failures and health events, so
// the reports' arithmetic can be checked against figures worked out on paper.
#include <cstdint>
#include <string>

#include "config/loader.hpp"
#include "results/metrics.hpp"

namespace lbsim::reports::testing {

inline constexpr std::uint64_t kMs = 1'000'000;  // nanoseconds

// Three zones a, b, c; one L4 and one L7 node per zone; api: two backends per zone
// (api-a-0 ... api-c-1). `extra` is appended at the top level (faults:, slo:).
inline config::ScenarioSpec scenario(const std::string& extra, const std::string& duration = "60s") {
  const std::string text = "name: r\nduration: " + duration +
                           "\ntopology:\n  zones: [a, b, c]\n"
                           "clients:\n  - { name: web, arrival: { rate: 100/s }, mix: [ { path: / } ] }\n"
                           "l4: {}\n"
                           "l7: { nodes_per_zone: 1, rules: [ { default: true, forward: api } ] }\n"
                           "target_groups:\n  api: { per_zone: 2 }\n" +
                           extra;
  return config::load_scenario(text, "r.yaml");
}

// `count` answers in the interval [second, second + 1), each taking `latency_ns`, as the
// client records them: the timeline and the run-wide counters.
inline void answer(results::RunResult& run, std::size_t second, std::uint64_t count, std::uint64_t latency_ns,
                   std::uint16_t status = 200) {
  auto& m = run.metrics;
  for (std::uint64_t i = 0; i < count; ++i) {
    m.overall.record_answer(status, latency_ns);
    m.timeline.record(static_cast<double>(second) + 0.5, latency_ns, !results::is_success(status), status);
  }
}

inline void lose(results::RunResult& run, std::size_t second, std::uint64_t count) {
  for (std::uint64_t i = 0; i < count; ++i) run.metrics.record_lost(static_cast<double>(second) + 0.5);
}

inline void cross_zone(results::RunResult& run, std::size_t second, double bytes) {
  if (run.cross_zone_bytes.size() <= second) run.cross_zone_bytes.resize(second + 1);
  run.cross_zone_bytes[second] = bytes;
}

inline void health_event(results::RunResult& run, double time, const std::string& target, bool healthy = false) {
  run.metrics.health_events.push_back({time, "checker", target, healthy, "planted", 0.0});
}

}  // namespace lbsim::reports::testing
