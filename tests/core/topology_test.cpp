// SPDX-License-Identifier: GPL-3.0-or-later
#include "topology/topology.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "config/loader.hpp"

namespace lbsim::topology {
namespace {

using ::testing::HasSubstr;

std::string scenario(int zones, int l4_per_zone, bool l4_cross, int l7_per_zone, bool l7_cross, int backends_per_zone,
                     bool with_l7 = true) {
  std::string zone_list;
  for (int z = 0; z < zones; ++z) zone_list += (z ? ", z" : "z") + std::to_string(z);
  std::string text = "name: t\ntopology:\n  zones: [" + zone_list + "]\n" +
                     "  internet: { latency: 20ms }\n  intra_zone: { latency: 100us }\n  inter_zone: { latency: 1ms }\n" +
                     "clients:\n  - { name: web, arrival: { rate: 10/s }, mix: [ { path: / } ] }\n" +
                     "l4: { nodes_per_zone: " + std::to_string(l4_per_zone) + ", cross_zone: " + (l4_cross ? "true" : "false") +
                     (with_l7 ? "" : ", target_group: api") + " }\n";
  if (with_l7)
    text += "l7: { nodes_per_zone: " + std::to_string(l7_per_zone) + ", cross_zone: " + (l7_cross ? "true" : "false") +
            ", rules: [ { default: true, forward: api } ] }\n";
  text += "target_groups:\n  api: { per_zone: " + std::to_string(backends_per_zone) + " }\n  idle: { per_zone: 1 }\n";
  return text;
}

Topology build(const std::string& yaml) { return Topology(config::load_scenario(yaml, "t.yaml")); }

TEST(Topology, CountsNodesAndLinksForATwoTierSpec) {
  // 2 zones; 1 L4 and 1 L7 per zone; api: 2 backends per zone; idle: 1 per zone.
  const Topology t = build(scenario(2, 1, false, 1, true, 2));
  EXPECT_EQ(boost::num_vertices(t.graph()), 1u + 2 + 2 + 4 + 2);
  EXPECT_EQ(t.l4_nodes().size(), 2u);
  EXPECT_EQ(t.l7_nodes().size(), 2u);
  EXPECT_EQ(t.all_backends().size(), 6u);
  // client->L4: 2; L4->L7 same zone only: 2; L7->api backends in every zone: 2 x 4.
  // The idle group has no rule forwarding to it: no links.
  EXPECT_EQ(boost::num_edges(t.graph()), 2u + 2 + 8);
}

TEST(Topology, CrossZoneSettingsDecideWhoReachesWhom) {
  // L4 cross-zone on: each L4 reaches every L7 (2 x 2); L7 cross-zone off: own zone's api (2 x 2).
  const Topology t = build(scenario(2, 1, true, 1, false, 2));
  EXPECT_EQ(boost::num_edges(t.graph()), 2u + 4 + 4);
}

TEST(Topology, L4OnlyForwardsStraightToItsTargetGroup) {
  // 3 zones, 2 L4 nodes per zone, 3 backends per zone, cross-zone off.
  const Topology t = build(scenario(3, 2, false, 0, false, 3, false));
  EXPECT_TRUE(t.l7_nodes().empty());
  EXPECT_EQ(boost::num_vertices(t.graph()), 1u + 6 + 9 + 3);
  // client->L4: 6; each L4 -> its zone's 3 api backends: 6 x 3.
  EXPECT_EQ(boost::num_edges(t.graph()), 6u + 18);
}

TEST(Topology, HopsCarryThePathLatency) {
  const Topology t = build(scenario(2, 1, false, 1, true, 1));
  const auto& g = t.graph();
  int checked = 0;
  for (auto e : boost::make_iterator_range(boost::edges(g))) {
    const Node& from = g[boost::source(e, g)];
    const Node& to = g[boost::target(e, g)];
    const Hop& hop = g[e];
    if (from.kind == NodeKind::client) {
      EXPECT_EQ(hop.link, LinkClass::internet);
      EXPECT_NEAR(hop.latency_s, 0.020 + 0.00005, 1e-12);  // internet + the node's NIC
      ++checked;
    } else if (from.zone != to.zone) {
      EXPECT_EQ(hop.link, LinkClass::inter_zone);
      EXPECT_NEAR(hop.latency_s, 0.001, 1e-12);
      ++checked;
    } else {
      EXPECT_EQ(hop.link, LinkClass::intra_zone);
      EXPECT_NEAR(hop.latency_s, 0.0001, 1e-12);
      ++checked;
    }
  }
  EXPECT_EQ(checked, 2 + 2 + 4);
}

TEST(Topology, DotOutputHasZonesNodesAndEveryEdge) {
  const Topology t = build(scenario(2, 1, false, 1, true, 2));
  std::ostringstream dot;
  t.write_dot(dot);
  const std::string text = dot.str();
  EXPECT_THAT(text, HasSubstr("digraph lbsim {"));
  EXPECT_THAT(text, HasSubstr("subgraph \"cluster_z0\""));
  EXPECT_THAT(text, HasSubstr("subgraph \"cluster_z1\""));
  EXPECT_THAT(text, HasSubstr("\"client-web\" -> \"l4-z0-0\""));
  EXPECT_THAT(text, HasSubstr("\"l7-z0-0\" -> \"api-z1-1\""));
  std::size_t arrows = 0;
  for (std::size_t at = text.find("->"); at != std::string::npos; at = text.find("->", at + 2)) ++arrows;
  EXPECT_EQ(arrows, boost::num_edges(t.graph()));
  EXPECT_EQ(text.back(), '\n');
}

TEST(Topology, EachBackendWeighsWhatTheLastWeightEntryNamingItSays) {
  std::string yaml = scenario(2, 1, false, 1, true, 3);
  yaml.replace(yaml.find("api: { per_zone: 3 }"), 20, R"(api: { per_zone: 3, weights: { "api-*": 2, "api-*-0": 5, api-z1-0: 9 } })");
  yaml.replace(yaml.find(", rules: ["), 10, ", algorithm: maglev, rules: [");
  const Topology t = build(yaml);
  std::map<std::string, std::uint32_t> weights;
  for (auto v : t.all_backends()) weights[t.node(v).name] = t.node(v).weight;
  const std::map<std::string, std::uint32_t> expected{{"api-z0-0", 5}, {"api-z0-1", 2}, {"api-z0-2", 2}, {"api-z1-0", 9},
                                                      {"api-z1-1", 2}, {"api-z1-2", 2}, {"idle-z0-0", 1}, {"idle-z1-0", 1}};
  EXPECT_EQ(weights, expected);
  std::ostringstream dot;
  t.write_dot(dot);
  EXPECT_THAT(dot.str(), HasSubstr("api-z1-0\\nbackend weight 9"));
}

}  // namespace
}  // namespace lbsim::topology
