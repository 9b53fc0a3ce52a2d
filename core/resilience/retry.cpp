// SPDX-License-Identifier: GPL-3.0-or-later
#include "resilience/retry.hpp"

#include <algorithm>
#include <cmath>

namespace lbsim::resilience {

bool RetryBudget::allows_another(std::uint64_t retries_in_flight, std::uint64_t active_requests) const {
  const double allowed = std::max<double>(min_concurrency, percent / 100 * static_cast<double>(active_requests));
  return static_cast<double>(retries_in_flight) < allowed;
}

double Backoff::delay(unsigned previous_attempt, double uniform01) const {
  const double ceiling = std::min(cap_s, base_s * std::pow(2.0, previous_attempt));
  return uniform01 * ceiling;
}

}  // namespace lbsim::resilience
