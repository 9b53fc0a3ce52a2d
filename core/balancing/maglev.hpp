// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Maglev consistent hashing (Eisenbud et al., NSDI 2016), with Envoy's weighting:
// a target of weight w/max takes a turn to claim a slot every max/w rounds.
#include <cstdint>
#include <span>
#include <vector>

#include "balancing/picker.hpp"

namespace lbsim::balancing {

class MaglevTable {
public:
  static constexpr std::uint32_t kDefaultSize = 65537;  // prime, Envoy's default

  // `table_size` must be prime and at least the number of targets.
  MaglevTable(std::span<const Target> targets, std::uint32_t table_size = kDefaultSize);

  std::uint32_t lookup(std::uint64_t hash) const { return slots_[hash % slots_.size()]; }
  std::uint32_t size() const { return static_cast<std::uint32_t>(slots_.size()); }
  std::span<const std::uint32_t> slots() const { return slots_; }
  // Slots owned by each target.
  std::vector<std::uint32_t> slot_counts(std::size_t target_count) const;

  struct Disruption {
    std::uint32_t moved_slots = 0;
    double share = 0;  // moved_slots / table size: the share of flows a change re-homes
  };
  // Slots whose owner (by target name) differs between two tables of the same size:
  // what adding, removing or reweighting a target costs (Katran reports the same).
  static Disruption compare(const MaglevTable& before, std::span<const Target> before_targets, const MaglevTable& after,
                            std::span<const Target> after_targets);

private:
  std::vector<std::uint32_t> slots_;
};

bool is_prime(std::uint64_t n);

}  // namespace lbsim::balancing
