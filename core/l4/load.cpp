// SPDX-License-Identifier: GPL-3.0-or-later
#include "l4/load.hpp"

#include <algorithm>
#include <stdexcept>

namespace lbsim::l4 {

LoadTracker::LoadTracker(std::size_t targets) : load_(targets, 0), excluded_(targets, 0) {
  if (targets == 0) return;
  if (targets > 0xFFFFFFFFu) throw std::invalid_argument("too many targets for a LoadTracker");
  while (leaves_ < targets) leaves_ *= 2;
  tree_.assign(2 * leaves_, kExcluded);  // padding leaves are never chosen
  for (std::size_t i = 0; i < targets; ++i) tree_[leaves_ + i] = key(i);
  for (std::size_t node = leaves_ - 1; node >= 1; --node) tree_[node] = std::min(tree_[2 * node], tree_[2 * node + 1]);
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
  for (node /= 2; node >= 1; node /= 2) tree_[node] = std::min(tree_[2 * node], tree_[2 * node + 1]);
}

}  // namespace lbsim::l4
