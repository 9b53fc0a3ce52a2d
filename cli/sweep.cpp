// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/sweep.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <iostream>
#include <optional>
#include <set>
#include <string_view>

#include "cli/scenario_file.hpp"
#include "reports/html/overlay.hpp"
#include "util/units.hpp"

namespace lbsim::cli {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

// Beyond this a sweep is a job for a cluster, not for one machine's process pool.
constexpr std::size_t kMaxPoints = 10'000;
// A point is past the knee when its p99 is more than this many times the first point's…
constexpr double kKneeP99Factor = 2.0;
// …or when more than this share of its requests fail.
constexpr double kKneeErrorRate = 0.01;

// Bad input: one line, "SOURCE: error: MESSAGE", and exit 2 (main reports a ConfigError).
[[noreturn]] void bad_input(const std::string& source, const std::string& message) {
  throw config::ConfigError({{source, 0, 0, message}});
}

// ---- ranges ----

// A number as written, with its unit: "10000/s" is 10000, no decimals, unit "/s".
struct Quantity {
  double number = 0;
  int decimals = 0;
  std::string unit;
};

std::optional<Quantity> parse_quantity(std::string_view text) {
  std::size_t at = text.size() > 0 && text[0] == '-' ? 1 : 0;
  const std::size_t digits_start = at;
  while (at < text.size() && (std::isdigit(static_cast<unsigned char>(text[at])) || text[at] == '.')) ++at;
  const std::string_view number = text.substr(0, at);
  if (at == digits_start || std::count(number.begin(), number.end(), '.') > 1) return std::nullopt;
  Quantity q;
  const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), q.number, std::chars_format::fixed);
  if (error != std::errc() || end != number.data() + number.size()) return std::nullopt;
  const std::size_t point = number.find('.');
  q.decimals = point == std::string_view::npos ? 0 : static_cast<int>(number.size() - point - 1);
  q.unit = std::string(text.substr(at));
  return q;
}

// With as many decimals as the range was written with, and no trailing zeros.
std::string number_text(double value, int decimals) {
  std::string text = fmt::format("{:.{}f}", value, decimals);
  if (text.find('.') != std::string::npos) {
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
  }
  return text == "-0" ? "0" : text;
}

// `a..b` or `a..b:step` (`rest` is what follows the "..", `from` what precedes it): the
// values, each with the range's unit.
std::vector<std::string> numeric_range(const std::string& option, const Quantity& from, std::string_view rest) {
  const std::size_t colon = rest.find(':');
  const auto to = parse_quantity(rest.substr(0, colon));
  const auto step = colon == std::string_view::npos ? std::optional<Quantity>(Quantity{1, 0, from.unit})
                                                    : parse_quantity(rest.substr(colon + 1));
  if (!to || !step)
    bad_input(option, "expected a range a..b (integers), a..b:step, or a list a,b,c");
  // A step may leave out the unit; any unit written must be the range's.
  if (to->unit != from.unit || (!step->unit.empty() && step->unit != from.unit))
    bad_input(option, "the unit must be the same on each end and the step ('" + from.unit + "', '" + to->unit + "', '" + step->unit + "')");
  if (colon == std::string_view::npos && (from.decimals > 0 || to->decimals > 0))
    bad_input(option, "a..b without a step takes integers; give a step (a..b:step)");
  if (step->number <= 0) bad_input(option, "the step must be above 0");
  if (to->number < from.number) bad_input(option, "the range is empty: it ends below its start");
  // The end is included when the steps land on it, up to rounding (0.1 is not exact).
  const double count = std::floor((to->number - from.number) / step->number + 1e-6) + 1;
  if (count > static_cast<double>(kMaxPoints))
    bad_input(option, fmt::format("{:.0f} values; a sweep runs at most {} points", count, kMaxPoints));
  const int decimals = std::max({from.decimals, to->decimals, step->decimals});
  std::vector<std::string> values;
  for (std::size_t i = 0; i < static_cast<std::size_t>(count); ++i)
    values.push_back(number_text(from.number + static_cast<double>(i) * step->number, decimals) + from.unit);
  return values;
}

