// SPDX-License-Identifier: GPL-3.0-or-later
#include "zone/zone_routing.hpp"

#include <algorithm>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace lbsim::zone {
namespace {

std::vector<double> capacity_shares(std::span<const ZoneState> zones, double overprovisioning) {
  std::vector<double> share;
  for (const auto& z : zones) share.push_back(effective_capacity(z, overprovisioning));
  const double total = std::accumulate(share.begin(), share.end(), 0.0);
  if (total > 0)
    for (double& s : share) s /= total;
  return share;
}

}  // namespace

double effective_capacity(const ZoneState& zone, double overprovisioning) {
  if (zone.shifted_away || zone.total == 0) return 0.0;
  const double available = std::min(1.0, overprovisioning * zone.healthy / zone.total);
  return zone.total * available;
}

ZonePlan plan(Mode mode, std::size_t local_zone, std::span<const double> caller_share, std::span<const ZoneState> zones,
              double overprovisioning) {
  if (local_zone >= zones.size() || caller_share.size() != zones.size()) throw std::invalid_argument("zone plan: sizes differ");
  ZonePlan p;
  p.spill_weights.assign(zones.size(), 0.0);
  const std::vector<double> capacity = capacity_shares(zones, overprovisioning);
  const bool any = std::any_of(capacity.begin(), capacity.end(), [](double c) { return c > 0; });

  if (mode == Mode::local_only) {
    // Cross-zone off: the caller's zone whatever its health (a shifted zone has no callers).
    p.kind = zones[local_zone].shifted_away ? ZonePlan::Kind::none_available : ZonePlan::Kind::all_local;
    p.local_share = p.kind == ZonePlan::Kind::all_local ? 1.0 : 0.0;
    return p;
  }
  if (!any) return p;  // none_available
  if (mode == Mode::spread) {
    p.kind = ZonePlan::Kind::spill;
    p.local_share = capacity[local_zone];
    for (std::size_t z = 0; z < zones.size(); ++z)
      if (z != local_zone) p.spill_weights[z] = capacity[z];
    return p;
  }
  // Zone-aware: local holds enough capacity for its callers -> all local.
  if (capacity[local_zone] >= caller_share[local_zone]) {
    p.kind = ZonePlan::Kind::all_local;
    p.local_share = 1.0;
    return p;
  }
  // Keep what local can carry; spill the rest to zones with spare capacity.
  p.kind = ZonePlan::Kind::spill;
  p.local_share = caller_share[local_zone] > 0 ? capacity[local_zone] / caller_share[local_zone] : 0.0;
  for (std::size_t z = 0; z < zones.size(); ++z)
    if (z != local_zone) p.spill_weights[z] = std::max(0.0, capacity[z] - caller_share[z]);
  if (std::all_of(p.spill_weights.begin(), p.spill_weights.end(), [](double w) { return w == 0; })) {
    // No zone has spare capacity (rounding): spread the rest by capacity.
    for (std::size_t z = 0; z < zones.size(); ++z)
      if (z != local_zone) p.spill_weights[z] = capacity[z];
  }
  return p;
}

std::size_t choose_zone(const ZonePlan& p, std::size_t local_zone, Random& random) {
  if (p.kind == ZonePlan::Kind::none_available) return std::numeric_limits<std::size_t>::max();
  if (p.kind == ZonePlan::Kind::all_local) return local_zone;
  if (random.uniform01() < p.local_share) return local_zone;
  const double total = std::accumulate(p.spill_weights.begin(), p.spill_weights.end(), 0.0);
  if (total <= 0) return local_zone;
  double ticket = random.uniform01() * total;
  for (std::size_t z = 0; z < p.spill_weights.size(); ++z) {
    if (ticket < p.spill_weights[z]) return z;
    ticket -= p.spill_weights[z];
  }
  // Rounding at the very end of the range: the last zone with weight.
  for (std::size_t z = p.spill_weights.size(); z-- > 0;)
    if (p.spill_weights[z] > 0) return z;
  return local_zone;
}

}  // namespace lbsim::zone
