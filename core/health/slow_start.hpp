// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Slow start: a target that has just become healthy gets a growing share of new traffic
// rather than its full share at once, so cold caches and JITs warm up under light load.
//
// Rule: Envoy's slow start with aggression 1 (linear). ALB also ramps linearly but does
// not publish its starting share, so lbsim starts from Envoy's minimum weight:
//   factor(t, W) = 1                         when W == 0 (slow start off) or t >= W
//                = max(min_weight, t / W)    otherwise, with t < 0 taken as 0
// A target's weight in the picker is its configured weight × factor. With W = 100 s and
// the default min_weight 0.1: 0.1 up to t = 10 s, then t / W (0.5 at 50 s), 1 from 100 s.
// Envoy's time factor also floors t at a tiny positive time; that never shows through a
// 10 % minimum weight.
//
// Which targets ramp (balancers commonly spare a target when no other healthy target
// could take the load) and when t starts (ActiveCheck::state_since() of the move to
// healthy) are the caller's decisions.
namespace lbsim::health {

inline constexpr double kEnvoySlowStartMinWeight = 0.1;
inline constexpr double kAlbSlowStartMinWindow = 30.0;
inline constexpr double kAlbSlowStartMaxWindow = 900.0;

double weight_factor(double since_healthy_s, double window_s, double min_weight = kEnvoySlowStartMinWeight);

// ALB accepts a slow-start duration of 0 (off) or 30 to 900 s.
bool is_valid_alb_window(double window_s);

}  // namespace lbsim::health
