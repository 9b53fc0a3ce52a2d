// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Active health checks, as a balancer node runs them: every interval it sends a probe
// to each of its targets over the simulated network and waits `timeout` for the
// answers. A probe waits its turn in the target's queue like any request, so a target
// too busy to answer in time fails its checks — detection emerges, it is not scripted.
// The verdicts come from core/health's state machine, one per target.
#include <simgrid/s4u.hpp>

#include <functional>
#include <string>
#include <vector>

#include "engine/transport.hpp"
#include "health/active_check.hpp"
#include "models/world.hpp"
#include "util/random.hpp"

namespace lbsim::models {

class HealthProber {
public:
  // Called when a target starts or stops receiving traffic by its checks' verdict.
  using OnChange = std::function<void(std::size_t target, bool healthy)>;

  // `source` names who judges in the health events (an L4 node's checks or an L7 node's).
  HealthProber(World& world, simgrid::s4u::Host* host, std::string name, results::HealthSource source,
               health::ActiveCheckConfig config, std::vector<engine::Inbox*> targets, std::vector<std::string> target_names,
               OnChange on_change);
  void start();
  // Called for every probe a target passes, verdict or not (passive checks end on one).
  void on_pass(std::function<void(std::size_t target)> on_pass) { on_pass_ = std::move(on_pass); }
  // A dead balancer node checks nothing; back up, it resumes where its checks stood.
  void set_paused(bool paused) { paused_ = paused; }

private:
  void loop();
  void send_probes(std::uint32_t round);
  std::vector<bool> collect_answers(std::uint32_t round);

  World& world_;
  simgrid::s4u::Host* host_;
  std::string name_;
  results::HealthSource source_;
  engine::Inbox inbox_;
  Random random_;
  std::vector<engine::Inbox*> targets_;
  std::vector<std::string> target_names_;
  std::vector<health::ActiveCheck> checks_;
  OnChange on_change_;
  std::function<void(std::size_t)> on_pass_;
  bool paused_ = false;
};

}  // namespace lbsim::models
