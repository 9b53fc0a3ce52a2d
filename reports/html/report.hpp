// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// report.html: one self-contained page (inline CSS and SVG, no script, nothing fetched)
// that opens from disk: the summary tables, charts over time with fault markers (latency,
// throughput, utilization, the L4 tier's links each way, cross-zone bytes), and the
// article's decision guide applied to the scenario. Every figure in its tables is taken
// from summary.json's own values, so the two cannot disagree.
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

#include "config/spec.hpp"
#include "results/metrics.hpp"
#include "text/messages.hpp"

namespace lbsim::reports::html {

// In `language`: headings, column titles, notes, chart titles and the decision guide
// (reports/words.hpp); names, kinds and summary.json's figures are the same in both.
std::string report_html(const config::ScenarioSpec& spec, const results::RunResult& result, const nlohmann::ordered_json& summary,
                        text::Language language = text::Language::en);
void write_report(const std::filesystem::path& file, const config::ScenarioSpec& spec, const results::RunResult& result,
                  const nlohmann::ordered_json& summary, text::Language language = text::Language::en);

// report.html of `lbsim run --replications N`: the first replication's page (its charts
// and tables) with, before its summary, every headline figure's mean and 95 % interval
// over the replications (summary.json's `replications` section).
std::string replicated_report_html(const std::string& first_report, const nlohmann::ordered_json& replications,
                                   text::Language language = text::Language::en);

// The decision guide's verdict for this scenario: one line per question the article
// asks (traffic, content routing, TLS, performance, features), then the conclusion.
std::vector<std::string> decision_guide(const config::ScenarioSpec& spec, const nlohmann::ordered_json& summary,
                                        text::Language language = text::Language::en);

}  // namespace lbsim::reports::html
