// SPDX-License-Identifier: GPL-3.0-or-later
#include "health/slow_start.hpp"

#include <algorithm>
#include <stdexcept>

namespace lbsim::health {

double weight_factor(double since_healthy_s, double window_s, double min_weight) {
  if (window_s < 0.0) throw std::invalid_argument("slow start window cannot be negative");
  if (min_weight < 0.0 || min_weight > 1.0)
    throw std::invalid_argument("slow start minimum weight must be within 0..1");
  if (window_s == 0.0 || since_healthy_s >= window_s) return 1.0;
  return std::max(min_weight, std::max(since_healthy_s, 0.0) / window_s);
}

bool is_valid_alb_window(double window_s) {
  return window_s == 0.0 || (window_s >= kAlbSlowStartMinWindow && window_s <= kAlbSlowStartMaxWindow);
}

}  // namespace lbsim::health
