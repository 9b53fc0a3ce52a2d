// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A target group as one L7 node sees it, split by zone for zone-aware routing (Envoy's):
// first a zone, from core/zone's plan over each zone's live health, then a target in
// it. Without zone awareness it is one set over every reachable target. Either way it
// answers in the group's own slot numbers.
#include <memory>
#include <vector>

#include "balancing/routable_targets.hpp"
#include "zone/zone_routing.hpp"

namespace lbsim::zone {

using balancing::RoutableTargets;

class ZonedTargets {
public:
  // `zone_of[slot]`: the zone of each target; `local_zone`: the node's own.
  ZonedTargets(const std::vector<balancing::Target>& targets, const std::vector<std::uint32_t>& zone_of, std::size_t zone_count,
               std::size_t local_zone, bool zone_aware, const std::string& algorithm, balancing::PickerOptions options,
               double panic_threshold_percent, double slow_start_s);

  std::size_t pick(std::uint64_t flow_hash, std::uint64_t source_hash, Random& random, double now);
  void start(std::size_t slot) { set_of(slot).start(local_[slot]); }
  void finish(std::size_t slot) { set_of(slot).finish(local_[slot]); }
  void set_healthy(std::size_t slot, bool healthy, double now) { set_of(slot).set_healthy(local_[slot], healthy, now); }
  void eject(std::size_t slot, double until) { set_of(slot).eject(local_[slot], until); }
  bool routable(std::size_t slot) const { return sets_[set_index_[slot]]->routable(local_[slot]); }
  void set_taken_out(std::size_t slot, RoutableTargets::Reason reason, bool out) { set_of(slot).set_taken_out(local_[slot], reason, out); }
  // Whether any target may be picked (see RoutableTargets::has_routable).
  bool has_routable() const;

private:
  RoutableTargets& set_of(std::size_t slot) { return *sets_[set_index_[slot]]; }

  bool zone_aware_;
  std::size_t local_zone_;
  std::vector<std::unique_ptr<RoutableTargets>> sets_;      // one per zone, or one for all
  std::vector<std::vector<std::size_t>> slots_;             // set -> its targets' group slots
  std::vector<std::size_t> set_index_, local_;              // group slot -> (set, index in it)
  std::vector<double> caller_share_;                        // L7 nodes sit evenly in every zone
  // The zone plan, rebuilt only when some zone's routable set changed.
  zone::ZonePlan plan_;
  std::vector<std::uint64_t> plan_versions_;
  const zone::ZonePlan& current_plan();
};

}  // namespace lbsim::zone
