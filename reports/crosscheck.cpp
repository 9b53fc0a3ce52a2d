// SPDX-License-Identifier: GPL-3.0-or-later
#include "reports/crosscheck.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <cmath>
#include <ostream>
#include <map>
#include <set>

#include "reports/format.hpp"

namespace lbsim::reports {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

struct Row {
  std::string figure;
  std::string unit;  // "req/s", "ms", "share", "bytes"
  double predicted = 0;
  double measured = 0;
  double tolerance = 0;
  bool relative = true;  // tolerance as a share of the prediction, else in the figure's own unit (points of a share, seconds)
  // Whether the crosscheck's verdict rests on it: the agreement targets do (throughput,
  // latencies, failures, utilisation); NIC bytes do not, since the simulator counts
  // messages' sizes and not the TCP/IP headers and bare ACKs a real NIC carries.
  bool gating = true;
};

ordered_json row_json(const Row& r) {
  // Relative: (measured - predicted) / predicted; a prediction of 0 is met only by 0.
  const double difference = r.relative ? (r.predicted != 0 ? (r.measured - r.predicted) / r.predicted : (r.measured == 0 ? 0.0 : INFINITY))
                                       : r.measured - r.predicted;  // infinite when the testbed never saw it
  ordered_json j;
  j["figure"] = r.figure;
  j["unit"] = r.unit;
  j["predicted"] = r.predicted;
  j["measured"] = std::isfinite(r.measured) ? json(r.measured) : json(nullptr);
  j["difference"] = std::isfinite(difference) ? json(difference) : json(nullptr);
  j["tolerance"] = r.tolerance;
  j["kind"] = r.relative ? "relative" : r.unit == "s" ? "seconds" : "points";
  j["pass"] = std::isfinite(difference) && std::abs(difference) <= r.tolerance + 1e-12;
  j["gating"] = r.gating;
  return j;
}

double number(const json& j, const char* key) { return j.contains(key) && j[key].is_number() ? j[key].get<double>() : 0.0; }

const json* node_named(const json& summary, const std::string& name) {
  for (const auto& n : summary["nodes"])
    if (n["name"] == name) return &n;
  return nullptr;
}

std::string show(const ordered_json& row, const char* key) {
  if (row[key].is_null()) return "never";
  const double v = row[key].get<double>();
  const std::string unit = row["unit"];
  if (unit == "ms") return format::milliseconds(v);
  if (unit == "req/s") return format::rate(v);
  if (unit == "share") return format::percent(v);
  if (unit == "bytes") return format::bytes(v);
  if (unit == "s") return format::seconds(v);
  if (unit == "us") return format::significant(v) + " µs";
  if (unit == "count") return fmt::format("{:.0f}", v);
  return format::significant(v);
}

std::string show_difference(const ordered_json& row) {
  if (row["difference"].is_null()) return "n/a";
  const double d = row["difference"].get<double>();
  if (row["kind"] == "relative") return (d < 0 ? "−" : "+") + format::percent(std::abs(d));
  if (row["kind"] == "seconds") return (d < 0 ? "−" : "+") + format::seconds(std::abs(d));
  return format::points_change(d);
}

std::string show_tolerance(const ordered_json& row) {
  const double t = row["tolerance"].get<double>();
  if (row["kind"] == "seconds") return "±" + format::seconds(t);
  return row["kind"] == "relative" ? "±" + format::percent(t) : "±" + format::significant(t * 100) + " pt";
}

// When each checker first judged each target after `from_s`, healthy or not: a fault's
// detection (the first verdict against a target after the fault starts) and recovery.
std::map<std::string, double> first_verdicts(const json& summary, double from_s, bool healthy) {
  std::map<std::string, double> first;
  for (const auto& e : summary["health_events"]) {
    const double t = e["time_s"].get<double>();
    if (t < from_s || e["healthy"].get<bool>() != healthy) continue;
    const std::string key = e["checker"].get<std::string>() + (healthy ? " lets back " : " takes out ") + e["target"].get<std::string>();
    first.emplace(key, t);
  }
  return first;
}

// When DNS first withdrew (or announced again) each L4 node after `from_s`.
std::map<std::string, double> first_dns_changes(const json& summary, double from_s, bool announced) {
  std::map<std::string, double> first;
  for (const auto& e : summary["dns_events"]) {
    const double t = e["time_s"].get<double>();
    if (t < from_s || e["announced"].get<bool>() != announced) continue;
    first.emplace("DNS " + std::string(announced ? "announces " : "withdraws ") + e["node"].get<std::string>(), t);
  }
  return first;
}

struct TlsTotals {
  double full = 0, resumed = 0, cpu_s = 0;
  double handshakes() const { return full + resumed; }
};

TlsTotals tls_totals(const json& summary) {
  TlsTotals t;
  for (const auto& n : summary["nodes"])
    if (n.contains("tls")) {
      t.full += number(n["tls"], "full");
      t.resumed += number(n["tls"], "resumed");
      t.cpu_s += number(n["tls"], "cpu_seconds");
    }
  return t;
}

// TLS where it is terminated: how many handshakes, the share resumed, and the server's CPU
// per handshake. The CPU gates too, loosely: core/tls charges OpenSSL's measured work
// plus a server's socket work, the testbed measures a server thread's CPU time during
// the handshake, which a shared machine's caches and scheduling move by a fifth either
// way; it sizes a TLS tier, so a model that strays by half is wrong.
// Each sticky group's share of requests its cookie kept on their backend (the rest were
// placed, or placed again). Only lbsim's proxy says which (HAProxy and nginx do not).
void add_sticky_rows(std::vector<Row>& rows, const json& predicted, const json& measured) {
  if (!predicted.contains("target_groups") || !measured.contains("target_groups")) return;
  if (measured.value("l7_engine", "lbsim") != "lbsim") return;
  const auto hit_share = [](const json& group) {
    const json& sticky = group["sticky"];
    const double hits = sticky.value("hits", 0.0), misses = sticky.value("misses", 0.0);
    return hits / std::max(1.0, hits + misses);
  };
  for (const auto& p : predicted["target_groups"]) {
    if (!p.contains("sticky")) continue;
    for (const auto& m : measured["target_groups"])
      if (m.value("group", "") == p.value("group", "") && m.contains("sticky"))
        rows.push_back({p.value("group", "") + " sticky hits", "share", hit_share(p), hit_share(m), 0.05, false});
  }
}

// `metered`: the measured side timed its handshakes' CPU (lbsim's own processes do;
// HAProxy and nginx, counting theirs from their logs, do not).
void add_tls_rows(std::vector<Row>& rows, const json& predicted, const json& measured, bool metered) {
  const TlsTotals p = tls_totals(predicted), m = tls_totals(measured);
  if (p.handshakes() == 0 && m.handshakes() == 0) return;
  rows.push_back({"TLS handshakes", "count", p.handshakes(), m.handshakes(), 0.02, true});
  rows.push_back({"TLS handshakes resumed", "share", p.resumed / std::max(1.0, p.handshakes()), m.resumed / std::max(1.0, m.handshakes()), 0.05,
                  false});
  if (metered)
    rows.push_back({"TLS server CPU per handshake", "us", p.cpu_s / std::max(1.0, p.handshakes()) * 1e6, m.cpu_s / std::max(1.0, m.handshakes()) * 1e6,
                  0.5, true});
}

// Detection and recovery of each fault — by each checker, and by DNS — within one check
// interval of the prediction.
void add_fault_rows(std::vector<Row>& rows, const json& predicted, const json& measured, double detection_tolerance_s) {
  if (!predicted.contains("faults")) return;
  for (const auto& fault : predicted["faults"]) {
    const double start = fault.value("start_s", 0.0);
    const double end = fault.contains("end_s") && fault["end_s"].is_number() ? fault["end_s"].get<double>() : INFINITY;
    for (const bool recovers : {false, true}) {
      const double from = recovers ? end : start;
      if (!std::isfinite(from)) continue;
      for (const auto& first : {first_verdicts, first_dns_changes}) {
        const auto p = first(predicted, from, recovers);
        const auto m = first(measured, from, recovers);
        for (const auto& [key, t] : p)
          rows.push_back({key, "s", t - start, m.count(key) ? m.at(key) - start : INFINITY, detection_tolerance_s, false});
      }
    }
  }
}

}  // namespace

