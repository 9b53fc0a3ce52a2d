// SPDX-License-Identifier: GPL-3.0-or-later
#include "reports/outputs.hpp"

#include <fmt/format.h>

#include <sstream>

#include "reports/output_files.hpp"
#include "reports/trace.hpp"
#include "reports/words.hpp"
#include "topology/topology.hpp"

namespace lbsim::reports {
namespace {

class CsvRows {
public:
  explicit CsvRows(std::ostream& out) : out_(out) { out_ << "time_s,series,zone,node,metric,value\n"; }
  void row(double time, std::string_view series, std::string_view zone, std::string_view node, std::string_view metric, double value) {
    out_ << fmt::format("{},{},{},{},{},{}\n", time, series, zone, node, metric, value);
  }

private:
  std::ostream& out_;
};

double ms(std::uint64_t ns) { return static_cast<double>(ns) / 1e6; }

void overall_rows(CsvRows& csv, const results::RunResult& result) {
  const auto& timeline = result.metrics.timeline;
  const double step = timeline.interval();
  for (std::size_t i = 0; i < timeline.size(); ++i) {
    const auto& in = timeline.at(i);
    const double t = timeline.start_of(i);
    csv.row(t, "overall", "", "", "answered", static_cast<double>(in.answered));
    csv.row(t, "overall", "", "", "failed", static_cast<double>(in.failed));
    csv.row(t, "overall", "", "", "throughput_rps", static_cast<double>(in.answered - in.failed) / step);
    csv.row(t, "overall", "", "", "lost", static_cast<double>(in.lost));
    if (in.latency_ns.count() > 0) {
      csv.row(t, "overall", "", "", "p50_ms", ms(in.latency_ns.quantile(0.5)));
      csv.row(t, "overall", "", "", "p99_ms", ms(in.latency_ns.quantile(0.99)));
    }
    if (i < result.cross_zone_bytes.size()) csv.row(t, "overall", "", "", "cross_zone_bytes", result.cross_zone_bytes[i]);
    for (const auto& [code, count] : in.failures) csv.row(t, "errors", "", "", results::status_name(code), static_cast<double>(count));
  }
}

void zone_rows(CsvRows& csv, const config::ScenarioSpec& spec, const results::RunResult& result) {
  const auto& m = result.metrics;
  for (std::size_t z = 0; z < m.zone_timeline.size(); ++z) {
    for (std::size_t i = 0; i < m.zone_timeline[z].size(); ++i) {
      const double t = m.timeline.start_of(i);
      csv.row(t, "zone", spec.topology.zones[z], "", "answered", static_cast<double>(m.zone_timeline[z][i].answered));
      csv.row(t, "zone", spec.topology.zones[z], "", "failed", static_cast<double>(m.zone_timeline[z][i].failed));
    }
  }
}

void node_rows(CsvRows& csv, const results::RunResult& result) {
  const auto& m = result.metrics;
  const double step = m.timeline.interval();
  for (std::size_t n = 0; n < m.node_timeline.size() && n < m.nodes.size(); ++n) {
    const auto& series = m.node_timeline[n];
    for (std::size_t i = 0; i < series.busy_seconds.size(); ++i) {
      const double t = m.timeline.start_of(i);
      csv.row(t, "node", m.nodes[n].zone, series.name, "utilization", series.utilization[i]);
      csv.row(t, "node", m.nodes[n].zone, series.name, "rx_Bps", series.rx_bytes[i] / step);
      csv.row(t, "node", m.nodes[n].zone, series.name, "tx_Bps", series.tx_bytes[i] / step);
    }
  }
}

void write_hgrm_file(const std::filesystem::path& path, const metrics::Histogram& histogram) {
  write_file(path, [&histogram](std::ostream& out) { metrics::write_hgrm(out, histogram); });
}

void write_traces(const std::filesystem::path& dir, const std::vector<results::Trace>& traces, text::Language language) {
  nlohmann::ordered_json all = nlohmann::ordered_json::array();
  std::ostringstream md;
  md << "# " << say("traces.title", language) << "\n\n" << say("traces.intro", language) << "\n";
  for (const auto& t : traces) {
    all.push_back(trace_json(t, language));
    md << "\n## " << say("traces.request", language, {std::to_string(t.request)}) << "\n\n```\n";
    print_trace(md, t, language);
    md << "```\n\n```mermaid\n" << trace_mermaid(t) << "```\n";
  }
  write_file(dir / "traces.md", md.view());
  write_file(dir / "traces.json", all.dump(2) + '\n');
}

}  // namespace

void write_timeseries_csv(std::ostream& out, const config::ScenarioSpec& spec, const results::RunResult& result) {
  CsvRows csv(out);
  overall_rows(csv, result);
  zone_rows(csv, spec, result);
  node_rows(csv, result);
}

void write_run_outputs(const std::filesystem::path& dir, const config::ScenarioSpec& spec, const results::RunResult& result,
                       const nlohmann::ordered_json& summary, text::Language language) {
  prepare_output_folder(dir);
  write_file(dir / "summary.json", summary.dump(2) + '\n');
  write_file(dir / "timeseries.csv", [&](std::ostream& csv) { write_timeseries_csv(csv, spec, result); });
  const auto& m = result.metrics;
  write_hgrm_file(dir / "latency.hgrm", m.overall.latency_ns);
  // Per tier: the time requests spent at each (queue and work), where the tier exists.
  if (m.l7_tier_ns.count() > 0) write_hgrm_file(dir / "latency-tier-l7.hgrm", m.l7_tier_ns);
  if (m.backend_tier_ns.count() > 0) write_hgrm_file(dir / "latency-tier-backend.hgrm", m.backend_tier_ns);
  for (std::size_t z = 0; z < m.by_zone.size(); ++z)
    write_hgrm_file(dir / ("latency-zone-" + spec.topology.zones[z] + ".hgrm"), m.by_zone[z].latency_ns);
  for (std::size_t g = 0; g < m.by_group.size(); ++g)
    write_hgrm_file(dir / ("latency-group-" + spec.target_groups[g].name + ".hgrm"), m.by_group[g].latency_ns);
  write_file(dir / "topology.dot", [&spec](std::ostream& dot) { topology::Topology(spec).write_dot(dot); });
  if (!result.traces.empty()) write_traces(dir, result.traces, language);
}

}  // namespace lbsim::reports
