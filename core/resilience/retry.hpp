// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Retries as Envoy and gRPC clients do them, for both a client population and an L7
// node: a budget that keeps retries from multiplying load in a storm, and exponential
// backoff with full jitter. Pure functions of their inputs; randomness comes in.
#include <cstdint>

namespace lbsim::resilience {

// Envoy's retry budget: retries in flight stay under `percent` of the active requests,
// but `min_concurrency` retries are always allowed (so a quiet client can still retry).
struct RetryBudget {
  double percent = 20;               // Envoy's default budget_percent
  std::uint32_t min_concurrency = 3; // Envoy's default min_retry_concurrency

  bool allows_another(std::uint64_t retries_in_flight, std::uint64_t active_requests) const;
};

// Exponential backoff with full jitter (AWS's "full jitter", Envoy's retry back-off):
// the wait before retry n+1 is uniform in [0, min(cap, base x 2^n)).
struct Backoff {
  double base_s = 0.025;  // Envoy's default base interval
  double cap_s = 0.250;   // and its default cap (10 x base)

  // `previous_attempt`: 0 for the first retry. `uniform01`: a draw in [0, 1).
  double delay(unsigned previous_attempt, double uniform01) const;
};

}  // namespace lbsim::resilience
