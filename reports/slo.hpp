// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The scenario's service-level objectives checked against a finished run; `lbsim run`
// exits 3 when the report did not pass. The contract:
//
// - Overall value: the latency percentile or mean of every answered request
//   (metrics.overall, the run-wide histogram); error_rate = failed / (completed + failed),
//   where failed includes resets, timeouts and requests still unanswered at the end.
// - With a window: the run from 0 to the scenario's duration is cut into consecutive
//   windows of that length (the last may be shorter), each the merge of the timeline
//   intervals starting in it (3 % latency precision; unanswered requests have no time
//   and count only overall). Windows without answers are skipped; the worst window
//   (highest value) and its start are reported.
// - An objective passes when its overall value and every window's value are within
//   the threshold (value <= threshold: exactly at the threshold passes). The report
//   passes when every objective does (a scenario without objectives passes).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/spec.hpp"
#include "results/metrics.hpp"

namespace lbsim::reports {

struct SloResult {
  std::string text;  // as the file states it: "p99 <= 250ms per 10s"
  config::SloObjective::Metric metric = config::SloObjective::Metric::p99;
  double threshold = 0;  // seconds for latencies, a share (0..1) for error_rate
  double value = 0;      // overall, in the threshold's unit
  std::optional<double> window_s;
  std::optional<double> worst_window_start_s;  // absent when no window had answers
  std::optional<double> worst_window_value;
  bool passed = true;
};

struct SloReport {
  bool passed = true;
  std::vector<SloResult> objectives;
};

// "p99", "error_rate": the key the scenario file uses.
std::string_view metric_name(config::SloObjective::Metric metric);
bool is_latency(config::SloObjective::Metric metric);

SloReport evaluate_slo(const config::ScenarioSpec& spec, const results::RunResult& result);

}  // namespace lbsim::reports
