// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/platform.hpp"

#include <algorithm>

#include "engine/transport.hpp"

namespace sg4 = simgrid::s4u;

namespace lbsim::engine {
namespace {

// Links carry zero latency in SimGrid; the transport adds propagation itself
// (engine/transport.hpp says why).
void register_latency(const sg4::SplitDuplexLink* link, double latency_s) {
  Transport::set_link_latency(link->get_link_up(), latency_s);
  Transport::set_link_latency(link->get_link_down(), latency_s);
}

struct ZoneParts {
  sg4::NetZone* zone = nullptr;
  simgrid::kernel::routing::NetPoint* gateway = nullptr;
};

ZoneParts create_star_zone(sg4::NetZone* parent, const std::string& name) {
  ZoneParts parts;
  parts.zone = sg4::create_star_zone(name);
  parts.zone->set_parent(parent);
  parts.gateway = parts.zone->create_router(name + "-gw");
  // The gateway is the zone's switch itself: no link between it and the star's centre.
  parts.zone->add_route(parts.gateway, nullptr, nullptr, nullptr, {}, true);
  return parts;
}

// A host with its own full-duplex NIC: what it sends and what it receives are
// separate links, so byte counts and saturation show per direction.
sg4::Host* create_host_with_nic(const ZoneParts& parts, const std::string& name, int cores, const config::LinkSpec& nic) {
  sg4::Host* host = parts.zone->create_host(name, kFlopsPerCoreSecond)->set_core_count(cores)->seal();
  sg4::SplitDuplexLink* link = parts.zone->create_split_duplex_link(name + "-nic", nic.bandwidth_Bps);
  link->seal();
  register_latency(link, nic.latency_s);
  parts.zone->add_route(host->get_netpoint(), nullptr, nullptr, nullptr,
                        {{link, sg4::LinkInRoute::Direction::UP}}, true);
  return host;
}

// The internet side of a client population: its addresses are many hosts, each with its
// own access link, so flows do not share one bottleneck. A FATPIPE link gives every flow
// the full bandwidth on its own, and keeps the solver from coupling unrelated flows.
sg4::Host* create_client_host(const ZoneParts& parts, const std::string& name, const config::LinkSpec& access) {
  sg4::Host* host = parts.zone->create_host(name, kFlopsPerCoreSecond)->seal();
  sg4::Link* link = parts.zone->create_link(name + "-access", access.bandwidth_Bps)
                        ->set_sharing_policy(sg4::Link::SharingPolicy::FATPIPE)
                        ->seal();
  Transport::set_link_latency(link, access.latency_s);
  parts.zone->add_route(host->get_netpoint(), nullptr, nullptr, nullptr, {sg4::LinkInRoute(link)}, true);
  return host;
}

}  // namespace

Platform build_platform(const topology::Topology& topology, const config::ScenarioSpec& spec) {
  const auto& links = spec.topology;
  sg4::NetZone* world = sg4::create_full_zone("world");

  ZoneParts internet = create_star_zone(world, "internet");
  std::vector<ZoneParts> zones;
  for (const auto& zone : links.zones) zones.push_back(create_star_zone(world, "az-" + zone));

  Platform platform;
  const auto& graph = topology.graph();
  platform.host_of.resize(boost::num_vertices(graph), nullptr);
  // A node's NIC carries half the intra-zone latency, so two NICs make one intra-zone hop.
  const config::LinkSpec zone_nic{links.intra_zone.latency_s / 2, links.intra_zone.bandwidth_Bps};
  for (auto v : boost::make_iterator_range(boost::vertices(graph))) {
    const topology::Node& node = graph[v];
    int cores = 1;
    if (node.kind == topology::NodeKind::l7 && spec.l7) cores = static_cast<int>(spec.l7->cores);
    if (node.kind == topology::NodeKind::client) {
      platform.host_of[v] = create_client_host(internet, node.name, links.internet);
    } else {
      platform.host_of[v] = create_host_with_nic(zones[node.zone_index], node.name, cores, zone_nic);
    }
  }
  internet.zone->seal();
  for (auto& z : zones) z.zone->seal();

  for (std::size_t z = 0; z < zones.size(); ++z) {
    // Each zone's internet edge: the provider's side, wide enough for everyone (a
    // FATPIPE); the bottlenecks worth modelling are the nodes' own NICs. Its latency
    // already sits on the clients' access links.
    sg4::Link* edge = world->create_link("edge-" + links.zones[z], links.internet.bandwidth_Bps)
                          ->set_latency(0)
                          ->set_sharing_policy(sg4::Link::SharingPolicy::FATPIPE)
                          ->seal();
    world->add_route(internet.zone->get_netpoint(), zones[z].zone->get_netpoint(), internet.gateway, zones[z].gateway,
                     {sg4::LinkInRoute(edge)}, true);
    platform.named_links["edge-" + links.zones[z]] = {edge};
  }
  // Inter-zone: NIC + inter-zone link + NIC adds up to the configured inter-zone latency.
  const double inter_extra = std::max(0.0, links.inter_zone.latency_s - links.intra_zone.latency_s);
  for (std::size_t a = 0; a < zones.size(); ++a) {
    for (std::size_t b = a + 1; b < zones.size(); ++b) {
      const std::string name = "inter-" + links.zones[a] + "-" + links.zones[b];
      sg4::SplitDuplexLink* link = world->create_split_duplex_link(name, links.inter_zone.bandwidth_Bps);
      link->seal();
      register_latency(link, inter_extra);
      Transport::mark_cross_zone(link->get_link_up());
      Transport::mark_cross_zone(link->get_link_down());
      platform.named_links[name] = {link->get_link_up(), link->get_link_down()};
      world->add_route(zones[a].zone->get_netpoint(), zones[b].zone->get_netpoint(), zones[a].gateway, zones[b].gateway,
                       {{link, sg4::LinkInRoute::Direction::UP}}, true);
    }
  }
  world->seal();
  return platform;
}

}  // namespace lbsim::engine
