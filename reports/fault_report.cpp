// SPDX-License-Identifier: GPL-3.0-or-later
#include "reports/fault_report.hpp"

#include "reports/words.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>

#include "l7/rules.hpp"
#include "topology/topology.hpp"

namespace lbsim::reports {
namespace {

using config::FaultKind;
using config::FaultSpec;
using topology::NodeKind;

// Fault times are whole milliseconds and intervals whole seconds, but both are doubles:
// a start "on" a boundary must not slip into the next interval by rounding.
constexpr double kTimeSlack = 1e-9;

std::size_t interval_holding(double t, double dt) { return static_cast<std::size_t>(std::floor(t / dt + kTimeSlack)); }
std::size_t first_boundary_from(double t, double dt) { return static_cast<std::size_t>(std::ceil(t / dt - kTimeSlack)); }

// Timeline intervals merged into one.
struct Span {
  std::size_t intervals = 0;
  std::uint64_t answered = 0, failed = 0, lost = 0;
  metrics::CoarseHistogram latency_ns;
  std::map<std::uint16_t, std::uint64_t> failures;
  double cross_zone_bytes = 0;
};

void add_interval(Span& span, const results::RunResult& result, std::size_t i) {
  ++span.intervals;
  if (i < result.cross_zone_bytes.size()) span.cross_zone_bytes += result.cross_zone_bytes[i];
  if (i >= result.metrics.timeline.size()) return;
  const auto& interval = result.metrics.timeline.at(i);
  span.answered += interval.answered;
  span.failed += interval.failed;
  span.lost += interval.lost;
  span.latency_ns.merge(interval.latency_ns);
  for (const auto& [code, count] : interval.failures) span.failures[code] += count;
}

// Interval indices [first, last): an impact window.
struct IntervalRange {
  std::size_t first = 0, last = 0;
  bool contains(std::size_t i) const { return i >= first && i < last; }
};

// A swallowed request counts as an error when it is lost, not only when its client gives
// up: a timeout lands seconds later, by when the intervals right after a zone went dark
// would otherwise look healthy (fewer answers, all of them fast).
double error_share(std::uint64_t failed, std::uint64_t lost, std::uint64_t answered) {
  const std::uint64_t requests = answered + lost;
  return requests ? static_cast<double>(failed + lost) / static_cast<double>(requests) : 0.0;
}

bool affects(const FaultSpec& fault, const topology::Node& node) {
  switch (fault.kind) {
    case FaultKind::zone_outage:
      if (node.zone != fault.zone) return false;
      if (node.kind == NodeKind::backend) return true;
      if (node.kind == NodeKind::l7) return !fault.backends_only;
      return node.kind == NodeKind::l4 && fault.whole_zone;
    case FaultKind::backend_crash:
    case FaultKind::slow_backend:
    case FaultKind::backend_errors:
    case FaultKind::deregistration:
    case FaultKind::node_loss:
      return node.kind != NodeKind::client && l7::glob_match(fault.targets, node.name);
    case FaultKind::partition:
      return node.kind != NodeKind::client && std::find(fault.zones.begin(), fault.zones.end(), node.zone) != fault.zones.end();
    case FaultKind::link_degradation:
    case FaultKind::tls_resumption_loss:
    case FaultKind::traffic_surge:
    case FaultKind::zonal_shift:
      return false;  // links, clients, DNS: no node of its own is at fault
  }
  return false;  // not reached: every kind is a case above (-Werror=switch)
}

std::set<std::string> affected_nodes(const FaultSpec& fault, const topology::Topology& topology) {
  std::set<std::string> names;
  for (const auto v : boost::make_iterator_range(boost::vertices(topology.graph())))
    if (affects(fault, topology.node(v))) names.insert(topology.node(v).name);
  return names;
}

std::optional<double> time_to_detect(const std::vector<results::HealthEvent>& events, double start,
                                     const std::set<std::string>& affected) {
  std::optional<double> first;
  for (const auto& e : events) {
    if (e.healthy || e.time < start - kTimeSlack) continue;
    if (!affected.empty() && !affected.contains(e.target)) continue;
    if (!first || e.time < *first) first = e.time;
  }
  if (!first) return std::nullopt;
  return std::max(0.0, *first - start);
}

std::vector<TierDetection> detection_by_tier(const std::vector<results::HealthEvent>& events, double start, double end,
                                             const std::set<std::string>& affected) {
  std::vector<TierDetection> tiers;
  for (const auto source : {results::HealthSource::l4_check, results::HealthSource::l4_passive, results::HealthSource::l7_check,
                            results::HealthSource::outlier}) {
    TierDetection tier{std::string(results::to_string(source)), 0, 0, 0, 0};
    std::set<std::string> targets;
    for (const auto& e : events) {
      if (e.healthy || e.time < start - kTimeSlack || e.time > end + kTimeSlack || e.source != source) continue;
      if (!affected.empty() && !affected.contains(e.target)) continue;
      const double since = std::max(0.0, e.time - start);
      tier.first_s = tier.verdicts == 0 ? since : std::min(tier.first_s, since);
      tier.last_s = std::max(tier.last_s, since);
      ++tier.verdicts;
      targets.insert(e.target);
    }
    tier.targets = targets.size();
    if (tier.verdicts > 0) tiers.push_back(tier);
  }
  return tiers;
}

// Each L4 node DNS stopped announcing while the fault lasted, and when it came back.
std::vector<DnsWithdrawal> dns_withdrawals(const std::vector<results::DnsEvent>& events, double start, double end, double ttl) {
  std::vector<DnsWithdrawal> withdrawals;
  for (const auto& e : events) {
    if (e.time < start - kTimeSlack) continue;
    const auto open = std::find_if(withdrawals.begin(), withdrawals.end(),
                                   [&](const DnsWithdrawal& w) { return w.node == e.node && !w.announced_again_s; });
    if (e.announced) {
      if (open != withdrawals.end()) open->announced_again_s = std::max(0.0, e.time - start);
    } else if (open == withdrawals.end() && e.time <= end + kTimeSlack) {
      const double since = std::max(0.0, e.time - start);
      withdrawals.push_back({e.node, since, since + ttl, std::nullopt, e.reason});
    }
  }
  return withdrawals;
}

// Walks back from the start over intervals no earlier fault disturbed.
std::optional<FaultBaseline> baseline_before(const results::RunResult& result, double start,
                                             const std::vector<IntervalRange>& disturbed) {
  const double dt = result.metrics.timeline.interval();
  const auto wanted = std::max<std::size_t>(1, static_cast<std::size_t>(std::floor(kBaselineSeconds / dt + kTimeSlack)));
  Span span;
  for (std::size_t i = interval_holding(start, dt); i-- > 0 && span.intervals < wanted;) {
    const bool in_earlier_fault = std::any_of(disturbed.begin(), disturbed.end(), [i](const IntervalRange& r) { return r.contains(i); });
    if (!in_earlier_fault) add_interval(span, result, i);
  }
  if (span.answered == 0) return std::nullopt;
  return FaultBaseline{static_cast<double>(span.latency_ns.quantile(0.99)), span.latency_ns.mean(),
                       error_share(span.failed, span.lost, span.answered),
                       span.cross_zone_bytes / (static_cast<double>(span.intervals) * dt)};
}

bool interval_is_back(const metrics::Interval& interval, const FaultBaseline& baseline) {
  return interval.answered > 0 &&
         static_cast<double>(interval.latency_ns.quantile(0.99)) <= kRecoveryP99Factor * baseline.p99_ns &&
         error_share(interval.failed, interval.lost, interval.answered) <= baseline.error_share + kRecoveryErrorShareSlack;
}

// The first interval boundary (as an interval index) from which the run is back to its baseline.
std::optional<std::size_t> recovery_boundary(const metrics::TimeSeries& timeline, double start, const FaultBaseline& baseline) {
  for (std::size_t k = first_boundary_from(start, timeline.interval()); k + kRecoveryIntervals <= timeline.size(); ++k) {
    bool back = true;
    for (std::size_t i = k; back && i < k + kRecoveryIntervals; ++i) back = interval_is_back(timeline.at(i), baseline);
    if (back) return k;
  }
  return std::nullopt;
}

void fill_impact(FaultImpact& impact, const results::RunResult& result, IntervalRange window) {
  const double dt = result.metrics.timeline.interval();
  Span span;
  for (std::size_t i = window.first; i < window.last; ++i) add_interval(span, result, i);
  impact.window_from_s = static_cast<double>(window.first) * dt;
  impact.window_to_s = static_cast<double>(window.last) * dt;
  impact.answered = span.answered;
  for (const auto& [code, count] : span.failures) impact.errors[results::status_name(code)] += count;
  impact.lost = span.lost;
  impact.mean_ns = span.latency_ns.mean();
  impact.p99_ns = static_cast<double>(span.latency_ns.quantile(0.99));
  impact.cross_zone_bytes = span.cross_zone_bytes;
  if (!impact.baseline) return;
  impact.cross_zone_bytes_change = span.cross_zone_bytes - impact.baseline->cross_zone_Bps * (impact.window_to_s - impact.window_from_s);
  if (span.answered == 0) return;  // nobody answered: no latency to compare
  impact.extra_mean_ns = impact.mean_ns - impact.baseline->mean_ns;
  impact.extra_p99_ns = impact.p99_ns - impact.baseline->p99_ns;
}

// One fault; `disturbed` holds the impact windows of the faults before it, and gets its own.
FaultImpact analyse(const config::ScenarioSpec& spec, const results::RunResult& result, const topology::Topology& topology,
                    std::size_t index, std::vector<IntervalRange>& disturbed) {
  const FaultSpec& fault = applied_faults(spec, result)[index];
  const auto& timeline = result.metrics.timeline;
  const double dt = timeline.interval();
  FaultImpact impact;
  impact.index = index;
  impact.kind = fault.kind;
  impact.label = fault.label.empty() ? std::string(config::to_string(fault.kind)) : fault.label;
  impact.start_s = fault.at_s;
  impact.end_s = fault.for_s ? fault.at_s + *fault.for_s : std::max(spec.duration_s, result.sim_seconds);
  const auto affected = affected_nodes(fault, topology);
  impact.affected_nodes = affected.size();
  impact.time_to_detect_s = time_to_detect(result.metrics.health_events, fault.at_s, affected);
  impact.detection = detection_by_tier(result.metrics.health_events, fault.at_s, impact.end_s, affected);
  impact.dns = dns_withdrawals(result.metrics.dns_events, fault.at_s, impact.end_s, spec.l4.dns_ttl_s);
  impact.baseline = baseline_before(result, fault.at_s, disturbed);

  IntervalRange window{interval_holding(fault.at_s, dt), 0};
  window.last = std::max(window.first, timeline.size());
  if (impact.baseline) {
    if (const auto boundary = recovery_boundary(timeline, fault.at_s, *impact.baseline)) {
      window.last = *boundary;
      impact.time_to_recover_s = std::max(0.0, static_cast<double>(*boundary) * dt - fault.at_s);
      impact.recovery = *boundary < interval_holding(impact.end_s, dt) ? Recovery::failover : Recovery::fault_ended;
    }
  }
  fill_impact(impact, result, window);
  disturbed.push_back(window);
  return impact;
}

std::string seconds_text(double s) { return fmt::format("{:.4g} s", s); }

// "The L4 tier's health checks marked 2 targets down 31 s to 44 s after the start."
void add_tier_sentence(std::vector<text::Note>& notes, const TierDetection& t) {
  notes.push_back({"fault.who." + t.tier, {}});
  const bool ejected = t.tier == "outlier";
  if (t.targets == 1) notes.push_back({ejected ? "fault.ejected_one" : "fault.marked_one", {}});
  else notes.push_back({ejected ? "fault.ejected" : "fault.marked", {std::to_string(t.targets)}});
  if (t.first_s == t.last_s) notes.push_back({"fault.when_at", {seconds_text(t.first_s)}});
  else notes.push_back({"fault.when_range", {seconds_text(t.first_s), seconds_text(t.last_s)}});
}

// "DNS stopped announcing l4-b-0 40 s after the start (none of its targets is healthy);
// answers cached before then expired by 100 s; it was announced again 95 s after the start."
void add_dns_sentence(std::vector<text::Note>& notes, const DnsWithdrawal& w) {
  notes.push_back({"fault.dns", {w.node, seconds_text(w.withdrawn_s), w.reason, seconds_text(w.cache_expired_s)}});
  if (w.announced_again_s) notes.push_back({"fault.dns_again", {seconds_text(*w.announced_again_s)}});
  notes.push_back({"fault.stop", {}});
}

}  // namespace

std::string_view to_string(Recovery recovery) {
  switch (recovery) {
    case Recovery::failover: return "failover";
    case Recovery::fault_ended: return "fault_ended";
    case Recovery::never: return "never";
  }
  return "never";
}

std::vector<text::Note> fault_narrative_notes(const FaultImpact& f, const config::ScenarioSpec& spec) {
  std::vector<text::Note> notes;
  const std::string kind(config::to_string(f.kind));
  const std::string start = seconds_text(f.start_s);
  const std::string what = f.label.starts_with(kind) ? f.label : fmt::format("{} ({})", f.label, kind);
  const bool lasts_to_end = f.end_s >= std::max(spec.duration_s, f.start_s) - kTimeSlack && f.end_s > f.start_s;
  if (lasts_to_end) notes.push_back({"fault.began_to_end", {what, start}});
  else notes.push_back({"fault.began_ended", {what, start, seconds_text(f.end_s - f.start_s)}});
  if (f.affected_nodes == 0) notes.push_back({"fault.stop", {}});
  else if (f.affected_nodes == 1) notes.push_back({"fault.affecting_one", {}});
  else notes.push_back({"fault.affecting", {std::to_string(f.affected_nodes)}});
  if (f.detection.empty()) notes.push_back({"fault.undetected", {}});
  for (const auto& tier : f.detection) add_tier_sentence(notes, tier);
  for (const auto& w : f.dns) add_dns_sentence(notes, w);
  std::uint64_t errors = f.lost;
  for (const auto& [kind, count] : f.errors) errors += count;
  switch (f.recovery) {
    case Recovery::failover: notes.push_back({"fault.failover", {seconds_text(*f.time_to_recover_s)}}); break;
    case Recovery::fault_ended: notes.push_back({"fault.recovered_after_end", {seconds_text(*f.time_to_recover_s)}}); break;
    case Recovery::never: notes.push_back({f.baseline ? "fault.not_recovered" : "fault.no_baseline", {}}); break;
  }
  if (errors == 1) notes.push_back({"fault.window_one", {}});
  else notes.push_back({"fault.window", {std::to_string(errors)}});
  return notes;
}

std::string render_narrative(const std::vector<text::Note>& notes, text::Language language) {
  std::string text;
  for (const auto& note : notes) text += report_words().render(note, language);
  return text;
}

std::string fault_narrative(const FaultImpact& f, const config::ScenarioSpec& spec) { return render_narrative(fault_narrative_notes(f, spec)); }

const std::vector<FaultSpec>& applied_faults(const config::ScenarioSpec& spec, const results::RunResult& result) {
  return result.faults.empty() ? spec.faults : result.faults;
}

std::vector<FaultImpact> analyse_faults(const config::ScenarioSpec& spec, const results::RunResult& result) {
  const auto& faults = applied_faults(spec, result);
  std::vector<FaultImpact> impacts(faults.size());
  if (faults.empty()) return impacts;
  // In time order, so each baseline knows the windows before it (faults injected live
  // come after the scenario's in the list, whatever their time).
  std::vector<std::size_t> order(faults.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return faults[a].at_s < faults[b].at_s; });
  const topology::Topology topology(spec);
  std::vector<IntervalRange> disturbed;
  for (const std::size_t i : order) impacts[i] = analyse(spec, result, topology, i, disturbed);
  return impacts;
}

}  // namespace lbsim::reports
