// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The testbed's backend: a real HTTP/1.1 server (Boost.Beast) with the target group's
// `workers` (requests served at once), `queue_limit` (requests waiting for a worker;
// beyond it the connection is reset, as the simulator's accept queue does), service
// times drawn from the group's distribution and spent sleeping on a timer (so two cores
// can host many backends: the service is the wait, not a computation), and `error_rate`
// answered as 500s. The answer's size is the one the client drew from its request mix,
// which it sends along in the X-Lbsim-Response-Bytes header.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "config/spec.hpp"
#include "results/metrics.hpp"
#include "testbed/plan.hpp"

namespace lbsim::testbed {

inline constexpr const char* kResponseBytesHeader = "X-Lbsim-Response-Bytes";
inline constexpr const char* kBackendHeader = "X-Lbsim-Backend";  // the backend that answered, on every answer
// The largest answer a client may ask for (its mix's response_bytes beyond this are capped).
inline constexpr std::uint64_t kMaxResponseBytes = 64ull << 20;

struct BackendReport {
  results::NodeStats stats;
  std::vector<double> busy_per_second;  // worker-seconds in each second of the run
};

// Serves on the node's address and, under DSR, on every VIP (held on its loopback) until
// `stop` is set; `start_monotonic_s` is the run's time zero.
// `listening` is called once it accepts connections; `checkpoint` gets the figures so far
// twice a second, so a backend killed by a crash fault leaves what it served behind.
BackendReport run_backend(const config::ScenarioSpec& spec, const TestbedPlan& plan, const PlannedNode& self, double start_monotonic_s,
                          volatile const int& stop, const std::function<void()>& listening = {},
                          const std::function<void(const BackendReport&)>& checkpoint = {});

}  // namespace lbsim::testbed
