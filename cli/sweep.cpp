// SPDX-License-Identifier: GPL-3.0-or-later
// lbsim sweep: plans the grid's points (cli/sweep_grid.hpp), runs them as child runs here
// or as a Slurm job array (cli/slurm.hpp), and writes what they gave (reports/sweep.hpp).
#include "cli/sweep.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include "cli/scenario_file.hpp"
#include "cli/slurm.hpp"
#include "cli/sweep_grid.hpp"
#include "reports/html/overlay.hpp"
#include "reports/sweep.hpp"
#include "util/units.hpp"

namespace lbsim::cli {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

struct Point : ChildRun, reports::SweepPoint {};

std::vector<reports::SweepPoint> results_of(const std::vector<Point>& points) { return {points.begin(), points.end()}; }

std::vector<std::string> labels_of(const std::vector<Axis>& axes) {
  std::vector<std::string> labels;
  for (const auto& axis : axes) labels.push_back(axis.label);
  return labels;
}

std::vector<config::SetOverride> overrides_of(const std::vector<Axis>& axes, const Point& point) {
  std::vector<config::SetOverride> overrides;
  for (std::size_t a = 0; a < axes.size(); ++a) overrides.push_back({axes[a].path, point.values[a]});
  return overrides;
}

// Point i is i in mixed radix over the axes, the last axis the lowest digit (fastest).
std::vector<Point> plan_points(const std::string& file, const std::vector<Axis>& axes, const fs::path& out_dir) {
  const std::size_t count = grid_size(axes);
  std::vector<Point> points(count);
  std::set<std::string> taken;
  for (std::size_t i = 0; i < count; ++i) {
    Point& point = points[i];
    point.values.resize(axes.size());
    for (std::size_t a = axes.size(), rest = i; a-- > 0; rest /= axes[a].values.size())
      point.values[a] = axes[a].values[rest % axes[a].values.size()];
    std::string name;
    for (std::size_t a = 0; a < axes.size(); ++a)
      name += (a == 0 ? "" : ",") + file_safe(axes[a].label) + "=" + file_safe(point.values[a]);
    point.name = unique_name(name, taken);  // "10000/s" and "10000_s" would share a folder
    taken.insert(point.name);
    point.dir = out_dir / point.name;
    point.arguments = {file};
    for (const auto& o : overrides_of(axes, point)) point.arguments.insert(point.arguments.end(), {"--set", o.path + "=" + o.value});
  }
  return points;
}

// Every point is loaded before anything runs, so a path the file does not have or a value
// it rejects stops the sweep at once, with the first problem of the first such point.
void check_points(const std::string& file, const std::vector<Axis>& axes, const std::vector<Point>& points) {
  for (const auto& point : points) {
    try {
      load_scenario_file(file, std::nullopt, overrides_of(axes, point));
    } catch (const config::ConfigError& e) {
      throw config::ConfigError({e.diagnostics().front()});
    }
  }
}

// The figures of every point that finished; a failed point keeps none.
void read_figures(std::vector<Point>& points) {
  read_summaries(child_runs_of(points));
  for (auto& point : points)
    if (point.failure.empty()) point.figures = reports::sweep_figures(point.summary);
}

json sweep_json(const SweepArgs& args, const ChildRunSettings& settings, const std::vector<Axis>& axes,
                const std::vector<Point>& points, const std::optional<reports::Knee>& knee, const std::string& knee_line) {
  json grid = json::array();
  for (const auto& axis : axes) grid.push_back({{"path", axis.path}, {"values", axis.values}});
  json list = json::array();
  for (const auto& point : points) {
    json set = json::object();
    for (std::size_t a = 0; a < axes.size(); ++a) set[axes[a].path] = point.values[a];
    list.push_back({{"name", point.name}, {"dir", point.dir.string()}, {"set", set}, {"exit_code", point.exit_code},
                    {"failure", point.failure.empty() ? json(nullptr) : json(point.failure)}, {"figures", point.figures}});
  }
  json out{{"file", args.file}, {"seed", settings.seed}, {"duration_s", settings.duration_s}, {"grid", grid}, {"points", list}};
  out["knee"] = nullptr;
  if (axes.size() == 1) {
    json found = nullptr;
    if (knee)
      found = {{"point", knee->point}, {"previous", knee->previous ? json(*knee->previous) : json(nullptr)}, {"p99", knee->p99},
               {"errors", knee->errors}};
    out["knee"] = {{"found", found}, {"text", knee_line}};
  }
  return out;
}

}  // namespace

