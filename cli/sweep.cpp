// SPDX-License-Identifier: GPL-3.0-or-later
// lbsim sweep: plans the grid's points (cli/sweep_grid.hpp), runs them as child runs here
// or as a Slurm job array (cli/slurm.hpp), and writes what they gave (reports/sweep.hpp).
#include "cli/sweep.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>

#include "reports/output_files.hpp"
#include "cli/run_limits.hpp"
#include "config/cost.hpp"
#include "cli/scenario_file.hpp"
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

// What every point shares (--variant, one-value --set) and what makes each point itself.
struct Grid {
  std::vector<Axis> axes;
  std::optional<std::string> variant;
  std::vector<std::string> fixed;  // PATH=VALUE
};

Grid read_grid(const SweepArgs& args) {
  Grid grid{read_axes(args.sets), args.variant, {}};
  grid.fixed = take_fixed_sets(grid.axes);
  return grid;
}

std::vector<config::SetOverride> overrides_of(const Grid& grid, const Point& point) {
  const auto& axes = grid.axes;
  std::vector<config::SetOverride> overrides = parse_set_options(grid.fixed);
  for (std::size_t a = 0; a < axes.size(); ++a) overrides.push_back({axes[a].path, point.values[a]});
  return overrides;
}

// Point i is i in mixed radix over the axes, the last axis the lowest digit (fastest).
std::vector<Point> plan_points(const std::string& file, const Grid& grid, const fs::path& out_dir) {
  const auto& axes = grid.axes;
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
    if (grid.variant) point.arguments.insert(point.arguments.end(), {"--variant", *grid.variant});
    for (const auto& o : overrides_of(grid, point)) point.arguments.insert(point.arguments.end(), {"--set", o.path + "=" + o.value});
  }
  return points;
}

// Every point is loaded before anything runs, so a path the file does not have or a value
// it rejects stops the sweep at once, with the first problem of the first such point.
// Each point's estimated cost orders the runs (the longest start first).
void check_points(const std::string& file, const Grid& grid, std::vector<Point>& points, double duration_s) {
  for (auto& point : points) {
    try {
      config::ScenarioSpec spec = load_scenario_file(file, grid.variant, overrides_of(grid, point));
      spec.duration_s = duration_s;  // as the point runs
      refuse_if_beyond_limits(spec);
      point.estimated_seconds = config::estimate_cost(spec).wall_seconds;
    } catch (const config::ConfigError& e) {
      throw config::ConfigError({e.diagnostics().front()});
    }
  }
}

// The children that run: the points themselves, or each point's replications.
struct Children {
  std::vector<ChildRun> replications;  // point i's k-th is i * count + k
  unsigned count = 1;
};

Children children_of(std::vector<Point>& points, unsigned count, std::uint64_t seed) {
  Children children;
  children.count = count;
  if (count > 1) children.replications = replicate(child_runs_of(points), count, seed);
  return children;
}

std::vector<ChildRun*> runs_of(std::vector<Point>& points, Children& children) {
  return children.count > 1 ? child_runs_of(children.replications) : child_runs_of(points);
}

// The figures of every point that finished; a failed point keeps none. A replicated
// point failed when any of its replications did, and its figures are their means.
void read_figures(std::vector<Point>& points, Children& children, std::uint64_t seed) {
  read_summaries(runs_of(points, children));
  for (std::size_t i = 0; i < points.size(); ++i) {
    Point& point = points[i];
    if (children.count == 1) {
      if (point.failure.empty()) point.figures = reports::sweep_figures(point.summary);
      continue;
    }
    std::vector<json> summaries;
    std::vector<std::uint64_t> seeds;
    point.exit_code = 0;
    for (unsigned k = 0; k < children.count; ++k) {
      const ChildRun& replication = children.replications[i * children.count + k];
      if (!replication.failure.empty() && point.failure.empty()) point.failure = "replication " + std::to_string(k + 1) + ": " + replication.failure;
      if (replication.exit_code != 0) point.exit_code = replication.exit_code;
      summaries.push_back(replication.summary);
      seeds.push_back(replication.seed.value_or(seed));
    }
    if (!point.failure.empty()) continue;
    point.summary = summaries.front();
    point.summary["replications"] = reports::set_replicated_figures(point, summaries, seeds);
  }
}

