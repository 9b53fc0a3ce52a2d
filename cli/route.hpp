// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// lbsim route FILE --request "GET https://host/path?query" [--header N=V] [--cookie N=V]
// [--source IP]: which listener rule takes a request and what it does, as the L7 tier
// decides (core's RuleTable), with why each earlier rule did not. `--samples` asks the
// same of a request written for each rule (export/samples): what the export tests send
// through HAProxy and nginx.
#include <CLI/CLI.hpp>

#include <functional>

namespace lbsim::cli {

std::function<int()> add_route_command(CLI::App& app, CLI::App*& command);

}  // namespace lbsim::cli
