// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/fault_injector.hpp"

#include <simgrid/kernel/Timer.hpp>

#include <algorithm>
#include <stdexcept>

#include "engine/runtime.hpp"
#include "l7/rules.hpp"
#include "models/backend.hpp"
#include "models/client.hpp"
#include "models/l4_node.hpp"
#include "models/l7_node.hpp"

namespace sg4 = simgrid::s4u;

namespace lbsim::models {

FaultInjector::FaultInjector(World& world) : world_(world) {
  const auto& faults = world.spec.faults;
  for (std::size_t f = 0; f < faults.size(); ++f) {
    steps_.push_back({faults[f].at_s, f, true});
    if (faults[f].for_s) steps_.push_back({faults[f].at_s + *faults[f].for_s, f, false});
  }
  // At the same instant, what ends goes first: a fault ending as another starts hands over.
  std::stable_sort(steps_.begin(), steps_.end(), [](const Step& a, const Step& b) {
    return a.time != b.time ? a.time < b.time : (!a.starts && b.starts);
  });
}

void FaultInjector::start() { schedule_step(0); }

// Steps run in the simulation kernel, one timer at a time so that steps at the same
// instant keep their order. Applying a fault only changes state: nothing blocks.
void FaultInjector::schedule_step(std::size_t next) {
  if (next >= steps_.size()) return;
  simgrid::kernel::timer::Timer::set(steps_[next].time, [this, next] {
    step(steps_[next].fault, steps_[next].starts);
    schedule_step(next + 1);
  });
}

void FaultInjector::step(std::size_t fault, bool starts) {
  if (in_force_.size() <= fault) in_force_.resize(fault + 1, false);
  if (!starts && !in_force_[fault]) return;  // ended early (end_now): nothing left to end
  in_force_[fault] = starts;
  // (A copy: a live injection may grow the list while this fault lasts.)
  const config::FaultSpec spec = world_.faults[fault];
  world_.metrics.fault_events.push_back({engine::Runtime::now(), fault, starts, spec});
  apply(spec, starts);
  world_.note_dns_changes();  // a dark L4 node or a zonal shift changes DNS's answer at once
}

void FaultInjector::inject_now(config::FaultSpec fault) {
  if (fault.kind == config::FaultKind::traffic_surge)
    throw std::invalid_argument("a traffic surge cannot start live (arrivals are drawn ahead); put it on the scenario's timeline");
  fault.at_s = engine::Runtime::now();
  const std::size_t index = world_.faults.size();
  world_.faults.push_back(fault);
  step(index, true);
  if (!fault.for_s) return;
  simgrid::kernel::timer::Timer::set(fault.at_s + *fault.for_s, [this, index] { step(index, false); });
}

bool FaultInjector::end_now(std::size_t index) {
  if (index >= in_force_.size() || !in_force_[index]) return false;
  step(index, false);
  return true;
}

void FaultInjector::apply(const config::FaultSpec& fault, bool starts) {
  using Kind = config::FaultKind;
  switch (fault.kind) {
    case Kind::zone_outage: zone_outage(fault, starts); break;
    case Kind::backend_crash:
      for (Backend* b : backends_named(fault.targets)) starts ? b->crash() : b->recover();
      break;
    case Kind::slow_backend:
      for (Backend* b : backends_named(fault.targets)) b->set_slow_factor(starts ? fault.factor : 1.0);
      break;
    case Kind::backend_errors:
      for (Backend* b : backends_named(fault.targets)) starts ? b->set_error_rate(fault.error_rate) : b->restore_error_rate();
      break;
    case Kind::node_loss: nodes_lost(fault, starts); break;
    case Kind::link_degradation: degrade_link(fault, starts); break;
    case Kind::partition: partition(fault, starts); break;
    case Kind::tls_resumption_loss:
      for (std::size_t c = 0; c < world_.clients.size(); ++c)
        if (fault.client.empty() || world_.spec.clients[c].name == fault.client) world_.clients[c]->set_resumption_lost(starts);
      break;
    case Kind::traffic_surge: break;  // the clients' arrival processes carry it (ArrivalProcess multipliers)
    case Kind::zonal_shift: zonal_shift(fault, starts); break;
    case Kind::deregistration: deregister(fault, starts); break;
  }
}

std::uint32_t FaultInjector::zone_index(const std::string& zone) const {
  const auto& zones = world_.spec.topology.zones;
  const auto found = std::find(zones.begin(), zones.end(), zone);
  if (found == zones.end()) throw std::logic_error("fault names zone '" + zone + "', which the loader should have rejected");
  return static_cast<std::uint32_t>(found - zones.begin());
}

std::vector<Backend*> FaultInjector::backends_named(const std::string& glob) const {
  std::vector<Backend*> matching;
  for (auto& b : world_.backends)
    if (l7::glob_match(glob, b->name())) matching.push_back(b.get());
  return matching;
}

void FaultInjector::zone_outage(const config::FaultSpec& fault, bool starts) {
  const std::uint32_t zone = zone_index(fault.zone);
  for (auto& node : world_.l7_nodes)
    if (node->zone() == zone && !fault.backends_only) starts ? node->go_dark() : node->recover();
  for (auto& b : world_.backends)
    if (b->zone() == zone) starts ? b->go_dark() : b->recover();
  if (!fault.whole_zone) return;
  for (auto& node : world_.l4_nodes)
    if (node->zone() == zone) starts ? node->go_dark() : node->recover();
}

void FaultInjector::nodes_lost(const config::FaultSpec& fault, bool starts) {
  for (auto& node : world_.l7_nodes)
    if (l7::glob_match(fault.targets, node->name())) starts ? node->go_dark() : node->recover();
  for (auto& node : world_.l4_nodes)
    if (l7::glob_match(fault.targets, node->name())) starts ? node->go_dark() : node->recover();
}

void FaultInjector::degrade_link(const config::FaultSpec& fault, bool starts) {
  for (sg4::Link* link : world_.platform.named_links.at(fault.link)) {
    engine::Transport::set_link_fault(link, false, starts ? fault.extra_latency_s : 0.0, starts ? fault.loss : 0.0);
    if (!fault.bandwidth_Bps) continue;
    if (starts) {
      original_bandwidth_[link] = link->get_bandwidth();
      link->set_bandwidth(*fault.bandwidth_Bps);
    } else if (const auto found = original_bandwidth_.find(link); found != original_bandwidth_.end()) {
      link->set_bandwidth(found->second);
    }
  }
}

void FaultInjector::partition(const config::FaultSpec& fault, bool starts) {
  // The loader names the link with its zones in topology order.
  const std::string name = "inter-" + fault.zones.at(0) + "-" + fault.zones.at(1);
  for (sg4::Link* link : world_.platform.named_links.at(name)) engine::Transport::set_link_fault(link, starts, 0.0, 0.0);
}

void FaultInjector::zonal_shift(const config::FaultSpec& fault, bool starts) {
  const std::uint32_t zone = zone_index(fault.zone);
  world_.zone_shifted[zone] = starts;
  for (auto& node : world_.l4_nodes) node->set_zone_shifted(zone, starts);
  for (auto& node : world_.l7_nodes) node->set_zone_shifted(zone, starts);
}

void FaultInjector::deregister(const config::FaultSpec& fault, bool starts) {
  for (Backend* backend : backends_named(fault.targets)) {
    for (auto& node : world_.l4_nodes) node->set_deregistered(backend, starts);
    for (auto& node : world_.l7_nodes) node->set_deregistered(backend, starts);
    if (!starts) {
      backend->reregister();
      continue;
    }
    backend->begin_draining();
    // At the end of the deregistration delay, whatever is still in flight is cut.
    const double delay = world_.spec.target_groups.at(backend->group()).deregistration_delay_s;
    simgrid::kernel::timer::Timer::set(engine::Runtime::now() + delay, [backend] { backend->cut_remaining(); });
  }
}

}  // namespace lbsim::models