json sweep_json(const SweepArgs& args, const ChildRunSettings& settings, const Grid& grid, const std::vector<Point>& points,
                const std::optional<reports::Knee>& knee, const std::string& knee_line) {
  const auto& axes = grid.axes;
  json axes_json = json::array();
  for (const auto& axis : axes) axes_json.push_back({{"path", axis.path}, {"values", axis.values}});
  json list = json::array();
  for (const auto& point : points) {
    json set = json::object();
    for (std::size_t a = 0; a < axes.size(); ++a) set[axes[a].path] = point.values[a];
    list.push_back({{"name", point.name}, {"dir", point.dir.string()}, {"set", set}, {"exit_code", point.exit_code},
                    {"failure", point.failure.empty() ? json(nullptr) : json(point.failure)}, {"figures", point.figures}});
    if (point.summary.contains("replications")) list.back()["replications"] = point.summary["replications"];
  }
  json out{{"file", args.file}, {"variant", grid.variant ? json(*grid.variant) : json(nullptr)}, {"set", grid.fixed},
           {"seed", settings.seed}, {"duration_s", settings.duration_s}, {"replications", args.replications}, {"grid", axes_json},
           {"points", list}};
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
  cmd->add_option("--variant", args.variant, "sweep this variant of the file (its `variants:`)");
  cmd->add_option("--replications", args.replications,
                  "run each point N times with independent seeds: means with 95 % confidence intervals, error bars on the curves")
      ->check(CLI::Range(1u, 1000u));
  cmd->add_flag("--slurm", args.slurm, "submit the grid to Slurm as a job array (sbatch) instead of running it here");
  cmd->add_flag("--wait", args.wait, "with --slurm: wait for the array to finish, then collect its results");
  cmd->add_option("--collect", args.collect, "merge the results of a --slurm sweep written to this folder");
  return cmd;
}

// " (/s)" for an axis whose values carry a unit ("10000/s"); nothing for plain numbers.
std::string unit_suffix(const std::string& value) {
  std::size_t at = 0;
  while (at < value.size() && (std::isdigit(static_cast<unsigned char>(value[at])) || value[at] == '.' || value[at] == '-')) ++at;
  return at == 0 || at == value.size() ? "" : " (" + value.substr(at) + ")";
}

// The table, and latency and errors against the last swept value when it is a number:
// one curve for a one-dimensional sweep, one per value of the first axis for two (rate
// per node count, say). Where a curve bends is its knee; replicated points carry error bars.
void write_sweep_page(const fs::path& file, const std::string& scenario, const std::vector<Axis>& axes, const std::vector<Point>& points,
                      const std::string& knee_line) {
  const auto rows = reports::sweep_table(labels_of(axes), results_of(points));
  std::vector<reports::html::SweepCurve> curves;
  std::vector<reports::html::RunFolder> point_reports;  // a replicated point's report is its first replication's
  for (const Point& p : points)
    if (p.failure.empty())
      point_reports.push_back({p.name, p.summary.contains("replications") ? p.dir.filename() / "replication-1" : p.dir.filename()});
  if (axes.size() == 1 || axes.size() == 2) {
    for (const Point& p : points) {
      if (p.figures.is_null()) continue;
      const std::string& last = p.values.back();
      char* end = nullptr;
      const double x = std::strtod(last.c_str(), &end);
      if (end == last.c_str()) continue;  // not a number (dnat, dsr): no curve
      const std::string curve = axes.size() == 2 ? axes[0].label + " " + p.values[0] : "";
      if (curves.empty() || curves.back().name != curve) curves.push_back({curve, {}});
      const auto half = [&](const char* key) { return p.intervals.contains(key) ? p.intervals[key].get<double>() : 0.0; };
      curves.back().points.push_back({x, p.figures["p50_ms"].get<double>(), p.figures["p99_ms"].get<double>(),
                                      p.figures["error_rate"].get<double>(), half("p50_ms"), half("p99_ms"), half("error_rate")});
    }
  }
  const std::string x_label = axes.back().path + unit_suffix(axes.back().values.front());
  reports::write_file(file, reports::html::sweep_html("lbsim sweep: " + scenario, rows, knee_line, x_label, curves, point_reports));
}

