// SPDX-License-Identifier: GPL-3.0-or-later
#include "metrics/histogram.hpp"

#include <cstdio>

namespace lbsim::metrics {
namespace {

void row(std::ostream& out, double value, double percentile, std::uint64_t total, bool last) {
  char line[128];
  if (last) {
    std::snprintf(line, sizeof line, "%12.3f %2.12f %10llu\n", value, percentile, static_cast<unsigned long long>(total));
  } else {
    std::snprintf(line, sizeof line, "%12.3f %2.12f %10llu %14.2f\n", value, percentile,
                  static_cast<unsigned long long>(total), 1.0 / (1.0 - percentile));
  }
  out << line;
}

}  // namespace

void write_hgrm(std::ostream& out, const Histogram& h, double unit) {
  out << "       Value     Percentile TotalCount 1/(1-Percentile)\n\n";
  if (h.count() > 0) {
    constexpr int kTicksPerHalfDistance = 5;
    Histogram::QuantileWalk walk(h);  // the levels only grow
    double level = 0;  // percent
    while (level < 100.0) {
      const double q = level / 100.0;
      const auto [value, total] = walk.at(q);
      row(out, static_cast<double>(value) / unit, q, total, false);
      // Halvings of the distance to 100 % so far, as HdrHistogram counts them.
      const double halvings = std::floor(std::log2(100.0 / (100.0 - level))) + 1;
      const double ticks = kTicksPerHalfDistance * std::pow(2.0, halvings);
      level += 100.0 / ticks;
      // Stop once the next level would differ from 100 % by less than one sample.
      if ((100.0 - level) / 100.0 * static_cast<double>(h.count()) < 1.0) break;
    }
    row(out, static_cast<double>(h.max()) / unit, 1.0, h.count(), true);
  }
  char footer[256];
  std::snprintf(footer, sizeof footer, "#[Mean    = %12.3f, StdDeviation   = %12.3f]\n#[Max     = %12.3f, Total count    = %12llu]\n",
                h.mean() / unit, h.stddev() / unit, static_cast<double>(h.max()) / unit,
                static_cast<unsigned long long>(h.count()));
  out << footer;
}

}  // namespace lbsim::metrics
