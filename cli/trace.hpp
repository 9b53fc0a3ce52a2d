// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// lbsim trace FILE --request N: runs the scenario and prints one request's journey
// (reports/trace.hpp) as text, JSON or a Mermaid sequence diagram.
#include <CLI/CLI.hpp>

#include <cstdint>
#include <functional>
#include <optional>

#include "config/spec.hpp"
#include "results/trace.hpp"

namespace lbsim::cli {

// Runs `spec` until request `request` of its first client population is traced; nothing
// when the run sent fewer requests (`sent` says how many).
std::optional<results::Trace> trace_request(const config::ScenarioSpec& spec, std::uint64_t request, std::uint64_t& sent);

// Adds the subcommand; the returned function runs it once the command line is parsed.
std::function<int()> add_trace_command(CLI::App& app, CLI::App*& command);

}  // namespace lbsim::cli
