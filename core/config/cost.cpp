// SPDX-License-Identifier: GPL-3.0-or-later
#include "config/cost.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "tls/handshake.hpp"

namespace lbsim::config {
namespace {

// Measured on this project's machine kind (2 cores, SimGrid 3.32, the release build) by
// bench/cost-calibration.sh, which prints each figure beside the estimate.
constexpr double kBaseBytes = 55e6;                  // a run of a tiny scenario: program, SimGrid, metrics
constexpr double kBytesPerZonePair = 2.6e3;          // SimGrid's full routing table between zones
constexpr double kBytesPerNode = 10e3;               // a host, its NIC link and routes, its model
constexpr double kBytesPerActor = 16e3;              // the touched part of a 256 KiB stack, the context
constexpr double kBytesPerCheckedPair = 1.2e3;       // a checker's verdicts, an upstream's state, a probe
constexpr double kBytesPerRequestInFlight = 3e3;     // a request, its messages, timers and flows
constexpr double kEventsPerRequestL4Only = 4.5;      // the shipped scenarios, 20 requests a connection
constexpr double kEventsPerRequestTwoTier = 6.5;
constexpr double kEventsPerConnection = 4;           // a new connection's SYN and TLS flights
constexpr double kEventsPerProbe = 3;
constexpr double kEventsPerWallSecond = 4e5;
constexpr double kPlatformSecondsPerZoneCubed = 1.5e-7;  // 300 zones: 2.5 s, 1 000: 148 s
constexpr double kSolverSecondsPerEventAndFlow2 = 1.6e-9;
constexpr double kTcpWindowBytes = 4194304;          // SimGrid's network/TCP-gamma: a flow's window
constexpr int kRateSamples = 256;  // a segment between surge edges

struct Traffic {
  double requests = 0;   // over the run
  double peak_rate = 0;  // requests a second, surges included
};

double mean_service_s(const TargetGroupSpec& group) { return group.service_time.mean(); }

// A client's round trip to a balancer node: the internet both ways, a NIC at each end.
double client_rtt_s(const ScenarioSpec& spec) {
  return 2 * (spec.topology.internet.latency_s + 2 * spec.topology.intra_zone.latency_s);
}

// How long one request is held, from its first byte sent to its answer: a round trip per
// request, a connection's handshakes shared by its requests, the slowest group's service.
double time_in_system_s(const ScenarioSpec& spec, const ClientSpec& client) {
  const double handshake_rtts =
      tls::kTcpRoundTrips + (client.tls.enabled ? tls::plan(client.tls.version, tls::KeyType::ecdsa_p256, false).tls_round_trips : 0);
  double service = 0;
  for (const auto& group : spec.target_groups) service = std::max(service, mean_service_s(group));
  if (spec.l7) service += spec.l7->cpu_per_request_s;
  return client_rtt_s(spec) * (1 + handshake_rtts / std::max(1u, client.requests_per_connection)) + service;
}

Traffic traffic_of(const ScenarioSpec& spec, const ClientSpec& client) {
  Traffic traffic;
  if (client.arrival.closed()) {
    // Each user sends, waits for the answer, thinks: at most users / (think + answer) a second.
    const double cycle = client.arrival.think_time.mean() + time_in_system_s(spec, client);
    traffic.peak_rate = client.arrival.users / std::max(cycle, 1e-6);
    traffic.requests = traffic.peak_rate * spec.duration_s;
    return traffic;
  }
  const auto surges = spec.surges_of(client);
  // The midpoint rule between the surges' edges, where the rate jumps.
  std::vector<double> edges{0, spec.duration_s};
  for (const auto& surge : surges)
    for (double edge : {surge.from_s, surge.until_s}) edges.push_back(std::clamp(edge, 0.0, spec.duration_s));
  std::sort(edges.begin(), edges.end());
  for (std::size_t e = 0; e + 1 < edges.size(); ++e) {
    const double from = edges[e], width = edges[e + 1] - edges[e];
    if (width <= 0) continue;
    double sum = 0;
    for (int i = 0; i < kRateSamples; ++i) sum += client.arrival.profile.rate_at(from + (i + 0.5) * width / kRateSamples);
    // Between two edges the surges in force do not change: their product once per segment
    // (ArrivalProcess::rate_at per sample would cost surges x samples in each).
    double factor = 1;
    for (const auto& surge : surges)
      if (from + width / 2 >= surge.from_s && from + width / 2 < surge.until_s) factor *= surge.factor;
    traffic.requests += sum / kRateSamples * width * factor;
  }
  traffic.peak_rate = traffic::ArrivalProcess(client.arrival.profile, client.arrival.uniform, surges).peak();
  return traffic;
}

double mean_bytes_per_request(const ClientSpec& client) {
  double weights = 0, bytes = 0;
  for (const auto& t : client.mix) {
    weights += t.weight;
    bytes += t.weight * (t.request_bytes.mean() + t.response_bytes.mean());
  }
  return weights > 0 ? bytes / weights : 0;
}

struct Counts {
  std::uint64_t l4_nodes = 0, l7_nodes = 0, backends = 0;
  std::uint64_t checked_pairs = 0;  // also the probes of the first round, all at once
  double probes_per_second = 0;
  std::uint64_t actors = 0;
  double backend_capacity = 0;  // requests a second all backends can serve
  double queue_room = 0;        // requests the queues can hold beyond the workers

