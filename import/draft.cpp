// SPDX-License-Identifier: GPL-3.0-or-later
#include "import/draft.hpp"

#include <fmt/format.h>

namespace lbsim::importing {
namespace {

std::string comment_of(const std::string& text) { return text.empty() ? "" : "  # " + text; }

void write_items(std::string& out, const std::vector<DraftItem>& items, const std::string& indent) {
  for (const DraftItem& item : items) out += fmt::format("{}{}: {}{}\n", indent, item.key, item.value, comment_of(item.comment));
}

}  // namespace

std::string flow(const YAML::Node& value) {
  YAML::Emitter emitter;
  emitter << YAML::Flow << value;
  return emitter.c_str();
}

std::string render_scenario(const Draft& d) {
  std::string out;
  for (const std::string& line : d.preface) out += "# " + line + "\n";
  out += fmt::format("name: {}\n", flow(YAML::Node(d.name)));
  out += fmt::format("description: {}\n", flow(YAML::Node(d.description)));
  out += "seed: 1\nduration: 60s\n";
  out += "topology:  # not in a proxy's configuration: one zone, clients 20 ms away\n";
  YAML::Node zones(YAML::NodeType::Sequence);
  for (const std::string& zone : d.zones) zones.push_back(zone);
  out += fmt::format("  zones: {}{}\n", flow(zones), comment_of(d.zones_comment));
  out += "  internet: { latency: 20ms, bandwidth: 1Gbps }\n  intra_zone: { latency: 100us, bandwidth: 10Gbps }\n";
  out += "clients:\n";
  for (const std::string& line : d.clients_comment) out += "  # " + line + "\n";
  out += "  - name: web\n    arrival: { kind: poisson, rate: 100/s }\n    source_ips: 1000\n";
  out += d.client_tls_version.empty() ? "    tls: none\n" : fmt::format("    tls: {{ version: \"{}\" }}\n", d.client_tls_version);
  out += "    mix:\n";
  for (const YAML::Node& request : d.mix) out += fmt::format("      - {}\n", flow(request));
  out += fmt::format("l4:{}\n  nodes_per_zone: 1\n", comment_of(d.l4_comment));
  write_items(out, d.l4, "  ");
  if (d.has_l7) {
    out += "l7:\n  nodes_per_zone: 1\n";
    write_items(out, d.l7, "  ");
    out += "  rules:\n";
    for (const DraftRule& rule : d.rules) {
      if (!rule.comment.empty()) out += "    # " + rule.comment + "\n";
      for (std::size_t i = 0; i < rule.items.size(); ++i)
        out += fmt::format("    {}{}: {}\n", i == 0 ? "- " : "  ", rule.items[i].key, rule.items[i].value);
    }
  }
  out += "target_groups:\n";
  for (const DraftGroup& group : d.groups) {
    out += fmt::format("  {}:{}\n", group.name, comment_of(group.comment));
    write_items(out, group.items, "    ");
  }
  return out;
}

std::optional<YAML::Node> server_weights(const std::string& group, const std::vector<long>& weights, bool& clamped) {
  clamped = false;
  if (std::all_of(weights.begin(), weights.end(), [&](long w) { return w == weights.front(); })) return std::nullopt;
  YAML::Node map(YAML::NodeType::Map);
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const long w = std::clamp(weights[i], 1L, 256L);
    clamped = clamped || w != weights[i];
    map[group + "-*-" + std::to_string(i)] = w;
  }
  return map;
}

}  // namespace lbsim::importing
