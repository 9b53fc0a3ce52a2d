// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The run summary: summary.json, and the table printed on the terminal, which is
// rendered from the same JSON so the two can never disagree.
#include <nlohmann/json.hpp>
#include <ostream>

#include "config/spec.hpp"
#include "results/metrics.hpp"
#include "text/messages.hpp"

namespace lbsim::reports {

nlohmann::ordered_json summary_json(const config::ScenarioSpec& spec, const results::RunResult& result);
// In `language`: the words only (reports/words.hpp); names, kinds and failure kinds stay as
// summary.json has them. Warnings are English prose in both.
// A fault's narrative (an entry of summary.json's `faults`) in `language`.
std::string narrative_text(const nlohmann::ordered_json& fault, text::Language language);

void print_summary(std::ostream& out, const nlohmann::ordered_json& summary, text::Language language = text::Language::en);

}  // namespace lbsim::reports
