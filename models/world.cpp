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
  if (someone_waits && !request->dropped) metrics.record_lost(engine::Runtime::now());
  if (!someone_waits) {
    requests.release(request);
    return;
  }
  request->dropped = true;
}

std::vector<std::uint32_t> World::dns_answer() const {
  std::vector<std::uint32_t> answer;
  for (std::uint32_t n = 0; n < l4_nodes.size(); ++n)
    if (!zone_shifted[l4_nodes[n]->zone()] && l4_nodes[n]->announced()) answer.push_back(n);
  if (answer.empty())
    for (std::uint32_t n = 0; n < l4_nodes.size(); ++n) answer.push_back(n);
  return answer;
}

}  // namespace lbsim::models
