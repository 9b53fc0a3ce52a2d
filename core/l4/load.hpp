// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// How busy each target is, as one balancer counts it (connections at L4, outstanding
// requests at L7), kept so that "the least loaded target" is O(1) and a change is
// O(log n): a min segment tree whose keys pack (load << 32 | index), so one integer
// comparison orders by load and then by index (ties go to the lowest index).
// Excluded targets (unhealthy, draining) carry the maximal key and are never chosen.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

namespace lbsim::l4 {

class LoadTracker {
public:
  static constexpr std::size_t npos = std::numeric_limits<std::size_t>::max();

  explicit LoadTracker(std::size_t targets);

  void start(std::size_t target) { set_load(target, load_[target] + 1); }
  void finish(std::size_t target) {
    if (load_[target] > 0) set_load(target, load_[target] - 1);
  }
  void set_excluded(std::size_t target, bool excluded);

  std::uint32_t load(std::size_t target) const { return load_[target]; }
  bool excluded(std::size_t target) const { return excluded_[target] != 0; }
  std::size_t size() const { return load_.size(); }
  // The included target with the least load (lowest index on ties), or npos if every
  // target is excluded.
  std::size_t least_loaded() const {
    return (tree_.empty() || tree_[1] == kExcluded) ? npos : static_cast<std::size_t>(tree_[1] & 0xFFFFFFFFu);
  }

private:
  static constexpr std::uint64_t kExcluded = std::numeric_limits<std::uint64_t>::max();
  std::uint64_t key(std::size_t target) const {
    return excluded_[target] ? kExcluded : (static_cast<std::uint64_t>(load_[target]) << 32) | target;
  }
  void set_load(std::size_t target, std::uint32_t load);
  void refresh(std::size_t target);

  std::vector<std::uint32_t> load_;
  std::vector<std::uint8_t> excluded_;
  std::size_t leaves_ = 1;           // power of two >= targets
  std::vector<std::uint64_t> tree_;  // 1-based heap layout; a node holds the least key below it
};

}  // namespace lbsim::l4
