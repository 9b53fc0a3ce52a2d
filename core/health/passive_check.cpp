// SPDX-License-Identifier: GPL-3.0-or-later
#include "health/passive_check.hpp"

#include <algorithm>

namespace lbsim::health {

PassiveCheck::PassiveCheck(std::size_t target_count, std::uint32_t threshold)
    : threshold_(std::max<std::uint32_t>(1, threshold)), failures_(target_count, 0), out_(target_count, false) {}

bool PassiveCheck::connection_failed(std::size_t target) {
  if (out_.at(target)) return false;
  if (++failures_[target] < threshold_) return false;
  out_[target] = true;
  failures_[target] = 0;
  return true;
}

void PassiveCheck::connection_succeeded(std::size_t target) {
  if (!out_.at(target)) failures_[target] = 0;
}

bool PassiveCheck::probe_passed(std::size_t target) {
  if (!out_.at(target)) return false;
  out_[target] = false;
  return true;
}

}  // namespace lbsim::health
