// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// One simulation of a scenario, start to finish. One per process (SimGrid's engine
// cannot be reset): tests that simulate run in their own process.
#include <cstdint>
#include <optional>

#include "config/spec.hpp"
#include "engine/metrics.hpp"

namespace lbsim::models {

engine::RunResult run_scenario(const config::ScenarioSpec& spec);

}  // namespace lbsim::models
