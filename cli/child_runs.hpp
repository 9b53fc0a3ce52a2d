// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// `lbsim run` child processes, a few at a time: how `lbsim compare` and `lbsim sweep` run
// their simulations (SimGrid runs once per process), with what both need around them —
// the options every child shares, each child's summary.json, the report of a crash, and
// the aligned table they print.
#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "config/spec.hpp"

namespace CLI {
class App;
}

namespace lbsim::cli {

inline constexpr int kExitCrashed = 1;
inline constexpr int kExitBadInput = 2;
inline constexpr int kExitSloMissed = 3;

// This program's own path (/proc/self/exe), to run itself as a child.
std::string self_binary();

// Runs this program with `args` as a child and waits: its exit code, or -1 when it did
// not exit (a signal). With `stdout_file`, its standard output goes there.
int run_self(const std::vector<std::string>& args, const std::optional<std::filesystem::path>& stdout_file = std::nullopt);

// The options of a command that runs children: where they write, how many at a time, and
// the seed and duration they all share.
struct ChildRunOptions {
  std::string out_dir;
  unsigned jobs = 0;  // 0: the number of cores
  std::optional<std::uint64_t> seed;
  std::optional<std::string> duration;
};

// Adds --seed to `cmd`, read by the rule the file's `seed:` key follows (an integer from 0
// to 2^64-1; "-1" or "2^64" are refused, not wrapped or clamped).
void add_seed_option(CLI::App& cmd, std::optional<std::uint64_t>& seed, const std::string& help);

// Adds --variant ("<verb> this variant of the file") and --set PATH=VALUE (repeatable,
// one pair each, so FILE may follow it): how every command that reads one scenario file
// takes its edits.
void add_variant_and_set_options(CLI::App& cmd, std::optional<std::string>& variant, std::vector<std::string>& sets, const std::string& verb);

// --language en|ko, the same on every command that says something in words; `what`: what
// it changes ("the notes and the text trace"). CLI11 checks the name, so
// text::language_named always finds it afterwards.
void add_language_option(CLI::App& cmd, std::string& language, const std::string& what);

// Adds --out (described by `out_help`), --jobs, --seed and --duration to `cmd`; `whose`
// says where the seed and duration come from by default ("the file's").
void add_child_run_options(CLI::App& cmd, ChildRunOptions& options, const std::string& out_help, const std::string& whose);

// What every child gets, resolved from the options and, for what they leave out, from the
// scenario as written.
struct ChildRunSettings {
  std::uint64_t seed = 0;
  std::string duration;  // as passed to each child: "30s"
  double duration_s = 0;
  unsigned jobs = 1;
};

// Nothing after one line on stderr when --duration is not a positive duration.
std::optional<ChildRunSettings> child_run_settings(const ChildRunOptions& options, const config::ScenarioSpec& scenario);

struct ChildRun;
// The command line of one child: lbsim run <its arguments> --seed --duration -q --out.
std::vector<std::string> child_arguments(const ChildRun& run, const ChildRunSettings& settings);

// The children as a Slurm job array (cli/slurm.hpp): each one's folder, one task each,
// and `plan` (what a later --collect needs) written as out_dir/plan_file. Returns the
// job's id, or nothing when sbatch failed (said on stderr).
std::optional<std::string> submit_to_slurm(const std::vector<ChildRun*>& runs, const ChildRunSettings& settings,
                                           const std::filesystem::path& out_dir, const char* plan_file,
                                           const nlohmann::ordered_json& plan, bool wait);

// The program's entry point (cli/main.cpp). A child run is a fork of this process that
// calls it, not a new lbsim loaded from disk: loading one (82 shared libraries, Qt's
// among them, their symbols resolved) took about 0.09 s of each run's wall time, which a
// sweep or a set of replications paid per run.
}  // namespace lbsim::cli
int lbsim_main(int argc, char** argv);
namespace lbsim::cli {

struct ChildRun {
  std::string name;                    // in messages: "two-tier-3az", "rate=30000_s"
  std::filesystem::path dir;           // its --out, where its stderr is kept as stderr.log if not empty
  std::vector<std::string> arguments;  // after `lbsim run`: the file, then its own options
  std::optional<std::uint64_t> seed;   // its own seed (a replication's), else the settings'
  double estimated_seconds = 0;        // config::estimate_cost's wall time, where known (0: not)
  int exit_code = -1;
  std::string failure;             // why a child that did not finish failed: "exit 1: <its stderr's last line>"
  nlohmann::ordered_json summary;  // its summary.json, once read
};

// Pointers to each of `runs` (a vector of ChildRun or of a type derived from it).
template <typename Run>
std::vector<ChildRun*> child_runs_of(std::vector<Run>& runs) {
  std::vector<ChildRun*> children;
  for (auto& run : runs) children.push_back(&run);
  return children;
}

// The order to start `runs` in: the longest estimated first (ties as given), so that a
// pool of a few runs at a time does not end on one long run started last while the other
// slots sit idle (a sweep's points grow with the rate swept: in given order, its last and
// longest point ran alone).
inline std::vector<std::size_t> start_order(const std::vector<ChildRun*>& runs) {
  std::vector<std::size_t> order(runs.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return runs[a]->estimated_seconds > runs[b]->estimated_seconds; });
  return order;
}

// `count` replications of each run, as children of their own: run r's k-th (0-based) is
// element r * count + k, in DIR/<run>/replication-<k+1>, seeded reports::replication_seed(seed, k).
std::vector<ChildRun> replicate(const std::vector<ChildRun*>& runs, unsigned count, std::uint64_t seed);

// Runs `lbsim run ARGUMENTS --seed S --duration D -q --out DIR` for each run, at most
// `settings.jobs` at a time, and records how each ended (a child that only missed its
// objectives, exit 3, did not fail). While they run, a progress line on stderr (runs
// done, running, an estimate of the time left): rewritten in place on a terminal, a line
// every half minute or so in a log.
void run_children(const std::vector<ChildRun*>& runs, const ChildRunSettings& settings);

// Reads the summary.json of each run that finished; one that wrote none (or not JSON)
// failed.
void read_summaries(const std::vector<ChildRun*>& runs);

// One line on stderr per run that failed, calling it `what` ("run", "point"); true if any did.
bool report_failures(const std::vector<ChildRun*>& runs, const std::string& what);

// A folder name: `name`, or if it is taken `name-2`, `name-3`, ... A name longer than
// kMaxFolderName bytes is cut and ends with a digest of the whole (the full values stay in
// sweep.csv and comparison.json); file systems refuse names over 255 bytes.
constexpr std::size_t kMaxFolderName = 120;
std::string unique_name(const std::string& name, const std::set<std::string>& taken);

// Rows of text as aligned columns, the first left-aligned, the others right-aligned, each
// line indented by two spaces.
void print_table(std::ostream& out, const std::vector<std::vector<std::string>>& table);

}  // namespace lbsim::cli