ordered_json crosscheck_json(const json& predicted, const json& measured, double detection_tolerance_s) {
  std::vector<Row> rows;
  rows.push_back({"throughput", "req/s", number(predicted, "throughput_rps"), number(measured, "throughput_rps"), 0.02, true});
  const json& pl = predicted["latency_ms"];
  const json& ml = measured["latency_ms"];
  rows.push_back({"latency mean", "ms", number(pl, "mean"), number(ml, "mean"), 0.10, true});
  rows.push_back({"latency p50", "ms", number(pl, "p50"), number(ml, "p50"), 0.10, true});
  rows.push_back({"latency p90", "ms", number(pl, "p90"), number(ml, "p90"), 0.15, true});
  rows.push_back({"latency p99", "ms", number(pl, "p99"), number(ml, "p99"), 0.20, true});
  // Failures by kind, as shares of the requests sent (either side's kinds).
  const double predicted_sent = std::max(1.0, number(predicted["requests"], "sent"));
  const double measured_sent = std::max(1.0, number(measured["requests"], "sent"));
  std::set<std::string> kinds;
  for (const auto* s : {&predicted, &measured})
    if ((*s)["requests"].contains("failures"))
      for (const auto& [kind, count] : (*s)["requests"]["failures"].items()) kinds.insert(kind);
  rows.push_back({"failed", "share", number(predicted["requests"], "failed") / predicted_sent, number(measured["requests"], "failed") / measured_sent,
                  0.01, false});
  for (const auto& kind : kinds) {
    const auto share = [&](const json& s, double sent) {
      const json& f = s["requests"]["failures"];
      return f.contains(kind) ? f[kind].get<double>() / sent : 0.0;
    };
    rows.push_back({"failed: " + kind, "share", share(predicted, predicted_sent), share(measured, measured_sent), 0.01, false});
  }
  // Clients' retries, where either side made any: as a share of the requests sent.
  const double predicted_retries = number(predicted["requests"], "retries"), measured_retries = number(measured["requests"], "retries");
  if (predicted_retries > 0 || measured_retries > 0)
    rows.push_back({"retries", "share", predicted_retries / predicted_sent, measured_retries / measured_sent, 0.01, false});
  for (const auto& n : predicted["nodes"]) {
    const json* m = node_named(measured, n["name"]);
    if (m == nullptr) continue;
    const std::string name = n["name"];
    // A backend's workers, an L7 node's cores (its CPU: the model's costs against the proxy's measured CPU time).
    if (n["kind"] == "backend" || n["kind"] == "l7")
      rows.push_back({name + " utilisation", "share", number(n, "utilization"), number(*m, "utilization"), 0.05, false});
    if (n["kind"] == "l4") {
      rows.push_back({name + " NIC bytes in", "bytes", number(n, "rx_bytes"), number(*m, "rx_bytes"), 0.25, true, false});
      rows.push_back({name + " NIC bytes out", "bytes", number(n, "tx_bytes"), number(*m, "tx_bytes"), 0.25, true, false});
    }
  }
  add_sticky_rows(rows, predicted, measured);
  add_tls_rows(rows, predicted, measured, measured.value("l7_engine", "lbsim") == "lbsim");
  add_fault_rows(rows, predicted, measured, detection_tolerance_s);
  ordered_json out;
  out["scenario"] = measured.value("scenario", "");
  out["seed"] = measured.value("seed", 0);
  out["duration_s"] = measured.value("duration_s", 0.0);
  ordered_json list = ordered_json::array();
  std::size_t failed = 0;
  for (const auto& r : rows) {
    list.push_back(row_json(r));
    if (r.gating && !list.back()["pass"].get<bool>()) ++failed;
  }
  out["rows"] = list;
  out["failed_rows"] = failed;
  out["passed"] = failed == 0;
  return out;
}

