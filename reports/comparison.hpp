// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Summaries side by side: one metric a row (requests, latency quantiles, failures by
// kind, utilization per tier, L4 NIC bytes, TLS CPU, cross-zone bytes, each fault's times
// to detect and recover, objectives), one run a column, and each run's difference from
// the first. `lbsim compare` prints and saves it; lbsim-gui's side-by-side window shows it.
#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace lbsim::reports {

// A run's name and its summary.json; with replications, every replication's summary
// too (the first is `summary`), and each figure is their mean.
struct NamedSummary {
  std::string name;
  nlohmann::ordered_json summary;
  std::vector<nlohmann::ordered_json> replications;
};

enum class Unit { count, per_second, ms, share, bytes, seconds, text };

struct Cell {
  Cell() = default;
  explicit Cell(std::optional<double> v) : value(v) {}
  Cell(std::optional<double> v, std::string shown) : value(v), text(std::move(shown)) {}

  std::optional<double> value;
  std::string text = "\u2013";  // shown when there is no value: absent (an en dash), "never", "met"
  std::vector<double> samples;  // with replications: each one's value (`value` is their mean)
};

struct Metric {
  std::string key;    // in comparison.json: "latency_ms.p99"
  std::string label;  // on the table: "latency p99"
  Unit unit = Unit::count;
  std::vector<Cell> cells;  // by run
};


struct Delta {
  double absolute = 0;
  std::optional<double> percent;  // none when the first run's value is 0 and this one's is not
};

// The metrics some run has (a row no run has, like the L7 tier of L4-only layouts, says nothing).
std::vector<Metric> comparison_metrics(const std::vector<NamedSummary>& runs);

// The difference of `other` from `first`; none unless both have a value.
std::optional<Delta> delta_of(const Cell& first, const Cell& other);

// Whether that difference is significant at 95 % (Welch's t over the replications);
// nothing without two or more replications on each side.
std::optional<bool> significant(const Cell& first, const Cell& other);

// The table as rows of text: a header, then one row per metric; the first column is the
// metric, then one per run, then for each run after the first its difference from the first
// (the baseline), marked "*" when significant at 95 % and "(n.s.)" when not, with
// replications.
std::vector<std::vector<std::string>> comparison_table(const std::vector<NamedSummary>& runs, const std::vector<Metric>& metrics);
std::vector<std::vector<std::string>> comparison_table(const std::vector<NamedSummary>& runs);

// The unit of a metric's values in comparison.json (shares are 0..1, not percentages).
const char* unit_name(Unit unit);

}  // namespace lbsim::reports
