// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Ring hash (Karger et al.; Envoy's RING_HASH, ketama-style): each target owns
// `vnodes x weight/max_weight` points on a 64-bit ring; a flow goes to the first point
// at or after its hash (wrapping). Adding or removing a target moves only the arcs it
// gains or loses.
#include <cstdint>
#include <span>
#include <vector>

#include "balancing/picker.hpp"

namespace lbsim::balancing {

class RingHash {
public:
  RingHash(std::span<const Target> targets, std::uint32_t vnodes_per_weight);

  std::uint32_t lookup(std::uint64_t hash) const;
  std::size_t points() const { return ring_.size(); }
  // Share of the hash space each target owns (sums to 1).
  std::vector<double> space_share(std::size_t target_count) const;
  // Exact share of the hash space whose owner (by target name) differs between two
  // rings: the disruption a change of targets causes.
  static double moved_share(const RingHash& before, std::span<const Target> before_targets, const RingHash& after,
                            std::span<const Target> after_targets);

private:
  struct Point {
    std::uint64_t hash;
    std::uint32_t target;
  };
  std::vector<Point> ring_;  // sorted by hash
};

}  // namespace lbsim::balancing
