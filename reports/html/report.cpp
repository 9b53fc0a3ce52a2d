// SPDX-License-Identifier: GPL-3.0-or-later
#include "reports/html/report.hpp"

#include <fmt/format.h>

#include <map>

#include "reports/fault_report.hpp"
#include "reports/format.hpp"
#include "reports/replications.hpp"
#include "reports/html/charts.hpp"
#include "reports/html/health_timeline.hpp"
#include "reports/saturation.hpp"
#include "reports/html/markup.hpp"
#include "reports/output_files.hpp"

namespace lbsim::reports::html {

using json = nlohmann::ordered_json;

namespace {

std::string text(const json& value) { return escape(value.get<std::string>()); }

// summary.json's numbers, written by the one formatting layer (reports/format.hpp).
std::string count(const json& v) { return format::count(v.get<std::uint64_t>()); }
std::string ms(const json& v) { return v.is_null() ? format::kNone : format::milliseconds(v.get<double>()); }
std::string share(const json& v) { return v.is_null() ? format::kNone : format::percent(v.get<double>()); }
std::string bytes(const json& v) { return format::bytes(v.get<double>()); }

std::string table(const std::vector<std::string>& header, std::vector<std::vector<std::string>> rows) {
  rows.insert(rows.begin(), header);
  return html::table(rows, true);
}

std::string summary_section(const json& s) {
  const auto& r = s["requests"];
  const auto& l = s["latency_ms"];
  std::vector<std::vector<std::string>> rows = {
      {"requests sent", count(r["sent"])},   {"completed", count(r["completed"])}, {"failed", count(r["failed"])},
      {"throughput", format::rate(s["throughput_rps"].get<double>())},
      {"latency mean", ms(l["mean"])},       {"p50", ms(l["p50"])},                {"p90", ms(l["p90"])},
      {"p99", ms(l["p99"])},                 {"p99.9", ms(l["p999"])},             {"max", ms(l["max"])},
      {"lost on the way", count(r["lost"])}, {"unanswered at the end", count(r["unanswered"])}};
  for (const auto& [kind, n] : r["failures"].items()) rows.push_back({"failed: " + escape(kind), count(n)});
  return "<h2>Summary</h2>\n" + table({"measure", "value"}, rows);
}

// Saturation spans and the steady-state estimate's warnings, as the terminal prints them.
std::string warnings_section(const json& s) {
  std::string items;
  for (const auto& warning : saturation_warnings(s.value("saturation", json::array()))) items += "<li>" + escape(warning) + "</li>";
  if (s.contains("steady_state"))
    for (const auto& warning : s["steady_state"]["warnings"]) items += "<li>" + text(warning) + "</li>";
  return items.empty() ? "" : "<h2>Warnings</h2>\n<ul class=warn>" + items + "</ul>\n";
}

std::string zones_section(const json& s) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& z : s["zones"])
    rows.push_back({text(z["zone"]), count(z["sent"]), count(z["completed"]), count(z["failed"]), ms(z["latency_ms"]["p50"]),
                    ms(z["latency_ms"]["p99"]), share(z["utilization"]["l4"]), share(z["utilization"].value("l7", json(nullptr))),
                    share(z["utilization"]["backend"])});
  return "<h2>Zones</h2>\n" + table({"zone", "requests", "completed", "failed", "p50", "p99", "L4 util", "L7 util", "backend util"}, rows);
}

std::string groups_and_nodes_section(const json& s) {
  std::vector<std::vector<std::string>> groups;
  for (const auto& g : s["target_groups"]) {
    const json& busiest = g.value("busiest", json(nullptr));
    groups.push_back({text(g["group"]), count(g["backends"]), count(g["sent"]), count(g["failed"]), share(g["utilization"]),
                      share(g.value("utilization_live", json(nullptr))),
                      busiest.is_null() ? format::kNone : text(busiest["node"]) + " " + share(busiest["utilization"]),
                      ms(g["latency_ms"]["p50"]), ms(g["latency_ms"]["p99"])});
  }
  std::vector<std::vector<std::string>> nodes;
  for (const auto& n : s["nodes"])
    nodes.push_back({text(n["name"]), text(n["kind"]), text(n["zone"]), count(n["requests"]), share(n["utilization"]),
                     bytes(n["rx_bytes"]), bytes(n["tx_bytes"])});
  return "<h2>Target groups</h2>\n" +
         table({"group", "backends", "requests", "failed", "utilization", "while in service", "busiest", "p50", "p99"}, groups) +
         "<p class=note><b>utilization</b>: the group's busy time over its capacity for the whole run; <b>while in service</b>: "
         "over the time each backend could take work (crashed, dark or deregistered time left out); <b>busiest</b>: the backend "
         "a mean can hide.</p>\n" +
         "<h2>Nodes</h2>\n" + table({"node", "kind", "zone", "requests", "utilization", "received", "sent"}, nodes);
}

