// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// What a run measures. Streaming only: histograms and counters, so memory does not
// grow with the number of requests.
#include <array>
#include <map>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "config/spec.hpp"
#include "results/trace.hpp"
#include "metrics/histogram.hpp"
#include "metrics/time_series.hpp"
#include "topology/topology.hpp"

namespace lbsim::results {

// How a request ended, from the client's point of view: an HTTP status, or a reset
// (the connection was refused or cut before any HTTP answer).
inline constexpr std::uint16_t kStatusReset = 0;
// The client gave up waiting (its timeout, after any retries).
inline constexpr std::uint16_t kStatusTimeout = 1;
// No answer by the end of the run's drain time: swallowed, with nothing timing it out.
inline constexpr std::uint16_t kStatusUnanswered = 2;
inline bool is_success(std::uint16_t status) { return status >= 200 && status < 400; }
// "503", or "reset".
std::string status_name(std::uint16_t status);

struct RequestCounters {
  std::uint64_t sent = 0;
  std::uint64_t completed = 0;  // answered 2xx or 3xx
  std::uint64_t failed = 0;     // answered 4xx or 5xx, or reset
  std::map<std::uint16_t, std::uint64_t> failures_by_status;  // touched only by failures
  std::uint64_t retries = 0;        // extra attempts clients made
  std::uint64_t sticky_hits = 0;    // requests a balancer cookie kept on their backend
  std::uint64_t sticky_misses = 0;  // requests of a sticky group that had to be (re)placed
  metrics::Histogram latency_ns;  // every answered request, ok or not

  void record_answer(std::uint16_t status, std::uint64_t latency_ns);
  // Adds another population's counts (the testbed's clients each count their own).
  void merge(const RequestCounters& other);
  std::uint64_t failures(std::uint16_t status) const;
};

// Per simulated node. What "busy" means depends on the node: CPU seconds for an L7
// node, worker seconds for a backend; an L4 node's load is its NIC's bytes.
struct NodeStats {
  std::string name;
  topology::NodeKind kind = topology::NodeKind::backend;
  std::string zone;
  std::string group;             // backends: their target group
  std::uint64_t requests = 0;    // requests this node forwarded or served
  double busy_seconds = 0;
  double capacity = 1;           // cores or workers
  double rx_bytes = 0;           // received on its NIC
  double tx_bytes = 0;           // sent from its NIC
  double nic_Bps = 0;            // NIC bandwidth, each direction
  std::uint64_t refused = 0;     // L7 nodes: requests shed with a 503 because the queue was full
  std::size_t max_queue = 0;
  std::uint64_t upstream_connections = 0;  // L7 nodes: connections opened to backends
  std::uint64_t resets = 0;      // requests whose connection this node reset (a crash, a cut drain)
  std::uint64_t timeouts = 0;    // L7 nodes: upstream timeouts (answered 504)
  std::uint64_t retries = 0;     // L7 nodes: requests retried on another backend
  std::uint64_t overflows = 0;   // L7 nodes: requests a circuit breaker answered with 503
  std::uint64_t waited = 0;      // backends: requests that found every worker busy
  double wait_seconds = 0;       // backends: their total time in the queue
  std::uint64_t tls_full = 0;    // TLS handshakes this node terminated, full and resumed
  std::uint64_t tls_resumed = 0;
  double tls_cpu_seconds = 0;    // CPU those handshakes took (part of busy_seconds)
  std::uint64_t connections_opened = 0;  // clients: by measured requests' first attempts (each paid a handshake)
  double out_of_service_seconds = 0;  // backends: time crashed, dark or deregistered (taking no new work)

