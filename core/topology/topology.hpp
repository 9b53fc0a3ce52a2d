// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The layout as a graph (Boost.Graph): one vertex per client population, L4 node,
// L7 node and backend; one directed edge per hop a request may take, carrying the
// latency and bandwidth of the path between the two. The engine builds its SimGrid
// platform from this, the CLI prints it as Graphviz, and the GUI draws it.
#include <boost/graph/adjacency_list.hpp>
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "config/spec.hpp"

namespace lbsim::topology {

enum class NodeKind { client, l4, l7, backend };
enum class LinkClass { internet, intra_zone, inter_zone };

std::string_view to_string(NodeKind kind);
std::string_view to_string(LinkClass link);

// The weight a group's `weights` gives one of its backends (1 when no entry names it).
std::uint32_t weight_of(const config::TargetGroupSpec& group, std::string_view backend_name);

struct Node {
  NodeKind kind = NodeKind::client;
  std::string name;        // unique: also the simulated host's name
  std::string zone;        // empty for clients (they sit on the internet)
  std::uint32_t zone_index = 0;
  std::uint32_t group = 0;  // backends: index into target_groups; clients: index into clients
  std::uint32_t index = 0;  // position within its zone (and group)
  std::uint32_t weight = 1; // backends: the balancing weight its group's `weights` gives it
};

struct Hop {
  LinkClass link = LinkClass::intra_zone;
  double latency_s = 0;      // one way, end to end
  double bandwidth_Bps = 0;  // the narrowest link on the way
};

using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, Node, Hop>;
using Vertex = Graph::vertex_descriptor;

class Topology {
public:
  explicit Topology(const config::ScenarioSpec& spec);

  const Graph& graph() const { return graph_; }
  const Node& node(Vertex v) const { return graph_[v]; }

  const std::vector<Vertex>& clients() const { return clients_; }
  const std::vector<Vertex>& l4_nodes() const { return l4_; }
  const std::vector<Vertex>& l7_nodes() const { return l7_; }
  // Backends of one target group in one zone.
  const std::vector<Vertex>& backends(std::uint32_t group, std::uint32_t zone) const {
    return backends_[group * zone_count_ + zone];
  }
  std::vector<Vertex> all_backends() const;
  // Backends of one target group across all zones, zone by zone.
  std::vector<Vertex> group_members(std::uint32_t group) const;

  // The hop a packet takes between two nodes' zones (the same formula the engine's
  // platform realises): intra-zone, inter-zone, or from the internet.
  static Hop hop_between(const config::TopologySpec& links, const Node& from, const Node& to);

  void write_dot(std::ostream& out) const;

private:
  Vertex add(Node node);
  void connect(Vertex from, Vertex to, const config::TopologySpec& links);

  Graph graph_;
  std::size_t zone_count_ = 0;
  std::vector<Vertex> clients_, l4_, l7_;
  std::vector<std::vector<Vertex>> backends_;
};

}  // namespace lbsim::topology
