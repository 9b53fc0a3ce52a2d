// SPDX-License-Identifier: GPL-3.0-or-later
#include "health/active_check.hpp"

#include <cmath>
#include <stdexcept>

namespace lbsim::health {
namespace {

void validate(const ActiveCheckConfig& config) {
  if (!(config.interval_s > 0.0)) throw std::invalid_argument("health check interval must be positive");
  if (!(config.timeout_s > 0.0)) throw std::invalid_argument("health check timeout must be positive");
  if (config.healthy_threshold == 0 || config.unhealthy_threshold == 0)
    throw std::invalid_argument("health check thresholds must be at least 1");
}

std::string count_of(std::uint32_t count, bool passed) {
  const char* noun = passed ? (count == 1 ? "pass" : "passes") : (count == 1 ? "failure" : "failures");
  return std::to_string(count) + " consecutive " + noun;
}

}  // namespace

std::string_view to_string(State state) {
  switch (state) {
    case State::initial: return "initial";
    case State::healthy: return "healthy";
    case State::unhealthy: return "unhealthy";
  }
  return "?";
}

std::string CheckTransition::reason() const {
  const std::string prefix = timed_out ? "probe timed out: " : "";
  const std::string counted = count_of(consecutive, passed);
  const std::string threshold_name = std::string(passed ? "healthy" : "unhealthy") + " threshold " +
                                     std::to_string(threshold);
  if (changed()) return prefix + counted + " reached " + threshold_name;
  const std::string stays = "; stays " + std::string(to_string(to));
  if (consecutive < threshold) return prefix + counted + " of " + threshold_name + stays;
  return prefix + counted + stays;
}

ActiveCheck::ActiveCheck(ActiveCheckConfig config, State initial_state, double now)
    : config_(config), state_(initial_state), state_since_(now) {
  validate(config_);
}

CheckTransition ActiveCheck::record(bool passed, double now) { return apply(passed, false, now); }

CheckTransition ActiveCheck::record_result(std::optional<double> response_time_s, double now) {
  const bool in_time = response_time_s && *response_time_s <= config_.timeout_s;
  return apply(in_time, !in_time, now);
}

CheckTransition ActiveCheck::apply(bool passed, bool timed_out, double now) {
  // A result of the other kind breaks the run: thresholds count results in a row.
  std::uint32_t& run = passed ? consecutive_passes_ : consecutive_failures_;
  (passed ? consecutive_failures_ : consecutive_passes_) = 0;
  ++run;

  const std::uint32_t threshold = passed ? config_.healthy_threshold : config_.unhealthy_threshold;
  const State target_state = passed ? State::healthy : State::unhealthy;
  CheckTransition transition{state_, state_, Cause::none, passed, timed_out, run, threshold};
  if (run >= threshold && state_ != target_state) {
    state_ = target_state;
    state_since_ = now;
    transition.to = state_;
    transition.cause = passed ? Cause::reached_healthy_threshold : Cause::reached_unhealthy_threshold;
  }
  return transition;
}

double detection_time(const ActiveCheckConfig& config, double died_at, double check_phase_s, DeadTarget dead) {
  validate(config);
  const double interval = config.interval_s;
  const double first_failing_start = check_phase_s + std::ceil((died_at - check_phase_s) / interval) * interval;
  const double last_failing_start = first_failing_start + interval * (config.unhealthy_threshold - 1);
  return last_failing_start + (dead == DeadTarget::silent ? config.timeout_s : 0.0);
}

DetectionWindow detection_window(const ActiveCheckConfig& config, DeadTarget dead) {
  validate(config);
  const double wait = dead == DeadTarget::silent ? config.timeout_s : 0.0;
  const double shortest = config.interval_s * (config.unhealthy_threshold - 1) + wait;
  return {shortest, shortest + config.interval_s};
}

DetectionWindow detection_window(const ActiveCheckConfig& config) {
  return {detection_window(config, DeadTarget::refusing).shortest_s,
          detection_window(config, DeadTarget::silent).longest_s};
}

}  // namespace lbsim::health
