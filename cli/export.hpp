// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// lbsim export FILE --to haproxy|nginx [--out DIR]: the scenario's L7 tier as a real
// proxy's configuration (export/), with a self-signed certificate of the scenario's key
// type beside it, and on stderr every key the proxy approximates or cannot express.
#include <CLI/CLI.hpp>

#include <functional>

namespace lbsim::cli {

// Adds the subcommand; the returned function runs it once the command line is parsed.
std::function<int()> add_export_command(CLI::App& app, CLI::App*& command);

}  // namespace lbsim::cli
