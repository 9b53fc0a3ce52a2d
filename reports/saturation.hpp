// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Saturation that averages hide: a group's mean utilization can sit at 67 % while one of
// its nodes runs flat out (its peers dead, drained, or simply unlucky). From the
// per-second node series: each span in which a node stayed at or above 95 % busy for
// 3 s or more, and each group's busiest node.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "results/metrics.hpp"

namespace lbsim::reports {

inline constexpr double kSaturatedUtilization = 0.95;
inline constexpr double kSaturatedForSeconds = 3;

struct SaturationSpan {
  std::string node;
  double from_s = 0, to_s = 0;  // [from, to): whole intervals
  double peak = 0;              // the highest utilization within it
};

// Every span, by node in the order of `metrics.nodes`, then in time order.
std::vector<SaturationSpan> saturation_spans(const results::RunMetrics& metrics);

// summary.json's `saturation`: the spans, each with the node's kind and group.
nlohmann::ordered_json saturation_json(const results::RunMetrics& metrics);

// The warnings a person reads, from summary.json's `saturation`: one per target group (or
// node kind, for balancer nodes), in the order first seen. One node: "api-b-3 (api) at
// 95 % busy or more from 21.00 s to 26.00 s (peak 97.3 %)"; several: "11 nodes of api at
// 95 % busy or more for 3 s or more, between 18.00 s and 27.00 s (peak 97.3 % on api-b-3)".
std::vector<std::string> saturation_warnings(const nlohmann::ordered_json& saturation);

}  // namespace lbsim::reports
