// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The most a run may cost (--max-memory, --max-run-time, and the actors this machine's
// vm.max_map_count allows), checked against config::estimate_cost before anything runs:
// a run beyond is refused with exit 2 and its estimate, rather than dying midway.
#include <optional>
#include <string>
#include <vector>

#include "config/cost.hpp"

namespace lbsim::cli {

// This process's limits, which child runs inherit.
void set_run_limits(config::CostLimits limits);
const config::CostLimits& run_limits();
// The options that give a child run this process's limits (none when they are the defaults).
std::vector<std::string> run_limits_arguments();

// --max-memory: "8GB", "512MiB"; from 64 MB to 1 TB.
std::optional<double> parse_memory_limit(const std::string& text);
// --max-run-time: "30min", "2d"; from 1 s to 1000000 s.
std::optional<double> parse_run_time_limit(const std::string& text);
// How many actors this machine can give stacks to: half of vm.max_map_count, less what
// the program's own maps take.
std::uint64_t actors_this_machine_allows();

// Throws config::ConfigError (file:1:1, the estimate, the limit and the option that raises
// it) when a run of `spec` would cost more than the limits allow.
void refuse_if_beyond_limits(const config::ScenarioSpec& spec);

}  // namespace lbsim::cli
