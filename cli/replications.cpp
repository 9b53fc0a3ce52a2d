// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/replications.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/child_runs.hpp"
#include "cli/scenario_file.hpp"
#include "reports/replications.hpp"

namespace lbsim::cli {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

// The children's options after `lbsim run`: the file and how it is changed.
std::vector<std::string> run_arguments(const ReplicationArgs& args) {
  std::vector<std::string> arguments{args.file};
  if (args.variant) arguments.insert(arguments.end(), {"--variant", *args.variant});
  for (const auto& set : args.sets) arguments.insert(arguments.end(), {"--set", set});
  return arguments;
}

void print_replications(const json& first, const json& replications) {
  fmt::print("lbsim: {} ({}), {} replications, seeds {}..\n", first["scenario"].get<std::string>(), first["layout"].get<std::string>(),
             replications["count"].get<std::size_t>(), replications["seeds"][0].get<std::uint64_t>());
  fmt::print("  each figure: the mean over the replications and its 95 % confidence interval (Student t)\n\n");
  print_table(std::cout, reports::replications_table(replications));
  for (const auto& warning : first["steady_state"]["warnings"]) fmt::print("\n  warning: {}\n", warning.get<std::string>());
}

}  // namespace

int run_replications(const ReplicationArgs& args) {
  const config::ScenarioSpec scenario = load_scenario_file(args.file, args.variant, parse_set_options(args.sets));
  ChildRunOptions options;
  options.jobs = args.jobs;
  options.seed = args.seed;
  options.duration = args.duration;
  const auto settings = child_run_settings(options, scenario);
  if (!settings) return kExitBadInput;
  const bool temporary = args.out_dir.empty();
  const fs::path out_dir = temporary ? fs::temp_directory_path() / fmt::format("lbsim-replications-{}", ::getpid()) : fs::path(args.out_dir);
  std::vector<ChildRun> runs(args.replications);
  std::vector<std::uint64_t> seeds;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    runs[i].name = fmt::format("replication {}", i + 1);
    runs[i].dir = out_dir / fmt::format("replication-{}", i + 1);
    runs[i].arguments = run_arguments(args);
    runs[i].seed = reports::replication_seed(settings->seed, i);
    seeds.push_back(*runs[i].seed);
  }
  run_children(child_runs_of(runs), *settings);
  read_summaries(child_runs_of(runs));
  const bool crashed = report_failures(child_runs_of(runs), "replication");
  int exit_code = crashed ? kExitCrashed : 0;
  if (!crashed) {
    std::vector<json> summaries;
    for (const auto& run : runs) summaries.push_back(run.summary);
    json summary = summaries.front();
    summary["replications"] = reports::replications_json(summaries, seeds);
    if (!args.quiet) print_replications(summary, summary["replications"]);
    if (!temporary) std::ofstream(out_dir / "summary.json") << summary.dump(2) << '\n';
    for (const auto& run : runs)
      if (run.exit_code == kExitSloMissed) exit_code = kExitSloMissed;
    if (exit_code == kExitSloMissed) std::cerr << "lbsim: a replication missed a service-level objective (see each one's summary.json)\n";
  }
  if (temporary && !crashed) fs::remove_all(out_dir);  // (a crash's stderr.log stays to be read)
  return exit_code;
}

}  // namespace lbsim::cli
