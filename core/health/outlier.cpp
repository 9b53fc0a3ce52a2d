// SPDX-License-Identifier: GPL-3.0-or-later
#include "health/outlier.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace lbsim::health {

OutlierDetector::OutlierDetector(std::size_t target_count, OutlierConfig config)
    : config_(config),
      ejected_until_(target_count, -std::numeric_limits<double>::infinity()),
      times_ejected_(target_count, 0),
      consecutive_5xx_(target_count, 0) {
  if (config_.consecutive_5xx == 0) throw std::invalid_argument("consecutive_5xx must be at least 1");
  if (!(config_.base_ejection_time_s > 0.0)) throw std::invalid_argument("base ejection time must be positive");
  if (config_.max_ejection_percent < 0.0 || config_.max_ejection_percent > 100.0)
    throw std::invalid_argument("max ejection percent must be within 0..100");
}

bool OutlierDetector::record_response(std::size_t target, bool is_5xx, double now) {
  if (is_ejected(target, now)) return false;
  std::uint32_t& run = consecutive_5xx_.at(target);
  if (!is_5xx) {
    run = 0;
    return false;
  }
  if (++run < config_.consecutive_5xx) return false;

  run = 0;
  if (!cap_allows_one_more(now)) {
    ++overflows_;
    return false;
  }
  const std::uint32_t nth = ++times_ejected_[target];
  ejected_until_[target] = now + ejection_duration(nth);
  return true;
}

std::size_t OutlierDetector::ejected_count(double now) const {
  return static_cast<std::size_t>(
      std::count_if(ejected_until_.begin(), ejected_until_.end(), [now](double until) { return now < until; }));
}

bool OutlierDetector::cap_allows_one_more(double now) const {
  const std::size_t ejected = ejected_count(now);
  if (config_.always_eject_one_host && ejected == 0) return true;
  // Multiplied out rather than divided, so 1 of 10 at 10 % compares exactly.
  return 100.0 * static_cast<double>(ejected + 1) <=
         config_.max_ejection_percent * static_cast<double>(target_count());
}

double OutlierDetector::ejection_duration(std::uint32_t nth_ejection) const {
  const double longest = std::max(config_.max_ejection_time_s, config_.base_ejection_time_s);
  return std::min(config_.base_ejection_time_s * nth_ejection, longest);
}

}  // namespace lbsim::health