  // Share of capacity used over `seconds` (for L4 nodes: the busier NIC direction).
  double utilization(double seconds) const;
};

// Who judged a target: an L4 node's active checks or its passive ones (connection
// failures on live traffic), an L7 node's active checks, or an L7 node's outlier detection.
enum class HealthSource : std::uint8_t { l4_check, l4_passive, l7_check, outlier };
// "l4", "l4_passive", "l7", "outlier": summary.json's and the stream's words.
std::string_view to_string(HealthSource source);

// A target's health as one balancer node's checks judged it.
struct HealthEvent {
  double time = 0;
  std::string checker;  // the node and what judged: "<node>-hc-<group>", "<node>-passive"
  std::string target;
  bool healthy = true;
  std::string reason;   // "2 consecutive failures reached unhealthy threshold 2"
  double until = 0;     // an outlier ejection's end; 0 for health-check verdicts
  HealthSource source = HealthSource::l7_check;
};

// DNS starting or stopping to announce an L4 node. Clients that cached an answer holding
// a withdrawn node keep connecting to it until their cached answer expires (the TTL).
struct DnsEvent {
  double time = 0;
  std::string node;
  bool announced = true;
  std::string reason;  // "no healthy target", "the node is down", "zonal shift", ...
};

// A fault starting or ending, as the injector applied it.
struct FaultEvent {
  double time = 0;
  std::size_t fault = 0;  // index into RunResult::faults
  bool starts = true;     // false: it ends (the fault recovers)
  config::FaultSpec what; // the fault itself, for live readers that do not hold the list
};

// Answers by the zone a request entered, in one interval of the timeline.
struct ZoneInterval {
  std::uint64_t answered = 0;
  std::uint64_t failed = 0;
};

// One node's work per interval of the timeline: busy seconds (CPU or workers; divide by
// its capacity and the interval for a utilization) and bytes through its NIC each way,
// and the utilization they make by the node's own definition (NodeStats::utilization).
struct NodeSeries {
  std::string name;
  std::vector<double> utilization;
  std::vector<double> busy_seconds;
  std::vector<double> rx_bytes;
  std::vector<double> tx_bytes;
};

struct RunMetrics {
  RunMetrics() : timeline(1.0) {}
  void record_lost(double now) {
    ++lost;
    timeline.record_lost(now);
  }

  RequestCounters overall;
  // Time requests spent in each tier: at an L7 node, from arrival until forwarded (its
  // queue and CPU); at a backend, from arrival until answered (its queue and service).
  metrics::Histogram l7_tier_ns;
  metrics::Histogram backend_tier_ns;
  std::vector<RequestCounters> by_zone;   // by the zone whose L4 node the request entered
  std::vector<RequestCounters> by_group;  // by the target group that served it
  std::vector<NodeStats> nodes;
  std::vector<HealthEvent> health_events;  // in time order
  std::vector<FaultEvent> fault_events;    // in time order
  std::vector<DnsEvent> dns_events;        // in time order
  metrics::TimeSeries timeline;            // every answer, by when the client got it
  std::vector<std::vector<ZoneInterval>> zone_timeline;  // [zone][interval], same intervals
  std::vector<NodeSeries> node_timeline;   // in the order of `nodes`
  std::uint64_t lost = 0;                  // requests a dead node or a cut link swallowed
  std::uint64_t unanswered = 0;            // still without an answer when the run ended
};

// What a `replay` arrival read from its logs and sent.
struct ReplayReport {
  std::string client;                // the population
  std::uint64_t lines = 0;           // lines read (up to where the replay stopped)
  std::uint64_t sent = 0;            // requests sent
  std::uint64_t malformed = 0;       // lines that are not the format's, skipped
  std::uint64_t before_window = 0;   // requests before `from`, not sent
  std::uint64_t late = 0;            // logged out of order by more than the replay reorders: sent as soon as read
  std::vector<std::string> first_malformed;  // "file:line: why", the first few
  double first_logged_s = 0, last_logged_s = 0;  // log times of the first and last request sent (Unix seconds)
  // What it held in memory at most: records read ahead to put them in order, and
  // requests' entries (one per request in flight). Neither grows with the logs.
  std::uint64_t records_held = 0, entries_made = 0;
};

struct RunResult {
  RunMetrics metrics;
  // Who produced it: "simulation", or "testbed" (measured on real packets; summary.json's `mode`).
  std::string mode = "simulation";
  double sim_seconds = 0;                // simulated time when the last answer arrived
  double wall_seconds = 0;               // real time the simulation took
  std::uint64_t requests_allocated = 0;  // most requests in flight at once, as the pool saw it
  std::uint64_t messages = 0;            // simulated messages (requests, replies, handshakes, probes)
  std::uint64_t transfers = 0;           // of which crossed the network as SimGrid comms
  // SimGrid's scheduling rounds: one per distinct simulated instant something happened
  // at. Each costs about the same whatever it holds (docs/ARCHITECTURE.md, "What an
  // event costs"), so these, not messages, are what a run's wall time follows.
  std::uint64_t rounds = 0;
  std::vector<double> cross_zone_bytes;  // bytes between zones, per interval of metrics.timeline
  // The faults this run applied: the scenario's timeline, then any injected live.
  std::vector<config::FaultSpec> faults;
  std::vector<Trace> traces;  // the requests the run was asked to trace, in that order
  std::vector<ReplayReport> replays;  // one per population that replays logs
  std::vector<std::string> accounting_problems;  // results/accounting.hpp: empty unless the model has a bug
};

}  // namespace lbsim::results
