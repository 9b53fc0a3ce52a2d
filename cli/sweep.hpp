// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// lbsim sweep FILE --set PATH=RANGE [--set PATH=RANGE ...]: runs a scenario once per point
// of a grid — the cartesian product of the ranges, in the order given, the last varying
// fastest — each point an `lbsim run FILE --set PATH=VALUE ...` child process (the
// machinery of `lbsim compare`, cli/child_runs.hpp), all with the same seed and duration,
// a few at a time. Then DIR/sweep.csv (one row per point: the swept values, then the
// point's figures), DIR/sweep.json, each run's outputs in DIR/<point>, a table on the
// terminal, and for a one-dimensional sweep the knee: the first point whose p99 is more
// than twice the first point's, or whose error rate is above 1 %.
//
// PATH is a YAML path as in a variant's `set`; RANGE is `a..b` (integers, step 1),
// `a..b:step`, or a list `a,b,c` of values as written. Numbers may carry a unit, the
// same on each (`10000/s..50000/s:10000/s`). A `--set PATH=VALUE` with one value changes
// every point, as `lbsim run --set` does; `--variant NAME` sweeps that variant.
//
// With --replications N each point runs N times with independent seeds (in
// DIR/<point>/replication-<k>): its figures are their means, each with its 95 %
// confidence interval (in the table as ±, in sweep.csv as <figure>_ci95 columns, in
// sweep.json as each point's `replications`, and as error bars on sweep.html's curves).
//
// Exit codes: 0, even when points missed their objectives (they are marked in the CSV:
// a sweep is there to find where things break); 2 bad input, one line, before anything
// runs (a malformed range, a path or value the file rejects at any point, an empty grid,
// more than 10 000 points); 1 a point crashed (each named, with its stderr's last line).
#include <optional>
#include <string>
#include <vector>

#include "cli/child_runs.hpp"

namespace CLI {
class App;
}

namespace lbsim::cli {

struct SweepArgs : ChildRunOptions {
  SweepArgs() { out_dir = "out/sweep"; }
  std::string file;
  std::vector<std::string> sets;  // PATH=RANGE (one value: a change every point shares)
  std::optional<std::string> variant;  // sweep this variant of the file
  unsigned replications = 1;           // each point N times with independent seeds
  bool slurm = false;             // submit the grid as a Slurm job array instead of running it here
  bool wait = false;              // with --slurm: wait for the array, then collect
  std::string collect;            // a folder a --slurm sweep wrote: merge its results
};

// Registers the `sweep` subcommand, its arguments filling `args`.
CLI::App* add_sweep_command(CLI::App& app, SweepArgs& args);

// Throws config::ConfigError for bad input (one diagnostic).
int sweep(const SweepArgs& args);

}  // namespace lbsim::cli
