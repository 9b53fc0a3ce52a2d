// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// One target group as an L7 node sees it: the backends it may reach, which of them its
// health checks and outlier detection let it pick, its stickiness, its pool of
// kept-alive connections to each backend, and its requests outstanding (which the
// circuit breakers count).
#include <simgrid/s4u.hpp>

#include <memory>
#include <optional>
#include <vector>

#include "health/outlier.hpp"
#include "l7/connection_pool.hpp"
#include "l7/sticky.hpp"
#include "models/health_prober.hpp"
#include "models/world.hpp"
#include "zone/zoned_targets.hpp"
#include "util/random.hpp"

namespace lbsim::models {

using zone::ZonedTargets;
using balancing::RoutableTargets;

struct UpstreamGroup {
  // The views of every target group from the node at `vertex` (its topology edges reach
  // the backends it may use); a group no rule forwards to stays empty.
  static std::vector<UpstreamGroup> connect(World& world, topology::Vertex vertex, simgrid::s4u::Host* host);

  // The backend (its slot here) for a request: by stickiness when the group has it (a
  // hit keeps the cookie's backend), else by the tier's algorithm.
  std::uint32_t pick(World& world, std::uint32_t group_index, Request* request, const l7::RequestView& view, Random& random);
  // Outlier detection's view of an answer (`status` 5xx or not); may eject the backend.
  void note_response(World& world, const std::string& node_name, std::uint32_t slot, std::uint16_t status);
  // Operator actions (see L4Node): a zonal shift, a deregistration.
  void set_zone_shifted(std::uint32_t zone, bool shifted);
  void set_deregistered(const Backend* backend, bool out);

  std::vector<Backend*> backends;
  std::unique_ptr<ZonedTargets> targets;
  std::unique_ptr<HealthProber> prober;
  std::unique_ptr<health::OutlierDetector> outliers;  // when outlier detection is on
  std::optional<l7::LbCookieStickiness> sticky;       // duration-based stickiness (AWSALB)
  std::optional<l7::AppCookieStickiness> app_sticky;  // application-based stickiness (AWSALBAPP)
  std::vector<std::int32_t> slot_of_backend;          // backend id -> slot here, or -1
  l7::ConnectionPool<Request*> pool{0, 0};
  std::uint32_t active = 0;  // requests sent upstream and not concluded (circuit breaker)
};

}  // namespace lbsim::models
