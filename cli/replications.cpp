// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/replications.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <iostream>

#include "cli/child_runs.hpp"
#include "reports/words.hpp"
#include "reports/output_files.hpp"
#include "cli/run_limits.hpp"
#include "cli/scenario_file.hpp"
#include "reports/html/report.hpp"
#include "reports/replications.hpp"
#include "reports/saturation.hpp"

namespace lbsim::cli {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

// The children's options after `lbsim run`: the file and how it is changed.
std::vector<std::string> run_arguments(const ReplicationArgs& args) {
  std::vector<std::string> arguments{args.file};
  if (args.variant) arguments.insert(arguments.end(), {"--variant", *args.variant});
  for (const auto& set : args.sets) arguments.insert(arguments.end(), {"--set", set});
  if (args.language != "en") arguments.insert(arguments.end(), {"--language", args.language});  // their report.html
  return arguments;
}

// The table, then the first replication's warnings (its report is the one shown), and how
// many replications saturated: a flag one seed raises and the others do not is worth knowing.
void print_replications(const std::vector<json>& summaries, const json& replications, text::Language language) {
  const json& first = summaries.front();
  const auto says = [language](std::string_view id, std::vector<std::string> args = {}) { return reports::say(id, language, std::move(args)); };
  const std::string first_seed = std::to_string(replications["seeds"][0].get<std::uint64_t>());
  fmt::print("{}\n", says("rep.title", {first["scenario"].get<std::string>(), first["layout"].get<std::string>(),
                                         std::to_string(replications["count"].get<std::size_t>()), first_seed}));
  fmt::print("  {}\n", says("rep.each"));
  if (first.contains("warmup_s")) {
    const auto& steady = first["steady_state"];
    fmt::print("  {}", says("rep.warmup", {fmt::format("{:g}", first["warmup_s"].get<double>())}));
    if (steady.contains("estimate_s") && steady["estimate_s"].is_number())
      fmt::print("{}", says("rep.transient", {steady["method"].get<std::string>(), fmt::format("{:g}", steady["estimate_s"].get<double>())}));
    fmt::print("\n");
  }
  fmt::print("\n");
  print_table(std::cout, reports::replications_table(replications, language));
  std::vector<std::string> warnings = reports::saturation_warnings(first.value("saturation", json::array()));
  for (const auto& warning : first["steady_state"]["warnings"]) warnings.push_back(warning.get<std::string>());
  const auto saturated = std::count_if(summaries.begin(), summaries.end(), [](const json& s) { return !s.value("saturation", json::array()).empty(); });
  if (warnings.empty() && saturated == 0) return;
  fmt::print("\n  {}\n", says("rep.first", {first_seed}));
  for (const auto& warning : warnings) fmt::print("  {}\n", says("sum.warning", {warning}));
  if (saturated > 0) fmt::print("  {}\n", says("rep.saturated", {std::to_string(saturated), std::to_string(summaries.size())}));
}

// report.html beside summary.json: the first replication's report with the intervals on top.
void write_replicated_report(const fs::path& out_dir, const json& replications, text::Language language) {
  std::ifstream first(out_dir / "replication-1" / "report.html");
  if (!first) return;  // the children were asked for no report
  const std::string page((std::istreambuf_iterator<char>(first)), std::istreambuf_iterator<char>());
  reports::write_file(out_dir / "report.html", reports::html::replicated_report_html(page, replications, language));
}

}  // namespace

