// SPDX-License-Identifier: GPL-3.0-or-later
// Fault markers and bands on a chart: each named while few, one legend line each when many.
#include "reports/html/charts.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace {

using lbsim::reports::html::Band;
using lbsim::reports::html::Chart;
using lbsim::reports::html::kLabelledFaults;
using lbsim::reports::html::Marker;
using lbsim::reports::html::render_svg;
using ::testing::HasSubstr;
using ::testing::Not;

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

Chart chart_with_faults(std::size_t faults) {
  Chart c{"latency", "time (s)", "ms", {{"p50", {{0, 10}, {100, 12}}}}, {}};
  for (std::size_t i = 0; i < faults; ++i) {
    const double at = 1 + 0.09 * static_cast<double>(i);
    c.markers.push_back({at, "start: crash " + std::to_string(i)});
    c.bands.push_back({at, at + 0.05, "crash " + std::to_string(i)});
  }
  return c;
}

TEST(Charts, AFewFaultsAreEachNamedInTheLegend) {
  const std::string svg = render_svg(chart_with_faults(kLabelledFaults));
  for (std::size_t i = 0; i < kLabelledFaults; ++i) EXPECT_THAT(svg, HasSubstr(">start: crash " + std::to_string(i) + "<")) << i;
}

TEST(Charts, ManyFaultsShareOneLegendLineEachForMarkersAndBands) {
  // One series per fault made report.html quadratic: 1 000 faults took 8 s, 2 000 a minute.
  const std::string svg = render_svg(chart_with_faults(1000));
  EXPECT_EQ(count_of(svg, "start: crash"), 0u);
  EXPECT_EQ(count_of(svg, ">1000 fault starts and ends<"), 1u);
  EXPECT_EQ(count_of(svg, ">1000 faults in force<"), 1u);
  EXPECT_THAT(svg, HasSubstr(">p50<"));
}

}  // namespace