std::string verdict(const ordered_json& row) {
  return row["pass"].get<bool>() ? "agrees" : row["gating"].get<bool>() ? "DIFFERS" : "differs (not gating)";
}

std::vector<std::vector<std::string>> crosscheck_rows(const ordered_json& crosscheck) {
  std::vector<std::vector<std::string>> rows{{"figure", "simulator", "testbed", "difference", "tolerance", "verdict"}};
  for (const auto& r : crosscheck["rows"])
    rows.push_back({r["figure"], show(r, "predicted"), show(r, "measured"), show_difference(r), show_tolerance(r), verdict(r)});
  return rows;
}

std::vector<std::vector<std::string>> crosscheck_rows(const std::vector<EngineCheck>& checks) {
  if (checks.size() == 1) return crosscheck_rows(checks.front().crosscheck);
  std::vector<std::string> header{"figure", "simulator"};
  for (const auto& c : checks) header.insert(header.end(), {c.engine, "difference"});
  header.insert(header.end(), {"tolerance", checks.front().engine + "'s verdict"});
  std::vector<std::vector<std::string>> rows{header};
  for (const auto& r : checks.front().crosscheck["rows"]) {
    std::vector<std::string> row{r["figure"], show(r, "predicted")};
    for (const auto& c : checks) {
      const ordered_json* mine = nullptr;
      for (const auto& other : c.crosscheck["rows"])
        if (other["figure"] == r["figure"]) mine = &other;
      if (mine == nullptr) row.insert(row.end(), {"–", ""});
      else row.insert(row.end(), {show(*mine, "measured"), show_difference(*mine) + ((*mine)["pass"].get<bool>() ? "" : " ✗")});
    }
    row.insert(row.end(), {show_tolerance(r), verdict(r)});
    rows.push_back(std::move(row));
  }
  return rows;
}

