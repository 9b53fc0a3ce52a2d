// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Active health checking of one target: the balancer probes it every interval and moves
// it between states only after a run of identical results, so a single lost probe
// neither takes a target out nor puts a dead one back. The checker never schedules
// anything itself: the caller probes at next_check_time() and reports what happened.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lbsim::health {

struct ActiveCheckConfig {
  double interval_s;
  double timeout_s;                   // a probe answered later than this has failed
  std::uint32_t healthy_threshold;    // consecutive passes that make a target healthy
  std::uint32_t unhealthy_threshold;  // consecutive failures that make it unhealthy

  // AWS Application Load Balancer target group defaults (HTTP check).
  static constexpr ActiveCheckConfig alb() { return {30.0, 5.0, 5, 2}; }
  // AWS Network Load Balancer target group defaults for a TCP check, as the Elastic Load
  // Balancing API reference's CreateTargetGroup documents them today: interval 30 s,
  // timeout 10 s, healthy threshold 5, unhealthy threshold 2. (NLB once required the two
  // thresholds to be equal and defaulted both to 3; a scenario can still ask for that.)
  static constexpr ActiveCheckConfig nlb() { return {30.0, 10.0, 5, 2}; }
  // HAProxy server defaults: inter 2s, rise 2, fall 3. Without `timeout check` HAProxy
  // gives the whole probe `inter` to answer, hence 2 s.
  static constexpr ActiveCheckConfig haproxy() { return {2.0, 2.0, 2, 3}; }
};

// `initial` is a target no run of results has judged yet (AWS shows newly registered
// targets as "initial"). It gets no traffic: it behaves as unhealthy until
// healthy_threshold consecutive passes, and becomes `unhealthy` after
// unhealthy_threshold consecutive failures. Construct the check `healthy` to model a
// target trusted from the start.
enum class State { initial, healthy, unhealthy };

std::string_view to_string(State state);
// Only a healthy target receives new traffic (panic and fail-open aside: see panic.hpp).
constexpr bool receives_traffic(State state) { return state == State::healthy; }

enum class Cause { none, reached_healthy_threshold, reached_unhealthy_threshold };

// What one probe result did to the target.
struct CheckTransition {
  State from;
  State to;
  Cause cause;
  bool passed;
  bool timed_out;             // failed because the answer came after the timeout, or never
  std::uint32_t consecutive;  // results in a row like this one, this one included
  std::uint32_t threshold;    // the threshold this kind of result counts towards

  bool changed() const { return from != to; }
  // E.g. "2 consecutive failures reached unhealthy threshold 2".
  std::string reason() const;
};

class ActiveCheck {
public:
  // `now` is when the target entered `initial_state` (see state_since()).
  explicit ActiveCheck(ActiveCheckConfig config, State initial_state = State::initial, double now = 0.0);

  // A probe result decided by the caller (e.g. a refused connection or a wrong status
  // code is `false`).
  CheckTransition record(bool passed, double now);
  // A probe's response time, or nothing if the target never answered. An answer within
  // the timeout (response_time_s <= timeout_s) passes; a later one, or none, fails.
  CheckTransition record_result(std::optional<double> response_time_s, double now);

  State state() const { return state_; }
  bool receives_traffic() const { return health::receives_traffic(state_); }
  // When the current state began: slow start measures from here.
  double state_since() const { return state_since_; }
  std::uint32_t consecutive_passes() const { return consecutive_passes_; }
  std::uint32_t consecutive_failures() const { return consecutive_failures_; }
  double next_check_time(double last_check_time) const { return last_check_time + config_.interval_s; }
  const ActiveCheckConfig& config() const { return config_; }

private:
  CheckTransition apply(bool passed, bool timed_out, double now);

  ActiveCheckConfig config_;
  State state_;
  double state_since_;
  std::uint32_t consecutive_passes_ = 0;
  std::uint32_t consecutive_failures_ = 0;
};

// How long checks take to notice a target that dies, for tests and reports to hold a
// simulation against. The model: probes start at check_phase_s + k × interval for every
// integer k; a target answers at once while alive; from `died_at` on it fails every probe
// that starts at or after that instant. A dead target is either silent (each failing
// probe is only known to fail when its timeout expires) or refusing (the probe fails at
// once, like a TCP reset). The target was healthy with no failures pending.
enum class DeadTarget { silent, refusing };

// The instant the unhealthy_threshold-th failing probe is recorded: the first probe
// starting at or after died_at, plus (unhealthy_threshold − 1) intervals, plus the
// timeout if the target is silent.
double detection_time(const ActiveCheckConfig& config, double died_at, double check_phase_s, DeadTarget dead);

// Delay from death to detection over every phase. `shortest_s` is reached when a probe
// starts exactly at the death; `longest_s` is approached (not reached) when the death
// falls just after a probe started.
struct DetectionWindow {
  double shortest_s;
  double longest_s;
};
// silent:   [interval × (unhealthy − 1) + timeout, interval × unhealthy + timeout)
// refusing: [interval × (unhealthy − 1),           interval × unhealthy)
DetectionWindow detection_window(const ActiveCheckConfig& config, DeadTarget dead);
// Either way: [interval × (unhealthy − 1), interval × unhealthy + timeout].
DetectionWindow detection_window(const ActiveCheckConfig& config);

}  // namespace lbsim::health
