// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Which zone a request goes to, before a backend is picked inside it.
//
// - Cross-zone off (NLB's default): the caller's own zone, always — even when it has no
//   healthy target; only DNS or a zonal shift takes a zone out.
// - Cross-zone on, zone-unaware: every zone in proportion to its routable targets (ALB).
// - Zone-aware (Envoy's zone-aware routing): stay in the caller's zone as long as it
//   holds at least the caller zone's share of the callers; otherwise keep the share it
//   can carry local and spill the rest to zones with spare capacity, in proportion
//   to that spare capacity.
// A zone's capacity is its healthy targets weighted by Envoy's overprovisioning factor
// (1.4): a zone with 5 of 7 healthy counts as fully available; with fewer, it loses
// share. A zonal shift removes a zone as if it had no targets.
#include <cstdint>
#include <span>
#include <vector>

#include "util/random.hpp"

namespace lbsim::zone {

inline constexpr double kEnvoyOverprovisioningFactor = 1.4;

struct ZoneState {
  std::uint32_t healthy = 0;
  std::uint32_t total = 0;
  bool shifted_away = false;  // zonal shift
};

// A zone's effective share weight: total x min(1, overprovisioning x healthy / total).
double effective_capacity(const ZoneState& zone, double overprovisioning = kEnvoyOverprovisioningFactor);

enum class Mode { local_only, spread, zone_aware };

struct ZonePlan {
  enum class Kind { all_local, spill, none_available };
  Kind kind = Kind::none_available;
  double local_share = 0;                  // probability of staying in the caller's zone
  std::vector<double> spill_weights;       // the rest, by zone (zero for the local zone)
};

// The routing plan for callers in `local_zone`. `caller_share[z]` is the share of all
// callers that sit in zone z (sums to 1); `zones` the targets' state per zone.
ZonePlan plan(Mode mode, std::size_t local_zone, std::span<const double> caller_share, std::span<const ZoneState> zones,
              double overprovisioning = kEnvoyOverprovisioningFactor);

// Draws a zone from a plan; returns SIZE_MAX when no zone is available.
std::size_t choose_zone(const ZonePlan& plan, std::size_t local_zone, Random& random);

}  // namespace lbsim::zone
