// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// lbsim testbed FILE: the scenario on real packets (testbed/), reported as `lbsim run`
// reports a simulation. lbsim crosscheck FILE: the simulator's run against the testbed's.
// lbsim testbed-node: one of the testbed's child processes (internal).
#include <CLI/CLI.hpp>

#include <functional>

namespace lbsim::cli {

// Adds both subcommands; the returned function runs whichever was given, once parsed.
std::function<int()> add_testbed_commands(CLI::App& app, CLI::App*& testbed, CLI::App*& crosscheck, CLI::App*& node);

}  // namespace lbsim::cli
