// SPDX-License-Identifier: GPL-3.0-or-later
#include "reports/steady_state.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <optional>

namespace lbsim::reports {

std::optional<std::size_t> mser5_truncation(std::span<const double> series) {
  constexpr std::size_t kBatch = 5;
  const std::size_t batches = series.size() / kBatch;
  if (batches < 4) return std::nullopt;
  std::vector<double> means(batches);
  for (std::size_t b = 0; b < batches; ++b) {
    double sum = 0;
    for (std::size_t i = 0; i < kBatch; ++i) sum += series[b * kBatch + i];
    means[b] = sum / kBatch;
  }
  // Suffix sums give each candidate's mean and squared deviations in one pass.
  std::size_t best = 0;
  double best_score = 0;
  double sum = 0, squares = 0;
  std::vector<double> scores(batches + 1, 0);
  for (std::size_t d = batches; d-- > 0;) {
    sum += means[d];
    squares += means[d] * means[d];
    const double n = static_cast<double>(batches - d);
    scores[d] = (squares - sum * sum / n) / (n * n);
  }
  // Only the first half may be dropped: beyond, the rule rewards too few batches.
  for (std::size_t d = 0; d <= batches / 2; ++d) {
    // (A score must beat the best by more than rounding to move the cut later.)
    if (d == 0 || scores[d] < best_score - 1e-12 * std::max(1.0, std::abs(best_score))) {
      best_score = scores[d];
      best = d;
    }
  }
  return best * kBatch;
}

std::vector<double> p50_series_ms(const results::RunMetrics& metrics, double duration_s) {
  const auto& timeline = metrics.timeline;
  const auto intervals = static_cast<std::size_t>(duration_s / timeline.interval());
  std::vector<double> series;
  double last = 0;
  for (std::size_t i = 0; i < intervals && i < timeline.size(); ++i) {
    const auto& interval = timeline.at(i);
    if (interval.answered > 0) last = static_cast<double>(interval.latency_ns.quantile(0.5)) / 1e6;
    series.push_back(last);
  }
  return series;
}

namespace {

// A transient shifts the p50 by at least this share of its steady value.
constexpr double kMaterialShift = 0.1;

std::string seconds_text(double s) { return fmt::format("{:g} s", s); }

// How far the dropped intervals sit from the rest, as a share of the rest's mean: MSER
// may trim a little noise from a stationary series too, which is no transient.
double transient_shift(const std::vector<double>& series, std::size_t truncation) {
  if (truncation == 0 || truncation >= series.size()) return 0;
  const auto split = series.begin() + static_cast<std::ptrdiff_t>(truncation);
  const double before = std::accumulate(series.begin(), split, 0.0) / static_cast<double>(truncation);
  const double steady = std::accumulate(split, series.end(), 0.0) / static_cast<double>(series.size() - truncation);
  return steady > 0 ? (before - steady) / steady : 0.0;
}

std::vector<std::string> warnings_for(const config::ScenarioSpec& spec, double estimate_s) {
  std::vector<std::string> warnings;
  if (spec.duration_s < 3 * estimate_s)
    warnings.push_back(fmt::format("steady state seems to begin around {}, and the run sends for {}, less than three times that: "
                                   "lengthen the run",
                                   seconds_text(estimate_s), seconds_text(spec.duration_s)));
  if (estimate_s > spec.warmup_s)
    warnings.push_back(fmt::format("the first {} look like a transient, and {}: set warmup: {:g}s or more to leave them out",
                                   seconds_text(estimate_s),
                                   spec.warmup_s > 0 ? "warmup is only " + seconds_text(spec.warmup_s) : std::string("no warmup is set"),
                                   estimate_s));
  return warnings;
}

// Most requests opening a connection although connections may carry several: they
// outlive the run, so its figures are mostly handshakes. (Not judged in runs with faults,
// whose resets rightly open connections again.)
std::optional<std::string> handshake_warning(const config::ScenarioSpec& spec, const results::RunResult& result, double& share) {
  std::uint64_t opened = 0;
  for (const auto& n : result.metrics.nodes)
    if (n.kind == topology::NodeKind::client) opened += n.connections_opened;
  const std::uint64_t sent = result.metrics.overall.sent;
  share = sent > 0 ? static_cast<double>(opened) / static_cast<double>(sent) : 0.0;
  std::uint32_t fewest_per_connection = std::numeric_limits<std::uint32_t>::max();
  for (const auto& client : spec.clients) fewest_per_connection = std::min(fewest_per_connection, client.requests_per_connection);
  if (!spec.faults.empty() || sent == 0 || fewest_per_connection < 4 || share <= 0.5) return std::nullopt;
  return fmt::format("{:.0f} % of requests opened a new connection and paid its handshake, though each connection may carry {} "
                     "or more: connections outlive this run, so its latencies are mostly handshakes; lengthen the run (and set warmup)",
                     100 * share, fewest_per_connection);
}

void add_handshake_warning(nlohmann::ordered_json& out, const config::ScenarioSpec& spec, const results::RunResult& result) {
  double share = 0;
  const auto warning = handshake_warning(spec, result, share);
  out["new_connection_share"] = std::round(share * 1000) / 1000;
  if (warning) out["warnings"].push_back(*warning);
}

}  // namespace

nlohmann::ordered_json steady_state_json(const config::ScenarioSpec& spec, const results::RunResult& result) {
  const double interval = result.metrics.timeline.interval();
  // A fault is no warm-up: steady state is judged on the seconds before the first one.
  const double judged_s = spec.faults.empty() ? spec.duration_s : std::min(spec.duration_s, spec.faults.front().at_s);
  const auto series = p50_series_ms(result.metrics, judged_s);
  const auto truncation = mser5_truncation(series);
  nlohmann::ordered_json out{{"method", "MSER-5 on the per-second p50 latency"}, {"warmup_s", spec.warmup_s}, {"judged_s", judged_s}};
  if (!truncation) {
    out["estimate_s"] = nullptr;
    out["warnings"] = std::vector<std::string>{};
    if (spec.faults.empty())
      out["warnings"].push_back(fmt::format("the run is too short to estimate where steady state begins (fewer than 20 intervals of {})",
                                            seconds_text(interval)));
    add_handshake_warning(out, spec, result);
    return out;
  }
  const double estimate = static_cast<double>(*truncation) * interval;
  const double shift = transient_shift(series, *truncation);
  out["estimate_s"] = estimate;
  out["transient_shift"] = std::round(shift * 1000) / 1000;
  out["warnings"] = std::abs(shift) < kMaterialShift ? std::vector<std::string>{} : warnings_for(spec, estimate);
  add_handshake_warning(out, spec, result);
  return out;
}

}  // namespace lbsim::reports
