// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// What each fault of the scenario's timeline did to the run, computed after the run
// from its metrics alone (no simulation). These definitions are the contract that
// summary.json's "faults" and the terminal's faults section report:
//
// - Start: the fault's `at`. End: `at + for`, or the end of the run when it has no `for`.
// - Affected nodes: zone_outage: the zone's L7 nodes and backends (only its backends
//   with `scope: backends`; its L4 nodes too with `scope: zone`); backend_crash,
//   slow_backend, backend_errors, deregistration, node_loss: the nodes whose names
//   match `targets`; partition: every node of either zone; any other kind: none.
// - Detection per tier: the unhealthy verdicts on affected nodes from the fault's start to
//   its end, by who gave them (results::HealthSource): "l4" (an L4 node's active checks,
//   of L7 nodes or, L4-only, of backends), "l4_passive" (an L4 node's passive checks:
//   connections failing on live traffic), "l7" (an L7 node's checks of its backends),
//   "outlier" (an L7 node ejecting a backend on live errors). Each tier's first and last
//   verdict (seconds since the start), how many verdicts and how many distinct targets.
//   A tier that gave none is absent.
// - DNS: each L4 node DNS stopped announcing from the fault's start to its end, when
//   (seconds since the start), why, when answers cached before then had expired
//   (withdrawal + the record's TTL), and when it was announced again, if it was.
// - Time to detect: the first health event (a failed check verdict or an outlier
//   ejection) at or after the start whose target is an affected node — any target
//   when the fault affects none — minus the start. Absent when there is none.
// - Baseline: the timeline intervals that end at or before the start and lie outside
//   the impact window of every earlier fault (so one fault's damage is not the next
//   one's normal), at most the last 30 s of them: their p99 and mean latency
//   (histograms merged), error share and cross-zone bytes per second. Absent when
//   those intervals hold no answers (a fault at t = 0, or one after an earlier fault
//   that never recovered).
// - Error share: (failed + lost) / (answered + lost). A request a dead node swallows
//   counts when it is lost, not when its client gives up seconds later: otherwise the
//   intervals right after a zone goes dark look healthy (fewer answers, all fast).
// - Recovery: the first interval boundary t at or after the start such that each of
//   the 3 intervals from t on has answers, a p99 at most 1.1 x the baseline p99 and an
//   error share at most the baseline share + 0.001. Time to recover = t - start.
//   Absent ("not recovered") when no such t exists or there is no baseline. How: "failover"
//   when t falls before the interval holding the fault's end (the layout routed around it
//   while it lasted), "fault_ended" when only at or after that (it came back on its own),
//   "never" when not recovered.
// - Impact window: from the start of the interval holding the start to the recovery
//   boundary, or to the end of the timeline when not recovered (whole intervals, so
//   counts and bytes are never split). Over it: answers, errors by kind
//   (results::status_name: reset, timeout, 429, 502, 503, 504, ...), requests lost,
//   mean and p99 latency, cross-zone bytes; "change" is the window's figure minus the
//   baseline's (bytes: minus the baseline rate x the window's length), signed: negative
//   when less crossed zones than before (a dark zone sends nothing). Absent without a
//   baseline (latency: also when nobody was answered).
//
// Faults that overlap are each analysed on their own: a window may hold the effects of
// another fault too, which is what a user watching the service would also see. Only
// the baseline looks past earlier faults' windows, to the service before them.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/spec.hpp"
#include "results/metrics.hpp"
#include "text/messages.hpp"

namespace lbsim::reports {

struct FaultBaseline {
  double p99_ns = 0;
  double mean_ns = 0;
  double error_share = 0;      // (failed + lost) / (answered + lost)
  double cross_zone_Bps = 0;   // cross-zone bytes per second
};

// One tier's verdicts on the fault's nodes (see above); times since the fault's start.
struct TierDetection {
  std::string tier;  // "l4", "l7", "outlier"
  double first_s = 0;
  double last_s = 0;
  std::size_t verdicts = 0;
  std::size_t targets = 0;
};

// An L4 node DNS stopped announcing while a fault lasted; times since the fault's start.
struct DnsWithdrawal {
  std::string node;
  double withdrawn_s = 0;
  double cache_expired_s = 0;  // withdrawn + TTL: no client still holds it after this
  std::optional<double> announced_again_s;
  std::string reason;
};

enum class Recovery { failover, fault_ended, never };
std::string_view to_string(Recovery recovery);

struct FaultImpact {
  std::size_t index = 0;  // into applied_faults(): the scenario's faults, then live ones
  config::FaultKind kind = config::FaultKind::zone_outage;
  std::string label;
  double start_s = 0;
  double end_s = 0;
  std::optional<double> time_to_detect_s;
  std::optional<double> time_to_recover_s;
  Recovery recovery = Recovery::never;
  std::vector<TierDetection> detection;  // in the order l4, l4_passive, l7, outlier
  std::vector<DnsWithdrawal> dns;        // in the order DNS withdrew them
  std::size_t affected_nodes = 0;
  std::optional<FaultBaseline> baseline;

  // The impact window and what happened in it.
  double window_from_s = 0;
  double window_to_s = 0;
  std::uint64_t answered = 0;
  std::map<std::string, std::uint64_t> errors;  // by results::status_name
  std::uint64_t lost = 0;
  double mean_ns = 0;
  double p99_ns = 0;
  double cross_zone_bytes = 0;
  std::optional<double> extra_mean_ns;  // over the baseline; absent without one
  std::optional<double> extra_p99_ns;
  std::optional<double> cross_zone_bytes_change;

  bool recovered() const { return time_to_recover_s.has_value(); }
};

// Baseline window length and recovery rule (see above).
inline constexpr double kBaselineSeconds = 30;
inline constexpr std::size_t kRecoveryIntervals = 3;
inline constexpr double kRecoveryP99Factor = 1.1;
inline constexpr double kRecoveryErrorShareSlack = 0.001;

// The faults a run applied: RunResult::faults (the scenario's, then any injected live),
// or the scenario's when the result does not list them (a hand-built result).
const std::vector<config::FaultSpec>& applied_faults(const config::ScenarioSpec& spec, const results::RunResult& result);

// One impact per applied fault, in the same order (FaultImpact::index is its position).
std::vector<FaultImpact> analyse_faults(const config::ScenarioSpec& spec, const results::RunResult& result);

// A few sentences a person can paste into a post-incident review, built from the impact
// alone: what failed and when, which tier saw it and how fast, when errors stopped and why.
// As pieces of the report's catalog (reports/words.hpp), rendered one after the other, so
// summary.json can carry them and each reader says them in its own language.
std::vector<text::Note> fault_narrative_notes(const FaultImpact& impact, const config::ScenarioSpec& spec);
std::string render_narrative(const std::vector<text::Note>& notes, text::Language language = text::Language::en);
std::string fault_narrative(const FaultImpact& impact, const config::ScenarioSpec& spec);

}  // namespace lbsim::reports
