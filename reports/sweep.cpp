// SPDX-License-Identifier: GPL-3.0-or-later
#include "reports/sweep.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "reports/format.hpp"
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

std::string ms_text(double ms) { return format::milliseconds(ms); }
std::string errors_text(double share) { return format::percent(share) + " errors"; }

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
  return format::headline_spread(key, intervals[key].get<double>());
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
  static const std::pair<const char*, const char*> columns[] = {
      {"sent", "sent"},       {"failed", "failed"},      {"error_rate", "errors"},           {"throughput_rps", "throughput"},
      {"p50_ms", "p50"},      {"p99_ms", "p99"},         {"p999_ms", "p99.9"},               {"backend_util_max", "backend util"},
      {"l7_util_max", "l7 util"}, {"l4_util_max", "l4 util"}, {"slo_passed", "slo"},
  };
  std::vector<std::string> header = labels;
  for (const auto& [key, label] : columns) header.push_back(label);
  std::vector<std::vector<std::string>> table{header};
  for (const auto& point : points) {
    std::vector<std::string> row = point.values;
    for (const auto& [key, label] : columns) {
      const json& v = point.figures.is_null() ? json(nullptr) : point.figures[key];
      if (point.figures.is_null()) row.push_back(key == columns[0].first ? "failed" : format::kNone);
      else if (v.is_null()) row.push_back(format::kNone);
      else row.push_back(format::headline(key, v.is_boolean() ? (v.get<bool>() ? 1.0 : 0.0) : v.get<double>()) + spread_text(key, point.intervals));
    }
    table.push_back(std::move(row));
  }
  return table;
}

}  // namespace lbsim::reports
