// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <string>

#include "config/loader.hpp"

namespace lbsim::cli {

// Reads and loads a scenario file. Throws config::ConfigError (an unreadable file is
// reported the same way, at 1:1).
config::ScenarioSpec load_scenario_file(const std::string& path);

}  // namespace lbsim::cli