namespace {

constexpr const char* kPlanFile = "replications-plan.json";

// Made with mkdtemp: a fixed name in /tmp could be a folder or symlink someone else made.
fs::path private_temporary_folder() {
  std::string name = (fs::temp_directory_path() / "lbsim-replications-XXXXXX").string();
  if (::mkdtemp(name.data()) == nullptr) throw reports::OutputError(name, std::string("cannot make a temporary folder (") + std::strerror(errno) + ")");
  return name;
}

// The children: replication k in DIR/replication-<k>, seeded by replication_seed.
std::vector<ChildRun> plan_replications(const ReplicationArgs& args, const ChildRunSettings& settings, const fs::path& out_dir) {
  std::vector<ChildRun> runs(args.replications);
  for (std::size_t i = 0; i < runs.size(); ++i) {
    runs[i].name = fmt::format("replication {}", i + 1);
    runs[i].dir = out_dir / fmt::format("replication-{}", i + 1);
    runs[i].arguments = run_arguments(args);
    runs[i].seed = reports::replication_seed(settings.seed, i);
  }
  return runs;
}

// What the children wrote, merged: the table, summary.json and report.html.
int finish(const ReplicationArgs& args, std::vector<ChildRun>& runs, const fs::path& out_dir, bool temporary) {
  read_summaries(child_runs_of(runs));
  const bool crashed = report_failures(child_runs_of(runs), "replication");
  int exit_code = crashed ? kExitCrashed : 0;
  if (!crashed) {
    std::vector<json> summaries;
    std::vector<std::uint64_t> seeds;
    for (const auto& run : runs) {
      summaries.push_back(run.summary);
      seeds.push_back(*run.seed);
    }
    json summary = summaries.front();
    summary["replications"] = reports::replications_json(summaries, seeds);
    const text::Language language = text::language_named(args.language).value_or(text::Language::en);
    if (!args.quiet) print_replications(summaries, summary["replications"], language);
    if (!temporary) {
      reports::write_file(out_dir / "summary.json", summary.dump(2) + '\n');
      write_replicated_report(out_dir, summary["replications"], language);
    }
    for (const auto& run : runs)
      if (run.exit_code == kExitSloMissed || (run.summary.contains("slo") && !run.summary["slo"]["passed"].get<bool>()))
        exit_code = kExitSloMissed;
    if (exit_code == kExitSloMissed) std::cerr << "lbsim: a replication missed a service-level objective (see each one's summary.json)\n";
  }
  if (temporary && !crashed) fs::remove_all(out_dir);  // (a crash's stderr.log stays to be read)
  return exit_code;
}

// Each replication one task of a Slurm job array; the plan lets --collect merge them later.
int submit_to_slurm(const ReplicationArgs& args, const ChildRunSettings& settings, std::vector<ChildRun>& runs, const fs::path& out_dir) {
  const json plan{{"file", fs::absolute(args.file).string()}, {"sets", args.sets}, {"variant", args.variant ? json(*args.variant) : json(nullptr)},
                  {"seed", settings.seed}, {"duration", settings.duration}, {"replications", args.replications},
                  {"language", args.language}};
  const auto job = submit_to_slurm(child_runs_of(runs), settings, out_dir, kPlanFile, plan, args.wait);
  if (!job) return kExitCrashed;
  std::cout << fmt::format("  submitted Slurm job array {} ({} replications)\n", *job, runs.size());
  if (args.wait) {
    for (ChildRun& run : runs) run.exit_code = 0;  // a task that failed left no summary.json: read_summaries says so
    return finish(args, runs, out_dir, false);
  }
  std::cout << "  when it has finished: lbsim run --collect " << args.out_dir << '\n';
  return 0;
}

int collect(const ReplicationArgs& options) {
  std::ifstream in(fs::path(options.collect) / kPlanFile);
  const auto plan = json::parse(in, nullptr, false);
  if (!in || plan.is_discarded()) {
    std::cerr << "lbsim: error: --collect: " << options.collect << " holds no " << kPlanFile << " (written by lbsim run --replications N --slurm)\n";
    return kExitBadInput;
  }
  ReplicationArgs args = options;
  args.file = plan["file"].get<std::string>();
  args.sets = plan["sets"].get<std::vector<std::string>>();
  if (plan["variant"].is_string()) args.variant = plan["variant"].get<std::string>();
  args.replications = plan["replications"].get<unsigned>();
  // The collector's --language, if given, else the one the replications' reports were written in.
  if (options.language == "en") args.language = plan.value("language", "en");
  ChildRunSettings settings;
  settings.seed = plan["seed"].get<std::uint64_t>();
  settings.duration = plan["duration"].get<std::string>();
  auto runs = plan_replications(args, settings, fs::absolute(args.collect));
  for (ChildRun& run : runs) run.exit_code = 0;
  return finish(args, runs, fs::absolute(args.collect), false);
}

}  // namespace

int run_replications(const ReplicationArgs& args) {
  if (!args.collect.empty()) return collect(args);
  const config::ScenarioSpec scenario = load_scenario_file(args.file, args.variant, parse_set_options(args.sets));
  ChildRunOptions options;
  options.jobs = args.jobs;
  options.seed = args.seed;
  options.duration = args.duration;
  const auto settings = child_run_settings(options, scenario);
  if (!settings) return kExitBadInput;
  config::ScenarioSpec each = scenario;  // as each replication runs it
  each.duration_s = settings->duration_s;
  refuse_if_beyond_limits(each);
  if (args.slurm && args.out_dir.empty()) {
    std::cerr << "lbsim: error: --slurm: expected --out DIR, a folder every Slurm node can reach\n";
    return kExitBadInput;
  }
  const bool temporary = args.out_dir.empty();
  if (!temporary) reports::prepare_output_folder(args.out_dir);  // before any run, not after all of them
  const fs::path out_dir = temporary ? private_temporary_folder() : (args.slurm ? fs::absolute(args.out_dir) : fs::path(args.out_dir));
  auto runs = plan_replications(args, *settings, out_dir);
  if (args.slurm) return submit_to_slurm(args, *settings, runs, out_dir);
  run_children(child_runs_of(runs), *settings);
  return finish(args, runs, out_dir, temporary);
}

}  // namespace lbsim::cli
