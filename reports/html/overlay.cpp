// SPDX-License-Identifier: GPL-3.0-or-later
#include "reports/html/overlay.hpp"

#include <fstream>
#include <sstream>

#include "reports/html/charts.hpp"
#include "reports/html/markup.hpp"

namespace lbsim::reports::html {
namespace {

// (latency ms, percentile) from an .hgrm file: its "Value Percentile ..." rows.
Series cdf_from_hgrm(const std::string& name, const std::filesystem::path& file) {
  Series s{name, {}};
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    double value = 0, percentile = 0;
    if (fields >> value >> percentile) s.points.emplace_back(value, 100 * percentile);
  }
  return s;
}

// The overall p99 per interval from timeseries.csv.
Series p99_from_csv(const std::string& name, const std::filesystem::path& file) {
  Series s{name, {}};
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    if (line.find(",overall,,,p99_ms,") == std::string::npos) continue;
    const double t = std::stod(line.substr(0, line.find(',')));
    s.points.emplace_back(t, std::stod(line.substr(line.rfind(',') + 1)));
  }
  return s;
}

}  // namespace

std::string comparison_html(const std::string& title, const std::vector<std::vector<std::string>>& rows, const std::vector<RunFolder>& runs) {
  Chart cdf{"Latency distribution, run by run", "latency (ms, log scale)", "share of requests at or below (%)", {}, {}, true};
  cdf.y_max = 100;
  cdf.legend_below = true;
  Chart p99{"p99 latency over time, run by run", "time (s)", "latency (ms)", {}, {}};
  p99.legend_below = true;
  for (const auto& run : runs) {
    cdf.series.push_back(cdf_from_hgrm(run.name, run.dir / "latency.hgrm"));
    p99.series.push_back(p99_from_csv(run.name, run.dir / "timeseries.csv"));
  }
  std::string body = table(rows);
  body += "<figure>" + render_svg(cdf) + "</figure>\n<figure>" + render_svg(p99) + "</figure>\n";
  body += "<p>Each run's own report: ";
  // "./" first: a folder named "file:variant" would otherwise read as a URL scheme.
  for (const auto& run : runs) body += "<a href=\"./" + escape(run.dir.filename().string()) + "/report.html\">" + escape(run.name) + "</a> ";
  return page(title, body + "</p>\n");
}

std::string sweep_html(const std::string& title, const std::vector<std::vector<std::string>>& rows, const std::string& knee, const std::string& x_label,
                       const std::vector<SweepCurve>& curves, const std::vector<RunFolder>& reports) {
  Chart latency{"Latency against " + x_label, x_label, "latency (ms)", {}, {}};
  Chart errors{"Errors against " + x_label, x_label, "error rate (%)", {}, {}};
  latency.legend_below = errors.legend_below = true;
  for (const auto& curve : curves) {
    const std::string prefix = curve.name.empty() ? "" : curve.name + ": ";
    Series p50{prefix + "p50", {}}, p99{prefix + "p99", {}}, rate{prefix.empty() ? "error rate" : curve.name, {}};
    p50.markers = p99.markers = rate.markers = true;
    for (const auto& p : curve.points) {
      p50.points.emplace_back(p.x, p.p50_ms);
      p99.points.emplace_back(p.x, p.p99_ms);
      rate.points.emplace_back(p.x, 100 * p.error_rate);
      p50.errors.push_back(p.p50_half);
      p99.errors.push_back(p.p99_half);
      rate.errors.push_back(100 * p.error_half);
    }
    if (curve.name.empty()) latency.series.push_back(std::move(p50));  // with several curves, p99 alone stays readable
    latency.series.push_back(std::move(p99));
    errors.series.push_back(std::move(rate));
  }
  std::string body = knee.empty() ? "" : "<p><b>" + escape(knee) + "</b></p>\n";
  if (!curves.empty()) body += "<figure>" + render_svg(latency) + "</figure>\n<figure>" + render_svg(errors) + "</figure>\n";
  body += table(rows);
  if (!reports.empty()) {
    body += "<p>Each point's own report: ";
    for (const auto& r : reports) body += "<a href=\"./" + escape(r.dir.string()) + "/report.html\">" + escape(r.name) + "</a> ";
    body += "</p>\n";
  }
  return page(title, body);
}

}  // namespace lbsim::reports::html