CLI::App* add_sweep_command(CLI::App& app, SweepArgs& args) {
  CLI::App* cmd = app.add_subcommand("sweep", "run a scenario over a grid of values and find where latency knees");
  cmd->add_option("FILE", args.file, "scenario file (YAML)");
  cmd->add_option("--set", args.sets, "PATH=RANGE: a..b (integers), a..b:step, or a list a,b,c; repeat for a grid")
      ->allow_extra_args(false);  // one PATH=RANGE per --set, so FILE may follow it
  add_child_run_options(*cmd, args, "write sweep.csv, sweep.json and each point's run here (default out/sweep)", "the file's");
  cmd->add_flag("--slurm", args.slurm, "submit the grid to Slurm as a job array (sbatch) instead of running it here");
  cmd->add_flag("--wait", args.wait, "with --slurm: wait for the array to finish, then collect its results");
  cmd->add_option("--collect", args.collect, "merge the results of a --slurm sweep written to this folder");
  return cmd;
}

// The table, and latency and errors against the last swept value when it is a number:
// one curve for a one-dimensional sweep, one per value of the first axis for two (rate
// per node count, say). Where a curve bends is its knee.
void write_sweep_page(const fs::path& file, const std::string& scenario, const std::vector<Axis>& axes, const std::vector<Point>& points,
                      const std::string& knee_line) {
  std::ostringstream text;
  print_table(text, reports::sweep_table(labels_of(axes), results_of(points)));
  std::vector<reports::html::SweepCurve> curves;
  if (axes.size() == 1 || axes.size() == 2) {
    for (const Point& p : points) {
      if (p.figures.is_null()) continue;
      const std::string& last = p.values.back();
      char* end = nullptr;
      const double x = std::strtod(last.c_str(), &end);
      if (end == last.c_str()) continue;  // not a number (dnat, dsr): no curve
      const std::string curve = axes.size() == 2 ? axes[0].label + " " + p.values[0] : "";
      if (curves.empty() || curves.back().name != curve) curves.push_back({curve, {}});
      curves.back().points.push_back(
          {x, p.figures["p50_ms"].get<double>(), p.figures["p99_ms"].get<double>(), p.figures["error_rate"].get<double>()});
    }
  }
  std::ofstream(file) << reports::html::sweep_html("lbsim sweep: " + scenario, text.str(), knee_line, axes.back().path, curves);
}

