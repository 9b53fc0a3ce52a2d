// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A backend: a pool of workers in front of a bounded queue. Each worker takes the next
// request, serves it for a time drawn from the group's service-time distribution, and
// answers along the request's reply path.
#include <simgrid/s4u.hpp>

#include "engine/metrics.hpp"
#include "models/kernel_stack.hpp"
#include "models/world.hpp"
#include "util/random.hpp"

namespace lbsim::models {

class Backend {
public:
  // `id`: this backend's index in World::backends, stable across nodes (sticky cookies carry it).
  Backend(World& world, std::uint32_t id, topology::Vertex vertex, const config::TargetGroupSpec& group);
  void start();

  // Whether a new request fits (workers plus queue); counts it in if so. A request
  // that does not fit is refused at connection time, as a full accept queue does.
  bool admit();
  // Sends an admitted request to this backend.
  void deliver(Request* request, double bytes);

  std::uint32_t group() const { return group_index_; }
  std::uint32_t id() const { return id_; }
  engine::Inbox& inbox() { return inbox_; }
  engine::Inbox& kernel_inbox() { return kernel_.inbox(); }
  std::uint32_t zone() const { return zone_; }
  engine::NodeStats& stats() {
    stats_.max_queue = inbox_.max_waiting();
    return stats_;
  }

private:
  void worker_loop();
  void answer_handshake(Request* request);
  double draw_service_time();

  World& world_;
  std::uint32_t id_;
  const config::TargetGroupSpec& group_;
  std::uint32_t group_index_;
  std::uint32_t zone_;
  simgrid::s4u::Host* host_;
  engine::Inbox inbox_;
  KernelStack kernel_;
  Random random_;
  std::uint32_t in_system_ = 0;  // queued + in service
  engine::NodeStats stats_;
};

}  // namespace lbsim::models
