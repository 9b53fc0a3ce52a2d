// SPDX-License-Identifier: GPL-3.0-or-later
#include "reports/sweep.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "reports/replications.hpp"

namespace lbsim::reports {
namespace {

using json = nlohmann::ordered_json;

// The most loaded node of a tier; null in a layout without that tier.
json max_utilization(const json& summary, const std::string& kind) {
  json most = nullptr;
  for (const auto& node : summary.value("nodes", json::array()))
    if (node.value("kind", "") == kind && (most.is_null() || node["utilization"].get<double>() > most.get<double>()))
      most = node["utilization"];
  return most;
}

double figure(const SweepPoint& point, const char* key) { return point.figures[key].get<double>(); }

std::string ms_text(double ms) { return ms >= 10 ? fmt::format("{:.0f} ms", ms) : fmt::format("{:.2g} ms", ms); }
std::string errors_text(double share) { return fmt::format("{:.2f} % errors", 100 * share); }

// "41 ms", "0.00 % errors", or both: the figures that make the knee.
std::string knee_figures(const Knee& knee, const SweepPoint& point) {
  std::vector<std::string> parts;
  if (knee.p99 || !knee.errors) parts.push_back(ms_text(figure(point, "p99_ms")));
  if (knee.errors) parts.push_back(errors_text(figure(point, "error_rate")));
  return parts.size() == 1 ? parts[0] : parts[0] + ", " + parts[1];
}

// A CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180).
std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

// Numbers as summary.json writes them (shortest round trip); an absent figure is empty.
std::string csv_value(const json& value) { return value.is_null() ? "" : value.dump(); }

// " ±0.41" after a replicated latency or error rate, in the column's own unit.
std::string spread_text(const std::string& key, const json& intervals) {
  if (!intervals.contains(key) || !(key.ends_with("_ms") || key == "error_rate")) return "";
  const double half = intervals[key].get<double>();
  return key == "error_rate" ? fmt::format(" ±{:.2f}%", 100 * half) : fmt::format(" ±{:.3f}", half);
}

}  // namespace

const std::vector<std::string>& sweep_figure_keys() {
  static const std::vector<std::string> keys{
      "sent",    "completed", "failed",           "error_rate",  "throughput_rps", "p50_ms",    "p90_ms", "p99_ms",
      "p999_ms", "mean_ms",   "backend_util_max", "l7_util_max", "l4_util_max",    "slo_passed",
  };
  return keys;
}

json sweep_figures(const json& summary) {
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

json set_replicated_figures(SweepPoint& point, const std::vector<json>& summaries, const std::vector<std::uint64_t>& seeds) {
  const json section = replications_json(summaries, seeds);
  point.figures = sweep_figures(summaries.front());
  point.intervals = json::object();
  for (const auto& [key, figure] : section["figures"].items()) {
    point.figures[key] = figure["mean"];
    point.intervals[key] = figure["half_width"];
  }
  if (!point.figures["slo_passed"].is_null())
    for (const auto& summary : summaries) point.figures["slo_passed"] = point.figures["slo_passed"].get<bool>() && summary["slo"]["passed"].get<bool>();
  return section;
}

std::optional<Knee> find_knee(const std::vector<SweepPoint>& points) {
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

std::string knee_text(const std::optional<Knee>& knee, const std::string& label, const std::vector<SweepPoint>& points) {
  const auto first = std::find_if(points.begin(), points.end(), [](const SweepPoint& p) { return !p.figures.is_null(); });
  if (first == points.end()) return "no knee: no point finished";
  const std::string first_p99 = ms_text(figure(*first, "p99_ms"));
  const std::string error_limit = fmt::format("{:g} %", 100 * kKneeErrorRate);
  if (!knee) return "no knee: p99 stayed within twice the first point's (" + first_p99 + ") and errors within " + error_limit;
  const std::string kind = knee->p99 && knee->errors ? "p99 and error" : knee->p99 ? "p99" : "error";
  std::vector<std::string> why;
  if (knee->p99) why.push_back("p99 over twice the first point's " + first_p99);
  if (knee->errors) why.push_back("errors over " + error_limit);
  const std::string reason = why.size() == 1 ? why[0] : why[0] + ", " + why[1];
  const SweepPoint& at = points[knee->point];
  if (!knee->previous)
    return fmt::format("{} knee at the first point, {} {} ({}): {}", kind, label, at.values[0], knee_figures(*knee, at), reason);
  const SweepPoint& before = points[*knee->previous];
  return fmt::format("{} knee between {} {} ({}) and {} ({}): {}", kind, label, before.values[0], knee_figures(*knee, before),
                     at.values[0], knee_figures(*knee, at), reason);
}

std::string sweep_csv(const std::vector<std::string>& paths, const std::vector<SweepPoint>& points) {
  std::vector<std::string> header, interval_keys;
  for (const auto& path : paths) header.push_back(csv_field(path));
  header.insert(header.end(), sweep_figure_keys().begin(), sweep_figure_keys().end());
  for (const auto& key : sweep_figure_keys())
    if (std::any_of(points.begin(), points.end(), [&](const SweepPoint& p) { return p.intervals.contains(key); })) {
      interval_keys.push_back(key);
      header.push_back(key + "_ci95");
    }
  std::string out = fmt::format("{}\n", fmt::join(header, ","));
  for (const auto& point : points) {
    std::vector<std::string> row;
    for (const auto& value : point.values) row.push_back(csv_field(value));
    for (const auto& key : sweep_figure_keys()) row.push_back(point.figures.is_null() ? "" : csv_value(point.figures[key]));
    for (const auto& key : interval_keys) row.push_back(point.intervals.contains(key) ? csv_value(point.intervals[key]) : "");
    out += fmt::format("{}\n", fmt::join(row, ","));
  }
  return out;
}

std::vector<std::vector<std::string>> sweep_table(const std::vector<std::string>& labels, const std::vector<SweepPoint>& points) {
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
  std::vector<std::string> header = labels;
  for (const auto& column : columns) header.push_back(column.label);
  std::vector<std::vector<std::string>> table{header};
  for (const auto& point : points) {
    std::vector<std::string> row = point.values;
    for (const auto& column : columns) {
      if (point.figures.is_null()) row.push_back(&column == &columns[0] ? "failed" : "-");
      else if (point.figures[column.key].is_null()) row.push_back("-");
      else row.push_back(column.text(point.figures[column.key]) + spread_text(column.key, point.intervals));
    }
    table.push_back(std::move(row));
  }
  return table;
}

}  // namespace lbsim::reports
