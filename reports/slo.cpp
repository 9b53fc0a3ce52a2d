// SPDX-License-Identifier: GPL-3.0-or-later
#include "reports/slo.hpp"

#include <algorithm>
#include <cmath>

namespace lbsim::reports {
namespace {

using Metric = config::SloObjective::Metric;

// Thresholds come from the file through unit arithmetic ("5%" may be 0.05 give or take
// an ulp): a value equal to its threshold must pass whatever the rounding.
constexpr double kRelativeSlack = 1e-9;
constexpr double kTimeSlack = 1e-9;

bool within(double value, double threshold) { return value <= threshold + kRelativeSlack * std::abs(threshold); }

double seconds(std::uint64_t ns) { return static_cast<double>(ns) / 1e9; }

template <int Bits>
double value_of(Metric metric, const metrics::BasicHistogram<Bits>& latency_ns, std::uint64_t failed, std::uint64_t total) {
  switch (metric) {
    case Metric::p50: return seconds(latency_ns.quantile(0.50));
    case Metric::p90: return seconds(latency_ns.quantile(0.90));
    case Metric::p99: return seconds(latency_ns.quantile(0.99));
    case Metric::p999: return seconds(latency_ns.quantile(0.999));
    case Metric::mean: return latency_ns.mean() / 1e9;
    case Metric::error_rate: return total ? static_cast<double>(failed) / static_cast<double>(total) : 0.0;
  }
  return 0;
}

double overall_value(Metric metric, const results::RequestCounters& overall) {
  return value_of(metric, overall.latency_ns, overall.failed, overall.completed + overall.failed);
}

std::size_t boundary_index(double t, double dt) { return static_cast<std::size_t>(std::ceil(t / dt - kTimeSlack)); }

// The value over timeline intervals [first, last) merged; absent when they hold no answers.
std::optional<double> window_value(Metric metric, const metrics::TimeSeries& timeline, std::size_t first, std::size_t last) {
  metrics::CoarseHistogram latency_ns;
  std::uint64_t answered = 0, failed = 0;
  for (std::size_t i = first; i < std::min(last, timeline.size()); ++i) {
    answered += timeline.at(i).answered;
    failed += timeline.at(i).failed;
    latency_ns.merge(timeline.at(i).latency_ns);
  }
  if (answered == 0) return std::nullopt;
  return value_of(metric, latency_ns, failed, answered);
}

void find_worst_window(SloResult& result, const metrics::TimeSeries& timeline, double duration_s) {
  const double window = *result.window_s, dt = timeline.interval();
  const std::size_t run_end = boundary_index(duration_s, dt);  // intervals starting before the duration
  for (std::size_t j = 0; static_cast<double>(j) * window < duration_s - kTimeSlack; ++j) {
    const double from = static_cast<double>(j) * window;
    const auto value = window_value(result.metric, timeline, boundary_index(from, dt), std::min(run_end, boundary_index(from + window, dt)));
    if (!value || (result.worst_window_value && *value <= *result.worst_window_value)) continue;
    result.worst_window_value = value;
    result.worst_window_start_s = from;
  }
}

SloResult evaluate(const config::SloObjective& objective, const config::ScenarioSpec& spec, const results::RunResult& run) {
  SloResult result;
  result.text = objective.text;
  result.metric = objective.metric;
  result.threshold = objective.threshold;
  result.window_s = objective.window_s;
  result.value = overall_value(objective.metric, run.metrics.overall);
  if (result.window_s && *result.window_s > 0) find_worst_window(result, run.metrics.timeline, spec.duration_s);
  result.passed = within(result.value, result.threshold) &&
                  (!result.worst_window_value || within(*result.worst_window_value, result.threshold));
  return result;
}

}  // namespace

std::string_view metric_name(Metric metric) {
  switch (metric) {
    case Metric::p50: return "p50";
    case Metric::p90: return "p90";
    case Metric::p99: return "p99";
    case Metric::p999: return "p999";
    case Metric::mean: return "mean";
    case Metric::error_rate: return "error_rate";
  }
  return "?";
}

bool is_latency(Metric metric) { return metric != Metric::error_rate; }

SloReport evaluate_slo(const config::ScenarioSpec& spec, const results::RunResult& result) {
  SloReport report;
  for (const auto& objective : spec.slo) {
    report.objectives.push_back(evaluate(objective, spec, result));
    report.passed = report.passed && report.objectives.back().passed;
  }
  return report;
}

}  // namespace lbsim::reports
