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

// `rows`: the comparison table as the terminal shows it, its header first.
std::string comparison_html(const std::string& title, const std::vector<std::vector<std::string>>& rows, const std::vector<RunFolder>& runs);

struct SweepPoint {
  double x = 0;  // the swept value, as a number
  double p50_ms = 0, p99_ms = 0, error_rate = 0;
  double p50_half = 0, p99_half = 0, error_half = 0;  // 95 % interval half-widths (0: run once)
};

// One curve of a sweep: its points in order of the swept value; `name` tells curves apart
// (the first axis's value in a two-dimensional sweep; empty for one).
struct SweepCurve {
  std::string name;
  std::vector<SweepPoint> points;
};

// `reports`: each point's name and the folder (relative to the page) of its report.html.
// `rows`: the sweep's table, its header first.
std::string sweep_html(const std::string& title, const std::vector<std::vector<std::string>>& rows, const std::string& knee, const std::string& x_label,
                       const std::vector<SweepCurve>& curves, const std::vector<RunFolder>& reports = {});

}  // namespace lbsim::reports::html
