// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/routable_targets.hpp"

#include <algorithm>

#include "l4/registry.hpp"

namespace lbsim::models {

RoutableTargets::RoutableTargets(std::vector<l4::Target> targets, std::string algorithm, l4::PickerOptions options,
                                 double panic_threshold_percent)
    : targets_(std::move(targets)),
      algorithm_(std::move(algorithm)),
      options_(options),
      panic_threshold_percent_(panic_threshold_percent),
      load_aware_(l4::is_load_aware(algorithm_)),
      healthy_(targets_.size(), true),
      ejected_(targets_.size(), false),
      ejected_until_(targets_.size(), 0.0),
      load_(targets_.size()) {
  rebuild();
}

std::size_t RoutableTargets::pick(std::uint64_t flow_hash, std::uint64_t source_hash, Random& random, double now) {
  if (now >= next_release_) release_ejections(now);
  const std::size_t chosen = picker_->pick({flow_hash, source_hash, &load_, &random});
  return load_aware_ ? chosen : members_[chosen];
}

void RoutableTargets::set_healthy(std::size_t target, bool healthy) {
  if (healthy_[target] == healthy) return;
  healthy_[target] = healthy;
  rebuild();
}

void RoutableTargets::eject(std::size_t target, double until) {
  ejected_[target] = true;
  ejected_until_[target] = until;
  next_release_ = std::min(next_release_, until);
  rebuild();
}

void RoutableTargets::release_ejections(double now) {
  next_release_ = std::numeric_limits<double>::infinity();
  for (std::size_t t = 0; t < targets_.size(); ++t) {
    if (!ejected_[t]) continue;
    if (ejected_until_[t] <= now) ejected_[t] = false;
    else next_release_ = std::min(next_release_, ejected_until_[t]);
  }
  rebuild();
}

void RoutableTargets::rebuild() {
  // An ejected target counts as unhealthy, for the panic threshold too (as in Envoy).
  std::vector<bool> available(targets_.size());
  for (std::size_t t = 0; t < targets_.size(); ++t) available[t] = healthy_[t] && !ejected_[t];
  const health::Routing routing = health::routable(available, panic_threshold_percent_);
  mode_ = routing.mode;
  members_.clear();
  for (std::size_t t = 0; t < targets_.size(); ++t) {
    load_.set_excluded(t, !routing.targets[t]);
    if (routing.targets[t]) members_.push_back(t);
  }
  if (load_aware_) {
    if (!picker_) picker_ = l4::make_picker(algorithm_, targets_, options_);
    return;
  }
  std::vector<l4::Target> routable;
  for (std::size_t t : members_) routable.push_back(targets_[t]);
  picker_ = l4::make_picker(algorithm_, routable, options_);
}

}  // namespace lbsim::models
