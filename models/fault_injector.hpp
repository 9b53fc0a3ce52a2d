// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Applies the scenario's failure timeline: each fault starts at its time and, when it
// has a duration, ends after it. A fault only changes the state of what it names (a
// node goes dark, a link drops packets, a zone is shifted away); detection, failover
// and recovery are left to the balancers' own health checks and routing.
#include <simgrid/s4u.hpp>

#include <map>
#include <vector>

#include "models/world.hpp"

namespace lbsim::models {

class FaultInjector {
public:
  explicit FaultInjector(World& world);
  void start();
  // A fault injected live: it starts now (its `at` is set to now) and ends after its
  // `for`, if any. Call from an actor or the kernel. Throws std::invalid_argument for a kind that
  // cannot start live (a traffic surge: arrival processes are drawn ahead).
  void inject_now(config::FaultSpec fault);
  // Ends fault `index` (of World::faults) now if it is in force; its scheduled end, if
  // any, then finds it over. False when there is no such fault or it is not in force.
  bool end_now(std::size_t index);

private:
  struct Step {
    double time;
    std::size_t fault;
    bool starts;
  };
  void schedule_step(std::size_t next);
  void step(std::size_t fault, bool starts);
  void apply(const config::FaultSpec& fault, bool starts);
  void zone_outage(const config::FaultSpec& fault, bool starts);
  void nodes_lost(const config::FaultSpec& fault, bool starts);
  void degrade_link(const config::FaultSpec& fault, bool starts);
  void partition(const config::FaultSpec& fault, bool starts);
  void zonal_shift(const config::FaultSpec& fault, bool starts);
  void deregister(const config::FaultSpec& fault, bool starts);
  std::vector<Backend*> backends_named(const std::string& glob) const;
  std::uint32_t zone_index(const std::string& zone) const;

  World& world_;
  std::vector<Step> steps_;
  std::vector<bool> in_force_;  // by fault index
  std::map<const simgrid::s4u::Link*, double> original_bandwidth_;
};

}  // namespace lbsim::models
