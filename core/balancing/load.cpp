// SPDX-License-Identifier: GPL-3.0-or-later
#include "balancing/load.hpp"

#include <algorithm>
#include <stdexcept>

namespace lbsim::balancing {

LoadTracker::LoadTracker(std::size_t targets) : load_(targets, 0), excluded_(targets, 0), last_start_(targets, 0) {
  if (targets == 0) return;
  while (leaves_ < targets) leaves_ *= 2;
  tree_.assign(2 * leaves_, kExcluded);  // padding leaves are never chosen
  who_.assign(2 * leaves_, npos);
  for (std::size_t i = 0; i < targets; ++i) {
    tree_[leaves_ + i] = key(i);
    who_[leaves_ + i] = i;
  }
  for (std::size_t node = leaves_ - 1; node >= 1; --node) pull_up(node);
}

bool LoadTracker::pull_up(std::size_t node) {
  // The left child wins ties: equal keys (never-used targets) go to the lowest index.
  const std::size_t from = 2 * node + (tree_[2 * node + 1] < tree_[2 * node] ? 1 : 0);
  if (tree_[node] == tree_[from] && who_[node] == who_[from]) return false;
  tree_[node] = tree_[from];
  who_[node] = who_[from];
  return true;
}

void LoadTracker::set_load(std::size_t target, std::uint32_t load) {
  load_[target] = load;
  refresh(target);
}

void LoadTracker::set_excluded(std::size_t target, bool excluded) {
  excluded_[target] = excluded ? 1 : 0;
  refresh(target);
}

void LoadTracker::refresh(std::size_t target) {
  std::size_t node = leaves_ + target;
  tree_[node] = key(target);
  // Up to the root, or to the first ancestor whose minimum this change leaves alone.
  for (node /= 2; node >= 1 && pull_up(node); node /= 2) {
  }
}

}  // namespace lbsim::balancing