namespace {

// What a sweep wrote ends the same whether its points ran here or on Slurm: the table,
// the knee, and the files.
int finish_sweep(const SweepArgs& args, const ChildRunSettings& settings, const std::vector<Axis>& axes, std::vector<Point>& points) {
  read_figures(points);
  const auto results = results_of(points);
  std::cout << '\n';
  print_table(std::cout, reports::sweep_table(labels_of(axes), results));
  const auto knee = axes.size() == 1 ? reports::find_knee(results) : std::nullopt;
  const std::string knee_line = axes.size() == 1 ? reports::knee_text(knee, axes[0].label, results) : "";
  if (!knee_line.empty()) std::cout << "\n  " << knee_line << '\n';
  const fs::path out_dir(args.out_dir);
  std::vector<std::string> paths;
  for (const auto& axis : axes) paths.push_back(axis.path);
  std::ofstream(out_dir / "sweep.csv") << reports::sweep_csv(paths, results);
  write_sweep_page(out_dir / "sweep.html", args.file, axes, points, knee_line);
  std::ofstream(out_dir / "sweep.json") << sweep_json(args, settings, axes, points, knee, knee_line).dump(2) << '\n';
  std::cout << "\n  wrote sweep.csv, sweep.json and sweep.html in " << args.out_dir << '\n';
  return report_failures(child_runs_of(points), "point") ? kExitCrashed : 0;
}

// ---- Slurm: the grid as a job array, merged later by --collect ----

constexpr const char* kPlanFile = "sweep-plan.json";

// Each task runs one point; the plan records what --collect needs to rebuild the grid.
int submit_to_slurm(const SweepArgs& args, const ChildRunSettings& settings, const std::vector<Axis>& axes, std::vector<Point>& points) {
  const fs::path out_dir = fs::absolute(args.out_dir);
  std::vector<std::vector<std::string>> tasks;
  for (auto& point : points) {
    fs::create_directories(point.dir);
    auto arguments = child_arguments(point, settings);
    arguments.erase(arguments.begin());  // the program's own name: the script names it
    tasks.push_back(std::move(arguments));
  }
  const fs::path script = slurm::write_job_array(out_dir, tasks);
  json plan{{"file", fs::absolute(args.file).string()}, {"sets", args.sets}, {"seed", settings.seed}, {"duration", settings.duration}};
  std::ofstream(out_dir / kPlanFile) << plan.dump(2) << '\n';
  const auto job = slurm::submit(script, args.wait);
  if (!job) {
    std::cerr << "lbsim: error: sbatch failed (is Slurm installed and its controller reachable?): sbatch " << script.string() << '\n';
    return kExitCrashed;
  }
  std::cout << fmt::format("  submitted Slurm job array {} ({} tasks)\n", *job, points.size());
  if (args.wait) return finish_sweep(args, settings, axes, points);
  std::cout << "  when it has finished: lbsim sweep --collect " << args.out_dir << '\n';
  return 0;
}

// A --slurm sweep's folder: rebuild its grid from the plan, read what each task wrote.
int collect(const SweepArgs& options) {
  std::ifstream in(fs::path(options.collect) / kPlanFile);
  const auto plan = nlohmann::ordered_json::parse(in, nullptr, false);
  if (!in || plan.is_discarded()) {
    std::cerr << "lbsim: error: --collect: " << options.collect << " holds no " << kPlanFile << " (written by lbsim sweep --slurm)\n";
    return kExitBadInput;
  }
  SweepArgs args = options;
  args.file = plan["file"].get<std::string>();
  args.sets = plan["sets"].get<std::vector<std::string>>();
  args.out_dir = options.collect;
  ChildRunSettings settings;
  settings.seed = plan["seed"].get<std::uint64_t>();
  settings.duration = plan["duration"].get<std::string>();
  settings.duration_s = units::parse_duration(settings.duration).value_or(0);
  const auto axes = read_axes(args.sets);
  auto points = plan_points(args.file, axes, fs::absolute(args.out_dir));
  for (auto& point : points) point.exit_code = 0;  // a task that failed left no summary.json: read_figures says so
  return finish_sweep(args, settings, axes, points);
}

}  // namespace

int sweep(const SweepArgs& args) {
  if (!args.collect.empty()) return collect(args);
  if (args.file.empty() || args.sets.empty()) {
    std::cerr << "lbsim: error: sweep: expected FILE and at least one --set PATH=RANGE (or --collect DIR)\n";
    return kExitBadInput;
  }
  const config::ScenarioSpec scenario = load_scenario_file(args.file);  // its own problems, before any --set's
  const auto settings = child_run_settings(args, scenario);
  if (!settings) return kExitBadInput;
  const auto axes = read_axes(args.sets);
  auto points = plan_points(args.file, axes, args.slurm ? fs::absolute(args.out_dir) : fs::path(args.out_dir));
  check_points(args.file, axes, points);
  std::cout << fmt::format("lbsim sweep: {} points ({}), seed {}, {:g} s of traffic each, {}\n", points.size(), grid_shape(axes),
                           settings->seed, settings->duration_s,
                           args.slurm ? std::string("as a Slurm job array")
                                      : fmt::format("{} at a time", std::min<std::size_t>(settings->jobs, points.size())))
            << std::flush;  // before the children start
  if (args.slurm) return submit_to_slurm(args, *settings, axes, points);
  run_children(child_runs_of(points), *settings);
  return finish_sweep(args, *settings, axes, points);
}

}  // namespace lbsim::cli