void print_crosscheck(std::ostream& out, const ordered_json& crosscheck) { print_crosscheck(out, std::vector<EngineCheck>{{"testbed", crosscheck}}); }

void print_crosscheck(std::ostream& out, const std::vector<EngineCheck>& checks) {
  const ordered_json& crosscheck = checks.front().crosscheck;
  const auto rows = crosscheck_rows(checks);
  std::vector<std::size_t> widths(rows[0].size(), 0);
  // Widths by displayed characters (UTF-8 continuation bytes take no column).
  const auto columns = [](const std::string& s) {
    std::size_t n = 0;
    for (unsigned char c : s) n += (c & 0xc0) != 0x80;
    return n;
  };
  for (const auto& row : rows)
    for (std::size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], columns(row[c]));
  std::string against = "testbed";
  if (checks.size() > 1) {
    against = "the testbed with";
    for (std::size_t e = 0; e < checks.size(); ++e) against += (e == 0 ? " " : e + 1 == checks.size() ? " and " : ", ") + checks[e].engine;
    against += " as its L7 tier";
  }
  fmt::print(out, "lbsim crosscheck: {} (seed {}), simulator against {}\n", crosscheck["scenario"].get<std::string>(),
             crosscheck["seed"].get<std::uint64_t>(), against);
  for (const auto& row : rows) {
    std::string line = "  ";
    for (std::size_t c = 0; c < row.size(); ++c) {
      const std::size_t pad = widths[c] - columns(row[c]);
      line += c == 0 ? row[c] + std::string(pad, ' ') : std::string(pad, ' ') + row[c];
      line += "  ";
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << '\n';
  }
  const std::size_t failed = crosscheck["failed_rows"].get<std::size_t>();
  if (checks.size() > 1)
    out << "  (✗: beyond the tolerance; only " << checks.front().engine << "'s figures decide the verdict, the others' differences are findings)\n";
  if (failed == 0) out << "  every gating figure agrees within its tolerance\n";
  else out << "  " << failed << " gating figure" << (failed == 1 ? "" : "s") << " of " << crosscheck["rows"].size() << " differ beyond their tolerance\n";
  // A measurement is only as quiet as its host: cores taken by other guests make each
  // real process's turn late, and the testbed's latencies read high (docs/TESTBED.md).
  std::string steal;
  bool disturbed = false;
  for (const auto& c : checks) {
    if (!c.crosscheck.contains("host")) continue;
    const double share = 100 * c.crosscheck["host"]["steal_share"].get<double>();
    disturbed = disturbed || c.crosscheck["host"]["disturbed"].get<bool>();
    steal += (steal.empty() ? "" : ", ") + (checks.size() > 1 ? fmt::format("{:.1f} % with {}", share, c.engine) : fmt::format("{:.1f} %", share));
  }
  if (!steal.empty()) fmt::print(out, "  the host's hypervisor took {} of its CPU time during the testbed's run{} (steal)\n", steal, checks.size() > 1 ? "s" : "");
  if (disturbed)
    fmt::print(out, "  more than {:.0f} % stolen: the testbed's latencies read high, a disagreement there may be the host's (docs/TESTBED.md)\n",
               100 * kDisturbingStealShare);
}

ordered_json host_json(double steal_share) {
  return ordered_json{{"steal_share", steal_share}, {"disturbed", steal_share > kDisturbingStealShare}};
}

}  // namespace lbsim::reports
