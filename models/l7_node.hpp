// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// An ALB-style L7 node: a proxy with a few cores. Each core takes the next request,
// spends the parse-and-route CPU cost, matches the listener rules (core/l7), picks a
// backend of the chosen target group (core/l4 pickers, over the backends its
// cross-zone setting allows) and forwards on its own connection to that backend.
// Replies come back through the node and wait for a core like any other event.
#include <simgrid/s4u.hpp>

#include <deque>
#include <memory>
#include <vector>

#include "l4/picker.hpp"
#include "health/outlier.hpp"
#include "l7/rate_limit.hpp"
#include "l7/sticky.hpp"
#include "l7/rules.hpp"
#include "models/health_prober.hpp"
#include "models/kernel_stack.hpp"
#include "models/zoned_targets.hpp"
#include "models/world.hpp"
#include "util/random.hpp"

namespace lbsim::models {

class L7Node {
public:
  L7Node(World& world, topology::Vertex vertex);
  void connect_targets();
  void start();

  // Called by the L4 tier: the request travels from the caller's host to this node.
  void deliver(Request* request, double bytes);

  engine::NodeStats& stats() {
    stats_.max_queue = inbox_.max_waiting();
    return stats_;
  }
  engine::Inbox& inbox() { return inbox_; }
  engine::Inbox& kernel_inbox() { return kernel_.inbox(); }

private:
  void core_loop();
  void route(Request* request);
  void answer_handshake(Request* request);
  // Holds the calling core for `seconds` of CPU work.
  void spend_cpu(double seconds);
  // Answers from this node (WAF block, rate limit, redirect, fixed response, 503).
  void answer_here(Request* request, std::uint16_t status, double body_bytes = 0);
  void relay_reply(Request* request);
  void send_reply(Request* request);

  // One target group as this node sees it: the backends it may reach, which of them
  // its health checks let it pick, and its outstanding requests on each.
  struct GroupView {
    std::vector<Backend*> backends;
    std::unique_ptr<ZonedTargets> targets;
    std::unique_ptr<HealthProber> prober;
    std::unique_ptr<health::OutlierDetector> outliers;  // when outlier detection is on
    std::optional<l7::LbCookieStickiness> sticky;       // when the group is sticky
    std::vector<std::int32_t> slot_of_backend;          // backend id -> slot here, or -1
    // Kept-alive connections to each backend: idle ones are reused, new ones cost a TCP
    // round trip, and beyond the limit a request waits for one to free up.
    struct Pool {
      std::uint32_t idle = 0;
      std::uint32_t open = 0;
      std::deque<Request*> waiting;
    };
    std::vector<Pool> pools;
  };
  void send_upstream(GroupView& group, std::uint32_t slot, Request* request);
  void forward_to_backend(GroupView& group, std::uint32_t slot, Request* request);
  void release_connection(GroupView& group, std::uint32_t slot);
  std::uint32_t pick_backend(GroupView& group, std::uint32_t group_index, Request* request, const l7::RequestView& view);
  void note_response(GroupView& group, std::uint32_t slot, std::uint16_t status);

  World& world_;
  topology::Vertex vertex_;
  simgrid::s4u::Host* host_;
  engine::Inbox inbox_;
  KernelStack kernel_;
  Random random_;
  const l7::RuleTable& rules_;
  std::optional<l7::RateLimiter> rate_limiter_;  // this node's own buckets
  std::vector<GroupView> groups_;  // indexed by target group
  double cpu_per_request_s_;
  engine::NodeStats stats_;
};

}  // namespace lbsim::models