namespace {

// What a sweep wrote ends the same whether its points ran here or on Slurm: the table,
// the knee, and the files.
int finish_sweep(const SweepArgs& args, const ChildRunSettings& settings, const Grid& grid, std::vector<Point>& points, Children& children) {
  const auto& axes = grid.axes;
  read_figures(points, children, settings.seed);
  const auto results = results_of(points);
  std::cout << '\n';
  if (children.count > 1) std::cout << fmt::format("  each figure: the mean of {} replications, ± its 95 % confidence interval\n\n", children.count);
  print_table(std::cout, reports::sweep_table(labels_of(axes), results));
  const auto knee = axes.size() == 1 ? reports::find_knee(results) : std::nullopt;
  const std::string knee_line = axes.size() == 1 ? reports::knee_text(knee, axes[0].label, results) : "";
  if (!knee_line.empty()) std::cout << "\n  " << knee_line << '\n';
  const fs::path out_dir(args.out_dir);
  std::vector<std::string> paths;
  for (const auto& axis : axes) paths.push_back(axis.path);
  reports::write_file(out_dir / "sweep.csv", reports::sweep_csv(paths, results));
  write_sweep_page(out_dir / "sweep.html", args.file, axes, points, knee_line);
  reports::write_file(out_dir / "sweep.json", sweep_json(args, settings, grid, points, knee, knee_line).dump(2) + '\n');
  std::cout << "\n  wrote sweep.csv, sweep.json and sweep.html in " << args.out_dir << '\n';
  return report_failures(child_runs_of(points), "point") ? kExitCrashed : 0;
}

// ---- Slurm: the grid as a job array, merged later by --collect ----

constexpr const char* kPlanFile = "sweep-plan.json";

// Each task runs one child (a point, or one replication of one); the plan records what
// --collect needs to rebuild the grid.
int submit_to_slurm(const SweepArgs& args, const ChildRunSettings& settings, const Grid& grid, std::vector<Point>& points) {
  const fs::path out_dir = fs::absolute(args.out_dir);
  Children children = children_of(points, args.replications, settings.seed);
  const json plan{{"file", fs::absolute(args.file).string()}, {"sets", args.sets},         {"variant", args.variant ? json(*args.variant) : json(nullptr)},
                  {"seed", settings.seed},                    {"duration", settings.duration}, {"replications", args.replications}};
  const auto runs = runs_of(points, children);
  const auto job = submit_to_slurm(runs, settings, out_dir, kPlanFile, plan, args.wait);
  if (!job) return kExitCrashed;
  std::cout << fmt::format("  submitted Slurm job array {} ({} tasks)\n", *job, runs.size());
  if (args.wait) {
    for (ChildRun* child : runs_of(points, children)) child->exit_code = 0;  // a task that failed left no summary.json
    return finish_sweep(args, settings, grid, points, children);
  }
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
  if (plan.value("variant", json(nullptr)).is_string()) args.variant = plan["variant"].get<std::string>();
  args.replications = plan.value("replications", 1u);
  args.out_dir = options.collect;
  ChildRunSettings settings;
  settings.seed = plan["seed"].get<std::uint64_t>();
  settings.duration = plan["duration"].get<std::string>();
  settings.duration_s = units::parse_duration(settings.duration).value_or(0);
  const Grid grid = read_grid(args);
  auto points = plan_points(args.file, grid, fs::absolute(args.out_dir));
  Children children = children_of(points, args.replications, settings.seed);
  for (ChildRun* child : runs_of(points, children)) child->exit_code = 0;  // a task that failed left no summary.json: read_figures says so
  return finish_sweep(args, settings, grid, points, children);
}

}  // namespace

int sweep(const SweepArgs& args) {
  if (!args.collect.empty()) return collect(args);
  if (args.file.empty() || args.sets.empty()) {
    std::cerr << "lbsim: error: sweep: expected FILE and at least one --set PATH=RANGE (or --collect DIR)\n";
    return kExitBadInput;
  }
  const config::ScenarioSpec scenario = load_scenario_file(args.file, args.variant);  // its own problems, before any --set's
  const auto settings = child_run_settings(args, scenario);
  if (!settings) return kExitBadInput;
  const Grid grid = read_grid(args);
  auto points = plan_points(args.file, grid, args.slurm ? fs::absolute(args.out_dir) : fs::path(args.out_dir));
  check_points(args.file, grid, points, settings->duration_s);
  reports::prepare_output_folder(args.out_dir);  // after every check of the input, before any run
  const std::size_t runs = points.size() * args.replications;
  std::cout << fmt::format("lbsim sweep: {} points ({}){}, seed {}, {:g} s of traffic each, {}\n", points.size(), grid_shape(grid.axes),
                           args.replications > 1 ? fmt::format(" x {} replications", args.replications) : "", settings->seed,
                           settings->duration_s,
                           args.slurm ? std::string("as a Slurm job array") : fmt::format("{} at a time", std::min<std::size_t>(settings->jobs, runs)))
            << std::flush;  // before the children start
  if (args.slurm) return submit_to_slurm(args, *settings, grid, points);
  Children children = children_of(points, args.replications, settings->seed);
  run_children(runs_of(points, children), *settings);
  return finish_sweep(args, *settings, grid, points, children);
}

}  // namespace lbsim::cli
