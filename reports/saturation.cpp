// SPDX-License-Identifier: GPL-3.0-or-later
#include "reports/saturation.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "reports/format.hpp"

namespace lbsim::reports {

std::vector<SaturationSpan> saturation_spans(const results::RunMetrics& metrics) {
  const double interval = metrics.timeline.interval();
  const auto min_intervals = static_cast<std::size_t>(std::ceil(kSaturatedForSeconds / interval));
  std::vector<SaturationSpan> spans;
  for (const auto& series : metrics.node_timeline) {
    const auto& u = series.utilization;
    for (std::size_t i = 0; i < u.size();) {
      if (u[i] < kSaturatedUtilization) {
        ++i;
        continue;
      }
      std::size_t end = i;
      double peak = 0;
      while (end < u.size() && u[end] >= kSaturatedUtilization) peak = std::max(peak, u[end++]);
      if (end - i >= min_intervals)
        spans.push_back({series.name, static_cast<double>(i) * interval, static_cast<double>(end) * interval, peak});
      i = end;
    }
  }
  return spans;
}

nlohmann::ordered_json saturation_json(const results::RunMetrics& metrics) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const auto& span : saturation_spans(metrics)) {
    const auto node = std::find_if(metrics.nodes.begin(), metrics.nodes.end(), [&](const auto& n) { return n.name == span.node; });
    nlohmann::ordered_json entry{{"node", span.node}};
    if (node != metrics.nodes.end()) {
      entry["kind"] = std::string(topology::to_string(node->kind));
      if (!node->group.empty()) entry["group"] = node->group;
    }
    entry["from_s"] = span.from_s;
    entry["to_s"] = span.to_s;
    entry["peak"] = std::round(span.peak * 1e4) / 1e4;
    out.push_back(entry);
  }
  return out;
}

std::vector<std::string> saturation_warnings(const nlohmann::ordered_json& saturation) {
  struct Group {
    std::string name;
    std::vector<std::string> nodes;
    std::size_t spans = 0;
    double from = 0, to = 0, peak = -1;
    std::string peak_node;
  };
  std::vector<Group> groups;
  for (const auto& span : saturation) {
    const std::string name = span.value("group", span.value("kind", std::string("nodes")));
    auto group = std::find_if(groups.begin(), groups.end(), [&](const Group& g) { return g.name == name; });
    if (group == groups.end()) group = groups.insert(groups.end(), Group{name, {}, 0, span["from_s"].get<double>(), 0, -1, {}});
    const std::string node = span["node"].get<std::string>();
    if (std::find(group->nodes.begin(), group->nodes.end(), node) == group->nodes.end()) group->nodes.push_back(node);
    ++group->spans;
    group->from = std::min(group->from, span["from_s"].get<double>());
    group->to = std::max(group->to, span["to_s"].get<double>());
    if (span["peak"].get<double>() > group->peak) {
      group->peak = span["peak"].get<double>();
      group->peak_node = node;
    }
  }
  std::vector<std::string> lines;
  for (const Group& g : groups) {
    if (g.spans == 1) {
      lines.push_back(fmt::format("saturated: {} ({}) at 95 % busy or more from {} to {} (peak {})", g.peak_node, g.name,
                                  format::seconds(g.from), format::seconds(g.to), format::percent(g.peak)));
      continue;
    }
    const std::string who = g.nodes.size() == 1 ? g.peak_node + " (" + g.name + ")" : fmt::format("{} nodes of {}", g.nodes.size(), g.name);
    lines.push_back(fmt::format("saturated: {} at 95 % busy or more for 3 s or more, between {} and {} (peak {} on {})", who,
                                format::seconds(g.from), format::seconds(g.to), format::percent(g.peak), g.peak_node));
  }
  return lines;
}

}  // namespace lbsim::reports
