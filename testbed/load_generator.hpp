// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The scenario's clients, for real: one population per namespace, sending real HTTP/1.1
// requests over real TCP to the L4 nodes' addresses, from the population's source
// addresses (its whole block is local to its namespace, so any of them can be bound).
// Arrivals, source addresses, request mix and sizes are drawn from the same random
// stream, in the same order, as the simulator's client: the same seed sends the same
// traffic. Each browser (source address) keeps its connection alive for the population's
// `requests_per_connection`; a request that finds it busy opens another, as a browser's
// connection pool does (the simulator's browser shares one). A new connection takes one of
// the L4 nodes DNS announces, the answer cached for the record's TTL. Every answer is
// recorded into core's counters and histograms, so the run's results are the
// simulator's types.
#include <atomic>
#include <cstdint>
#include <vector>

#include "config/spec.hpp"
#include "results/metrics.hpp"
#include "testbed/dns_view.hpp"
#include "testbed/plan.hpp"

namespace lbsim::testbed {

struct ClientReport {
  results::RunMetrics metrics;   // overall, by zone and group, the timeline
  results::NodeStats stats;      // the population's own node figures
  std::vector<std::uint64_t> requests_via_l4;  // requests sent through each L4 node (plan.l4_nodes order)
  std::uint64_t outstanding_at_end = 0;
  double last_answer_s = 0;
};

// Runs one population on the calling thread (already inside its namespace) from the
// run's time zero (`start_monotonic_s`) until it has sent its traffic and had every answer,
// or the drain time is over. Bounded: it sends nothing after the scenario's duration.
// DNS answers from `dns`, which the supervisor keeps current. When `interrupted` turns
// true (Ctrl-C), it stops within 20 ms; what is still out counts as unanswered.
ClientReport run_load(const config::ScenarioSpec& spec, const TestbedPlan& plan, const PlannedNode& self, double start_monotonic_s,
                      const DnsView& dns, const std::atomic<bool>& interrupted);

}  // namespace lbsim::testbed
