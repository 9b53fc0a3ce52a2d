// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/compare.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <functional>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "reports/output_files.hpp"
#include "cli/run_limits.hpp"
#include "cli/scenario_file.hpp"
#include "reports/comparison.hpp"
#include "reports/html/overlay.hpp"
#include "reports/replications.hpp"
#include "util/strings.hpp"

namespace lbsim::cli {
namespace {

using reports::Delta;
using reports::Metric;
using reports::NamedSummary;
using reports::comparison_metrics;
using reports::comparison_table;

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

// ---- the runs ----

// Its name is "two-tier-3az", or "file:variant" for a variant.
struct Run : ChildRun {
  std::string file;
  std::optional<std::string> variant;
};

std::string run_name(const std::string& file, const std::optional<std::string>& variant) {
  const std::string stem = fs::path(file).stem().string();
  return variant ? stem + ":" + *variant : stem;
}

struct Plan {
  std::vector<Run> runs;
  std::vector<config::ScenarioSpec> specs;  // by run
};

// The specs of one file that run: the file as written when it has no variants (or none of
// those --variant names), else its variants, or those of them --variant names.
std::vector<config::ScenarioSpec> specs_to_run(const std::string& file, const CompareArgs& args, std::set<std::string>& named_found) {
  auto specs = load_file_and_variants(file, parse_set_options(args.sets), args.variants);
  for (std::size_t i = 1; i < specs.size(); ++i) named_found.insert(specs[i].variant);
  if (specs.size() > 1) specs.erase(specs.begin());  // specs[0] is the file as written
  return specs;
}

// The files given, a file with variants standing for its variants. Every file and every
// variant is loaded first, so a typo fails the comparison before anything runs.
Plan plan_runs(const CompareArgs& args) {
  Plan plan;
  std::set<std::string> taken, named_found;
  std::vector<config::Diagnostic> problems;
  for (const auto& file : args.files) {
    std::vector<config::ScenarioSpec> specs;
    try {
      specs = specs_to_run(file, args, named_found);
    } catch (const config::ConfigError& e) {
      problems.insert(problems.end(), e.diagnostics().begin(), e.diagnostics().end());
      continue;
    }
    for (std::size_t i = 0; i < specs.size(); ++i) {
      Run run;
      if (!specs[i].variant.empty()) run.variant = specs[i].variant;
      run.file = file;
      // Comparing a file with itself is allowed: the second run gets a suffix.
      run.name = unique_name(run_name(file, run.variant), taken);
      run.dir = fs::path(args.out_dir) / run.name;
      run.arguments = {file};
      if (run.variant) run.arguments.insert(run.arguments.end(), {"--variant", *run.variant});
      for (const auto& set : args.sets) run.arguments.insert(run.arguments.end(), {"--set", set});
      taken.insert(run.name);
      plan.runs.push_back(std::move(run));
      plan.specs.push_back(std::move(specs[i]));
    }
  }
  for (const auto& name : args.variants)
    if (problems.empty() && named_found.count(name) == 0)
      problems.push_back({"--variant " + name, 0, 0, "no file given declares a variant named '" + name + "'"});
  if (!problems.empty()) throw config::ConfigError(std::move(problems));
  return plan;
}

// A folded YAML description ends with a newline.
std::string trimmed(std::string text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  return text;
}

void write_markdown(const fs::path& file, const std::vector<Run>& runs, const std::vector<config::ScenarioSpec>& specs,
                    const std::vector<std::vector<std::string>>& table, std::uint64_t seed, double duration_s) {
  std::ostringstream out;
  out << "# lbsim compare\n\n" << fmt::format("Seed {}, {:g} s of traffic in every run.\n\n", seed, duration_s);
  std::set<std::string> described;
  for (std::size_t r = 0; r < runs.size(); ++r) {
    out << "- **" << runs[r].name << "**: `" << runs[r].file << "`" << (runs[r].variant ? ", variant `" + *runs[r].variant + "`" : "")
        << " (" << (specs[r].has_l7() ? "l4+l7" : "l4-only") << ")\n";
  }
  for (std::size_t r = 0; r < runs.size(); ++r)
    if (!specs[r].description.empty() && described.insert(runs[r].file).second)
      out << "\n" << runs[r].file << ": " << trimmed(specs[r].description) << "\n";
  out << '\n';
  for (std::size_t i = 0; i < table.size(); ++i) {
    out << '|';
    for (const auto& cell : table[i]) out << ' ' << cell << " |";
    out << '\n';
    if (i == 0) {
      out << "|---|";
      for (std::size_t c = 1; c < table[i].size(); ++c) out << "---:|";
      out << '\n';
    }
  }
  reports::write_file(file, out.view());
}

json delta_json(const std::optional<Delta>& d, std::optional<bool> significant) {
  if (!d) return nullptr;
  json out{{"absolute", d->absolute}, {"percent", d->percent ? json(*d->percent) : json(nullptr)}};
  if (significant) out["significant_at_95"] = *significant;
  return out;
}

std::vector<std::string> missed_objectives(const Run& run) {
  std::vector<std::string> missed;
  if (run.summary.contains("slo"))
    for (const auto& o : run.summary["slo"]["objectives"])
      if (!o["passed"].get<bool>()) missed.push_back(o["text"]);
  return missed;
}

void write_comparison_page(const fs::path& file, const std::vector<Run>& runs, const std::vector<std::vector<std::string>>& table) {
  std::vector<reports::html::RunFolder> folders;
  std::string title = "lbsim compare:";
  for (const Run& run : runs) {
    folders.push_back({run.name, run.dir});
    title += " " + run.name;
  }
  reports::write_file(file, reports::html::comparison_html(title, table, folders));
}

json comparison_json(const std::vector<Run>& runs, const std::vector<Metric>& metrics, std::uint64_t seed, double duration_s) {
  json out{{"seed", seed}, {"duration_s", duration_s}};
  json run_list = json::array();
  for (const auto& run : runs)
    run_list.push_back({{"name", run.name}, {"file", run.file}, {"variant", run.variant ? json(*run.variant) : json(nullptr)},
                        {"scenario", run.summary.value("scenario", "")}, {"layout", run.summary.value("layout", "")},
                        {"dir", run.dir.string()}, {"exit_code", run.exit_code}, {"slo_missed", missed_objectives(run)}});
  out["runs"] = run_list;
  json rows = json::array();
  for (const auto& m : metrics) {
    json values = json::array(), deltas = json::array();
    for (const auto& c : m.cells) values.push_back(c.value ? json(*c.value) : c.text == "-" ? json(nullptr) : json(c.text));
    for (std::size_t r = 0; r < m.cells.size(); ++r)
      deltas.push_back(r == 0 ? json(nullptr) : delta_json(delta_of(m.cells[0], m.cells[r]), significant(m.cells[0], m.cells[r])));
    rows.push_back({{"key", m.key}, {"label", m.label}, {"unit", unit_name(m.unit)}, {"values", values}, {"deltas", deltas}});
  }
  out["metrics"] = rows;
  return out;
}

// ---- the command ----

// The baseline first: the table's differences are from it.
void move_baseline_first(Plan& plan, const std::string& baseline) {
  std::vector<std::string> names;
  for (std::size_t r = 0; r < plan.runs.size(); ++r) {
    if (plan.runs[r].name == baseline) {
      std::rotate(plan.runs.begin(), plan.runs.begin() + static_cast<std::ptrdiff_t>(r), plan.runs.begin() + static_cast<std::ptrdiff_t>(r) + 1);
      std::rotate(plan.specs.begin(), plan.specs.begin() + static_cast<std::ptrdiff_t>(r), plan.specs.begin() + static_cast<std::ptrdiff_t>(r) + 1);
      return;
    }
    names.push_back(plan.runs[r].name);
  }
  throw config::ConfigError({{"--baseline " + baseline, 0, 0, "no run named '" + baseline + "'; the runs are: " + join_alternatives(names)}});
}

std::vector<NamedSummary> named_summaries(const std::vector<Run>& runs, const std::vector<ChildRun>& replications, unsigned count) {
  std::vector<NamedSummary> named;
  for (std::size_t r = 0; r < runs.size(); ++r) {
    NamedSummary one{runs[r].name, runs[r].summary, {}};
    for (unsigned k = 0; count > 1 && k < count; ++k) one.replications.push_back(replications[r * count + k].summary);
    named.push_back(std::move(one));
  }
  return named;
}

int slo_gate(const std::vector<Run>& runs) {
  int code = 0;
  for (const auto& run : runs) {
    const auto missed = missed_objectives(run);
    if (missed.empty()) continue;
    std::string list;
    for (const auto& text : missed) list.append(list.empty() ? "" : "; ").append(text);
    std::cerr << "lbsim: run '" << run.name << "' missed its service-level objectives: " << list << '\n';
    code = kExitSloMissed;
  }
  return code;
}

}  // namespace

CLI::App* add_compare_command(CLI::App& app, CompareArgs& args) {
  CLI::App* cmd = app.add_subcommand("compare", "run scenarios (and each variant of a file with variants) side by side");
  cmd->add_option("FILES", args.files, "scenario files (YAML)")->required();
  cmd->add_option("--replications", args.replications,
                  "run each N times with independent seeds: means, and differences marked significant or not at 95 %")
      ->check(CLI::Range(1u, 1000u));
  cmd->add_option("--baseline", args.baseline, "the run the others are compared with (default: the first)");
  cmd->add_option("--variant", args.variants, "compare only this variant of the files that declare it (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--set", args.sets, "PATH=VALUE: change one key of every run, as a variant's `set` does (repeatable)")
      ->allow_extra_args(false);
  add_child_run_options(*cmd, args, "write each run and comparison.json, comparison.md here (default out/compare)", "the first file's");
  return cmd;
}

int compare(const CompareArgs& args) {
  Plan plan = plan_runs(args);
  if (args.baseline) move_baseline_first(plan, *args.baseline);
  // Every run gets the first file's seed and duration unless told otherwise.
  const auto settings = child_run_settings(args, plan.specs.front());
  if (!settings) return kExitBadInput;
  for (config::ScenarioSpec spec : plan.specs) {  // as each run runs it
    spec.duration_s = settings->duration_s;
    refuse_if_beyond_limits(spec);
  }
  reports::prepare_output_folder(args.out_dir);  // before any run, not after all of them
  const std::uint64_t seed = settings->seed;
  const double duration_s = settings->duration_s;
  const unsigned count = args.replications;
  std::cout << fmt::format("lbsim compare: {} runs{}, seed {}, {:g} s of traffic each, {} at a time\n", plan.runs.size(),
                           count > 1 ? fmt::format(" x {} replications", count) : "", seed, duration_s,
                           std::min<std::size_t>(settings->jobs, plan.runs.size() * count))
            << std::flush;  // before the children start
  std::vector<ChildRun> replications = count > 1 ? replicate(child_runs_of(plan.runs), count, seed) : std::vector<ChildRun>{};
  const auto children = count > 1 ? child_runs_of(replications) : child_runs_of(plan.runs);
  run_children(children, *settings);
  read_summaries(children);
  if (report_failures(children, "run")) return kExitCrashed;
  for (std::size_t r = 0; count > 1 && r < plan.runs.size(); ++r) {  // each run stands for its first replication
    plan.runs[r].summary = replications[r * count].summary;
    plan.runs[r].exit_code = replications[r * count].exit_code;
  }

  const auto summaries = named_summaries(plan.runs, replications, count);
  const auto metrics = comparison_metrics(summaries);
  const auto table = comparison_table(summaries, metrics);
  std::cout << '\n';
  print_table(std::cout, table);
  const fs::path out_dir(args.out_dir);
  reports::write_file(out_dir / "comparison.json", comparison_json(plan.runs, metrics, seed, duration_s).dump(2) + '\n');
  write_markdown(out_dir / "comparison.md", plan.runs, plan.specs, table, seed, duration_s);
  write_comparison_page(out_dir / "comparison.html", plan.runs, table);
  std::cout << "\n  wrote comparison.json, comparison.md and comparison.html in " << args.out_dir << '\n';
  return slo_gate(plan.runs);
}

}  // namespace lbsim::cli
