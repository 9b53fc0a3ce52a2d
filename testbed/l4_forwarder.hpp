// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The testbed's L4 node: a user-space forwarder on the node's interface (AF_PACKET,
// batched), running core's L4 decision (l4::Balancer: connection table, the configured
// algorithm among the routable targets) and core's header rewrites on the real bytes.
//   DNAT: destination VIP -> target, routed to the target's MAC; the target's reply comes
//         back through this node (the fabric's router sends it here) and leaves with the
//         VIP as its source again.
//   DSR:  only the MACs change; the target holds the VIP and answers the client directly.
// The namespace's own IP stack never sees these packets as its own (the VIP is not one
// of its addresses and it does not forward), so it stays silent about them.
#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "config/spec.hpp"
#include "health/passive_check.hpp"
#include "l4/balancer.hpp"
#include "results/metrics.hpp"
#include "testbed/frame.hpp"
#include "testbed/plan.hpp"
#include "util/random.hpp"

namespace lbsim::testbed {

struct ForwarderCounters {
  std::uint64_t forwarded = 0;       // client -> target packets
  std::uint64_t replies = 0;         // target -> client packets un-NATed (DNAT)
  std::uint64_t new_flows = 0;
  std::uint64_t refused = 0;         // new flows with no routable target: reset
  std::uint64_t untracked = 0;       // mid-stream packets of a flow it never saw open
  std::uint64_t not_for_it = 0;      // frames for the namespace's own stack (its health checks, ARP)
  std::uint64_t malformed = 0;       // frames that did not parse as IPv4 TCP/UDP
  std::uint64_t rx_bytes = 0, tx_bytes = 0;
};

// The forwarding decision for one frame, separated from the sockets so it can be tested
// on hand-made frames: rewrites the frame in place and says whether to send it.
class L4Forwarder {
public:
  L4Forwarder(const config::ScenarioSpec& spec, const topology::Topology& topology, const TestbedPlan& plan, const PlannedNode& self);

  enum class Action : std::uint8_t { send, reset, drop };
  // `frame` arrived at `now_s` (seconds since the run's start).
  Action handle(std::span<std::uint8_t> frame, double now_s);

  const ForwarderCounters& counters() const { return counters_; }
  // Its active checks' verdict on a target: routed by from now on, and recorded.
  void set_target_health(std::size_t target, bool healthy, const std::string& reason, double now_s);
  // An active probe of the target passed: it brings back a target passive checks took out.
  void probe_passed(std::size_t target, double now_s);
  const std::vector<results::HealthEvent>& health_events() const { return health_events_; }
  // Its share of the failure timeline: under a zonal shift, a node that can send
  // elsewhere (cross-zone on) stops sending new flows to the shifted zone's targets; a
  // node lost (node_loss, or its whole zone out) is dark (the fabric drops its frames),
  // checks nothing meanwhile, and comes back with an empty connection table.
  void apply_fault(const config::FaultSpec& fault, bool starts);
  bool dark() const { return dark_; }
  // Whether DNS may announce it: it has a target to send to (NLB's DNS health).
  bool has_available_target() { return balancer_.targets().available() > 0; }
  // The checks' settings (the target group's own, as on an NLB target group) and phase.
  const health::ActiveCheckConfig& health_check() const { return health_check_; }
  double health_check_phase_s() const { return health_check_phase_s_; }
  const PlannedNode& self() const { return self_; }
  const TestbedPlan& plan() const { return plan_; }
  l4::Balancer& balancer() { return balancer_; }
  // The index into plan.nodes of each target, in the balancer's order.
  const std::vector<std::size_t>& targets() const { return targets_; }

private:
  Action forward(Frame& frame, double now_s);
  Action relay_reply(Frame& frame, double now_s);

  const TestbedPlan& plan_;
  const PlannedNode& self_;
  config::Forwarding forwarding_;
  std::vector<std::size_t> targets_;
  l4::Balancer balancer_;
  Random random_;
  // Flows whose client sent its FIN: their connection no longer counts on the target,
  // but their last packets (the FIN's answer, the final ACK) still follow it.
  struct Closing {
    std::uint32_t target;
    double until_s;
  };
  std::unordered_map<l4::FlowKey, Closing, l4::FlowKeyHash> closing_;
  std::deque<std::pair<double, l4::FlowKey>> closing_order_;
  ForwarderCounters counters_;
  // NLB's passive checks (core's health::PassiveCheck), as the simulator's node runs them:
  // under DNAT only (they read the target's answer), never for a sticky group.
  void passive_failure(std::uint32_t target, const char* how, double now_s);
  void judge_overdue_syns(double now_s);
  void apply_health(std::size_t target, double now_s);
  std::optional<health::PassiveCheck> passive_;
  std::vector<bool> actively_healthy_;
  struct PendingSyn {
    double deadline_s;
    l4::FlowKey flow;
    std::uint32_t target;
  };
  std::deque<PendingSyn> pending_syns_;
  health::ActiveCheckConfig health_check_;
  double health_check_phase_s_ = 0;
  bool dark_ = false;
  std::vector<results::HealthEvent> health_events_;
};

// Runs the forwarder on eth0 until `stop` is set, applying its share of `faults` as they
// come due; `announce` hears each change of has_available_target(). Returns its counters.
ForwarderCounters run_l4_forwarder(L4Forwarder& forwarder, const std::vector<config::FaultSpec>& faults, double start_monotonic_s,
                                   volatile const int& stop, const std::function<void(bool)>& announce = {});

// A TCP reset answering `frame` (RFC 793's rules for a segment to a closed port), built in
// `out` as a frame from `from_mac` to `to_mac`; its length (0 if `out` is too small). For a
// client whose new flow has no target to go to.
std::size_t make_reset(const Frame& frame, const l4::MacAddress& from_mac, const l4::MacAddress& to_mac, std::span<std::uint8_t> out);

}  // namespace lbsim::testbed