std::string faults_section(const json& s) {
  std::string out;
  if (s.contains("faults") && !s["faults"].empty()) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& f : s["faults"]) {
      std::string errors;
      for (const auto& [kind, n] : f["impact"]["errors"].items()) errors += escape(kind) + " " + count(n) + " ";
      std::string detection;
      for (const auto& t : f["detection"]) {
        const double first = t["first_s"].get<double>(), last = t["last_s"].get<double>();
        const std::string when = first == last ? format::seconds(first) : format::significant(first) + "–" + format::seconds(last);
        detection += fmt::format("{} {} ({} target{}) ", t["tier"].get<std::string>(), when, t["targets"].get<std::size_t>(),
                                 t["targets"] == 1 ? "" : "s");
      }
      if (errors.empty()) errors = "0";
      const auto& extra = f["impact"]["extra_p99_ms"];
      rows.push_back({text(f["label"]), format::seconds(f["start_s"].get<double>()), format::seconds_or(f["time_to_detect_s"], format::kNone),
                      detection.empty() ? format::kNone : escape(detection), format::seconds_or(f["time_to_recover_s"], format::kNever),
                      std::string(recovery_words(f["recovery"].get<std::string>())), errors, count(f["impact"]["lost"]),
                      extra.is_null() ? format::kNone : format::milliseconds_change(extra.get<double>()),
                      // null when there was no fault-free time before the fault to compare with
                      f["impact"]["cross_zone_bytes_change"].is_null() ? std::string(format::kNone)
                                                                       : format::bytes_change(f["impact"]["cross_zone_bytes_change"].get<double>())});
    }
    out += "<h2>Faults</h2>\n" + table({"fault", "starts at", "detect", "detected by tier", "recover", "recovered by", "errors", "lost",
                                        "p99 change", "cross-zone bytes change"},
                                       rows);
    out += "<p class=note>Times after the start column are seconds since the fault began. <b>detect</b>: the first unhealthy "
           "verdict or outlier ejection on a node the fault affects; <b>detected by tier</b>: each tier's first and last such "
           "verdict while the fault lasted (l4: the L4 nodes' checks; l7: the L7 nodes' checks of backends; outlier: ejections on "
           "live errors). <b>recover</b>: the first second from which three seconds in a row have a p99 within 1.1× and an error "
           "share within 0.1 point of the 30 s before the fault; <b>recovered by</b> <i>failover</i> when that came while the "
           "fault lasted, <i>fault ended</i> when only once it was over. <b>changes</b> are the impact window's figure minus the "
           "pre-fault level, signed.</p>\n";
    for (const auto& f : s["faults"]) out += "<p>" + text(f["narrative"]) + "</p>\n";
  }
  if (s.contains("slo")) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& o : s["slo"]["objectives"]) {
      const auto figure = [&](const json& v) { return v.is_null() ? std::string(format::kNone) : o["unit"] == "ms" ? ms(v) : share(v); };
      rows.push_back({text(o["text"]), o["passed"].get<bool>() ? "PASS" : "<b class=fail>FAIL</b>", figure(o["value"]),
                      figure(o["threshold"]), figure(o.value("worst_window_value", json(nullptr)))});
    }
    out += "<h2>Service-level objectives</h2>\n" + table({"objective", "result", "overall", "limit", "worst window"}, rows);
  }
  return out;
}

// ---- charts, from the run's timelines ----

std::vector<Marker> fault_markers(const results::RunResult& result) {
  std::vector<Marker> markers;
  for (const auto& e : result.metrics.fault_events) markers.push_back({e.time, (e.starts ? "start: " : "end: ") + e.what.label});
  return markers;
}

