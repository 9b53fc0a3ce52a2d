// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/world.hpp"

#include "engine/runtime.hpp"
#include "models/backend.hpp"
#include "models/client.hpp"
#include "models/l7_node.hpp"
#include "models/l4_node.hpp"

namespace lbsim::models {

World::World(const config::ScenarioSpec& spec_, const topology::Topology& topology_, const engine::Platform& platform_)
    : spec(spec_),
      topology(topology_),
      platform(platform_),
      zone_shifted(spec_.topology.zones.size(), false),
      faults(spec_.faults) {
  metrics.by_zone.resize(spec.topology.zones.size());
  metrics.by_group.resize(spec.target_groups.size());
}

void World::drop(Request* request) {
  if (request->is_probe) {
    requests.release(request);  // its prober counts it as unanswered
    return;
  }
  // A backend that counted it in its queue stops counting it.
  if (request->admitted_to != kNone) backends[request->admitted_to]->leave(request);
  const bool someone_waits = request->client_state == Request::ClientState::pending && !request->orphaned;
  // Once every client has finished, what was still out was reported unanswered: a message
  // swallowed later (SimGrid finishes the transfers still going) is not counted again, nor
  // may it grow the timeline to its date (a 1 TB response lost at t = 237 310 s took 9 GB).
  if (someone_waits && !request->dropped && !run_over()) metrics.record_lost(engine::Runtime::now());
  if (!someone_waits) {
    requests.release(request);
    return;
  }
  request->dropped = true;
}

bool World::qualifies_for_dns(std::uint32_t n) const { return !zone_shifted[l4_nodes[n]->zone()] && l4_nodes[n]->announced(); }

std::vector<std::uint32_t> World::dns_answer() const {
  std::vector<std::uint32_t> answer;
  for (std::uint32_t n = 0; n < l4_nodes.size(); ++n)
    if (qualifies_for_dns(n)) answer.push_back(n);
  if (answer.empty())
    for (std::uint32_t n = 0; n < l4_nodes.size(); ++n) answer.push_back(n);
  return answer;
}

void World::note_dns_changes() {
  announced_.resize(l4_nodes.size(), true);
  std::vector<bool> now_announced(l4_nodes.size(), false);
  for (const std::uint32_t n : dns_answer()) now_announced[n] = true;
  bool fails_open = true;  // dns_answer's rule: every node, when none qualifies
  for (std::uint32_t n = 0; n < l4_nodes.size(); ++n) fails_open = fails_open && !qualifies_for_dns(n);
  const double now = engine::Runtime::now();
  for (std::size_t n = 0; n < l4_nodes.size(); ++n) {
    if (now_announced[n] == announced_[n]) continue;
    announced_[n] = now_announced[n];
    const L4Node& node = *l4_nodes[n];
    std::string reason = "it qualifies again: alive, with a healthy target";
    if (fails_open) reason = "no node qualifies: DNS answers with every node (fails open)";
    else if (!now_announced[n])
      reason = node.dark() ? "the node is down" : zone_shifted[node.zone()] ? "its zone is shifted away" : "none of its targets is healthy";
    metrics.dns_events.push_back({now, node.name(), now_announced[n], std::move(reason)});
  }
}

}  // namespace lbsim::models
