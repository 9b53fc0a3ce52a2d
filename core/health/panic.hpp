// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Which targets get new traffic once their health is known. Two safety valves stop a
// balancer from piling all traffic on a few survivors, or refusing all of it, when the
// health checks rather than the targets may be what is wrong:
// - panic (Envoy): when the healthy share of targets falls below the panic threshold,
//   route to every target, healthy or not;
// - fail-open (ALB, NLB): when no target is healthy, route to every target.
//
// Rules:
// - Panic is strict: healthy / total < threshold / 100. At exactly the threshold (2 of 4
//   healthy at 50 %) the balancer is NOT in panic; one fewer healthy and it is. A
//   threshold of 0 never panics; an empty set never panics.
// - No healthy target with WhenNoneHealthy::route_to_all is reported as fail_open, even
//   when it is also below the panic threshold: the outcome is the same.
// - With WhenNoneHealthy::route_to_none (Envoy) and no healthy target, the panic rule
//   decides: any threshold above 0 panics and routes to all; a threshold of 0 routes to
//   none (Envoy's "no healthy upstream" 503).
#include <concepts>
#include <cstddef>
#include <ranges>
#include <utility>
#include <vector>

namespace lbsim::health {

inline constexpr double kEnvoyPanicThresholdPercent = 50.0;
inline constexpr double kPanicDisabled = 0.0;  // AWS load balancers: fail-open only

constexpr bool in_panic(std::size_t healthy, std::size_t total, double panic_threshold_percent) {
  // Multiplied out rather than divided, so 2 of 4 at 50 % compares exactly.
  return total > 0 && 100.0 * static_cast<double>(healthy) < panic_threshold_percent * static_cast<double>(total);
}

enum class WhenNoneHealthy { route_to_all, route_to_none };
enum class RoutingMode { normal, panic, fail_open, none_healthy };

struct Routing {
  RoutingMode mode;
  std::size_t healthy_count;
  std::vector<bool> targets;  // targets[i]: target i may be picked for new traffic
};

// `healthy` is any sized range of bool-like flags (std::vector<bool>, std::span<const bool>, ...).
template <std::ranges::sized_range Flags>
  requires std::convertible_to<std::ranges::range_reference_t<const Flags>, bool>
Routing routable(const Flags& healthy, double panic_threshold_percent,
                 WhenNoneHealthy when_none = WhenNoneHealthy::route_to_all) {
  const std::size_t total = std::ranges::size(healthy);
  std::vector<bool> flags;
  flags.reserve(total);
  std::size_t healthy_count = 0;
  for (const bool flag : healthy) {
    flags.push_back(flag);
    healthy_count += flag ? 1 : 0;
  }

  if (total > 0 && healthy_count == 0 && when_none == WhenNoneHealthy::route_to_all)
    return {RoutingMode::fail_open, healthy_count, std::vector<bool>(total, true)};
  if (in_panic(healthy_count, total, panic_threshold_percent))
    return {RoutingMode::panic, healthy_count, std::vector<bool>(total, true)};
  if (total > 0 && healthy_count == 0) return {RoutingMode::none_healthy, healthy_count, std::move(flags)};
  return {RoutingMode::normal, healthy_count, std::move(flags)};
}

}  // namespace lbsim::health
