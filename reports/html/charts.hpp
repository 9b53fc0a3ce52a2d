// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Charts drawn by Qt Charts, offscreen, to SVG text: the report embeds them, and the GUI
// draws the same series live. A chart here is plain data; `render_svg` makes the Qt
// objects, paints them and returns the SVG.
#include <string>
#include <utility>
#include <vector>

namespace lbsim::reports::html {

struct Series {
  Series(std::string name_ = {}, std::vector<std::pair<double, double>> points_ = {}) : name(std::move(name_)), points(std::move(points_)) {}
  std::string name;
  std::vector<std::pair<double, double>> points;  // (x, y)
  std::vector<double> errors;                     // per point, an error bar's half-height (none: no bars)
  bool markers = false;                           // a dot on each point (few points, each a run)
};

// Fault markers and bands each get a line of their own in the legend up to this many;
// beyond, all markers are one series ("N fault starts and ends") and all bands one
// ("N faults in force"): the faults table names each, and a chart stays linear in them.
inline constexpr std::size_t kLabelledFaults = 12;

// A vertical marker across the plot (a fault starting or ending).
struct Marker {
  double x = 0;
  std::string label;
};

// A shaded band across the plot's height from `from` to `to` (a fault in force).
struct Band {
  double from = 0, to = 0;
  std::string label;
};

struct Chart {
  std::string title;
  std::string x_label, y_label;
  std::vector<Series> series;
  std::vector<Marker> markers;
  bool log_x = false;
  std::vector<Band> bands{};  // drawn under the series, named in the legend
  double y_max = 0;  // 0: from the data
  bool legend_below = false;  // for long series names (runs compared)
  int width = 860, height = 300;
};

// Series take their colours in order from a palette colour-blind readers can tell apart
// (Okabe and Ito's), so a legend names every series in a colour no other one has (up to 8).
// Needs no display: Qt runs on its offscreen platform unless QT_QPA_PLATFORM says else.
std::string render_svg(const Chart& chart);

}  // namespace lbsim::reports::html
