// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The run's health verdicts over time, for the report: one step line per judge (the L4
// nodes' active checks, their passive checks, the L7 nodes' checks, outlier ejection),
// each the number of distinct targets at least one of its checkers held out at that
// moment; one for the L4 nodes DNS was not announcing; each fault shaded while in force.
#include "reports/html/charts.hpp"
#include "results/metrics.hpp"
#include "text/messages.hpp"

namespace lbsim::reports::html {

// A chart with no series when nothing was ever held out and DNS never changed.
Chart health_timeline(const results::RunResult& result, text::Language language = text::Language::en);

}  // namespace lbsim::reports::html
