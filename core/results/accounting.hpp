// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// What a finished run's counts must satisfy, whatever the scenario: every request sent has
// exactly one outcome (answered ok, answered with a failure, or unanswered at the end,
// which counts as a failure), failures add up by kind, every answer has one latency, and
// no zone or target group answered more than it was sent. A run whose counts break one of
// these has a bug in the model: run_scenario checks them at the end of every run (debug
// builds stop there) and `lbsim run` reports any as an internal error.
#include <string>
#include <vector>

#include "results/metrics.hpp"

namespace lbsim::results {

// One sentence per broken rule, naming the counts; empty when the run adds up.
std::vector<std::string> accounting_problems(const RunMetrics& metrics);

}  // namespace lbsim::results
