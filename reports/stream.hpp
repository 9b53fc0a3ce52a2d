// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The event stream of a watched run (lbsim run --stream): newline-delimited JSON, one
// object per line, each with a "type":
//   start     the scenario: name, layout, zones, duration, tick
//   tick      what the last tick brought: time, answers, failures by kind, requests
//             swallowed and p50/p99 of those answers (over the timeline's intervals that
//             closed since: span_s seconds of them, 0 when none did), throughput, per zone, and each
//             node's utilization over the timeline intervals that closed since (when any)
//   fault     a fault starting or ending (label, starts) and what it is: kind, and the
//             fields of that kind (zone and scope, targets, factor, error_rate, link,
//             extra_latency_s, bandwidth_Bps, loss, zones, client): fault_fields
//   health    a balancer's verdict on a target (checker, target, healthy, reason)
//   paused, resumed, speed, rejected   answers to commands
//   end       the run's summary (the summary.json object)
// A reader may ignore types it does not know; new fields may be added to any type.
#include <nlohmann/json.hpp>

#include <ostream>
#include <string>

#include "config/spec.hpp"
#include "results/metrics.hpp"
#include "results/trace.hpp"

namespace lbsim::reports {

// A fault as structured fields, so that a reader never parses its label.
nlohmann::ordered_json fault_fields(const config::FaultSpec& fault);

class StreamWriter {
public:
  StreamWriter(const config::ScenarioSpec& spec, std::ostream& out) : spec_(spec), out_(out) {}

  void start(double tick_s);
  // Everything new since the previous tick, as tick, fault and health lines.
  void tick(const results::RunMetrics& metrics, double now);
  void note(const std::string& type, nlohmann::ordered_json fields = nlohmann::ordered_json::object());
  // A sampled request's way, for a watcher to draw it travelling: {"type": "sample",
  // "request", "sent_s", "status", "hops": [{"node", "at_ms"}, ...]} (at_ms since it was sent).
  void sample(const results::Trace& trace);
  void end(const nlohmann::ordered_json& summary);

private:
  void emit(const nlohmann::ordered_json& line);
  void emit_events(const results::RunMetrics& metrics);

  const config::ScenarioSpec& spec_;
  std::ostream& out_;
  nlohmann::ordered_json node_utilization(const results::RunMetrics& metrics);

  std::size_t next_interval_ = 0;  // the first timeline interval not yet reported
  std::size_t next_node_interval_ = 0;  // the same for the nodes' samples
  std::size_t faults_seen_ = 0;
  std::size_t health_seen_ = 0;
  std::size_t dns_seen_ = 0;
  std::vector<std::uint64_t> zone_answers_;  // per zone, answered so far (completed + failed)
  std::vector<std::uint64_t> zone_failures_;
};

}  // namespace lbsim::reports
