// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// lbsim trace FILE --request N: runs the scenario and prints one request's journey
// (reports/trace.hpp) as text, JSON or a Mermaid sequence diagram.
#include <CLI/CLI.hpp>

#include <functional>

namespace lbsim::cli {

// Adds the subcommand; the returned function runs it once the command line is parsed.
std::function<int()> add_trace_command(CLI::App& app, CLI::App*& command);

}  // namespace lbsim::cli