Chart latency_cdf(const results::RunResult& result) {
  Chart c{"Latency distribution (all requests)", "latency (ms, log scale)", "share of requests at or below (%)", {}, {}, true};
  c.y_max = 100;
  const auto& h = result.metrics.overall.latency_ns;
  Series s{"all requests", {}};
  if (h.count() > 0) {
    for (double q = 0.0; q < 0.99; q += 0.01) s.points.emplace_back(static_cast<double>(h.quantile(q)) / 1e6, 100 * q);
    for (double q : {0.99, 0.995, 0.999, 0.9995, 0.9999, 1.0}) s.points.emplace_back(static_cast<double>(h.quantile(q)) / 1e6, 100 * q);
  }
  c.series.push_back(std::move(s));
  return c;
}

Chart latency_over_time(const results::RunResult& result) {
  Chart c{"p50 and p99 latency over time", "time (s)", "latency (ms)", {}, fault_markers(result)};
  Series p50{"p50", {}}, p99{"p99", {}};
  const auto& t = result.metrics.timeline;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t.at(i).latency_ns.count() == 0) continue;
    p50.points.emplace_back(t.start_of(i), static_cast<double>(t.at(i).latency_ns.quantile(0.5)) / 1e6);
    p99.points.emplace_back(t.start_of(i), static_cast<double>(t.at(i).latency_ns.quantile(0.99)) / 1e6);
  }
  c.series = {std::move(p50), std::move(p99)};
  return c;
}

Chart throughput_by_zone(const config::ScenarioSpec& spec, const results::RunResult& result) {
  Chart c{"Throughput per entry zone, and errors", "time (s)", "requests per second", {}, fault_markers(result)};
  const auto& m = result.metrics;
  const double step = m.timeline.interval();
  for (std::size_t z = 0; z < m.zone_timeline.size(); ++z) {
    Series s{"zone " + spec.topology.zones[z] + " ok", {}};
    for (std::size_t i = 0; i < m.zone_timeline[z].size(); ++i)
      s.points.emplace_back(m.timeline.start_of(i), static_cast<double>(m.zone_timeline[z][i].answered - m.zone_timeline[z][i].failed) / step);
    c.series.push_back(std::move(s));
  }
  Series errors{"errors (all zones)", {}};
  for (std::size_t i = 0; i < m.timeline.size(); ++i)
    errors.points.emplace_back(m.timeline.start_of(i), static_cast<double>(m.timeline.at(i).failed) / step);
  c.series.push_back(std::move(errors));
  return c;
}

Chart utilization(const results::RunResult& result) {
  Chart c{"Utilization per balancer node, and backends per group", "time (s)", "utilization (%)", {}, fault_markers(result)};
  const auto& m = result.metrics;
  std::map<std::string, Series> by_group;  // backends: averaged per target group
  std::map<std::string, std::size_t> members;
  for (std::size_t n = 0; n < m.node_timeline.size() && n < m.nodes.size(); ++n) {
    const auto& stats = m.nodes[n];
    if (stats.kind == topology::NodeKind::client) continue;
    const auto& series = m.node_timeline[n];
    Series s{stats.kind == topology::NodeKind::backend ? "backends " + stats.group : stats.name, {}};
    for (std::size_t i = 0; i < series.utilization.size(); ++i)
      s.points.emplace_back(m.timeline.start_of(i), 100 * series.utilization[i]);
    if (stats.kind != topology::NodeKind::backend) {
      c.series.push_back(std::move(s));
      continue;
    }
    auto& group = by_group[stats.group];
    group.name = s.name;
    if (group.points.size() < s.points.size()) group.points.resize(s.points.size(), {0, 0});
    for (std::size_t i = 0; i < s.points.size(); ++i) group.points[i] = {s.points[i].first, group.points[i].second + s.points[i].second};
    ++members[stats.group];
  }
  for (auto& [name, s] : by_group) {
    for (auto& p : s.points) p.second /= static_cast<double>(members[name]);
    c.series.push_back(std::move(s));
  }
  return c;
}