// Splits at the commas outside brackets, braces and quotes, so that an item may be a flow
// mapping or list (`{ cores: 4, per_request: 50us }`); items are trimmed.
std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> items{""};
  int depth = 0;
  char quote = 0;
  for (char c : text) {
    if (quote != 0) quote = c == quote ? 0 : quote;
    else if (c == '"' || c == '\'') quote = c;
    else if (c == '[' || c == '{') ++depth;
    else if (c == ']' || c == '}') --depth;
    if (c == ',' && depth == 0 && quote == 0) items.emplace_back();
    else items.back() += c;
  }
  for (auto& item : items) {
    const auto first = item.find_first_not_of(' ');
    item = first == std::string::npos ? "" : item.substr(first, item.find_last_not_of(' ') - first + 1);
  }
  return items;
}

// A range's values: a list, a numeric range (a number, then ".."), or one value.
std::vector<std::string> values_of(const std::string& option, std::string_view range) {
  if (range.empty()) bad_input(option, "expected a range after '=': a..b (integers), a..b:step, or a list a,b,c");
  const auto items = split_list(range);
  if (items.size() > 1) {
    if (std::any_of(items.begin(), items.end(), [](const std::string& v) { return v.empty(); }))
      bad_input(option, "an empty value in the list");
    return items;
  }
  const std::size_t dots = range.find("..");
  if (dots == std::string_view::npos) return items;
  const auto from = parse_quantity(range.substr(0, dots));
  return from ? numeric_range(option, *from, range.substr(dots + 2)) : items;
}

// ---- the grid ----

struct Axis {
  std::string path;
  std::vector<std::string> values;
  std::string label;  // in point names and the knee: the path's last key ("rate")
};

// "clients[0].arrival.rate" -> "rate"
std::string last_key(const std::string& path) {
  const std::size_t dot = path.rfind('.');
  return dot == std::string::npos ? path : path.substr(dot + 1);
}

// Two paths ending in the same key (two populations' rates) are named in full.
void label_axes(std::vector<Axis>& axes) {
  for (auto& axis : axes) {
    const auto same_label = [&](const Axis& other) { return last_key(other.path) == last_key(axis.path); };
    axis.label = std::count_if(axes.begin(), axes.end(), same_label) > 1 ? axis.path : last_key(axis.path);
  }
}

std::vector<Axis> read_axes(const std::vector<std::string>& options) {
  std::vector<Axis> axes;
  for (const auto& option : options) {
    const std::size_t equals = option.find('=');
    if (equals == std::string::npos) bad_input("--set " + option, "expected PATH=RANGE, such as l7.nodes_per_zone=1..4");
    Axis axis{option.substr(0, equals), values_of("--set " + option, option.substr(equals + 1)), ""};
    // Every point runs with the same seed and duration, so they cannot be swept.
    if (axis.path == "seed" || axis.path == "duration")
      bad_input("--set " + option, "every point runs with the same " + axis.path + ": give it with --" + axis.path);
    for (const auto& other : axes)
      if (other.path == axis.path) bad_input("--set " + option, "'" + axis.path + "' is swept twice");
    axes.push_back(std::move(axis));
  }
  label_axes(axes);
  return axes;
}

// "3 x 4"
std::string grid_shape(const std::vector<Axis>& axes) {
  std::string shape;
  for (const auto& axis : axes) shape += (shape.empty() ? "" : " x ") + std::to_string(axis.values.size());
  return shape;
}

// The number of points, checked against the limit (capped on the way: no overflow).
std::size_t grid_size(const std::vector<Axis>& axes) {
  std::size_t points = 1;
  for (const auto& axis : axes) points = std::min(points * axis.values.size(), kMaxPoints + 1);
  if (points > kMaxPoints)
    bad_input("lbsim", fmt::format("the grid ({}) has more than {} points, the most a sweep runs", grid_shape(axes), kMaxPoints));
  return points;
}

// A value as part of a folder's name: "10000/s" -> "10000_s", "{ cores: 2 }" -> "cores_2".
std::string file_safe(const std::string& text) {
  std::string safe;
  for (char c : text) {
    const bool kept = std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-';
    if (kept) safe += c;
    else if (!safe.empty() && safe.back() != '_') safe += '_';
  }
  while (!safe.empty() && safe.back() == '_') safe.pop_back();
  return safe.empty() ? "_" : safe;
}

