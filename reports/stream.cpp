// SPDX-License-Identifier: GPL-3.0-or-later
#include "reports/stream.hpp"

#include <cmath>

namespace lbsim::reports {

using json = nlohmann::ordered_json;

namespace {
double ms(std::uint64_t ns) { return std::round(static_cast<double>(ns) / 1e3) / 1e3; }

std::string_view scope_name(const config::FaultSpec& f) { return f.whole_zone ? "zone" : f.backends_only ? "backends" : "targets"; }
}  // namespace

json fault_fields(const config::FaultSpec& f) {
  using config::FaultKind;
  json out{{"kind", config::to_string(f.kind)}};
  switch (f.kind) {
    case FaultKind::zone_outage:
      out["zone"] = f.zone;
      out["scope"] = scope_name(f);
      break;
    case FaultKind::zonal_shift: out["zone"] = f.zone; break;
    case FaultKind::backend_crash:
    case FaultKind::node_loss:
    case FaultKind::deregistration: out["targets"] = f.targets; break;
    case FaultKind::slow_backend:
      out["targets"] = f.targets;
      out["factor"] = f.factor;
      break;
    case FaultKind::backend_errors:
      out["targets"] = f.targets;
      out["error_rate"] = f.error_rate;
      break;
    case FaultKind::link_degradation:
      out["link"] = f.link;
      out["extra_latency_s"] = f.extra_latency_s;
      if (f.bandwidth_Bps) out["bandwidth_Bps"] = *f.bandwidth_Bps;
      out["loss"] = f.loss;
      break;
    case FaultKind::partition: out["zones"] = f.zones; break;
    case FaultKind::tls_resumption_loss: out["client"] = f.client; break;
    case FaultKind::traffic_surge:
      out["client"] = f.client;
      out["factor"] = f.factor;
      break;
  }
  return out;
}

// Replacing (not throwing on) bytes that are not UTF-8 is a last line of defence: every
// text that reaches here is checked or escaped first, and a watcher must never lose its run.
void StreamWriter::emit(const json& line) { out_ << line.dump(-1, ' ', false, json::error_handler_t::replace) << '\n' << std::flush; }

void StreamWriter::start(double tick_s) {
  json zones = json::array();
  for (const auto& z : spec_.topology.zones) zones.push_back(z);
  emit({{"type", "start"},
        {"scenario", spec_.name},
        {"layout", spec_.has_l7() ? "l4+l7" : "l4-only"},
        {"seed", spec_.seed},
        {"duration_s", spec_.duration_s},
        {"tick_s", tick_s},
        {"zones", zones}});
  zone_answers_.assign(spec_.topology.zones.size(), 0);
  zone_failures_.assign(spec_.topology.zones.size(), 0);
}

void StreamWriter::tick(const results::RunMetrics& metrics, double now) {
  emit_events(metrics);
  // The intervals that closed since the last tick: an open one would show half its answers.
  const auto& timeline = metrics.timeline;
  const auto closed = static_cast<std::size_t>(std::floor(now / timeline.interval() + 1e-9));
  std::uint64_t answered = 0, failed = 0, lost = 0;
  std::map<std::uint16_t, std::uint64_t> failures;
  metrics::CoarseHistogram latency;
  const std::size_t first = next_interval_;
  for (std::size_t i = next_interval_; i < std::min(closed, timeline.size()); ++i) {
    const auto& interval = timeline.at(i);
    answered += interval.answered;
    failed += interval.failed;
    lost += interval.lost;
    for (const auto& [code, count] : interval.failures) failures[code] += count;
    latency.merge(interval.latency_ns);
  }
  next_interval_ = std::max(next_interval_, closed);
  json errors = json::object();
  for (const auto& [code, count] : failures) errors[results::status_name(code)] = count;
  json zones = json::array();
  for (std::size_t z = 0; z < metrics.by_zone.size() && z < zone_answers_.size(); ++z) {
    const auto& counters = metrics.by_zone[z];
    const std::uint64_t total = counters.completed + counters.failed;
    zones.push_back({{"zone", spec_.topology.zones[z]},
                     {"answered", total - zone_answers_[z]},
                     {"failed", counters.failed - zone_failures_[z]}});
    zone_answers_[z] = total;
    zone_failures_[z] = counters.failed;
  }
  const double span_s = static_cast<double>(next_interval_ - first) * timeline.interval();
  json line{{"type", "tick"},
        {"t", now},
        {"answered", answered},
        {"failed", failed},
        {"errors", errors},
        {"lost", lost},
        {"span_s", span_s},
        {"throughput_rps", span_s > 0 ? json(static_cast<double>(answered - failed) / span_s) : json(nullptr)},
        {"p50_ms", latency.count() > 0 ? json(ms(latency.quantile(0.5))) : json(nullptr)},
        {"p99_ms", latency.count() > 0 ? json(ms(latency.quantile(0.99))) : json(nullptr)},
        {"zones", zones}};
  if (json nodes = node_utilization(metrics); !nodes.empty()) line["nodes"] = std::move(nodes);
  emit(line);
}

// Each node's mean utilization over the samples taken since the last report.
json StreamWriter::node_utilization(const results::RunMetrics& metrics) {
  json nodes = json::object();
  const auto& series = metrics.node_timeline;
  if (series.empty() || series.front().utilization.size() <= next_node_interval_) return nodes;
  const std::size_t sampled = series.front().utilization.size();
  for (const auto& node : series) {
    double sum = 0;
    for (std::size_t i = next_node_interval_; i < sampled; ++i) sum += node.utilization[i];
    nodes[node.name] = std::round(1000 * sum / static_cast<double>(sampled - next_node_interval_)) / 1000;
  }
  next_node_interval_ = sampled;
  return nodes;
}

void StreamWriter::emit_events(const results::RunMetrics& metrics) {
  for (; faults_seen_ < metrics.fault_events.size(); ++faults_seen_) {
    const auto& e = metrics.fault_events[faults_seen_];
    json line{{"type", "fault"}, {"t", e.time}, {"fault", e.fault}, {"label", e.what.label}, {"starts", e.starts}};
    line.update(fault_fields(e.what));
    emit(line);
  }
  for (; health_seen_ < metrics.health_events.size(); ++health_seen_) {
    const auto& e = metrics.health_events[health_seen_];
    json line{{"type", "health"}, {"t", e.time}, {"checker", e.checker}, {"source", results::to_string(e.source)},
              {"target", e.target}, {"healthy", e.healthy}, {"reason", e.reason}};
    if (e.until > 0) line["until"] = e.until;
    emit(line);
  }
  for (; dns_seen_ < metrics.dns_events.size(); ++dns_seen_) {
    const auto& e = metrics.dns_events[dns_seen_];
    emit({{"type", "dns"}, {"t", e.time}, {"node", e.node}, {"announced", e.announced}, {"reason", e.reason}});
  }
}

void StreamWriter::note(const std::string& type, json fields) {
  json line{{"type", type}};
  line.update(fields);
  emit(line);
}

void StreamWriter::sample(const results::Trace& trace) {
  json hops = json::array();
  for (const auto& hop : trace.hops)
    hops.push_back({{"node", hop.node}, {"at_ms", std::round((hop.arrived - trace.sent_at) * 1e6) / 1e3}});
  emit({{"type", "sample"},
        {"request", trace.request},
        {"sent_s", trace.sent_at},
        {"status", results::status_name(static_cast<std::uint16_t>(trace.status))},
        {"hops", hops}});
}

void StreamWriter::end(const json& summary) { emit({{"type", "end"}, {"summary", summary}}); }

}  // namespace lbsim::reports
