// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The run summary: summary.json, and the table printed on the terminal, which is
// rendered from the same JSON so the two can never disagree.
#include <nlohmann/json.hpp>
#include <ostream>

#include "config/spec.hpp"
#include "results/metrics.hpp"

namespace lbsim::reports {

nlohmann::ordered_json summary_json(const config::ScenarioSpec& spec, const results::RunResult& result);
void print_summary(std::ostream& out, const nlohmann::ordered_json& summary);

}  // namespace lbsim::reports