struct Point : ChildRun {
  std::vector<std::string> values;  // by axis
  json figures;                     // null for a point that failed
};

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

// ---- a point's figures ----

// The most loaded node of a tier; null in a layout without that tier.
json max_utilization(const json& summary, const std::string& kind) {
  json most = nullptr;
  for (const auto& node : summary.value("nodes", json::array()))
    if (node.value("kind", "") == kind && (most.is_null() || node["utilization"].get<double>() > most.get<double>()))
      most = node["utilization"];
  return most;
}

// A point's figures, by key, in sweep.csv's order (after the swept paths); figures_of
// writes them in this order.
const std::vector<std::string> kFigureKeys{
    "sent",    "completed", "failed",           "error_rate",  "throughput_rps", "p50_ms",    "p90_ms", "p99_ms",
    "p999_ms", "mean_ms",   "backend_util_max", "l7_util_max", "l4_util_max",    "slo_passed",
};

// Figures are copied from summary.json, so they equal it; the error rate is the one the
// objectives use (failed / answered).
json figures_of(const json& summary) {
  const auto& requests = summary["requests"];
  const auto& latency = summary["latency_ms"];
  const double completed = requests["completed"].get<double>(), failed = requests["failed"].get<double>();
  json f;
  f["sent"] = requests["sent"];
  f["completed"] = requests["completed"];
  f["failed"] = requests["failed"];
  f["error_rate"] = completed + failed > 0 ? failed / (completed + failed) : 0.0;
  f["throughput_rps"] = summary["throughput_rps"];
  for (const char* p : {"p50", "p90", "p99", "p999", "mean"}) f[std::string(p) + "_ms"] = latency[p];
  for (const char* tier : {"backend", "l7", "l4"}) f[std::string(tier) + "_util_max"] = max_utilization(summary, tier);
  f["slo_passed"] = summary.contains("slo") ? summary["slo"]["passed"] : json(nullptr);
  return f;
}

// The figures of every point that finished; a failed point keeps none.
void read_figures(std::vector<Point>& points) {
  read_summaries(child_runs_of(points));
  for (auto& point : points)
    if (point.failure.empty()) point.figures = figures_of(point.summary);
}

// ---- the knee (one axis) ----

struct Knee {
  std::size_t point = 0;
  std::optional<std::size_t> previous;  // the last point that finished before it
  bool p99 = false;                     // more than twice the first point's p99
  bool errors = false;                  // above 1 % errors
};

double figure(const Point& point, const char* key) { return point.figures[key].get<double>(); }

// Points that failed are passed over: the knee is read off the curve of those that ran.
std::optional<Knee> find_knee(const std::vector<Point>& points) {
  std::optional<std::size_t> first, previous;
  for (std::size_t i = 0; i < points.size(); ++i) {
    if (points[i].figures.is_null()) continue;
    if (!first) first = i;
    Knee knee{.point = i, .previous = previous};
    knee.p99 = i != *first && figure(points[i], "p99_ms") > kKneeP99Factor * figure(points[*first], "p99_ms");
    knee.errors = figure(points[i], "error_rate") > kKneeErrorRate;
    if (knee.p99 || knee.errors) return knee;
    previous = i;
  }
  return std::nullopt;
}

std::string ms_text(double ms) { return ms >= 10 ? fmt::format("{:.0f} ms", ms) : fmt::format("{:.2g} ms", ms); }
std::string errors_text(double share) { return fmt::format("{:.2f} % errors", 100 * share); }

// "41 ms", "0.00 % errors", or both: the figures that make the knee.
std::string knee_figures(const Knee& knee, const Point& point) {
  std::vector<std::string> parts;
  if (knee.p99 || !knee.errors) parts.push_back(ms_text(figure(point, "p99_ms")));
  if (knee.errors) parts.push_back(errors_text(figure(point, "error_rate")));
  return parts.size() == 1 ? parts[0] : parts[0] + ", " + parts[1];
}

