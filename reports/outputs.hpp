// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The files a run leaves in its output folder (lbsim run --out DIR):
//   summary.json       everything the terminal table shows, and more (reports/summary.hpp)
//   timeseries.csv     tidy: time_s,series,zone,node,metric,value — one row per interval
//                      and measure: overall answers, failures, p50/p99, throughput, lost
//                      requests and cross-zone bytes; errors by kind; answers per zone;
//                      per node utilization and NIC bytes per second each way
//   latency*.hgrm      HdrHistogram percentile files: end to end overall, per entry zone
//                      and per target group; per tier, the time spent at the L7 tier and at
//                      the backends (queue and work) (HdrHistogram's plotter reads them)
//   topology.dot       the layout, for Graphviz
//   traces.json/.md    a sample of requests followed hop by hop (reports/trace.hpp): as
//                      JSON, and as text plus Mermaid sequence diagrams
#include <nlohmann/json.hpp>

#include <filesystem>
#include <ostream>

#include "config/spec.hpp"
#include "results/metrics.hpp"
#include "text/messages.hpp"

namespace lbsim::reports {

// traces.md and traces.json's notes in `language`; the rest is for machines and stays English.
void write_run_outputs(const std::filesystem::path& dir, const config::ScenarioSpec& spec, const results::RunResult& result,
                       const nlohmann::ordered_json& summary, text::Language language = text::Language::en);

void write_timeseries_csv(std::ostream& out, const config::ScenarioSpec& spec, const results::RunResult& result);

}  // namespace lbsim::reports
