// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// lbsim import FORMAT FILE... [-o scenario.yaml] [--strict] [--report FILE]: a proxy's
// configuration as a scenario (import/import.hpp), the import report on stderr.
#include <CLI/CLI.hpp>

#include <functional>

namespace lbsim::cli {

// Adds the subcommand; the returned function runs it once the command line is parsed.
std::function<int()> add_import_command(CLI::App& app, CLI::App*& command);

}  // namespace lbsim::cli