// One line: which knee, between which points, and why.
std::string knee_text(const std::optional<Knee>& knee, const Axis& axis, const std::vector<Point>& points) {
  const auto first = std::find_if(points.begin(), points.end(), [](const Point& p) { return !p.figures.is_null(); });
  if (first == points.end()) return "no knee: no point finished";
  const std::string first_p99 = ms_text(figure(*first, "p99_ms"));
  const std::string error_limit = fmt::format("{:g} %", 100 * kKneeErrorRate);
  if (!knee) return "no knee: p99 stayed within twice the first point's (" + first_p99 + ") and errors within " + error_limit;
  const std::string kind = knee->p99 && knee->errors ? "p99 and error" : knee->p99 ? "p99" : "error";
  std::vector<std::string> why;
  if (knee->p99) why.push_back("p99 over twice the first point's " + first_p99);
  if (knee->errors) why.push_back("errors over " + error_limit);
  const std::string reason = why.size() == 1 ? why[0] : why[0] + ", " + why[1];
  const Point& at = points[knee->point];
  if (!knee->previous)
    return fmt::format("{} knee at the first point, {} {} ({}): {}", kind, axis.label, at.values[0], knee_figures(*knee, at), reason);
  const Point& before = points[*knee->previous];
  return fmt::format("{} knee between {} {} ({}) and {} ({}): {}", kind, axis.label, before.values[0], knee_figures(*knee, before),
                     at.values[0], knee_figures(*knee, at), reason);
}

// ---- outputs ----

// A CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180).
std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

// Numbers as summary.json writes them (shortest round trip); an absent figure is empty.
std::string csv_value(const json& value) { return value.is_null() ? "" : value.dump(); }

void write_csv(const fs::path& file, const std::vector<Axis>& axes, const std::vector<Point>& points) {
  std::ofstream out(file);
  std::vector<std::string> header;
  for (const auto& axis : axes) header.push_back(csv_field(axis.path));
  header.insert(header.end(), kFigureKeys.begin(), kFigureKeys.end());
  out << fmt::format("{}\n", fmt::join(header, ","));
  for (const auto& point : points) {
    std::vector<std::string> row;
    for (const auto& value : point.values) row.push_back(csv_field(value));
    for (const auto& key : kFigureKeys) row.push_back(point.figures.is_null() ? "" : csv_value(point.figures[key]));
    out << fmt::format("{}\n", fmt::join(row, ","));
  }
}

