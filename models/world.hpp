// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Everything the entities of one simulation share.
#include <memory>
#include <unordered_map>
#include <vector>

#include "config/spec.hpp"
#include "results/metrics.hpp"
#include "engine/platform.hpp"
#include "l7/rules.hpp"
#include "models/request.hpp"
#include "topology/topology.hpp"

namespace lbsim::models {

class ClientPopulation;
class L4Node;
class L7Node;
class Backend;

struct World {
  World(const config::ScenarioSpec& spec, const topology::Topology& topology, const engine::Platform& platform);

  const config::ScenarioSpec& spec;
  const topology::Topology& topology;
  const engine::Platform& platform;
  results::RunMetrics metrics;
  RequestPool requests;
  std::unique_ptr<l7::RuleTable> rules;  // the listener rules every L7 node shares

  std::vector<std::unique_ptr<ClientPopulation>> clients;
  std::vector<std::unique_ptr<L4Node>> l4_nodes;
  std::vector<std::unique_ptr<L7Node>> l7_nodes;
  std::vector<std::unique_ptr<Backend>> backends;  // in topology.all_backends() order
  std::vector<Backend*> backend_of_vertex;         // indexed by topology vertex
  std::vector<L7Node*> l7_node_of_vertex;          // indexed by topology vertex
  std::vector<bool> zone_shifted;                  // zonal shifts in force, by zone index
  // The faults of this run: the scenario's timeline, then any injected live.
  // results::FaultEvent::fault indexes this list.
  std::vector<config::FaultSpec> faults;
  // Clients that have sent everything and heard back (or given up): the run is over when
  // all have, even if timers are still pending (a live tick, a drain deadline).
  std::size_t clients_done = 0;
  double last_client_done_at = 0;
  bool run_over() const { return clients_done == clients.size(); }

  // Requests to trace: numbers (1 = the first) of the first client population's requests.
  std::vector<std::uint64_t> trace_requests;
  std::vector<std::unique_ptr<results::Trace>> traces;
  bool stop_after_traces = false;
  // Live samples (LiveHooks::sample_every_s): each lives until its request has its outcome.
  double sample_every_s = 0;
  double next_sample_at = 0;
  std::function<void(const results::Trace&)> on_sample;
  std::unordered_map<const results::Trace*, std::unique_ptr<results::Trace>> samples_in_flight;
  // Whether clients may stop sending: every traced request has its outcome.
  bool traces_done() const {
    if (!stop_after_traces || traces.size() < trace_requests.size()) return false;
    for (const auto& t : traces)
      if (!t->complete) return false;
    return true;
  }

  // A dead node or a cut link swallowed `request` (see Request::dropped).
  void drop(Request* request);
  // The L4 nodes DNS announces now: alive, outside any shifted zone, with a healthy
  // target to send to. When none qualifies, all of them (Route 53 fails open).
  std::vector<std::uint32_t> dns_answer() const;
  // Alive, outside any shifted zone, with a healthy target.
  bool qualifies_for_dns(std::uint32_t l4_node) const;
  // Records a DnsEvent for each L4 node whose place in dns_answer() changed since the
  // last call. Called after whatever may change it: an L4 node's health verdicts (active
  // or passive) and faults; L4 nodes are few, so this costs little and runs rarely.
  void note_dns_changes();

private:
  std::vector<bool> announced_;  // by L4 node, as last recorded (all at the start)
};

}  // namespace lbsim::models
