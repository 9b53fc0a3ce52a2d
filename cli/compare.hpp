// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// lbsim compare A.yaml [B.yaml ...]: runs each scenario — and each variant of a file
// that declares `variants:` — as its own `lbsim run` child process (SimGrid runs once
// per process), a few at a time, all with the same seed and duration, then sets their
// summaries side by side: DIR/comparison.json, DIR/comparison.md and a table on the
// terminal, with each run's difference from the baseline (the first, or --baseline NAME).
// --variant NAME (repeatable) keeps only those variants; --set PATH=VALUE changes every run.
// With --replications N each run is N children with independent seeds, each figure is
// their mean, and each difference is marked significant or not at 95 % (Welch's t).
//
// Exit codes: 0; 2 bad input (a scenario or variant that does not load, bad options);
// 1 a run crashed (its stderr's last line is printed); 3 a run missed one of its
// scenario's objectives (`slo:`), each such run named on stderr.
#include <optional>
#include <string>
#include <vector>

#include "cli/child_runs.hpp"

namespace CLI {
class App;
}

namespace lbsim::cli {

struct CompareArgs : ChildRunOptions {
  CompareArgs() { out_dir = "out/compare"; }
  std::vector<std::string> files;
  unsigned replications = 1;            // each run N times with independent seeds
  std::optional<std::string> baseline;  // the run the others are compared with (default: the first)
  std::vector<std::string> variants;    // --variant: only these variants of the files that declare them
  std::vector<std::string> sets;        // --set PATH=VALUE, applied to every run
};

// Registers the `compare` subcommand, its arguments filling `args`.
CLI::App* add_compare_command(CLI::App& app, CompareArgs& args);

// Throws config::ConfigError for a scenario or variant that does not load.
int compare(const CompareArgs& args);

}  // namespace lbsim::cli
