// SPDX-License-Identifier: GPL-3.0-or-later
#include "reports/summary.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <cmath>

#include "reports/fault_report.hpp"
#include "reports/format.hpp"
#include "reports/saturation.hpp"
#include "reports/slo.hpp"
#include "reports/steady_state.hpp"
#include "reports/words.hpp"

namespace lbsim::reports {
namespace {

using json = nlohmann::ordered_json;

// Milliseconds rounded to the microsecond: the histogram's own precision is 0.4 %.
double ms(double ns) { return std::round(ns / 1e3) / 1e3; }
// Rounds to a decimal step (1e-3, 1e-9): dividing by the power of ten, not multiplying by
// its inexact inverse, so 60 s prints as 60.0 and not 60.00000000000001.
double round_to(double value, double step) {
  const double scale = std::round(1.0 / step);
  return std::round(value * scale) / scale;
}

json latency_json(const metrics::Histogram& h) {
  return {{"mean", ms(h.mean())},
          {"p50", ms(static_cast<double>(h.quantile(0.50)))},
          {"p90", ms(static_cast<double>(h.quantile(0.90)))},
          {"p99", ms(static_cast<double>(h.quantile(0.99)))},
          {"p999", ms(static_cast<double>(h.quantile(0.999)))},
          {"max", ms(static_cast<double>(h.max()))}};
}

// Failures by kind: "reset", "timeout", "unanswered", "503", ...
json failures_json(const std::map<std::uint16_t, std::uint64_t>& by_status) {
  json out = json::object();
  for (const auto& [status, count] : by_status) out[results::status_name(status)] = count;
  return out;
}

json counters_json(const results::RequestCounters& c) {
  return {{"sent", c.sent},
          {"completed", c.completed},
          {"failed", c.failed},
          {"retries", c.retries},
          {"errors", failures_json(c.failures_by_status)}};
}

// Mean utilisation of each tier's nodes in one zone (tiers absent from the layout are omitted).
json zone_utilization(const std::vector<results::NodeStats>& nodes, const std::string& zone, double seconds) {
  json out = json::object();
  for (const auto kind : {topology::NodeKind::l4, topology::NodeKind::l7, topology::NodeKind::backend}) {
    double sum = 0;
    int count = 0;
    for (const auto& n : nodes) {
      if (n.kind == kind && n.zone == zone) {
        sum += n.utilization(seconds);
        ++count;
      }
    }
    if (count > 0) out[std::string(topology::to_string(kind))] = round_to(sum / count, 1e-6);
  }
  return out;
}

json optional_json(const std::optional<double>& value, double scale, double step) {
  return value ? json(round_to(*value * scale, step)) : json(nullptr);
}

// Node counters that stay zero unless something failed are written only when they did not.
void add_failure_counters(json& entry, const results::NodeStats& n) {
  for (const auto& [key, value] : {std::pair{"resets", n.resets}, std::pair{"timeouts", n.timeouts},
                                   std::pair{"retries", n.retries}, std::pair{"overflows", n.overflows}})
    if (value > 0) entry[key] = value;
}

json fault_json(const FaultImpact& f, const config::ScenarioSpec& spec) {
  // The narrative in English, and as message ids for readers in another language.
  const auto narrative = fault_narrative_notes(f, spec);
  json narrative_ids = json::array();
  for (const auto& note : narrative) narrative_ids.push_back({{"id", note.id}, {"args", note.args}});
  json baseline = nullptr;
  if (f.baseline)
    baseline = {{"p99_ms", ms(f.baseline->p99_ns)}, {"mean_ms", ms(f.baseline->mean_ns)},
                {"error_share", round_to(f.baseline->error_share, 1e-9)}};
  json errors = json::object();
  for (const auto& [kind, count] : f.errors) errors[kind] = count;
  const json impact{{"from_s", round_to(f.window_from_s, 1e-9)},
                    {"to_s", round_to(f.window_to_s, 1e-9)},
                    {"answered", f.answered},
                    {"errors", errors},
                    {"lost", f.lost},
                    {"mean_ms", ms(f.mean_ns)},
                    {"p99_ms", ms(f.p99_ns)},
                    {"extra_mean_ms", optional_json(f.extra_mean_ns, 1e-6, 1e-3)},
                    {"extra_p99_ms", optional_json(f.extra_p99_ns, 1e-6, 1e-3)},
                    {"cross_zone_bytes", f.cross_zone_bytes},
                    {"cross_zone_bytes_change", optional_json(f.cross_zone_bytes_change, 1, 1)}};
  json detection = json::array();
  for (const auto& t : f.detection)
    detection.push_back({{"tier", t.tier}, {"first_s", round_to(t.first_s, 1e-9)}, {"last_s", round_to(t.last_s, 1e-9)},
                         {"verdicts", t.verdicts}, {"targets", t.targets}});
  json dns = json::array();
  for (const auto& w : f.dns) {
    dns.push_back({{"node", w.node}, {"withdrawn_s", round_to(w.withdrawn_s, 1e-9)}, {"cache_expired_s", round_to(w.cache_expired_s, 1e-9)},
                   {"announced_again_s", optional_json(w.announced_again_s, 1, 1e-9)}, {"reason", w.reason}});
  }
  return {{"index", f.index},
          {"kind", std::string(config::to_string(f.kind))},
          {"label", f.label},
          {"start_s", round_to(f.start_s, 1e-9)},
          {"end_s", round_to(f.end_s, 1e-9)},
          {"time_to_detect_s", optional_json(f.time_to_detect_s, 1, 1e-9)},
          {"time_to_recover_s", optional_json(f.time_to_recover_s, 1, 1e-9)},
          {"recovered", f.recovered()},
          {"recovery", std::string(to_string(f.recovery))},
          {"detection", detection},
          {"dns", dns},
          {"baseline", baseline},
          {"impact", impact},
          {"narrative", render_narrative(narrative)},
          {"narrative_ids", narrative_ids}};
}

// Latencies in milliseconds (the summary's unit), error rates as shares.
double slo_value(const SloResult& r, double value) {
  return is_latency(r.metric) ? round_to(value * 1e3, 1e-6) : round_to(value, 1e-9);
}

json slo_json(const SloReport& report) {
  json objectives = json::array();
  for (const auto& r : report.objectives) {
    json entry{{"text", r.text},
               {"metric", std::string(metric_name(r.metric))},
               {"unit", is_latency(r.metric) ? "ms" : "share"},
               {"threshold", slo_value(r, r.threshold)},
               {"value", slo_value(r, r.value)}};
    if (r.window_s) entry["window_s"] = *r.window_s;
    if (r.worst_window_value) {
      entry["worst_window_start_s"] = *r.worst_window_start_s;
      entry["worst_window_value"] = slo_value(r, *r.worst_window_value);
    }
    entry["passed"] = r.passed;
    objectives.push_back(entry);
  }
  return {{"passed", report.passed}, {"objectives", objectives}};
}

json fault_events_json(const config::ScenarioSpec& spec, const results::RunResult& result) {
  const auto& faults = applied_faults(spec, result);
  json out = json::array();
  for (const auto& e : result.metrics.fault_events) {
    const std::string label = e.fault < faults.size() ? faults[e.fault].label : "";
    out.push_back({{"time_s", round_to(e.time, 1e-9)}, {"fault", e.fault}, {"label", label}, {"starts", e.starts}});
  }
  return out;
}

// The failure timeline: what the injector did, what each fault cost, and the objectives.
void add_failure_replay(json& out, const config::ScenarioSpec& spec, const results::RunResult& result) {
  double cross_zone_total = 0;
  for (const double bytes : result.cross_zone_bytes) cross_zone_total += bytes;
  out["timeline"] = {{"interval_s", result.metrics.timeline.interval()}, {"cross_zone_bytes_total", cross_zone_total}};
  out["fault_events"] = fault_events_json(spec, result);
  json faults = json::array();
  for (const auto& impact : analyse_faults(spec, result)) faults.push_back(fault_json(impact, spec));
  out["faults"] = faults;
  if (!spec.slo.empty()) out["slo"] = slo_json(evaluate_slo(spec, result));
}

// "503 12  reset 3" from a kind -> count object.
std::string counts_line(const json& counts) {
  std::string line;
  for (const auto& [kind, count] : counts.items()) line += fmt::format("{}{} {}", line.empty() ? "" : "  ", kind, count.get<std::uint64_t>());
  return line;
}

}  // namespace

std::string narrative_text(const json& fault, text::Language language) {
  if (language == text::Language::en || !fault.contains("narrative_ids")) return fault["narrative"].get<std::string>();
  std::vector<text::Note> notes;
  for (const auto& note : fault["narrative_ids"]) notes.push_back({note["id"].get<std::string>(), note["args"].get<std::vector<std::string>>()});
  return render_narrative(notes, language);
}

namespace {

// A table's title row from its words: a positive width right-aligns, a negative one
// left-aligns; padded by display width, so Korean titles line up over ASCII figures.
std::string title_row(const std::vector<std::string>& titles, const std::vector<int>& widths) {
  std::string row = " ";
  for (std::size_t i = 0; i < titles.size() && i < widths.size(); ++i)
    row += " " + format::pad(titles[i], static_cast<std::size_t>(std::abs(widths[i])), widths[i] > 0);
  return row;
}

// "  requests  sent 1 ..." : a line's label padded to the figures' column.
void print_labelled(std::ostream& out, std::string_view label, std::string_view text) {
  fmt::print(out, "  {}{}\n", format::pad(label, 10), text);
}

std::string recovery_text(const json& f, text::Language language) {
  const std::string recovery = f.value("recovery", "never");
  return say("recovery." + recovery, language);
}

void print_faults(std::ostream& out, const json& faults, text::Language language) {
  fmt::print(out, "\n{}\n", title_row(say_list("sum.fault_columns", language), {-28, 10, 10, 10, 12, 8, 8, 13}));
  for (const auto& f : faults) {
    const auto& impact = f["impact"];
    std::uint64_t errors = 0;
    for (const auto& [kind, count] : impact["errors"].items()) errors += count.get<std::uint64_t>();
    const auto& extra = impact["extra_p99_ms"];
    fmt::print(out, "  {:<28} {:>10} {:>10} {:>10} {} {:>8} {:>8} {:>13}\n", f["label"].get<std::string>(),
               format::seconds(f["start_s"].get<double>()), format::seconds_or(f["time_to_detect_s"], format::kNone),
               format::seconds_or(f["time_to_recover_s"], say("never", language).c_str()), format::pad(recovery_text(f, language), 12, true), errors,
               impact["lost"].get<std::uint64_t>(), extra.is_null() ? std::string(format::kNone) : format::milliseconds_change(extra.get<double>()));
  }
  fmt::print(out, "  {}\n", say("sum.fault_key", language));
  for (const auto& f : faults) fmt::print(out, "\n  {}\n", narrative_text(f, language));
}

std::string slo_figure(const json& objective, const json& value) {
  if (objective["unit"] == "ms") return format::milliseconds(value.get<double>());
  return format::percent(value.get<double>());
}

void print_slo(std::ostream& out, const json& slo, text::Language language) {
  std::size_t missed = 0;
  for (const auto& o : slo["objectives"]) missed += o["passed"].get<bool>() ? 0 : 1;
  fmt::print(out, "\n  {}: {}\n", say("sum.slo", language),
             missed == 0 ? say("sum.slo_all_met", language)
                         : say("sum.slo_missed", language, {std::to_string(missed), std::to_string(slo["objectives"].size())}));
  const std::string pass = say("pass", language), fail = say("fail", language);
  const std::size_t verdict_width = std::max(format::display_width(pass), format::display_width(fail));
  for (const auto& o : slo["objectives"]) {
    std::string line = fmt::format("    {}  {} {}", format::pad(o["passed"].get<bool>() ? pass : fail, verdict_width),
                                   format::pad(o["text"].get<std::string>(), 28),
                                   say("sum.slo_figures", language, {slo_figure(o, o["value"]), slo_figure(o, o["threshold"])}));
    if (o.contains("worst_window_value"))
      line += say("sum.slo_worst", language, {fmt::format("{:g}", o["window_s"].get<double>()), fmt::format("{:g}", o["worst_window_start_s"].get<double>()),
                                               slo_figure(o, o["worst_window_value"])});
    fmt::print(out, "{}\n", line);
  }
}

}  // namespace

json summary_json(const config::ScenarioSpec& spec, const results::RunResult& result) {
  const auto& m = result.metrics;
  const double seconds = result.sim_seconds;
  json out;
  out["scenario"] = spec.name;
  out["file"] = spec.source_file;
  out["layout"] = spec.has_l7() ? "l4+l7" : "l4-only";
  out["seed"] = spec.seed;
  out["mode"] = result.mode;
  out["duration_s"] = spec.duration_s;
  if (spec.warmup_s > 0) out["warmup_s"] = spec.warmup_s;
  out["sim_seconds"] = round_to(seconds, 1e-9);
  out["wall_seconds"] = round_to(result.wall_seconds, 1e-3);
  json requests = counters_json(m.overall);
  // Signed: counts that do not add up must show as such, not wrap to 2^64 - 9.
  requests["in_flight_at_end"] = static_cast<std::int64_t>(m.overall.sent) - static_cast<std::int64_t>(m.overall.completed + m.overall.failed);
  requests["lost"] = m.lost;
  requests["unanswered"] = m.unanswered;
  requests["failures"] = failures_json(m.overall.failures_by_status);
  out["requests"] = requests;
  // Over the measured window: the warm-up's answers are not counted.
  const double measured_seconds = seconds - spec.warmup_s;
  out["throughput_rps"] = measured_seconds > 0 ? round_to(static_cast<double>(m.overall.completed) / measured_seconds, 1e-3) : 0.0;
  out["latency_ms"] = latency_json(m.overall.latency_ns);
  if (!result.replays.empty()) {
    json replays = json::array();
    for (const auto& r : result.replays)
      replays.push_back({{"client", r.client}, {"lines", r.lines}, {"sent", r.sent}, {"malformed", r.malformed},
                         {"before_window", r.before_window}, {"late", r.late}, {"first_malformed", r.first_malformed},
                         {"first_logged_s", round_to(r.first_logged_s, 1e-6)}, {"last_logged_s", round_to(r.last_logged_s, 1e-6)}});
    out["replays"] = replays;
  }

  json zones = json::array();
  for (std::size_t z = 0; z < m.by_zone.size(); ++z) {
    json entry{{"zone", spec.topology.zones[z]}};
    entry.update(counters_json(m.by_zone[z]));
    entry["latency_ms"] = latency_json(m.by_zone[z].latency_ns);
    entry["utilization"] = zone_utilization(m.nodes, spec.topology.zones[z], seconds);
    zones.push_back(entry);
  }
  out["zones"] = zones;

  json groups = json::array();
  for (std::size_t g = 0; g < m.by_group.size(); ++g) {
    double busy = 0, capacity = 0, live_capacity_seconds = 0;
    std::size_t backends = 0;
    for (const auto& n : m.nodes) {
      if (n.kind == topology::NodeKind::backend && n.group == spec.target_groups[g].name) {
        busy += n.busy_seconds;
        capacity += n.capacity;
        live_capacity_seconds += n.capacity * std::max(0.0, seconds - n.out_of_service_seconds);
        ++backends;
      }
    }
    json entry{{"group", spec.target_groups[g].name}, {"backends", backends}};
    entry.update(counters_json(m.by_group[g]));
    entry["utilization"] = seconds > 0 && capacity > 0 ? round_to(busy / (capacity * seconds), 1e-6) : 0.0;
    // Over the time each backend was in service: a lost zone's or deregistered backends no longer dilute the mean.
    entry["utilization_live"] = live_capacity_seconds > 0 ? round_to(busy / live_capacity_seconds, 1e-6) : 0.0;
    // The mean hides the busiest backend (its peers dead, drained or idle): name it.
    const results::NodeStats* busiest = nullptr;
    for (const auto& n : m.nodes)
      if (n.kind == topology::NodeKind::backend && n.group == spec.target_groups[g].name &&
          (busiest == nullptr || n.utilization(seconds) > busiest->utilization(seconds)))
        busiest = &n;
    if (busiest != nullptr) entry["busiest"] = {{"node", busiest->name}, {"utilization", round_to(busiest->utilization(seconds), 1e-6)}};
    if (spec.target_groups[g].sticky_duration_s)
      entry["sticky"] = {{"hits", m.by_group[g].sticky_hits}, {"misses", m.by_group[g].sticky_misses}};
    entry["latency_ms"] = latency_json(m.by_group[g].latency_ns);
    groups.push_back(entry);
  }
  out["target_groups"] = groups;

  json nodes = json::array();
  for (const auto& n : m.nodes) {
    json entry{{"name", n.name}, {"kind", std::string(topology::to_string(n.kind))}, {"zone", n.zone}};
    if (!n.group.empty()) entry["group"] = n.group;
    entry["requests"] = n.requests;
    entry["utilization"] = round_to(n.utilization(seconds), 1e-6);
    entry["max_queue"] = n.max_queue;
    if (n.tls_full + n.tls_resumed > 0)
      entry["tls"] = {{"full", n.tls_full}, {"resumed", n.tls_resumed}, {"cpu_seconds", round_to(n.tls_cpu_seconds, 1e-9)}};
    if (n.kind == topology::NodeKind::l7) {
      entry["refused"] = n.refused;
      entry["upstream_connections"] = n.upstream_connections;
    }
    if (n.kind == topology::NodeKind::backend && n.requests > 0) {
      entry["queue"] = {{"waited_share", round_to(static_cast<double>(n.waited) / n.requests, 1e-6)},
                        {"mean_wait_ms", round_to(n.wait_seconds / n.requests * 1e3, 1e-6)}};
    }
    add_failure_counters(entry, n);
    entry["rx_bytes"] = n.rx_bytes;
    entry["tx_bytes"] = n.tx_bytes;
    nodes.push_back(entry);
  }
  out["nodes"] = nodes;

  json health = json::array();
  for (const auto& e : m.health_events) {
    health.push_back({{"time_s", round_to(e.time, 1e-9)}, {"checker", e.checker}, {"source", results::to_string(e.source)},
                      {"target", e.target}, {"healthy", e.healthy}, {"reason", e.reason}});
    if (e.until > 0) health.back()["until_s"] = round_to(e.until, 1e-9);
  }
  out["health_events"] = health;
  json dns = json::array();
  for (const auto& e : m.dns_events)
    dns.push_back({{"time_s", round_to(e.time, 1e-9)}, {"node", e.node}, {"announced", e.announced}, {"reason", e.reason}});
  out["dns_events"] = dns;
  add_failure_replay(out, spec, result);
  out["steady_state"] = steady_state_json(spec, result);
  out["saturation"] = saturation_json(m);
  const double sent = static_cast<double>(std::max<std::uint64_t>(1, m.overall.sent));
  out["engine"] = {{"peak_requests_in_flight", result.requests_allocated},
                   {"messages", result.messages},
                   {"messages_per_request", round_to(static_cast<double>(result.messages) / sent, 1e-3)},
                   {"transfers", result.transfers},
                   {"rounds", result.rounds},
                   {"rounds_per_request", round_to(static_cast<double>(result.rounds) / sent, 1e-3)}};
  return out;
}

void print_summary(std::ostream& out, const json& s, text::Language language) {
  const auto& r = s["requests"];
  const auto& l = s["latency_ms"];
  const auto say_with = [language](std::string_view id, std::vector<std::string> args) { return say(id, language, std::move(args)); };
  fmt::print(out, "{}\n", say_with("sum.title", {s["scenario"].get<std::string>(), s["layout"].get<std::string>(), std::to_string(s["seed"].get<std::uint64_t>())}));
  const std::string sim = fmt::format("{:.3f}", s["sim_seconds"].get<double>()), wall = fmt::format("{:.2f}", s["wall_seconds"].get<double>());
  fmt::print(out, "  {}\n", say_with(s.value("mode", "simulation") == "testbed" ? "sum.testbed" : "sum.simulated", {sim, wall}));
  if (s.contains("replays"))
    for (const auto& r : s["replays"]) {
      std::string line = say_with("sum.replay", {r["client"].get<std::string>(), std::to_string(r["sent"].get<std::uint64_t>()),
                                                 std::to_string(r["lines"].get<std::uint64_t>())});
      if (const auto before = r["before_window"].get<std::uint64_t>(); before > 0) line += say_with("sum.replay_before", {std::to_string(before)});
      if (const auto late = r["late"].get<std::uint64_t>(); late > 0) line += say_with("sum.replay_late", {std::to_string(late)});
      if (const auto bad = r["malformed"].get<std::uint64_t>(); bad > 0) line += say_with("sum.replay_malformed", {std::to_string(bad)});
      print_labelled(out, say("sum.label.replay", language), line);
      for (const auto& skipped : r["first_malformed"]) print_labelled(out, "", say_with("sum.replay_skipped", {skipped.get<std::string>()}));
    }
  if (s.contains("warmup_s"))
    print_labelled(out, say("sum.label.warmup", language), say_with("sum.warmup", {fmt::format("{:g}", s["warmup_s"].get<double>())}));
  print_labelled(out, say("sum.label.requests", language),
                 say_with("sum.requests", {std::to_string(r["sent"].get<std::uint64_t>()), std::to_string(r["completed"].get<std::uint64_t>()),
                                           std::to_string(r["failed"].get<std::uint64_t>()), format::rate(s["throughput_rps"].get<double>())}));
  const auto ms = [](const json& v) { return format::significant(v.get<double>()); };
  print_labelled(out, say("sum.label.latency", language),
                 say_with("sum.latency", {ms(l["mean"]), ms(l["p50"]), ms(l["p90"]), ms(l["p99"]), ms(l["p999"]), ms(l["max"])}));
  if (r.contains("failures") && !r["failures"].empty()) {
    std::string line = counts_line(r["failures"]);
    if (r.value("lost", std::uint64_t{0}) > 0) line += say_with("sum.lost_on_the_way", {std::to_string(r["lost"].get<std::uint64_t>())});
    print_labelled(out, say("sum.label.failures", language), line);
  }

  fmt::print(out, "\n{}\n", title_row(say_list("sum.zone_columns", language), {-12, 10, 10, 8, 10, 10}));
  for (const auto& z : s["zones"]) {
    fmt::print(out, "  {:<12} {:>10} {:>10} {:>8} {:>10} {:>10}\n", z["zone"].get<std::string>(), z["sent"].get<std::uint64_t>(),
               z["completed"].get<std::uint64_t>(), z["failed"].get<std::uint64_t>(), ms(z["latency_ms"]["p50"]),
               ms(z["latency_ms"]["p99"]));
  }
  fmt::print(out, "\n{}\n", title_row(say_list("sum.group_columns", language), {-12, 8, 10, 8, 8, 10, 10}));
  for (const auto& g : s["target_groups"]) {
    fmt::print(out, "  {:<12} {:>8} {:>10} {:>8} {:>8} {:>10} {:>10}\n", g["group"].get<std::string>(),
               g["backends"].get<std::uint64_t>(), g["sent"].get<std::uint64_t>(), g["failed"].get<std::uint64_t>(),
               format::percent(g["utilization"].get<double>()), ms(g["latency_ms"]["p50"]), ms(g["latency_ms"]["p99"]));
  }
  fmt::print(out, "\n{}\n", title_row(say_list("sum.node_columns", language), {-16, -8, -6, 10, 8}));
  for (const auto& n : s["nodes"]) {
    if (n["kind"] == "backend") continue;  // per-backend rows live in summary.json
    fmt::print(out, "  {:<16} {:<8} {:<6} {:>10} {:>8}\n", n["name"].get<std::string>(), n["kind"].get<std::string>(),
               n["zone"].get<std::string>(), n["requests"].get<std::uint64_t>(), format::percent(n["utilization"].get<double>()));
  }
  if (s.contains("faults") && !s["faults"].empty()) print_faults(out, s["faults"], language);
  if (s.contains("slo")) print_slo(out, s["slo"], language);
  std::vector<std::string> warnings;
  if (s.contains("saturation")) warnings = saturation_warnings(s["saturation"]);
  if (s.contains("steady_state"))
    for (const auto& warning : s["steady_state"]["warnings"]) warnings.push_back(warning.get<std::string>());
  if (!warnings.empty()) fmt::print(out, "\n");
  for (const auto& warning : warnings) fmt::print(out, "  {}\n", say_with("sum.warning", {warning}));
}

}  // namespace lbsim::reports
