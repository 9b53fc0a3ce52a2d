// SPDX-License-Identifier: GPL-3.0-or-later
#include "zone/zoned_targets.hpp"

#include <limits>

namespace lbsim::zone {

ZonedTargets::ZonedTargets(const std::vector<balancing::Target>& targets, const std::vector<std::uint32_t>& zone_of,
                           std::size_t zone_count, std::size_t local_zone, bool zone_aware, const std::string& algorithm,
                           balancing::PickerOptions options, double panic_threshold_percent, double slow_start_s)
    : zone_aware_(zone_aware && zone_count > 1),
      local_zone_(local_zone),
      set_index_(targets.size()),
      local_(targets.size()),
      caller_share_(zone_count, 1.0 / static_cast<double>(zone_count)) {
  const std::size_t sets = zone_aware_ ? zone_count : 1;
  std::vector<std::vector<balancing::Target>> members(sets);
  slots_.resize(sets);
  for (std::size_t slot = 0; slot < targets.size(); ++slot) {
    const std::size_t set = zone_aware_ ? zone_of[slot] : 0;
    set_index_[slot] = set;
    local_[slot] = members[set].size();
    members[set].push_back(targets[slot]);
    slots_[set].push_back(slot);
  }
  for (auto& m : members) {
    sets_.push_back(m.empty() ? nullptr
                              : std::make_unique<RoutableTargets>(m, algorithm, options, panic_threshold_percent, slow_start_s));
  }
}

const zone::ZonePlan& ZonedTargets::current_plan() {
  bool changed = plan_versions_.size() != sets_.size();
  plan_versions_.resize(sets_.size(), 0);
  for (std::size_t z = 0; z < sets_.size(); ++z) {
    const std::uint64_t version = sets_[z] ? sets_[z]->version() : 0;
    if (version != plan_versions_[z]) changed = true;
    plan_versions_[z] = version;
  }
  if (changed) {
    std::vector<zone::ZoneState> zones(sets_.size());
    for (std::size_t z = 0; z < sets_.size(); ++z)
      if (sets_[z])
        zones[z] = {static_cast<std::uint32_t>(sets_[z]->available()), static_cast<std::uint32_t>(sets_[z]->size()),
                    !sets_[z]->has_routable()};
    plan_ = zone::plan(zone::Mode::zone_aware, local_zone_, caller_share_, zones);
  }
  return plan_;
}

std::size_t ZonedTargets::pick(std::uint64_t flow_hash, std::uint64_t source_hash, Random& random, double now) {
  std::size_t set = 0;
  if (zone_aware_) {
    set = zone::choose_zone(current_plan(), local_zone_, random);
    // Nothing healthy anywhere (fail open) or no target in the chosen zone: any zone with
    // targets to pick, the local one first. (Callers check has_routable() beforehand.)
    const auto usable = [this](std::size_t z) { return z < sets_.size() && sets_[z] && sets_[z]->has_routable(); };
    if (!usable(set)) {
      set = usable(local_zone_) ? local_zone_ : 0;
      while (!usable(set)) ++set;
    }
  }
  return slots_[set][sets_[set]->pick(flow_hash, source_hash, random, now)];
}

bool ZonedTargets::has_routable() const {
  for (const auto& set : sets_)
    if (set && set->has_routable()) return true;
  return false;
}

}  // namespace lbsim::zone
