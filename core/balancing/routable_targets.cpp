// SPDX-License-Identifier: GPL-3.0-or-later
#include "balancing/routable_targets.hpp"

#include <algorithm>
#include <stdexcept>

#include "health/slow_start.hpp"
#include "balancing/registry.hpp"

namespace lbsim::balancing {

namespace {
// The loader accepted only registered names: an unknown one here is a bug.
const balancing::Algorithm& find(const std::string& name) {
  const balancing::Algorithm* algorithm = balancing::find_algorithm(name);
  if (algorithm == nullptr) throw std::invalid_argument("unknown balancing algorithm '" + name + "'");
  return *algorithm;
}
}  // namespace

RoutableTargets::RoutableTargets(std::vector<balancing::Target> targets, std::string algorithm, balancing::PickerOptions options,
                                 double panic_threshold_percent, double slow_start_s)
    : targets_(std::move(targets)),
      algorithm_(find(algorithm)),
      options_(options),
      panic_threshold_percent_(panic_threshold_percent),
      load_aware_(algorithm_.load_aware),
      rerollable_(algorithm_.steerable),
      healthy_(targets_.size(), true),
      ejected_(targets_.size(), false),
      taken_out_(targets_.size(), 0),
      ejected_until_(targets_.size(), 0.0),
      slow_start_s_(slow_start_s),
      healthy_since_(targets_.size(), -std::numeric_limits<double>::infinity()),
      load_(targets_.size()) {
  rebuild();
}

std::size_t RoutableTargets::pick(std::uint64_t flow_hash, std::uint64_t source_hash, Random& random, double now) {
  if (now >= next_release_) release_ejections(now);
  std::size_t chosen = 0;
  // Slow start (Envoy's way, for pickers that can choose again): a warming target keeps
  // a pick with probability equal to its weight factor; a few retries, then it stands.
  for (int attempt = 0; attempt < kSlowStartAttempts; ++attempt) {
    const std::size_t picked = picker_->pick({flow_hash, source_hash, &load_, &random});
    chosen = load_aware_ ? picked : members_[picked];
    if (!declined_by_slow_start(chosen, now, random)) break;
  }
  return chosen;
}

bool RoutableTargets::declined_by_slow_start(std::size_t target, double now, Random& random) const {
  if (slow_start_s_ <= 0 || !rerollable_) return false;
  const double since = now - healthy_since_[target];
  if (since >= slow_start_s_) return false;
  return random.uniform01() >= health::weight_factor(since, slow_start_s_);
}

void RoutableTargets::set_healthy(std::size_t target, bool healthy, double now) {
  if (healthy_[target] == healthy) return;
  healthy_[target] = healthy;
  if (healthy) healthy_since_[target] = now;
  rebuild();
}

void RoutableTargets::eject(std::size_t target, double until) {
  ejected_[target] = true;
  ejected_until_[target] = until;
  next_release_ = std::min(next_release_, until);
  rebuild();
}

void RoutableTargets::set_taken_out(std::size_t target, Reason reason, bool out) {
  const auto bit = static_cast<std::uint8_t>(reason);
  const std::uint8_t before = taken_out_[target];
  taken_out_[target] = out ? (before | bit) : (before & ~bit);
  if (taken_out_[target] != before) rebuild();
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
  // Health decides among the registered targets only. An ejected target counts as
  // unhealthy, for the panic threshold too (as in Envoy).
  std::vector<std::size_t> registered;
  std::vector<bool> available;
  available_ = 0;
  for (std::size_t t = 0; t < targets_.size(); ++t) {
    if (taken_out_[t] != 0) continue;
    registered.push_back(t);
    available.push_back(healthy_[t] && !ejected_[t]);
    available_ += available.back() ? 1 : 0;
  }
  ++version_;
  const health::Routing routing = health::routable(available, panic_threshold_percent_);
  mode_ = routing.mode;
  members_.clear();
  for (std::size_t t = 0; t < targets_.size(); ++t) load_.set_excluded(t, true);
  for (std::size_t i = 0; i < registered.size(); ++i) {
    if (!routing.targets[i]) continue;
    load_.set_excluded(registered[i], false);
    members_.push_back(registered[i]);
  }
  if (load_aware_) {
    if (!picker_) picker_ = balancing::make_picker(algorithm_, targets_, options_);
    return;
  }
  std::vector<balancing::Target> routable;
  for (std::size_t t : members_) routable.push_back(targets_[t]);
  if (routable.empty()) return;  // has_routable() says so; the previous picker stays unused
  picker_ = balancing::make_picker(algorithm_, routable, options_);
}

}  // namespace lbsim::balancing