// The L4 tier's links, each direction: under DNAT replies come back through it (tx as
// large as the responses), under DSR they bypass it.
Chart l4_links(const results::RunResult& result) {
  Chart c{"L4 nodes' NIC traffic, each direction", "time (s)", "MB per second", {}, fault_markers(result)};
  const auto& m = result.metrics;
  const double step = m.timeline.interval();
  for (std::size_t n = 0; n < m.node_timeline.size() && n < m.nodes.size(); ++n) {
    if (m.nodes[n].kind != topology::NodeKind::l4) continue;
    const auto& series = m.node_timeline[n];
    Series in{series.name + " in", {}}, out{series.name + " out", {}};
    for (std::size_t i = 0; i < series.rx_bytes.size(); ++i) {
      in.points.emplace_back(m.timeline.start_of(i), series.rx_bytes[i] / step / 1e6);
      out.points.emplace_back(m.timeline.start_of(i), series.tx_bytes[i] / step / 1e6);
    }
    c.series.push_back(std::move(in));
    c.series.push_back(std::move(out));
  }
  return c;
}

Chart cross_zone(const results::RunResult& result) {
  Chart c{"Bytes crossing zone boundaries", "time (s)", "MB per second", {}, fault_markers(result)};
  Series s{"cross-zone", {}};
  const double step = result.metrics.timeline.interval();
  for (std::size_t i = 0; i < result.cross_zone_bytes.size(); ++i)
    s.points.emplace_back(static_cast<double>(i) * step, result.cross_zone_bytes[i] / step / 1e6);
  c.series.push_back(std::move(s));
  return c;
}

// Beside the faults table: who held what out when, and what DNS announced.
std::string health_section(const results::RunResult& result) {
  const Chart chart = health_timeline(result);
  if (chart.series.empty() && chart.bands.empty()) return "";
  std::string out = "<h2>Health over time</h2>\n<figure>" + render_svg(chart) + "</figure>\n";
  if (chart.series.empty()) return out + "<p class=note>No check or ejection held any target out, and DNS kept announcing every L4 node.</p>\n";
  return out + "<p class=note>Each line counts the targets at least one node's checks of that kind held out at that moment: the L4 "
               "nodes' active checks and passive checks (connections failing on live traffic), the L7 nodes' checks of their backends, "
               "and outlier ejections; the last counts the L4 nodes DNS stopped announcing (clients that resolved before keep using "
               "them until their cached answer expires). Shaded: faults in force.</p>\n";
}

std::string charts_section(const config::ScenarioSpec& spec, const results::RunResult& result) {
  std::string out = "<h2>Over time</h2>\n";
  for (const Chart& c : {latency_cdf(result), latency_over_time(result), throughput_by_zone(spec, result), utilization(result),
                         l4_links(result), cross_zone(result)})
    out += "<figure>" + render_svg(c) + "</figure>\n";
  return out;
}

}  // namespace

