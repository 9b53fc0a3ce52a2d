// SPDX-License-Identifier: GPL-3.0-or-later
#include "reports/saturation.hpp"

#include <algorithm>
#include <cmath>

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

}  // namespace lbsim::reports
