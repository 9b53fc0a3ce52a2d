// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The scenario's failure timeline as each testbed process applies its share of it: the
// supervisor kills and restarts crashed backends, the fabric darkens nodes, cuts zones
// apart and degrades links, a backend slows down or answers errors, a client population
// stops resuming sessions. Every process reads the same timeline against the run's shared
// clock, so no control channel is needed, and a process started late (a backend restarted
// after a crash) catches up on what is already in force. Steps come in the simulator's
// injector's order: by time, and at one instant what ends before what starts.
#include <algorithm>
#include <cstddef>
#include <limits>
#include <vector>

#include "config/spec.hpp"
#include "l7/rules.hpp"
#include "topology/topology.hpp"

namespace lbsim::testbed {

// Whether `fault` takes `node` off the network, as the simulator's injector does: a zone
// outage its zone's backends, its L7 nodes (unless `scope: backends`) and with `scope:
// zone` its L4 nodes; a node loss the L4 or L7 nodes it names. The fabric darkens their
// ports; an L4 node stops and forgets its flows, an L7 node its connections; DNS stops
// announcing a dark L4 node.
inline bool goes_dark(const config::FaultSpec& fault, const topology::Node& node) {
  using topology::NodeKind;
  if (fault.kind == config::FaultKind::zone_outage)
    return node.zone == fault.zone && (node.kind == NodeKind::backend || (node.kind == NodeKind::l7 && !fault.backends_only) ||
                                       (fault.whole_zone && node.kind == NodeKind::l4));
  return fault.kind == config::FaultKind::node_loss && (node.kind == NodeKind::l4 || node.kind == NodeKind::l7) &&
         l7::glob_match(fault.targets, node.name);
}

class FaultTimeline {
public:
  struct Step {
    double at_s;
    std::size_t fault;  // index into the scenario's faults
    bool starts;
  };

  explicit FaultTimeline(const std::vector<config::FaultSpec>& faults) : faults_(faults) {
    for (std::size_t f = 0; f < faults.size(); ++f) {
      steps_.push_back({faults[f].at_s, f, true});
      if (faults[f].for_s) steps_.push_back({faults[f].at_s + *faults[f].for_s, f, false});
    }
    std::stable_sort(steps_.begin(), steps_.end(), [](const Step& a, const Step& b) {
      return a.at_s != b.at_s ? a.at_s < b.at_s : (!a.starts && b.starts);
    });
  }

  // Calls apply(fault, step) for every step due by run time `now_s` not applied yet.
  template <typename Apply>
  void advance(double now_s, Apply&& apply) {
    while (next_ < steps_.size() && steps_[next_].at_s <= now_s) {
      const Step& step = steps_[next_++];
      apply(faults_[step.fault], step);
    }
  }
  // When the next step is due (infinity when none is left).
  double next_s() const { return next_ < steps_.size() ? steps_[next_].at_s : std::numeric_limits<double>::infinity(); }
  const std::vector<Step>& steps() const { return steps_; }

private:
  const std::vector<config::FaultSpec>& faults_;
  std::vector<Step> steps_;
  std::size_t next_ = 0;
};

}  // namespace lbsim::testbed
