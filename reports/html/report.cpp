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
#include "reports/summary.hpp"
#include "reports/html/markup.hpp"
#include "reports/output_files.hpp"
#include "reports/words.hpp"

namespace lbsim::reports::html {

using json = nlohmann::ordered_json;

namespace {

std::string text(const json& value) { return escape(value.get<std::string>()); }

// summary.json's numbers, written by the one formatting layer (reports/format.hpp).
std::string count(const json& v) { return format::count(v.get<std::uint64_t>()); }
std::string ms(const json& v) { return v.is_null() ? format::kNone : format::milliseconds(v.get<double>()); }
std::string share(const json& v) { return v.is_null() ? format::kNone : format::percent(v.get<double>()); }
std::string bytes(const json& v) { return format::bytes(v.get<double>()); }

using text::Language;

std::string table(const std::vector<std::string>& header, std::vector<std::vector<std::string>> rows) {
  rows.insert(rows.begin(), header);
  return html::table(rows, true);
}

// A heading, in `language`.
std::string heading(std::string_view id, Language language) { return "<h2>" + escape(say(id, language)) + "</h2>\n"; }

// A table's column titles, escaped (the table's cells are markup).
std::vector<std::string> titles(std::string_view id, Language language) {
  std::vector<std::string> out = say_list(id, language);
  for (auto& title : out) title = escape(title);
  return out;
}

std::string summary_section(const json& s, Language language) {
  const auto& r = s["requests"];
  const auto& l = s["latency_ms"];
  const auto word = [language](std::string_view id) { return escape(say(id, language)); };
  std::vector<std::vector<std::string>> rows = {
      {word("page.sent"), count(r["sent"])},  {word("page.completed"), count(r["completed"])}, {word("page.failed"), count(r["failed"])},
      {word("page.throughput"), format::rate(s["throughput_rps"].get<double>())},
      {word("page.latency_mean"), ms(l["mean"])}, {"p50", ms(l["p50"])}, {"p90", ms(l["p90"])},
      {"p99", ms(l["p99"])},                  {"p99.9", ms(l["p999"])},  {word("page.max"), ms(l["max"])},
      {word("page.lost"), count(r["lost"])},  {word("page.unanswered"), count(r["unanswered"])}};
  for (const auto& [kind, n] : r["failures"].items()) rows.push_back({escape(say("page.failed_kind", language, {kind})), count(n)});
  return "<h2 id=summary>" + escape(say("page.summary", language)) + "</h2>\n" + table(titles("page.summary_columns", language), rows);
}

// Saturation spans and the steady-state estimate's warnings, as the terminal prints them.
std::string warnings_section(const json& s, Language language) {
  std::string items;
  for (const auto& warning : saturation_warnings(s.value("saturation", json::array()))) items += "<li>" + escape(warning) + "</li>";
  if (s.contains("steady_state"))
    for (const auto& warning : s["steady_state"]["warnings"]) items += "<li>" + text(warning) + "</li>";
  return items.empty() ? "" : heading("page.warnings", language) + "<ul class=warn>" + items + "</ul>\n";
}

std::string zones_section(const json& s, Language language) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& z : s["zones"])
    rows.push_back({text(z["zone"]), count(z["sent"]), count(z["completed"]), count(z["failed"]), ms(z["latency_ms"]["p50"]),
                    ms(z["latency_ms"]["p99"]), share(z["utilization"]["l4"]), share(z["utilization"].value("l7", json(nullptr))),
                    share(z["utilization"]["backend"])});
  return heading("page.zones", language) + table(titles("page.zone_columns", language), rows);
}

std::string groups_and_nodes_section(const json& s, Language language) {
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
  // The notes are markup the catalog holds (<b> only), not user text.
  return heading("page.groups", language) + table(titles("page.group_columns", language), groups) + "<p class=note>" +
         say("page.groups_note", language) + "</p>\n" + heading("page.nodes", language) + table(titles("page.node_columns", language), nodes);
}