std::vector<std::string> decision_guide(const config::ScenarioSpec& spec, const json& summary) {
  std::vector<std::string> lines;
  bool tls = false;
  for (const auto& c : spec.clients) tls = tls || c.tls.enabled;
  lines.push_back(std::string("Traffic: HTTP") + (tls ? "S" : "") + " from " + std::to_string(spec.clients.size()) +
                  " client population(s): an L7 balancer can read it, an L4 balancer carries it without looking.");
  std::size_t routing_rules = 0;
  if (spec.l7)
    for (const auto& rule : spec.l7->rules) routing_rules += rule.is_default ? 0 : 1;
  lines.push_back(routing_rules > 0 ? "Content routing: " + std::to_string(routing_rules) +
                                          " listener rule(s) choose by host, path, header or cookie: only an L7 tier can do that."
                                    : "Content routing: none needed: every request goes to the same pool, which an L4 tier does.");
  double l7_tls = 0, backend_tls = 0;
  for (const auto& n : summary["nodes"]) {
    if (!n.contains("tls")) continue;
    (n["kind"] == "l7" ? l7_tls : backend_tls) += n["tls"]["cpu_seconds"].get<double>();
  }
  if (tls)
    lines.push_back(spec.has_l7() ? fmt::format("TLS: terminated at the L7 tier ({:.3f} CPU-seconds of handshakes), which can then read and route "
                                                "the requests; the backends see plain HTTP.",
                                                l7_tls)
                                  : fmt::format("TLS: passed through the L4 tier; the backends terminate it ({:.3f} CPU-seconds of "
                                                "handshakes) and nothing in front can read the requests.",
                                                backend_tls));
  double l4_util = 0, l7_util = 0;
  for (const auto& z : summary["zones"]) {
    l4_util = std::max(l4_util, z["utilization"]["l4"].get<double>());
    if (z["utilization"].contains("l7")) l7_util = std::max(l7_util, z["utilization"]["l7"].get<double>());
  }
  lines.push_back(fmt::format("Performance: {:.0f} requests/s; the busiest zone's L4 nodes run at {:.1f} %{}. An L4 tier forwards "
                              "packets without parsing them; an L7 tier spends CPU per request and per handshake.",
                              summary["throughput_rps"].get<double>(), 100 * l4_util,
                              spec.has_l7() ? fmt::format(", its L7 nodes at {:.1f} %", 100 * l7_util) : std::string()));
  std::vector<std::string> features;
  for (const auto& g : spec.target_groups)
    if (g.sticky_duration_s) features.push_back("cookie stickiness (" + g.name + ")");
  if (spec.l7 && spec.l7->waf) features.push_back("a WAF");
  if (spec.l7 && spec.l7->rate_limit) features.push_back("rate limits");
  if (!features.empty()) {
    std::string joined;
    for (const auto& f : features) joined += (joined.empty() ? "" : ", ") + f;
    lines.push_back("L7-only features in use: " + joined + ".");
  }
  const bool needs_l7 = routing_rules > 0 || !features.empty();
  if (needs_l7 && spec.has_l7())
    lines.push_back("Verdict: L4 + L7, as laid out: the L7 tier is needed for what it reads; the L4 tier in front gives stable "
                    "addresses and spreads connections over the L7 nodes.");
  else if (needs_l7)
    lines.push_back("Verdict: this layout has no L7 tier, but the scenario asks for what only L7 can do: add one.");
  else if (spec.has_l7())
    lines.push_back("Verdict: nothing here needs L7: an L4-only layout would serve the same traffic with less CPU and latency "
                    "(compare with lbsim compare).");
  else
    lines.push_back("Verdict: L4 only: nothing here needs the request's contents.");
  return lines;
}

std::string report_html(const config::ScenarioSpec& spec, const results::RunResult& result, const json& summary) {
  std::string out = "<p class=muted>" + text(summary["layout"]) + ", seed " +
         std::to_string(summary["seed"].get<std::uint64_t>()) + ", " + format::seconds(summary["duration_s"].get<double>()) +
         " of traffic, " + format::seconds(summary["sim_seconds"].get<double>()) + " simulated" +
         (summary.contains("warmup_s") ? ", the first " + format::seconds(summary["warmup_s"].get<double>()) + " left out as warm-up" : "") +
         "</p>\n";
  if (!spec.description.empty()) out += "<p>" + escape(spec.description) + "</p>\n";
  out += summary_section(summary) + warnings_section(summary) + faults_section(summary) + health_section(result) + charts_section(spec, result) + zones_section(summary) +
         groups_and_nodes_section(summary);
  out += "<h2>L4 or L7? The decision guide, applied</h2>\n<ul class=guide>";
  for (const auto& line : decision_guide(spec, summary)) out += "<li>" + escape(line) + "</li>";
  out += "</ul>\n<p class=muted>Made by lbsim; every figure in the tables is summary.json's, written for reading.</p>\n";
  return page(spec.name, out);
}

std::string replicated_report_html(const std::string& first_report, const json& replications) {
  const auto seeds = replications["seeds"];
  std::string section = "<h2>Over " + std::to_string(replications["count"].get<std::size_t>()) + " replications</h2>\n" +
                        "<p class=note>Each figure: the mean over independent replications (seeds " + std::to_string(seeds.front().get<std::uint64_t>()) +
                        " and those derived from it) and its 95 % confidence interval (Student t). The tables and charts below are "
                        "replication 1's (seed " + std::to_string(seeds.front().get<std::uint64_t>()) + ").</p>\n" +
                        html::table(replications_table(replications));
  const std::string anchor = "<h2>Summary</h2>";
  std::string page = first_report;
  const auto at = page.find(anchor);
  page.insert(at == std::string::npos ? page.find("</body>") : at, section);
  return page;
}

void write_report(const std::filesystem::path& file, const config::ScenarioSpec& spec, const results::RunResult& result, const json& summary) {
  write_file(file, report_html(spec, result, summary));
}

}  // namespace lbsim::reports::html