json sweep_json(const SweepArgs& args, const ChildRunSettings& settings, const std::vector<Axis>& axes,
                const std::vector<Point>& points, const std::optional<Knee>& knee, const std::string& knee_line) {
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

// The terminal's table: the swept values, then the figures that show a knee.
std::vector<std::vector<std::string>> table_of(const std::vector<Axis>& axes, const std::vector<Point>& points) {
  struct Column {
    const char* key;
    const char* label;
    std::string (*text)(const json&);
  };
  static const Column columns[] = {
      {"sent", "sent", [](const json& v) { return fmt::format("{}", v.get<std::uint64_t>()); }},
      {"failed", "failed", [](const json& v) { return fmt::format("{}", v.get<std::uint64_t>()); }},
      {"error_rate", "errors", [](const json& v) { return fmt::format("{:.2f}%", 100 * v.get<double>()); }},
      {"throughput_rps", "throughput", [](const json& v) { return fmt::format("{:.1f}/s", v.get<double>()); }},
      {"p50_ms", "p50 ms", [](const json& v) { return fmt::format("{:.3f}", v.get<double>()); }},
      {"p99_ms", "p99 ms", [](const json& v) { return fmt::format("{:.3f}", v.get<double>()); }},
      {"p999_ms", "p99.9 ms", [](const json& v) { return fmt::format("{:.3f}", v.get<double>()); }},
      {"backend_util_max", "backend util", [](const json& v) { return fmt::format("{:.1f}%", 100 * v.get<double>()); }},
      {"l7_util_max", "l7 util", [](const json& v) { return fmt::format("{:.1f}%", 100 * v.get<double>()); }},
      {"l4_util_max", "l4 util", [](const json& v) { return fmt::format("{:.1f}%", 100 * v.get<double>()); }},
      {"slo_passed", "slo", [](const json& v) { return std::string(v.get<bool>() ? "met" : "MISSED"); }},
  };
  std::vector<std::string> header;
  for (const auto& axis : axes) header.push_back(axis.label);
  for (const auto& column : columns) header.push_back(column.label);
  std::vector<std::vector<std::string>> table{header};
  for (const auto& point : points) {
    std::vector<std::string> row = point.values;
    for (const auto& column : columns) {
      if (point.figures.is_null()) row.push_back(&column == &columns[0] ? "failed" : "-");
      else row.push_back(point.figures[column.key].is_null() ? "-" : column.text(point.figures[column.key]));
    }
    table.push_back(std::move(row));
  }
  return table;
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
  print_table(text, table_of(axes, points));
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
  std::cout << '\n';
  print_table(std::cout, table_of(axes, points));
  const auto knee = axes.size() == 1 ? find_knee(points) : std::nullopt;
  const std::string knee_line = axes.size() == 1 ? knee_text(knee, axes[0], points) : "";
  if (!knee_line.empty()) std::cout << "\n  " << knee_line << '\n';
  const fs::path out_dir(args.out_dir);
  write_csv(out_dir / "sweep.csv", axes, points);
  write_sweep_page(out_dir / "sweep.html", args.file, axes, points, knee_line);
  std::ofstream(out_dir / "sweep.json") << sweep_json(args, settings, axes, points, knee, knee_line).dump(2) << '\n';
  std::cout << "\n  wrote sweep.csv, sweep.json and sweep.html in " << args.out_dir << '\n';
  return report_failures(child_runs_of(points), "point") ? kExitCrashed : 0;
}

// ---- Slurm: the grid as a job array, merged later by --collect ----

// Runs a command and returns its standard output; nothing if it failed.
std::optional<std::string> output_of(const std::string& command) {
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return std::nullopt;
  std::string out;
  char chunk[512];
  while (const std::size_t n = std::fread(chunk, 1, sizeof chunk, pipe)) out.append(chunk, n);
  return ::pclose(pipe) == 0 ? std::optional<std::string>(out) : std::nullopt;
}

std::string shell_quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

constexpr const char* kPlanFile = "sweep-plan.json";

// Each array task runs one point: its command line, one argument per line, in
// slurm/<task>.args; the script reads its own and runs it. The plan records what
// --collect needs to rebuild the grid.
fs::path write_job_array(const SweepArgs& args, const ChildRunSettings& settings, std::vector<Point>& points) {
  const fs::path out_dir = fs::absolute(args.out_dir);
  fs::create_directories(out_dir / "slurm");
  for (std::size_t i = 0; i < points.size(); ++i) {
    fs::create_directories(points[i].dir);
    std::ofstream task(out_dir / "slurm" / (std::to_string(i) + ".args"));
    auto arguments = child_arguments(points[i], settings);
    arguments.erase(arguments.begin());  // the program's own name: the script names it
    for (const auto& a : arguments) task << a << '\n';
  }
  const fs::path script = out_dir / "sweep.sbatch";
  std::ofstream(script) << "#!/bin/bash\n"
                        << "#SBATCH --job-name=lbsim-sweep\n"
                        << "#SBATCH --array=0-" << points.size() - 1 << "\n"
                        << "#SBATCH --output=" << (out_dir / "slurm" / "%a.log").string() << "\n"
                        << "mapfile -t args < " << shell_quoted((out_dir / "slurm").string()) << "/\"$SLURM_ARRAY_TASK_ID\".args\n"
                        << "exec " << shell_quoted(fs::read_symlink("/proc/self/exe").string()) << " \"${args[@]}\"\n";
  nlohmann::ordered_json plan{{"file", fs::absolute(args.file).string()}, {"sets", args.sets}, {"seed", settings.seed},
                              {"duration", settings.duration}};
  std::ofstream(out_dir / kPlanFile) << plan.dump(2) << '\n';
  return script;
}

int submit_to_slurm(const SweepArgs& args, const ChildRunSettings& settings, const std::vector<Axis>& axes, std::vector<Point>& points) {
  const fs::path script = write_job_array(args, settings, points);
  const std::string command = std::string("sbatch --parsable") + (args.wait ? " --wait " : " ") + shell_quoted(script.string());
  const auto job = output_of(command);
  if (!job) {
    std::cerr << "lbsim: error: sbatch failed (is Slurm installed and its controller reachable?): " << command << '\n';
    return kExitCrashed;
  }
  const std::string id = job->substr(0, job->find_first_of("\n;"));
  std::cout << fmt::format("  submitted Slurm job array {} ({} tasks)\n", id, points.size());
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
