// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Passive health checking as Envoy's consecutive-5xx outlier detection does it: real
// responses, not probes, take a failing target out of rotation for a while, and longer
// each time it is taken out again.
//
// Rules (Envoy's, with the differences stated):
// - A 5xx from a target adds one to its run of 5xx; any other response resets the run.
// - When the run reaches consecutive_5xx the target is ejected if the cap allows it
//   (below), and the run restarts from zero whether or not it was.
// - Cap: with E targets ejected now and N targets in all, one more may be ejected when
//   100 × (E + 1) / N <= max_ejection_percent (Envoy's current rule: the new ejection
//   counts). With the default 10 % that needs N >= 10; below that nothing is ejected,
//   unless always_eject_one_host lets the first one go while none is ejected. A refused
//   ejection counts in overflows(), like Envoy's ejections_overflow.
// - The n-th ejection of a target lasts min(n × base_ejection_time, max_ejection_time).
//   Envoy also lets that multiplier decay by one for each sweep interval (10 s) a target
//   stays in service; lbsim does not: n counts every ejection the target ever had.
// - Un-ejection is lazy and exact: a target ejected at t for d seconds is ejected on
//   [t, t + d) and back in service from t + d itself. Envoy notices at its next sweep
//   (up to one interval later) and adds jitter; lbsim has neither.
// - Responses from an ejected target (requests still in flight) change nothing: Envoy
//   resets the run when it un-ejects a target, which erases them anyway.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace lbsim::health {

struct OutlierConfig {  // defaults are Envoy's
  std::uint32_t consecutive_5xx = 5;
  double base_ejection_time_s = 30.0;
  double max_ejection_percent = 10.0;
  double max_ejection_time_s = 300.0;  // raised to base_ejection_time_s if below it, as Envoy's default is
  bool always_eject_one_host = false;
};

class OutlierDetector {
public:
  explicit OutlierDetector(std::size_t target_count, OutlierConfig config = {});

  // Counts one response from `target`. True if this response ejected it.
  bool record_response(std::size_t target, bool is_5xx, double now);

  bool is_ejected(std::size_t target, double now) const { return now < ejected_until_.at(target); }
  std::size_t ejected_count(double now) const;
  // When the current or last ejection ends (−infinity if never ejected).
  double ejected_until(std::size_t target) const { return ejected_until_.at(target); }
  std::uint32_t times_ejected(std::size_t target) const { return times_ejected_.at(target); }
  std::uint32_t consecutive_5xx(std::size_t target) const { return consecutive_5xx_.at(target); }
  std::uint64_t overflows() const { return overflows_; }
  std::size_t target_count() const { return ejected_until_.size(); }
  const OutlierConfig& config() const { return config_; }

private:
  bool cap_allows_one_more(double now) const;
  double ejection_duration(std::uint32_t nth_ejection) const;

  OutlierConfig config_;
  std::vector<double> ejected_until_;
  std::vector<std::uint32_t> times_ejected_;
  std::vector<std::uint32_t> consecutive_5xx_;
  std::uint64_t overflows_ = 0;
};

}  // namespace lbsim::health
