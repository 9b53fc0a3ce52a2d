// SPDX-License-Identifier: GPL-3.0-or-later
// A shipped scenario with --set PATH=VALUE overrides from the input (one per line, the
// first '=' splitting path from value), as `lbsim run --set` and sweeps apply them.
#include <sstream>
#include <vector>

#include "config/variants.hpp"
#include "fuzz/fuzz_support.hpp"

namespace {

// A small two-tier scenario with every section an override may reach.
const char* const kScenario = R"(name: base
duration: 2s
topology: { zones: [a, b], inter_zone: { latency: 1ms, bandwidth: 10Gbps } }
clients:
  - { name: web, arrival: { rate: 100/s }, retries: { max: 2 }, mix: [ { path: /api/x, response: 2KB }, { path: /s, weight: 2 } ] }
l4: { nodes_per_zone: 1, forwarding: dnat }
l7:
  nodes_per_zone: 1
  rules:
    - { priority: 1, if: { path: /api/* }, forward: api, rewrite: { path: { regex: "^/api/(.*)$", replacement: "/$1" } } }
    - { default: true, forward: api }
target_groups:
  api: { per_zone: 2, workers: 4, service_time: { dist: lognormal, median: 5ms, p99: 50ms } }
faults:
  - { at: 1s, kind: backend_crash, targets: api-a-0, for: 500ms }
variants:
  - { name: big, set: { l7.nodes_per_zone: 3 } }
)";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<lbsim::config::SetOverride> overrides;
  std::istringstream lines(lbsim::fuzz::text_of(data, size));
  for (std::string line; std::getline(lines, line) && overrides.size() < 8;) {
    const auto equals = line.find('=');
    if (equals == std::string::npos) continue;
    overrides.push_back({line.substr(0, equals), line.substr(equals + 1)});
  }
  const bool with_variant = size > 0 && (data[0] & 1) != 0;
  try {
    lbsim::config::load_scenario_with_overrides(kScenario, "base.yaml", with_variant ? std::optional<std::string>("big") : std::nullopt,
                                                overrides, lbsim::fuzz::no_files);
  } catch (const lbsim::config::ConfigError&) {
  }
  return 0;
}
