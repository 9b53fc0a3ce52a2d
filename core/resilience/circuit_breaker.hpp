// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Envoy's per-cluster circuit breakers, kept per L7 node and target group: beyond a
// limit the node answers 503 at once (upstream_rq_pending_overflow) instead of piling
// more work on a struggling group. The caller counts; this says whether one more fits.
#include <cstdint>

namespace lbsim::resilience {

struct CircuitBreaker {
  std::uint32_t max_requests = 1024;          // requests outstanding to the group (Envoy's default)
  std::uint32_t max_pending_requests = 1024;  // requests waiting for a pooled connection

  bool admits_request(std::uint64_t outstanding) const { return outstanding < max_requests; }
  bool admits_pending(std::uint64_t pending) const { return pending < max_pending_requests; }
};

}  // namespace lbsim::resilience
