// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Pages that put several runs on the same charts: comparison.html (lbsim compare) and
// sweep.html (lbsim sweep). Each run is read back from its output folder, so these pages
// show exactly what the runs wrote: latency.hgrm for the latency distribution,
// timeseries.csv for p99 over time, summary.json figures for a sweep's curves.
#include <filesystem>
#include <string>
#include <vector>

namespace lbsim::reports::html {

struct RunFolder {
  std::string name;
  std::filesystem::path dir;
};

// `table` is the comparison as the terminal shows it.
std::string comparison_html(const std::string& title, const std::string& table, const std::vector<RunFolder>& runs);

struct SweepPoint {
  double x = 0;  // the swept value, as a number
  double p50_ms = 0, p99_ms = 0, error_rate = 0;
};

// One curve of a sweep: its points in order of the swept value; `name` tells curves apart
// (the first axis's value in a two-dimensional sweep; empty for one).
struct SweepCurve {
  std::string name;
  std::vector<SweepPoint> points;
};

std::string sweep_html(const std::string& title, const std::string& table, const std::string& knee, const std::string& x_label,
                       const std::vector<SweepCurve>& curves);

}  // namespace lbsim::reports::html