std::string faults_section(const json& s, Language language) {
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
        const std::string targets = std::to_string(t["targets"].get<std::size_t>());
        detection += fmt::format("{} {} ({}) ", t["tier"].get<std::string>(), when,
                                 say(t["targets"] == 1 ? "page.targets" : "page.targets_plural", language, {targets}));
      }
      if (errors.empty()) errors = "0";
      const auto& extra = f["impact"]["extra_p99_ms"];
      rows.push_back({text(f["label"]), format::seconds(f["start_s"].get<double>()), format::seconds_or(f["time_to_detect_s"], format::kNone),
                      detection.empty() ? format::kNone : escape(detection), format::seconds_or(f["time_to_recover_s"], say("never", language).c_str()),
                      escape(say("recovery." + f["recovery"].get<std::string>(), language)), errors, count(f["impact"]["lost"]),
                      extra.is_null() ? format::kNone : format::milliseconds_change(extra.get<double>()),
                      // null when there was no fault-free time before the fault to compare with
                      f["impact"]["cross_zone_bytes_change"].is_null() ? std::string(format::kNone)
                                                                       : format::bytes_change(f["impact"]["cross_zone_bytes_change"].get<double>())});
    }
    out += heading("page.faults", language) + table(titles("page.fault_columns", language), rows);
    out += "<p class=note>" + say("page.faults_note", language) + "</p>\n";
    for (const auto& f : s["faults"]) out += "<p>" + escape(narrative_text(f, language)) + "</p>\n";
  }
  if (s.contains("slo")) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& o : s["slo"]["objectives"]) {
      const auto figure = [&](const json& v) { return v.is_null() ? std::string(format::kNone) : o["unit"] == "ms" ? ms(v) : share(v); };
      rows.push_back({text(o["text"]), o["passed"].get<bool>() ? escape(say("pass", language)) : "<b class=fail>" + escape(say("fail", language)) + "</b>", figure(o["value"]),
                      figure(o["threshold"]), figure(o.value("worst_window_value", json(nullptr)))});
    }
    out += heading("page.slo", language) + table(titles("page.slo_columns", language), rows);
  }
  return out;
}

// ---- charts, from the run's timelines ----

std::vector<Marker> fault_markers(const results::RunResult& result, Language language) {
  std::vector<Marker> markers;
  for (const auto& e : result.metrics.fault_events) markers.push_back({e.time, say(e.starts ? "chart.fault_start" : "chart.fault_end", language, {e.what.label})});
  return markers;
}

Chart latency_cdf(const results::RunResult& result, Language language) {
  Chart c{say("chart.cdf", language), say("chart.cdf_x", language), say("chart.cdf_y", language), {}, {}, true};
  c.y_max = 100;
  const auto& h = result.metrics.overall.latency_ns;
  Series s{say("chart.all_requests", language), {}};
  if (h.count() > 0) {
    for (double q = 0.0; q < 0.99; q += 0.01) s.points.emplace_back(static_cast<double>(h.quantile(q)) / 1e6, 100 * q);
    for (double q : {0.99, 0.995, 0.999, 0.9995, 0.9999, 1.0}) s.points.emplace_back(static_cast<double>(h.quantile(q)) / 1e6, 100 * q);
  }
  c.series.push_back(std::move(s));
  return c;
}

