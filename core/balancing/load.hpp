// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// How busy each target is, as one balancer counts it (connections at L4, outstanding
// requests at L7), kept so that "the least loaded target" is O(1) and a change is
// O(log n): a min segment tree over keys that pack (load << 40 | when it last got work),
// so one integer comparison orders by load, then by who has waited longest. Ties thus go
// round robin, as HAProxy's leastconn and nginx's least_conn break them (not to the
// lowest index, which on a mostly idle pool would pile everything on the first target).
// Loads above 2^24 - 1 compare as equal; the work counter has 40 bits (10^12 starts).
// Excluded targets (unhealthy, draining) carry the maximal key and are never chosen.
#include <cstddef>
#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

namespace lbsim::balancing {

class LoadTracker {
public:
  static constexpr std::size_t npos = std::numeric_limits<std::size_t>::max();

  explicit LoadTracker(std::size_t targets);

  void start(std::size_t target) {
    last_start_[target] = ++starts_;
    set_load(target, load_[target] + 1);
  }
  void finish(std::size_t target) {
    if (load_[target] > 0) set_load(target, load_[target] - 1);
  }
  void set_excluded(std::size_t target, bool excluded);

  std::uint32_t load(std::size_t target) const { return load_[target]; }
  bool excluded(std::size_t target) const { return excluded_[target] != 0; }
  std::size_t size() const { return load_.size(); }
  // The included target with the least load (on ties, the one that got work least
  // recently; never-used ones by lowest index), or npos if every target is excluded.
  std::size_t least_loaded() const { return (tree_.empty() || tree_[1] == kExcluded) ? npos : who_[1]; }

private:
  static constexpr std::uint64_t kExcluded = std::numeric_limits<std::uint64_t>::max();
  static constexpr std::uint32_t kMaxKeyLoad = (1u << 24) - 1;
  static constexpr std::uint64_t kStartMask = (std::uint64_t{1} << 40) - 1;
  std::uint64_t key(std::size_t target) const {
    if (excluded_[target]) return kExcluded;
    return (static_cast<std::uint64_t>(std::min(load_[target], kMaxKeyLoad)) << 40) | (last_start_[target] & kStartMask);
  }
  void set_load(std::size_t target, std::uint32_t load);
  void refresh(std::size_t target);
  // Recomputes a node from its children; false if it did not change.
  bool pull_up(std::size_t node);

  std::vector<std::uint32_t> load_;
  std::vector<std::uint8_t> excluded_;
  std::vector<std::uint64_t> last_start_;  // the value of starts_ when the target last got work
  std::uint64_t starts_ = 0;
  std::size_t leaves_ = 1;           // power of two >= targets
  std::vector<std::uint64_t> tree_;  // 1-based heap layout; a node holds the least key below it
  std::vector<std::size_t> who_;     // ... and whose key it is (the left one on equal keys)
};

}  // namespace lbsim::balancing
