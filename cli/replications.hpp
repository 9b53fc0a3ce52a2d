// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// lbsim run FILE --replications N: the same run N times with independent seeds (the
// first is the file's, or --seed's), as `lbsim run` children a few at a time. Each
// headline figure is then a mean with its 95 % confidence interval (Student t over the
// replications): on the terminal, and in DIR/summary.json (the first replication's
// summary plus a `replications` section); each replication's own outputs are in
// DIR/replication-<k>. With --slurm the replications are a Slurm job array, merged by
// --wait or later by `lbsim run --collect DIR`. Exit codes as `lbsim run`: 3 when a
// replication missed an objective, 1 when one crashed.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lbsim::cli {

// The options of `lbsim run` that a replicated run honours.
struct ReplicationArgs {
  std::string file;
  std::optional<std::string> variant;
  std::vector<std::string> sets;  // --set PATH=VALUE
  std::optional<std::uint64_t> seed;
  std::optional<std::string> duration;
  std::string out_dir;  // empty: a temporary folder, removed at the end
  bool quiet = false;
  unsigned replications = 1;
  unsigned jobs = 0;  // 0: the number of cores
  bool slurm = false;   // submit the replications as a Slurm job array instead
  bool wait = false;    // with slurm: wait for it, then merge
  std::string collect;  // merge a --slurm run's folder (no FILE needed)
  std::string language = "en";  // --language: the terminal's and report.html's words
};

int run_replications(const ReplicationArgs& args);

}  // namespace lbsim::cli
