// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The targets one balancer node may pick among, as its health checks see them: which
// are healthy, which may get new traffic (core/health: fail-open, panic threshold),
// the picker over those, and the node's own load count per target.
//
// Load-aware pickers see every target and skip excluded ones through the LoadTracker,
// so loads survive health changes. Hash and round-robin pickers are rebuilt over the
// routable targets when that set changes — as Maglev and ring tables are rebuilt by
// real balancers, with the disruption that implies.
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "health/panic.hpp"
#include "balancing/algorithm.hpp"
#include "balancing/load.hpp"
#include "balancing/picker.hpp"

namespace lbsim::balancing {

class RoutableTargets {
public:
  RoutableTargets(std::vector<balancing::Target> targets, std::string algorithm, balancing::PickerOptions options,
                  double panic_threshold_percent, double slow_start_s = 0);

  // Index into the full target list. `now` releases ejections whose time has come.
  std::size_t pick(std::uint64_t flow_hash, std::uint64_t source_hash, Random& random, double now);
  void start(std::size_t target) { load_.start(target); }
  void finish(std::size_t target) { load_.finish(target); }

  // `now` starts a recovered target's slow start.
  void set_healthy(std::size_t target, bool healthy, double now = 0);
  // Passive outlier ejection: out of rotation until `until` (simulated seconds).
  void eject(std::size_t target, double until);
  // Taken out by an operator, whatever its health: a zonal shift, a deregistration. Such
  // a target is not counted at all (not in the panic threshold, not failed open to).
  enum class Reason : std::uint8_t { zonal_shift = 1, deregistered = 2 };
  void set_taken_out(std::size_t target, Reason reason, bool out);
  // Whether anything may be picked (every target taken out: nothing, and callers answer
  // as a balancer with no registered targets does).
  bool has_routable() const { return !members_.empty(); }
  bool healthy(std::size_t target) const { return healthy_[target]; }
  bool ejected(std::size_t target) const { return ejected_[target]; }
  bool routable(std::size_t target) const { return !load_.excluded(target); }
  health::RoutingMode mode() const { return mode_; }
  // Targets healthy and not ejected (what zone-aware routing counts as capacity).
  std::size_t available() const { return available_; }
  // Changes whenever the routable set does, so callers can cache what they derive.
  std::uint64_t version() const { return version_; }
  std::size_t size() const { return targets_.size(); }

private:
  void rebuild();
  void release_ejections(double now);
  bool declined_by_slow_start(std::size_t target, double now, Random& random) const;

  std::vector<balancing::Target> targets_;
  const balancing::Algorithm& algorithm_;
  balancing::PickerOptions options_;
  double panic_threshold_percent_;
  bool load_aware_;
  bool rerollable_;
  static constexpr int kSlowStartAttempts = 3;
  std::vector<bool> healthy_;
  std::vector<bool> ejected_;
  std::vector<std::uint8_t> taken_out_;  // Reason bits
  std::vector<double> ejected_until_;
  double slow_start_s_;
  std::vector<double> healthy_since_;  // when each target last became healthy (-inf: from the start)
  double next_release_ = std::numeric_limits<double>::infinity();  // earliest ejection end
  balancing::LoadTracker load_;
  std::vector<std::size_t> members_;  // routable targets, for pickers that do not read the tracker
  std::unique_ptr<balancing::Picker> picker_;
  health::RoutingMode mode_ = health::RoutingMode::normal;
  std::size_t available_ = 0;
  std::uint64_t version_ = 0;
};

}  // namespace lbsim::balancing
