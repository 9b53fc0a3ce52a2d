// SPDX-License-Identifier: GPL-3.0-or-later
#include "topology/topology.hpp"

#include <algorithm>

#include "l7/rules.hpp"


namespace lbsim::topology {

std::string_view to_string(NodeKind kind) {
  switch (kind) {
    case NodeKind::client: return "client";
    case NodeKind::l4: return "l4";
    case NodeKind::l7: return "l7";
    case NodeKind::backend: return "backend";
  }
  return "?";
}

std::string_view to_string(LinkClass link) {
  switch (link) {
    case LinkClass::internet: return "internet";
    case LinkClass::intra_zone: return "intra_zone";
    case LinkClass::inter_zone: return "inter_zone";
  }
  return "?";
}

std::uint32_t weight_of(const config::TargetGroupSpec& group, std::string_view backend_name) {
  std::uint32_t weight = 1;
  for (const auto& entry : group.weights)  // later entries override earlier ones
    if (l7::glob_match(entry.glob, backend_name)) weight = entry.weight;
  return weight;
}

Topology::Topology(const config::ScenarioSpec& spec) : zone_count_(spec.topology.zones.size()) {
  const auto& zones = spec.topology.zones;
  for (std::uint32_t c = 0; c < spec.clients.size(); ++c) {
    clients_.push_back(add({NodeKind::client, "client-" + spec.clients[c].name, "", 0, c, c}));
  }
  for (std::uint32_t z = 0; z < zones.size(); ++z) {
    for (std::uint32_t i = 0; i < spec.l4.nodes_per_zone; ++i)
      l4_.push_back(add({NodeKind::l4, "l4-" + zones[z] + "-" + std::to_string(i), zones[z], z, 0, i}));
  }
  if (spec.l7) {
    for (std::uint32_t z = 0; z < zones.size(); ++z) {
      for (std::uint32_t i = 0; i < spec.l7->nodes_per_zone; ++i)
        l7_.push_back(add({NodeKind::l7, "l7-" + zones[z] + "-" + std::to_string(i), zones[z], z, 0, i}));
    }
  }
  backends_.resize(spec.target_groups.size() * zone_count_);
  for (std::uint32_t g = 0; g < spec.target_groups.size(); ++g) {
    const auto& group = spec.target_groups[g];
    for (std::uint32_t z = 0; z < zones.size(); ++z) {
      for (std::uint32_t i = 0; i < group.per_zone; ++i) {
        std::string name = group.name + "-" + zones[z] + "-" + std::to_string(i);
        const std::uint32_t weight = weight_of(group, name);
        backends_[g * zone_count_ + z].push_back(add({NodeKind::backend, std::move(name), zones[z], z, g, i, weight}));
      }
    }
  }

  const auto& links = spec.topology;
  for (Vertex c : clients_)
    for (Vertex l4 : l4_) connect(c, l4, links);

  // Which nodes a tier may pick: its own zone, or every zone when cross-zone is on.
  auto reachable = [&](Vertex from, bool cross_zone, Vertex to) {
    return cross_zone || graph_[from].zone_index == graph_[to].zone_index;
  };
  const std::vector<Vertex> l4_targets = spec.l7 ? l7_ : (spec.l4.target_group ? group_members(*spec.l4.target_group) : std::vector<Vertex>{});
  for (Vertex l4 : l4_)
    for (Vertex t : l4_targets)
      if (reachable(l4, spec.l4.cross_zone, t)) connect(l4, t, links);

  if (spec.l7) {
    std::vector<bool> routed(spec.target_groups.size(), false);
    for (const auto& rule : spec.l7->rules)
      for (const auto& f : rule.forward) routed.at(f.group) = true;
    for (Vertex l7 : l7_)
      for (std::uint32_t g = 0; g < routed.size(); ++g)
        if (routed[g])
          for (Vertex b : group_members(g))
            if (reachable(l7, spec.l7->cross_zone, b)) connect(l7, b, links);
  }
}

std::vector<Vertex> Topology::group_members(std::uint32_t group) const {
  std::vector<Vertex> members;
  for (std::size_t z = 0; z < zone_count_; ++z) {
    const auto& in_zone = backends(group, static_cast<std::uint32_t>(z));
    members.insert(members.end(), in_zone.begin(), in_zone.end());
  }
  return members;
}

std::vector<Vertex> Topology::all_backends() const {
  std::vector<Vertex> all;
  for (const auto& list : backends_) all.insert(all.end(), list.begin(), list.end());
  return all;
}

Vertex Topology::add(Node node) { return boost::add_vertex(std::move(node), graph_); }

Hop Topology::hop_between(const config::TopologySpec& links, const Node& from, const Node& to) {
  if (from.kind == NodeKind::client || to.kind == NodeKind::client) {
    // Internet path, then the node's own NIC inside its zone (half the intra-zone latency).
    return {LinkClass::internet, links.internet.latency_s + links.intra_zone.latency_s / 2,
            std::min(links.internet.bandwidth_Bps, links.intra_zone.bandwidth_Bps)};
  }
  if (from.zone_index == to.zone_index) return {LinkClass::intra_zone, links.intra_zone.latency_s, links.intra_zone.bandwidth_Bps};
  return {LinkClass::inter_zone, std::max(links.inter_zone.latency_s, links.intra_zone.latency_s),
          std::min(links.inter_zone.bandwidth_Bps, links.intra_zone.bandwidth_Bps)};
}

void Topology::connect(Vertex from, Vertex to, const config::TopologySpec& links) {
  boost::add_edge(from, to, hop_between(links, graph_[from], graph_[to]), graph_);
}

void Topology::write_dot(std::ostream& out) const {
  // Tiers are coloured by OSI layer: L4 green, L7 blue (the article's palette).
  auto colour = [](NodeKind kind) -> const char* {
    switch (kind) {
      case NodeKind::client: return "#9E9E9E";
      case NodeKind::l4: return "#4CAF50";
      case NodeKind::l7: return "#2196F3";
      case NodeKind::backend: return "#FF9800";
    }
    return "#000000";
  };
  out << "digraph lbsim {\n  rankdir=LR;\n  node [shape=box, style=filled, fontcolor=white];\n";
  std::vector<std::string> zones;
  for (auto v : boost::make_iterator_range(boost::vertices(graph_)))
    if (!graph_[v].zone.empty() && std::find(zones.begin(), zones.end(), graph_[v].zone) == zones.end()) zones.push_back(graph_[v].zone);
  for (auto v : boost::make_iterator_range(boost::vertices(graph_))) {
    const Node& n = graph_[v];
    if (n.kind == NodeKind::client)
      out << "  \"" << n.name << "\" [label=\"" << n.name << "\", fillcolor=\"" << colour(n.kind) << "\"];\n";
  }
  for (const auto& zone : zones) {
    out << "  subgraph \"cluster_" << zone << "\" {\n    label=\"zone " << zone << "\";\n    style=rounded;\n";
    for (auto v : boost::make_iterator_range(boost::vertices(graph_))) {
      const Node& n = graph_[v];
      if (n.zone == zone)
        out << "    \"" << n.name << "\" [label=\"" << n.name << "\\n" << to_string(n.kind)
            << (n.weight != 1 ? " weight " + std::to_string(n.weight) : std::string()) << "\", fillcolor=\"" << colour(n.kind)
            << "\"];\n";
    }
    out << "  }\n";
  }
  for (auto e : boost::make_iterator_range(boost::edges(graph_))) {
    const Hop& hop = graph_[e];
    out << "  \"" << graph_[boost::source(e, graph_)].name << "\" -> \"" << graph_[boost::target(e, graph_)].name
        << "\" [label=\"" << hop.latency_s * 1e6 << "us\", class=\"" << to_string(hop.link) << "\""
        << (hop.link == LinkClass::inter_zone ? ", style=dashed" : "") << "];\n";
  }
  out << "}\n";
}

}  // namespace lbsim::topology
