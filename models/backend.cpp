// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/backend.hpp"

#include "engine/runtime.hpp"
#include "models/client.hpp"

namespace sg4 = simgrid::s4u;

namespace lbsim::models {

Backend::Backend(World& world, std::uint32_t id, topology::Vertex vertex, const config::TargetGroupSpec& group)
    : world_(world),
      id_(id),
      group_(group),
      group_index_(world.topology.node(vertex).group),
      zone_(world.topology.node(vertex).zone_index),
      host_(world.platform.host_of.at(vertex)),
      inbox_(host_),
      kernel_(host_),
      random_(Random::stream(world.spec.seed, host_->get_name())) {
  const auto& node = world.topology.node(vertex);
  stats_.name = node.name;
  stats_.kind = topology::NodeKind::backend;
  stats_.zone = node.zone;
  stats_.group = group.name;
  stats_.capacity = group.workers;
  stats_.nic_Bps = world.spec.topology.intra_zone.bandwidth_Bps;
}

void Backend::start() {
  kernel_.start();
  for (std::uint32_t w = 0; w < group_.workers; ++w) {
    sg4::ActorPtr worker = sg4::Actor::create(host_->get_name() + "-w" + std::to_string(w), host_, [this] { worker_loop(); });
    worker->daemonize();  // the inbox is the backend's queue; workers take from it
  }
}

bool Backend::admit() {
  if (in_system_ >= group_.workers + group_.queue_limit) return false;
  ++in_system_;
  return true;
}

void Backend::deliver(Request* request, double bytes) {
  stats_.rx_bytes += bytes;
  if (request->in_handshake() && request->flight == 0) {  // a SYN: the kernel's
    engine::Transport::send(kernel_.inbox(), request, bytes);
    return;
  }
  engine::Transport::send(inbox_, request, bytes);
}

void Backend::answer_handshake(Request* request) {
  // In an L4-only layout TLS passes through the L4 tier and the backend terminates it:
  // its worker pays the key exchange and signature.
  double bytes = kTcpSegmentBytes;
  if (request->flight == 1) {
    const tls::HandshakePlan plan = tls::plan(request->tls_version, group_.tls_key, request->tls_resumed);
    sg4::this_actor::sleep_for(plan.server_cpu_s);
    stats_.busy_seconds += plan.server_cpu_s;
    stats_.tls_cpu_seconds += plan.server_cpu_s;
    ++(request->tls_resumed ? stats_.tls_resumed : stats_.tls_full);
    bytes = plan.server_flight_bytes;
  } else if (request->flight > 1) {
    bytes = kTlsFinishedBytes;
  }
  request->answer(200, bytes);
  engine::Transport::send(*request->pop_reply(), request, bytes);
}

double Backend::draw_service_time() { return group_.service_time.sample(random_); }

void Backend::worker_loop() {
  for (;;) {
    double arrived_at = 0;
    Request* request = static_cast<Request*>(inbox_.take(arrived_at));
    if (request->in_handshake()) {
      answer_handshake(request);
      continue;
    }
    if (request->is_probe) {
      // The health-check endpoint: cheap, but it waited its turn behind real requests.
      request->answer(200, kProbeBytes);
      engine::Transport::send(*request->pop_reply(), request, kProbeBytes);
      continue;
    }
    if (const double waited = engine::Runtime::now() - arrived_at; waited > 0) {
      ++stats_.waited;
      stats_.wait_seconds += waited;
    }
    const double service = draw_service_time();
    sg4::this_actor::sleep_for(service);
    stats_.busy_seconds += service;
    ++stats_.requests;
    --in_system_;
    // An application error costs the same service time; the answer is a short 500.
    if (group_.error_rate > 0 && random_.uniform01() < group_.error_rate) request->answer(500, kErrorPageBytes);
    else request->answer(200, request->response_size);
    request->group = group_index_;
    const double bytes = request->reply_bytes();
    stats_.tx_bytes += bytes;
    engine::Transport::send(*request->pop_reply(), request, bytes);
  }
}

}  // namespace lbsim::models
