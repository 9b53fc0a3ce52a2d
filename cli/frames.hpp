// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// lbsim frames FILE.pcap: a packet capture (the testbed's, or `lbsim trace --pcap`'s)
// decoded frame by frame into its OSI layers (reports/capture.hpp), as a list, one
// frame's fields, or JSON for the GUI's teaching view.
#include <CLI/CLI.hpp>

#include <functional>

namespace lbsim::cli {

// Adds the subcommand; the returned function runs it once the command line is parsed.
std::function<int()> add_frames_command(CLI::App& app, CLI::App*& command);

}  // namespace lbsim::cli
