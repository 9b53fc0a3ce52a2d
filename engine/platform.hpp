// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Builds the SimGrid platform from the topology graph: one NetZone per availability
// zone (a star: every host hangs off the zone's switch through its own full-duplex
// NIC link), one for the internet where clients live, and a full zone above them
// whose routes carry the inter-zone links.
#include <simgrid/s4u.hpp>
#include <map>
#include <string>
#include <vector>

#include "config/spec.hpp"
#include "topology/topology.hpp"

namespace lbsim::engine {

// One simulated core does 1e9 flops per second, so a CPU cost of t seconds is t*1e9 flops.
inline constexpr double kFlopsPerCoreSecond = 1e9;

struct Platform {
  std::vector<simgrid::s4u::Host*> host_of;  // indexed by topology vertex
  // The links faults can name: "inter-a-b" (both directions, zones in topology order)
  // and "edge-a" (a zone's internet edge).
  std::map<std::string, std::vector<simgrid::s4u::Link*>> named_links;
};

// Call once, after the engine is created and before it runs.
Platform build_platform(const topology::Topology& topology, const config::ScenarioSpec& spec);

}  // namespace lbsim::engine
