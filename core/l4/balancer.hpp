// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// An L4 balancer's forwarding decision, shared by the simulator's L4 node and the
// testbed's packet forwarder: a tracked flow keeps its target (NLB keeps established
// flows on a target even after it turns unhealthy); a new flow gets the configured
// algorithm's pick among the routable targets, is tracked, and counts as a connection
// on its target until the flow ends or the table forgets it.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "balancing/routable_targets.hpp"
#include "l4/conntrack.hpp"

namespace lbsim::l4 {

class Balancer {
public:
  Balancer(std::vector<balancing::Target> targets, std::string algorithm, balancing::PickerOptions options,
           double panic_threshold_percent, std::size_t conntrack_capacity, double idle_timeout_s);

  struct Choice {
    std::uint32_t target = 0;
    bool tracked = false;  // an existing flow kept on its target
  };
  // Forgets flows idle past the timeout (call before judging or routing at `now`).
  void expire_idle(double now) { conntrack_.expire_idle(now); }
  // The target of a flow's packet; nothing when the flow is new and no target may be
  // picked (every target deregistered or shifted away: the caller resets the connection).
  // `awaits_answer`: a new flow opened by a SYN whose answer passive checks will judge.
  std::optional<Choice> route(const FlowKey& flow, std::uint64_t flow_hash, std::uint64_t source_hash, Random& random, double now,
                              bool awaits_answer = false);
  // The flow ended (its FIN or RST went by): forgotten, one connection fewer on its target.
  std::optional<std::uint32_t> close(const FlowKey& flow);

  ConnTrack& conntrack() { return conntrack_; }
  const ConnTrack& conntrack() const { return conntrack_; }
  balancing::RoutableTargets& targets() { return targets_; }
  const balancing::RoutableTargets& targets() const { return targets_; }

private:
  balancing::RoutableTargets targets_;
  ConnTrack conntrack_;
};

}  // namespace lbsim::l4
