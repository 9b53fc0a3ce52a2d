// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// What a sweep's points become: each point's figures (copied from its summary.json), the
// knee of a one-dimensional sweep, sweep.csv and the terminal's table. Pure functions of
// the points, so the knee is tested on hand-made curves without running anything.
#include <nlohmann/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lbsim::reports {

// One point of a sweep: its value on each axis, and its figures (null: it failed). Run as
// several replications, each figure is their mean and `intervals` holds, per figure, the
// half-width of its 95 % confidence interval (empty for a point run once).
struct SweepPoint {
  std::vector<std::string> values;
  nlohmann::ordered_json figures;
  nlohmann::ordered_json intervals = nlohmann::ordered_json::object();
};

// The figures' keys, in sweep.csv's order (after the swept paths).
const std::vector<std::string>& sweep_figure_keys();

// A point's figures from its summary.json; the error rate is the one the objectives use
// (failed / answered), and each tier's utilization is its most loaded node's.
nlohmann::ordered_json sweep_figures(const nlohmann::ordered_json& summary);

// A point's figures and intervals from its replications' summary.json files (the first is
// the plain run): each number the mean over them, `slo_passed` whether every one met its
// objectives. Returns the `replications` section (reports/replications.hpp) for sweep.json.
nlohmann::ordered_json set_replicated_figures(SweepPoint& point, const std::vector<nlohmann::ordered_json>& summaries,
                                              const std::vector<std::uint64_t>& seeds);

// A point is past the knee when its p99 is more than this many times the first point's…
inline constexpr double kKneeP99Factor = 2.0;
// …or when more than this share of its requests fail.
inline constexpr double kKneeErrorRate = 0.01;

struct Knee {
  std::size_t point = 0;
  std::optional<std::size_t> previous;  // the last point that finished before it
  bool p99 = false;                     // more than twice the first point's p99
  bool errors = false;                  // above 1 % errors
};

// The first point past the knee along one axis. Points that failed are passed over: the
// knee is read off the curve of those that ran.
std::optional<Knee> find_knee(const std::vector<SweepPoint>& points);

// One line: which knee, between which values of the axis (`label`), and why.
std::string knee_text(const std::optional<Knee>& knee, const std::string& label, const std::vector<SweepPoint>& points);

// sweep.csv: the swept paths, then the figures; a failed point's figures are empty. When
// points were replicated, each figure with an interval gets a `<figure>_ci95` column after
// the figures: the half-width of its 95 % interval.
std::string sweep_csv(const std::vector<std::string>& paths, const std::vector<SweepPoint>& points);

// The terminal's table: the axes' labels and values, then the figures that show a knee;
// with replications, latencies and the error rate as "mean ±half-width".
std::vector<std::vector<std::string>> sweep_table(const std::vector<std::string>& labels, const std::vector<SweepPoint>& points);

}  // namespace lbsim::reports