  void add_checks(std::uint64_t pairs, double interval_s) {
    checked_pairs += pairs;
    probes_per_second += pairs / interval_s;
  }
};

// From the spec's numbers rather than topology::Topology's graph: the layouts this must
// refuse have tens of millions of such edges, too many to build just to count them.
Counts count(const ScenarioSpec& spec) {
  Counts c;
  const std::uint64_t zones = spec.topology.zones.size();
  c.l4_nodes = zones * spec.l4.nodes_per_zone;
  for (const auto& group : spec.target_groups) {
    const std::uint64_t backends = zones * group.per_zone;
    c.backends += backends;
    c.backend_capacity += backends * group.workers / std::max(mean_service_s(group), 1e-9);
    c.queue_room += static_cast<double>(backends) * group.queue_limit;
  }
  c.actors = c.l4_nodes + (spec.l4.packets_per_second > 0 ? c.l4_nodes : 0) + 1;  // probers, pacers, faults
  for (const auto& client : spec.clients) c.actors += client.arrival.closed() ? 1 : 0;
  if (spec.l7) {
    const L7Spec& l7 = *spec.l7;
    c.l7_nodes = zones * l7.nodes_per_zone;
    c.add_checks(c.l4_nodes * (spec.l4.cross_zone ? c.l7_nodes : l7.nodes_per_zone), spec.l4.health_check.interval_s);
    const bool reaches_other_zones = l7.cross_zone || l7.zone_aware;
    for (const auto& group : spec.target_groups)
      c.add_checks(c.l7_nodes * (reaches_other_zones ? zones * group.per_zone : group.per_zone), group.health_check.interval_s);
    // Its cores, two upstream timekeepers, a health prober per target group.
    c.actors += c.l7_nodes * (l7.cores + 2 + spec.target_groups.size());
    c.queue_room += static_cast<double>(c.l7_nodes) * l7.queue_limit;
  } else if (spec.l4.target_group && *spec.l4.target_group < spec.target_groups.size()) {
    const auto& group = spec.target_groups[*spec.l4.target_group];
    c.add_checks(c.l4_nodes * (spec.l4.cross_zone ? zones * group.per_zone : group.per_zone), group.health_check.interval_s);
  }
  return c;
}

// A number with `decimals` digits after the point ("1.4", "38"). (core has no fmt.)
std::string fixed(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

std::string quantity(double value) {
  if (value >= 1e9) return fixed(value / 1e9, 1) + " G";
  if (value >= 1e6) return fixed(value / 1e6, 1) + " M";
  if (value >= 1e4) return fixed(value / 1e3, 0) + " k";
  return fixed(value, 0);
}

std::string bytes_text(double bytes) {
  if (bytes >= 1e12) return fixed(bytes / 1e12, 1) + " TB";
  if (bytes >= 1e9) return fixed(bytes / 1e9, 1) + " GB";
  return fixed(std::max(1.0, bytes / 1e6), 0) + " MB";
}

std::string duration_text(double seconds) {
  if (seconds >= 2 * 86400) return quantity(std::round(seconds / 86400)) + " days";
  if (seconds >= 2 * 3600) return fixed(seconds / 3600, 0) + " h";
  if (seconds >= 120) return fixed(seconds / 60, 0) + " min";
  return fixed(std::max(1.0, seconds), 0) + " s";
}

}  // namespace

RunCost estimate_cost(const ScenarioSpec& spec) {
  RunCost cost;
  const Counts counts = count(spec);
  cost.zones = spec.topology.zones.size();
  cost.nodes = spec.clients.size() + counts.l4_nodes + counts.l7_nodes + counts.backends;
  cost.actors = counts.actors;
  cost.checked_pairs = counts.checked_pairs;

  // Requests held at once: Little's law for what flows through; above the backends'
  // capacity, the queues fill (to their limits, or as far as the run is long).
  double rate = 0, in_flight = 0, bytes_rate = 0, handshake_events = 0;
  for (const auto& client : spec.clients) {
    const Traffic traffic = traffic_of(spec, client);
    cost.requests += traffic.requests;
    rate += traffic.peak_rate;
    in_flight += traffic.peak_rate * time_in_system_s(spec, client);
    bytes_rate += traffic.peak_rate * mean_bytes_per_request(client);
    handshake_events += traffic.requests * kEventsPerConnection / std::max(1u, client.requests_per_connection);
  }
  if (rate > counts.backend_capacity)
    in_flight += std::min((rate - counts.backend_capacity) * spec.duration_s, counts.queue_room);

  // Transfers: each flow is held to a TCP window per round trip. The answers all cross the
  // backends' NICs, the L7 nodes' in a two-tier layout, and the L4 nodes' under DNAT: when
  // more bytes are offered than the narrowest of those tiers carries, transfers pile up.
  const double link = spec.topology.intra_zone.bandwidth_Bps;
  const double flow_rate = std::min(link, kTcpWindowBytes / std::max(client_rtt_s(spec), 1e-6));
  double tier_nodes = static_cast<double>(counts.backends);
  if (spec.l7) tier_nodes = std::min(tier_nodes, static_cast<double>(counts.l7_nodes));
  if (spec.l4.forwarding == Forwarding::dnat) tier_nodes = std::min(tier_nodes, static_cast<double>(counts.l4_nodes));
  const double carried = tier_nodes * link;
  const double bytes_per_request = rate > 0 ? bytes_rate / rate : 0;
  double flows = std::min(bytes_rate, carried) / flow_rate;
  if (bytes_rate > carried && bytes_per_request > 0) {
    const double piled = std::min(cost.requests, (bytes_rate - carried) / bytes_per_request * spec.duration_s);
    in_flight += piled;
    flows += piled / 2;  // growing from none to `piled` over the run
    cost.saturated_flows = flows;
  }
  cost.peak_in_flight = in_flight;

  const double per_request = spec.l7 ? kEventsPerRequestTwoTier : kEventsPerRequestL4Only;
  cost.events = cost.requests * per_request + handshake_events;
  // A round of probes at the start, then one per interval.
  cost.events += counts.checked_pairs * kEventsPerProbe + counts.probes_per_second * spec.duration_s * kEventsPerProbe;

  const double zones = static_cast<double>(cost.zones);
  cost.memory_bytes = kBaseBytes + kBytesPerZonePair * zones * zones / 2 + kBytesPerNode * cost.nodes +
                      kBytesPerActor * cost.actors + kBytesPerCheckedPair * cost.checked_pairs +
                      kBytesPerRequestInFlight * cost.peak_in_flight;
  cost.wall_seconds = cost.events / kEventsPerWallSecond + kPlatformSecondsPerZoneCubed * zones * zones * zones +
                      cost.events * kSolverSecondsPerEventAndFlow2 * cost.saturated_flows * cost.saturated_flows;
  return cost;
}

std::string RunCost::describe() const {
  std::string why = std::to_string(zones) + " zones, " + quantity(static_cast<double>(nodes)) + " nodes, " + quantity(requests) + " requests";
  if (checked_pairs >= 100'000) why += ", " + quantity(static_cast<double>(checked_pairs)) + " health-checked pairs";
  if (peak_in_flight >= 100'000) why += ", " + quantity(peak_in_flight) + " requests in flight";
  if (saturated_flows > 0) why += ", " + quantity(saturated_flows) + " transfers sharing saturated links";
  return "~" + bytes_text(memory_bytes) + " of memory and ~" + duration_text(wall_seconds) + " (" + why + ")";
}

std::string over_limits(const RunCost& cost, const CostLimits& limits) {
  if (cost.actors > limits.actors)
    return "this run would need " + std::to_string(cost.actors) + " actors, each with its own stack, and this machine allows " +
           std::to_string(limits.actors) + " (vm.max_map_count / 2); run fewer L7 nodes, cores or zones";
  if (cost.memory_bytes > limits.memory_bytes)
    return "this run would need " + cost.describe() + "; the limit is " + bytes_text(limits.memory_bytes) + "; raise it with --max-memory";
  if (cost.wall_seconds > limits.wall_seconds)
    return "this run would need " + cost.describe() + "; the limit is " + duration_text(limits.wall_seconds) + "; raise it with --max-run-time";
  return {};
}

}  // namespace lbsim::config
