// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// An ALB-style L7 node: a proxy with a few cores. Each core takes the next request,
// spends the parse-and-route CPU cost, matches the listener rules (core/l7), picks a
// backend of the chosen target group (models/upstream_group.hpp: core/balancing's
// pickers over the backends its cross-zone setting allows, stickiness, health) and
// forwards on a pooled connection of its own to that backend, within deadlines
// (models/upstream_deadlines.hpp), retries and circuit breakers.
// Replies come back through the node and wait for a core like any other event.
//
// The cores are not actors: a core's work is known when it takes a message (a request's
// parse-and-route cost, a TLS key exchange, or nothing for a reply), so the node queues
// what arrives, hands it to the longest-idle core, and sets one kernel timer for the end
// of its work. That is what a core actor did, without its two context switches, its
// semaphore and its CPU-model action per message (docs/ARCHITECTURE.md, "What an event
// costs").
#include <simgrid/s4u.hpp>

#include <deque>
#include <vector>

#include "l7/rate_limit.hpp"
#include "l7/rules.hpp"
#include "models/kernel_stack.hpp"
#include "models/upstream_deadlines.hpp"
#include "models/upstream_group.hpp"
#include "models/world.hpp"
#include "util/random.hpp"

namespace lbsim::models {

class L7Node {
public:
  L7Node(World& world, topology::Vertex vertex);
  void connect_targets();
  void start();

  // Called by the L4 tier: the request travels from the caller's host to this node.
  void deliver(Request* request, double bytes, simgrid::s4u::Host* from);

  results::NodeStats& stats() {
    stats_.max_queue = max_queue_;
    return stats_;
  }
  engine::Inbox& kernel_inbox() { return kernel_.inbox(); }
  std::uint32_t zone() const { return zone_; }
  topology::Vertex vertex() const { return vertex_; }
  const std::string& name() const { return stats_.name; }

  // Faults. A dark node answers nothing: what it held is lost, and so is every answer
  // that comes back to it. Back up, it has no connections to backends.
  void go_dark();
  void recover();
  // Operator actions on its view of the target groups (see L4Node).
  void set_zone_shifted(std::uint32_t zone, bool shifted);
  void set_deregistered(const Backend* backend, bool out);

private:
  // A message arrives: it waits for a core, in arrival order.
  void on_arrival(Request* request);
  // Hands waiting messages to idle cores, the longest idle first.
  void start_idle_cores();
  void take(std::uint32_t core, Request* request, double arrived_at);
  // What a message costs a core before its answer or forward: counted as the core takes it.
  double begin(Request* request);
  // The rest of a message's handling, once its CPU work is done.
  void finish(Request* request, double arrived_at);
  void release_core(std::uint32_t core);
  void route(Request* request, double arrived_at);
  void answer_handshake(Request* request);
  // Answers from this node (WAF block, rate limit, redirect, fixed response, 503).
  void answer_here(Request* request, std::uint16_t status, double body_bytes = 0);
  void relay_reply(Request* request);
  void send_reply(Request* request);

  // Sends a routed request to a backend of its group, or answers it here when none can take it.
  void send_to_group(UpstreamGroup& group, Request* request, const l7::RequestView& view, std::uint32_t avoid_slot);
  void send_upstream(UpstreamGroup& group, std::uint32_t slot, Request* request);
  // Connects to the backend for `request` (its pool counted the connection open already).
  void open_connection(UpstreamGroup& group, std::uint32_t slot, Request* request);
  void forward_to_backend(UpstreamGroup& group, std::uint32_t slot, Request* request);
  // An exchange on a pooled connection ended; the connection stays up or is closed.
  void release_connection(UpstreamGroup& group, std::uint32_t slot, bool closed);

  // How an upstream exchange ended, and what the client gets: the backend's answer, a
  // retry on another backend, or this node's own 502 (reset, refused) or 504 (timeout).
  enum class Outcome { answered, reset, timeout };
  void connection_ready(Request* request);
  void conclude(Request* request, std::uint16_t status, Outcome outcome);
  bool may_retry(const Request* request, std::uint16_t status, Outcome outcome) const;
  void on_deadline(Request* request);
  void on_upstream_timeout(Request* request);
  // The request object the backend still holds is not ours to answer with: answer with a copy.
  Request* take_back(Request* request);
  void drop_held_requests();
  void trace_taken(Request* request, double arrived_at);
  void trace_route(Request* request, const l7::RequestView& view);
  void trace_upstream(Request* request, const Backend* backend, const char* how);  // how: a message id

  World& world_;
  topology::Vertex vertex_;
  simgrid::s4u::Host* host_;
  engine::Inbox inbox_;
  KernelStack kernel_;
  Random random_;
  const l7::RuleTable& rules_;
  std::optional<l7::RateLimiter> rate_limiter_;  // this node's own buckets
  std::vector<UpstreamGroup> groups_;  // indexed by target group
  double cpu_per_request_s_;
  std::uint32_t zone_;
  // Deadlines for answers from backends: connection setup (ALB's 10 s connect timeout)
  // and the request itself (the upstream timeout).
  UpstreamDeadlines connect_deadlines_;
  UpstreamDeadlines request_deadlines_;
  std::uint32_t active_requests_ = 0;  // upstream, all groups (for the retry budget)
  std::uint32_t active_retries_ = 0;
  bool dark_ = false;
  std::uint64_t epoch_ = 0;            // changes when the node dies
  struct Waiting {
    Request* request;
    double arrived_at;
  };
  std::deque<Waiting> queue_;          // messages waiting for a core
  std::size_t max_queue_ = 0;
  std::deque<std::uint32_t> idle_cores_;  // longest idle first
  bool starting_cores_ = false;        // (an arrival during a take only queues)
  std::vector<Request*> in_core_;      // by core: what it works on
  results::NodeStats stats_;
};

}  // namespace lbsim::models
