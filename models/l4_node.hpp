// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// An NLB-style L4 node. It reads only the 5-tuple: a tracked flow keeps its target,
// a new one is picked by the configured algorithm (core/l4) among the targets its
// cross-zone setting allows. DNAT: the node rewrites the destination to the target
// and the reply returns through it.
#include <simgrid/s4u.hpp>

#include <deque>
#include <memory>
#include <vector>

#include "health/passive_check.hpp"
#include "l4/balancer.hpp"
#include "models/health_prober.hpp"
#include "balancing/routable_targets.hpp"
#include "models/world.hpp"
#include "util/random.hpp"

namespace lbsim::models {

using balancing::RoutableTargets;

class L4Node {
public:
  L4Node(World& world, topology::Vertex vertex);
  // Wires the node to what it may forward to; call once every node exists.
  void connect_targets();
  void start();

  // Called by a client: the request travels from the client's host to this node.
  void receive_request(Request* request, simgrid::s4u::Host* from);

  std::uint32_t zone() const { return zone_; }
  const std::string& name() const { return stats_.name; }
  topology::Vertex vertex() const { return vertex_; }
  // A client gave up on a connection (its RST passes this node): the flow ends.
  void client_closed(const l4::FlowKey& flow);
  // Whether DNS should announce this node: it is alive and has a healthy target.
  bool announced() const { return !dark_ && balancer_->targets().available() > 0; }
  bool dark() const { return dark_; }

  // Faults. A dark node forwards nothing and answers nothing; back up, its connection
  // table is empty (flows already tracked elsewhere are not).
  void go_dark();
  void recover();
  // Operator actions: stop sending new flows to a zone's targets (a zonal shift; not when
  // every target is there), or to a deregistered backend.
  void set_zone_shifted(std::uint32_t zone, bool shifted);
  void set_deregistered(const Backend* backend, bool out);
  results::NodeStats& stats() {
    stats_.max_queue = inbox_.max_waiting();
    return stats_;
  }

private:
  void loop();
  void handle(Request* request);
  void forward(Request* request);
  void relay_reply(Request* request);
  // Forgets a flow whose connection ended, and counts it closed on its target.
  void close_flow(const l4::FlowKey& flow);
  // Passive checks: what a relayed reply and a client's give-up say about the target.
  void judge_first_answer(const Request* request);
  void passive_failure(std::uint32_t target, const char* how);
  // Judges the SYNs forwarded at least kSynAnswerSeconds ago that are still unanswered.
  void judge_overdue_syns(double now);
  void passive_probe_passed(std::size_t target);
  // Health as the node routes by it: its active checks' verdict, unless passive checks
  // have it out.
  void apply_health(std::size_t target);

  void send_reply(Request* request);

  // A place the node can send a request: an L7 node, or a backend in an L4-only layout.
  struct Target {
    L7Node* l7 = nullptr;
    Backend* backend = nullptr;
  };
  const topology::Node& target_node(const Target& target) const;
  void trace_forward(Request* request, const Target& target, bool tracked);
  void trace_refusal(Request* request, text::Note why);

  World& world_;
  topology::Vertex vertex_;
  std::uint32_t zone_;
  simgrid::s4u::Host* host_;
  engine::Inbox inbox_;
  Random random_;
  std::vector<Target> targets_;
  // Its connection table and the targets' health, picker and active flows (core's L4
  // decision, which the testbed's forwarder runs too).
  std::unique_ptr<l4::Balancer> balancer_;
  std::unique_ptr<HealthProber> prober_;
  std::vector<bool> actively_healthy_;             // by target, as the active checks judge
  std::unique_ptr<health::PassiveCheck> passive_;  // null when off (DSR, sticky, or the key)
  // SYNs forwarded, oldest first: the deadline is the same for all, so this is also
  // deadline order, and judging them costs a look at the front as traffic passes.
  struct PendingSyn {
    double deadline;
    l4::FlowKey flow;
    std::uint32_t target;
  };
  std::deque<PendingSyn> pending_syns_;
  results::NodeStats stats_;
  double per_message_s_ = 0;  // 1 / packets_per_second, or 0 for no limit
  bool dark_ = false;
  std::uint32_t zone_of_target(std::size_t t) const;
};

}  // namespace lbsim::models