Chart latency_over_time(const results::RunResult& result, Language language) {
  Chart c{say("chart.latency", language), say("chart.time", language), say("chart.latency_y", language), {}, fault_markers(result, language)};
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

Chart throughput_by_zone(const config::ScenarioSpec& spec, const results::RunResult& result, Language language) {
  Chart c{say("chart.throughput", language), say("chart.time", language), say("chart.throughput_y", language), {}, fault_markers(result, language)};
  const auto& m = result.metrics;
  const double step = m.timeline.interval();
  for (std::size_t z = 0; z < m.zone_timeline.size(); ++z) {
    Series s{say("chart.zone_ok", language, {spec.topology.zones[z]}), {}};
    for (std::size_t i = 0; i < m.zone_timeline[z].size(); ++i)
      s.points.emplace_back(m.timeline.start_of(i), static_cast<double>(m.zone_timeline[z][i].answered - m.zone_timeline[z][i].failed) / step);
    c.series.push_back(std::move(s));
  }
  Series errors{say("chart.errors", language), {}};
  for (std::size_t i = 0; i < m.timeline.size(); ++i)
    errors.points.emplace_back(m.timeline.start_of(i), static_cast<double>(m.timeline.at(i).failed) / step);
  c.series.push_back(std::move(errors));
  return c;
}

Chart utilization(const results::RunResult& result, Language language) {
  Chart c{say("chart.utilization", language), say("chart.time", language), say("chart.utilization_y", language), {}, fault_markers(result, language)};
  const auto& m = result.metrics;
  std::map<std::string, Series> by_group;  // backends: averaged per target group
  std::map<std::string, std::size_t> members;
  for (std::size_t n = 0; n < m.node_timeline.size() && n < m.nodes.size(); ++n) {
    const auto& stats = m.nodes[n];
    if (stats.kind == topology::NodeKind::client) continue;
    const auto& series = m.node_timeline[n];
    Series s{stats.kind == topology::NodeKind::backend ? say("chart.backends", language, {stats.group}) : stats.name, {}};
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
Chart l4_links(const results::RunResult& result, Language language) {
  Chart c{say("chart.l4_links", language), say("chart.time", language), say("chart.mb_per_s", language), {}, fault_markers(result, language)};
  const auto& m = result.metrics;
  const double step = m.timeline.interval();
  for (std::size_t n = 0; n < m.node_timeline.size() && n < m.nodes.size(); ++n) {
    if (m.nodes[n].kind != topology::NodeKind::l4) continue;
    const auto& series = m.node_timeline[n];
    Series in{say("chart.in", language, {series.name}), {}}, out{say("chart.out", language, {series.name}), {}};
    for (std::size_t i = 0; i < series.rx_bytes.size(); ++i) {
      in.points.emplace_back(m.timeline.start_of(i), series.rx_bytes[i] / step / 1e6);
      out.points.emplace_back(m.timeline.start_of(i), series.tx_bytes[i] / step / 1e6);
    }
    c.series.push_back(std::move(in));
    c.series.push_back(std::move(out));
  }
  return c;
}

Chart cross_zone(const results::RunResult& result, Language language) {
  Chart c{say("chart.cross_zone", language), say("chart.time", language), say("chart.mb_per_s", language), {}, fault_markers(result, language)};
  Series s{say("chart.cross_zone_series", language), {}};
  const double step = result.metrics.timeline.interval();
  for (std::size_t i = 0; i < result.cross_zone_bytes.size(); ++i)
    s.points.emplace_back(static_cast<double>(i) * step, result.cross_zone_bytes[i] / step / 1e6);
  c.series.push_back(std::move(s));
  return c;
}

// Beside the faults table: who held what out when, and what DNS announced.
std::string health_section(const results::RunResult& result, Language language) {
  const Chart chart = health_timeline(result, language);
  if (chart.series.empty() && chart.bands.empty()) return "";
  std::string out = heading("page.health", language) + "<figure>" + render_svg(chart) + "</figure>\n";
  if (chart.series.empty()) return out + "<p class=note>" + escape(say("page.health_quiet", language)) + "</p>\n";
  return out + "<p class=note>" + escape(say("page.health_note", language)) + "</p>\n";
}

std::string charts_section(const config::ScenarioSpec& spec, const results::RunResult& result, Language language) {
  std::string out = heading("page.over_time", language);
  for (const Chart& c : {latency_cdf(result, language), latency_over_time(result, language), throughput_by_zone(spec, result, language),
                         utilization(result, language), l4_links(result, language), cross_zone(result, language)})
    out += "<figure>" + render_svg(c) + "</figure>\n";
  return out;
}

}  // namespace

std::vector<std::string> decision_guide(const config::ScenarioSpec& spec, const json& summary, Language language) {
  const auto says = [language](std::string_view id, std::vector<std::string> args = {}) { return say(id, language, std::move(args)); };
  std::vector<std::string> lines;
  bool tls = false;
  for (const auto& c : spec.clients) tls = tls || c.tls.enabled;
  lines.push_back(says("guide.traffic", {tls ? "S" : "", std::to_string(spec.clients.size())}));
  std::size_t routing_rules = 0;
  if (spec.l7)
    for (const auto& rule : spec.l7->rules) routing_rules += rule.is_default ? 0 : 1;
  lines.push_back(routing_rules > 0 ? says("guide.routing", {std::to_string(routing_rules)}) : says("guide.no_routing"));
  double l7_tls = 0, backend_tls = 0;
  for (const auto& n : summary["nodes"]) {
    if (!n.contains("tls")) continue;
    (n["kind"] == "l7" ? l7_tls : backend_tls) += n["tls"]["cpu_seconds"].get<double>();
  }
  if (tls) lines.push_back(spec.has_l7() ? says("guide.tls_l7", {fmt::format("{:.3f}", l7_tls)}) : says("guide.tls_l4", {fmt::format("{:.3f}", backend_tls)}));
  double l4_util = 0, l7_util = 0;
  for (const auto& z : summary["zones"]) {
    l4_util = std::max(l4_util, z["utilization"]["l4"].get<double>());
    if (z["utilization"].contains("l7")) l7_util = std::max(l7_util, z["utilization"]["l7"].get<double>());
  }
  lines.push_back(says("guide.performance", {fmt::format("{:.0f}", summary["throughput_rps"].get<double>()), fmt::format("{:.1f}", 100 * l4_util),
                                             spec.has_l7() ? says("guide.performance_l7", {fmt::format("{:.1f}", 100 * l7_util)}) : std::string()}));
  std::vector<std::string> features;
  for (const auto& g : spec.target_groups)
    if (g.sticky_duration_s) features.push_back(says("guide.sticky", {g.name}));
  if (spec.l7 && spec.l7->waf) features.push_back(says("guide.waf"));
  if (spec.l7 && spec.l7->rate_limit) features.push_back(says("guide.rate_limits"));
  if (!features.empty()) {
    std::string joined;
    for (const auto& f : features) joined += (joined.empty() ? "" : ", ") + f;
    lines.push_back(says("guide.features", {joined}));
  }
  const bool needs_l7 = routing_rules > 0 || !features.empty();
  if (needs_l7) lines.push_back(says(spec.has_l7() ? "guide.l4_l7" : "guide.add_l7"));
  else lines.push_back(says(spec.has_l7() ? "guide.drop_l7" : "guide.l4_only"));
  return lines;
}

std::string report_html(const config::ScenarioSpec& spec, const results::RunResult& result, const json& summary, Language language) {
  std::string context = say("page.context", language, {summary["layout"].get<std::string>(), std::to_string(summary["seed"].get<std::uint64_t>()),
                                                       format::seconds(summary["duration_s"].get<double>()),
                                                       format::seconds(summary["sim_seconds"].get<double>())});
  if (summary.contains("warmup_s")) context += say("page.context_warmup", language, {format::seconds(summary["warmup_s"].get<double>())});
  std::string out = "<p class=muted>" + escape(context) + "</p>\n";
  if (!spec.description.empty()) out += "<p>" + escape(spec.description) + "</p>\n";
  out += summary_section(summary, language) + warnings_section(summary, language) + faults_section(summary, language) +
         health_section(result, language) + charts_section(spec, result, language) + zones_section(summary, language) +
         groups_and_nodes_section(summary, language);
  out += heading("page.guide", language) + "<ul class=guide>";
  for (const auto& line : decision_guide(spec, summary, language)) out += "<li>" + escape(line) + "</li>";
  out += "</ul>\n<p class=muted>" + escape(say("page.footer", language)) + "</p>\n";
  return page(spec.name, out, say("page.lang", language));
}

std::string replicated_report_html(const std::string& first_report, const json& replications, Language language) {
  const std::string seed = std::to_string(replications["seeds"].front().get<std::uint64_t>());
  std::string section = "<h2>" + escape(say("rep.heading", language, {std::to_string(replications["count"].get<std::size_t>())})) + "</h2>\n" +
                        "<p class=note>" + escape(say("rep.note", language, {seed})) + "</p>\n" + html::table(replications_table(replications, language));
  const std::string anchor = "<h2 id=summary>";
  std::string page = first_report;
  const auto at = page.find(anchor);
  page.insert(at == std::string::npos ? page.find("</body>") : at, section);
  return page;
}

void write_report(const std::filesystem::path& file, const config::ScenarioSpec& spec, const results::RunResult& result, const json& summary,
                  Language language) {
  write_file(file, report_html(spec, result, summary, language));
}

}  // namespace lbsim::reports::html
