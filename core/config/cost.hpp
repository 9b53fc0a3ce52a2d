// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// What a run of a scenario will cost, estimated from the scenario alone before anything
// runs, so that a run too big for the machine is refused with the estimate instead of
// dying midway ("Failed to allocate stack" after 45 s, bad_alloc after 3 GB) or running
// for days. The figures are rough — within a factor of about two for memory and a few
// for time on this project's machine kind (docs/SCENARIOS.md, "Limits") — and err high.
//
// What the simulator holds grows with:
//  - the platform: SimGrid's routing table between the zones grows with their square;
//  - health checking: every balancer node keeps a checker, an upstream state and one probe
//    in flight per target it may forward to, so two-tier layouts with cross-zone on grow
//    with L7 nodes x backends — 300 zones of the shipped shape is 1.4 M such pairs;
//  - requests in flight: Little's law below capacity; above it, the queues' limits; and
//    when the bytes offered exceed the narrowest tier's NICs, transfers pile up for as
//    long as the traffic lasts.
// Its time grows with kernel events (about 4.5 per request in an L4-only layout, 6.5 in
// a two-tier one) and, once transfers share a saturated link, with the square of how many
// do: SimGrid's max-min solver revisits each of them at every event.
#include <cstdint>
#include <string>

#include "config/spec.hpp"

namespace lbsim::config {

struct RunCost {
  std::uint64_t zones = 0;
  std::uint64_t nodes = 0;           // hosts: client populations, L4 and L7 nodes, backends
  std::uint64_t actors = 0;          // SimGrid actors, each with its own stack
  std::uint64_t checked_pairs = 0;   // (balancer node, target) pairs health-checked
  double requests = 0;               // expected over the run, surges included
  double peak_in_flight = 0;         // requests held at once, at the worst moment
  double saturated_flows = 0;        // transfers sharing a saturated link, on average (0: none)
  double events = 0;                 // simulation kernel events
  double memory_bytes = 0;           // peak resident memory of the run
  double wall_seconds = 0;           // on this project's machine kind

  // "~1.9 GB, ~40 min (1.4 M health-checked pairs)": the figures and what dominates them.
  std::string describe() const;
};

RunCost estimate_cost(const ScenarioSpec& spec);

// What a run may cost before it is refused; the CLI's --max-memory and --max-run-time.
struct CostLimits {
  double memory_bytes = 2e9;           // 2 GB
  double wall_seconds = 6 * 3600.0;    // 6 h
  std::uint64_t actors = 30'000;       // each stack is two memory maps; Linux allows 65 530
};

// Why a run of this cost is refused under these limits (one line, naming the option that
// raises the limit), or empty when it is within them.
std::string over_limits(const RunCost& cost, const CostLimits& limits);

}  // namespace lbsim::config
