// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Where a run's steady state begins, and whether the run is long enough to trust its
// figures. A run starts empty: no queues, no kept-alive connections, no TLS sessions, so
// its first seconds are not the system's steady behaviour, and a short run is mostly
// that transient. MSER-5 (White, 1997; Hoad, Robinson and Davies, 2010) truncates the
// per-second series where the standard error of what remains is smallest.
#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "config/spec.hpp"
#include "results/metrics.hpp"

namespace lbsim::reports {

// MSER-5 on a series of per-interval values: how many leading intervals to drop (a
// multiple of 5, at most half the series). Nothing for a series too short to judge
// (under 4 batches of 5).
std::optional<std::size_t> mser5_truncation(std::span<const double> series);

// The per-second median latency (ms) of the answers to requests sent while clients were
// sending (the drain after `duration` is left out); an interval with no answer repeats
// the one before.
std::vector<double> p50_series_ms(const results::RunMetrics& metrics, double duration_s);

// The `steady_state` section of summary.json: the estimate, the series it came from
// (the seconds before the first fault, if any: a fault is no warm-up), and plain-words
// warnings (a run too short for its transient, a warm-up shorter than
// the estimate, connections that outlive the run).
nlohmann::ordered_json steady_state_json(const config::ScenarioSpec& spec, const results::RunResult& result);

}  // namespace lbsim::reports
