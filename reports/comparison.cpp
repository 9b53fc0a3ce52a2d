// SPDX-License-Identifier: GPL-3.0-or-later
#include "reports/comparison.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>

#include "reports/format.hpp"
#include "reports/replications.hpp"

namespace lbsim::reports {
namespace {

using json = nlohmann::ordered_json;

std::optional<double> number_at(const json& summary, const std::string& pointer) {
  const json::json_pointer at(pointer);
  if (!summary.contains(at) || !summary.at(at).is_number()) return std::nullopt;
  return summary.at(at).get<double>();
}

// A run's cell: its summary's, or with replications the mean of theirs (when each has a value).
Cell run_cell(const NamedSummary& run, const std::function<Cell(const json&)>& cell) {
  if (run.replications.size() < 2) return cell(run.summary);
  Cell mean;
  for (const auto& replication : run.replications) {
    const Cell one = cell(replication);
    if (!one.value) return cell(run.summary);
    mean.samples.push_back(*one.value);
  }
  mean.value = std::accumulate(mean.samples.begin(), mean.samples.end(), 0.0) / static_cast<double>(mean.samples.size());
  return mean;
}

Metric metric_of(const std::vector<NamedSummary>& runs, std::string key, std::string label, Unit unit,
                 const std::function<Cell(const json&)>& cell) {
  Metric m{std::move(key), std::move(label), unit, {}};
  for (const auto& run : runs) m.cells.push_back(run_cell(run, cell));
  return m;
}

Cell value_cell(std::optional<double> value) { return value ? Cell{value} : Cell{}; }

// The mean over zones of one tier's utilization (the summary's zones[].utilization);
// absent from a layout without that tier.
Cell tier_utilization(const json& summary, const std::string& tier) {
  double sum = 0;
  int zones = 0;
  for (const auto& zone : summary.value("zones", json::array())) {
    if (!zone.contains("utilization") || !zone["utilization"].contains(tier)) continue;
    sum += zone["utilization"][tier].get<double>();
    ++zones;
  }
  return zones > 0 ? Cell{sum / zones} : Cell{};
}

// The busiest node of a kind (summary's nodes[].utilization): an average hides a node
// flat out beside dead or idle peers.
Cell busiest_node(const json& summary, const std::string& kind) {
  std::optional<double> most;
  for (const auto& node : summary.value("nodes", json::array()))
    if (node.value("kind", "") == kind) most = std::max(most.value_or(0.0), node["utilization"].get<double>());
  return value_cell(most);
}

// The busiest target group by its mean utilization (summary's target_groups[]).
Cell busiest_group(const json& summary) {
  std::optional<double> most;
  for (const auto& group : summary.value("target_groups", json::array()))
    most = std::max(most.value_or(0.0), group["utilization"].get<double>());
  return value_cell(most);
}

// A sum over the summary's nodes.
Cell node_sum(const json& summary, const std::function<double(const json&)>& of) {
  double sum = 0;
  for (const auto& node : summary.value("nodes", json::array())) sum += of(node);
  return Cell{sum};
}

double l4_nic_bytes(const json& node) {
  if (node.value("kind", "") != "l4") return 0;
  return node.value("tx_bytes", 0.0) + node.value("rx_bytes", 0.0);
}

double tls_cpu_seconds(const json& node) { return node.contains("tls") ? node["tls"].value("cpu_seconds", 0.0) : 0.0; }

// The union of a JSON object's keys over every run's summary, in first-seen order.
std::vector<std::string> keys_over_runs(const std::vector<NamedSummary>& runs, const std::string& pointer) {
  std::vector<std::string> keys;
  for (const auto& run : runs) {
    const json::json_pointer at(pointer);
    if (!run.summary.contains(at)) continue;
    for (const auto& [key, value] : run.summary.at(at).items())
      if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
  }
  return keys;
}

std::vector<std::string> fault_labels(const std::vector<NamedSummary>& runs) {
  std::vector<std::string> labels;
  for (const auto& run : runs) {
    for (const auto& f : run.summary.value("faults", json::array())) {
      const std::string label = f.value("label", "");
      if (std::find(labels.begin(), labels.end(), label) == labels.end()) labels.push_back(label);
    }
  }
  return labels;
}

// A fault's time to detect or recover: absent when the run has no such fault, "never"
// when it did not happen.
Cell fault_time(const json& summary, const std::string& label, const char* field) {
  for (const auto& f : summary.value("faults", json::array())) {
    if (f.value("label", "") != label) continue;
    return f[field].is_null() ? Cell{std::nullopt, "never"} : Cell{f[field].get<double>()};
  }
  return Cell{};
}

Cell slo_cell(const json& summary) {
  if (!summary.contains("slo")) return Cell{};
  return Cell{std::nullopt, summary["slo"]["passed"].get<bool>() ? "met" : "MISSED"};
}


// ---- formatting ----

// Every value through the one formatting layer, as the run's own report writes it.
std::string value_text(Unit unit, double v) {
  switch (unit) {
    case Unit::count: return format::count(static_cast<std::uint64_t>(std::llround(std::abs(v))));
    case Unit::per_second: return format::rate(v);
    case Unit::ms: return format::milliseconds(v);
    case Unit::share: return format::percent(v);
    case Unit::bytes: return format::bytes(v);
    case Unit::seconds: return format::seconds(v);
    case Unit::text: break;
  }
  return "";
}

std::string cell_text(const Metric& m, const Cell& c) { return c.value ? value_text(m.unit, *c.value) : c.text; }



// "+1.250 ms (+2.3 %)"; a share's difference is in percentage points.
std::string delta_text(const Metric& m, const std::optional<Delta>& d) {
  if (!d) return format::kNone;
  std::string text;
  if (d->absolute == 0) text = "0";
  else if (m.unit == Unit::share) text = format::points_change(d->absolute);
  else text = std::string(d->absolute > 0 ? "+" : "\u2212") + value_text(m.unit, std::abs(d->absolute));
  std::string percent = d->percent ? fmt::format("{:+.1f} %", *d->percent) : "n/a";
  if (percent.starts_with("+0.0 ") || percent.starts_with("-0.0 ")) percent = "0.0 %";
  if (percent.starts_with("-")) percent = "\u2212" + percent.substr(1);
  return text + " (" + percent + ")";
}



// The table again, with every run's latency distribution and p99 over time overlaid.

}  // namespace

std::vector<Metric> comparison_metrics(const std::vector<NamedSummary>& runs) {
  std::vector<Metric> rows;
  const auto number = [&](const std::string& key, const std::string& label, Unit unit, const std::string& pointer) {
    rows.push_back(metric_of(runs, key, label, unit, [&](const json& s) { return value_cell(number_at(s, pointer)); }));
  };
  for (const char* count : {"sent", "completed", "failed"})
    number(std::string("requests.") + count, std::string("requests ") + count, Unit::count, std::string("/requests/") + count);
  number("throughput_rps", "throughput", Unit::per_second, "/throughput_rps");
  const std::pair<std::string, std::string> latencies[] = {{"p50", "p50"}, {"p90", "p90"}, {"p99", "p99"}, {"p999", "p99.9"}, {"mean", "mean"}};
  for (const auto& [field, label] : latencies) number("latency_ms." + field, "latency " + label, Unit::ms, "/latency_ms/" + field);
  for (const auto& kind : keys_over_runs(runs, "/requests/failures"))
    rows.push_back(metric_of(runs, "failures." + kind, "failures " + kind, Unit::count,
                             [&](const json& s) { return Cell{number_at(s, "/requests/failures/" + kind).value_or(0)}; }));
  for (const std::string tier : {"l4", "l7", "backend"})
    rows.push_back(metric_of(runs, "utilization." + tier, "utilization " + tier, Unit::share,
                             [&](const json& s) { return tier_utilization(s, tier); }));
  for (const std::string tier : {"l4", "l7", "backend"})
    rows.push_back(metric_of(runs, "utilization_busiest_node." + tier, "busiest " + tier + " node", Unit::share,
                             [&](const json& s) { return busiest_node(s, tier); }));
  rows.push_back(metric_of(runs, "utilization_busiest_group", "busiest target group", Unit::share, busiest_group));
  rows.push_back(metric_of(runs, "l4_nic_bytes", "L4 NIC bytes", Unit::bytes, [](const json& s) { return node_sum(s, l4_nic_bytes); }));
  rows.push_back(metric_of(runs, "tls_cpu_seconds", "TLS CPU", Unit::seconds, [](const json& s) { return node_sum(s, tls_cpu_seconds); }));
  number("cross_zone_bytes", "cross-zone bytes", Unit::bytes, "/timeline/cross_zone_bytes_total");
  for (const auto& label : fault_labels(runs)) {
    rows.push_back(metric_of(runs, "faults." + label + ".time_to_detect_s", label + ": detect", Unit::seconds,
                             [&](const json& s) { return fault_time(s, label, "time_to_detect_s"); }));
    rows.push_back(metric_of(runs, "faults." + label + ".time_to_recover_s", label + ": recover", Unit::seconds,
                             [&](const json& s) { return fault_time(s, label, "time_to_recover_s"); }));
  }
  rows.push_back(metric_of(runs, "slo", "objectives (slo)", Unit::text, slo_cell));
  // A row no run has (the L7 tier of L4-only layouts, objectives none declared) says nothing.
  std::erase_if(rows, [](const Metric& m) {
    return std::all_of(m.cells.begin(), m.cells.end(), [](const Cell& c) { return !c.value && c.text == "-"; });
  });
  return rows;
}

std::optional<Delta> delta_of(const Cell& first, const Cell& other) {
  if (!first.value || !other.value) return std::nullopt;
  Delta d{*other.value - *first.value, std::nullopt};
  if (*first.value != 0) d.percent = 100 * d.absolute / std::abs(*first.value);
  else if (d.absolute == 0) d.percent = 0.0;
  return d;
}

std::optional<bool> significant(const Cell& first, const Cell& other) {
  if (first.samples.size() < 2 || other.samples.size() < 2) return std::nullopt;
  return differs_significantly(first.samples, other.samples);
}

// Latencies are recorded to 0.1 % (core/metrics/histogram.hpp): a smaller change of a
// latency is within one bucket and says nothing.
bool below_resolution(const Metric& m, double first, const Delta& d) {
  return m.unit == Unit::ms && d.absolute != 0 && std::abs(d.absolute) <= 1e-3 * std::max(std::abs(first), std::abs(first + d.absolute));
}

std::vector<std::vector<std::string>> comparison_table(const std::vector<NamedSummary>& runs, const std::vector<Metric>& metrics) {
  std::vector<std::string> header{"metric"};
  for (const auto& run : runs) header.push_back(run.name);
  for (std::size_t r = 1; r < runs.size(); ++r) header.push_back("Δ " + runs[r].name);
  std::vector<std::vector<std::string>> table{header};
  for (const auto& m : metrics) {
    std::vector<std::string> row{m.label};
    for (const auto& c : m.cells) row.push_back(cell_text(m, c));
    for (std::size_t r = 1; r < runs.size(); ++r) {
      const auto delta = delta_of(m.cells[0], m.cells[r]);
      std::string text = delta_text(m, delta);
      if (const auto s = significant(m.cells[0], m.cells[r]); s && delta) text += *s ? " *" : " (n.s.)";
      if (delta && below_resolution(m, *m.cells[0].value, *delta)) text += " (below resolution)";
      row.push_back(text);
    }
    table.push_back(row);
  }
  return table;
}

// The unit of a metric's values in comparison.json (shares are 0..1, not percentages).
const char* unit_name(Unit unit) {
  switch (unit) {
    case Unit::count: return "count";
    case Unit::per_second: return "per_second";
    case Unit::ms: return "ms";
    case Unit::share: return "share";
    case Unit::bytes: return "bytes";
    case Unit::seconds: return "s";
    case Unit::text: break;
  }
  return "text";
}

std::vector<std::vector<std::string>> comparison_table(const std::vector<NamedSummary>& runs) {
  return comparison_table(runs, comparison_metrics(runs));
}

}  // namespace lbsim::reports
