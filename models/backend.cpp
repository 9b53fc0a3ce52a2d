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
      random_(Random::stream(world.spec.seed, host_->get_name())),
      in_service_(group.workers, nullptr),
      error_rate_(group.error_rate) {
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
    sg4::ActorPtr worker = sg4::Actor::create(host_->get_name() + "-w" + std::to_string(w), host_, [this, w] { worker_loop(w); });
    worker->daemonize();  // the inbox is the backend's queue; workers take from it
  }
}

bool Backend::admit(Request* request) {
  if (in_system_ >= group_.workers + group_.queue_limit) return false;
  ++in_system_;
  request->admitted_to = id_;
  return true;
}

void Backend::leave(Request* request) {
  if (request->admitted_to != id_) return;
  --in_system_;
  request->admitted_to = kNone;
}

void Backend::deliver(Request* request, double bytes, simgrid::s4u::Host* from) {
  stats_.rx_bytes += bytes;
  if (request->in_handshake() && request->flight == 0) {  // a SYN: the kernel's
    engine::Transport::send_from(from, kernel_.inbox(), request, bytes);
    return;
  }
  engine::Transport::send_from(from, inbox_, request, bytes);
}

void Backend::answer_handshake(Request* request) {
  // In an L4-only layout TLS passes through the L4 tier and the backend terminates it:
  // its worker pays the key exchange and signature.
  double bytes = kTcpSegmentBytes;
  if (request->flight == 1) {
    const tls::HandshakePlan plan = tls::plan(request->tls_version, group_.tls_key, request->tls_resumed);
    const std::uint64_t epoch = epoch_;
    sg4::this_actor::sleep_for(plan.server_cpu_s);
    if (epoch != epoch_) return;  // the process died meanwhile: its kernel reset the connection
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

double Backend::draw_service_time() { return group_.service_time.sample(random_) * slow_factor_; }

void Backend::worker_loop(std::uint32_t worker) {
  for (;;) {
    double arrived_at = 0;
    Request* request = static_cast<Request*>(inbox_.take(arrived_at));
    in_service_[worker] = request;
    if (request->in_handshake()) {
      answer_handshake(request);
      in_service_[worker] = nullptr;
      continue;
    }
    if (request->is_probe) {
      // The health-check endpoint: cheap, but it waited its turn behind real requests.
      in_service_[worker] = nullptr;
      request->answer(200, kProbeBytes);
      engine::Transport::send(*request->pop_reply(), request, kProbeBytes);
      continue;
    }
    if (const double waited = engine::Runtime::now() - arrived_at; waited > 0) {
      ++stats_.waited;
      stats_.wait_seconds += waited;
    }
    const double service = draw_service_time();
    const std::uint64_t epoch = epoch_;
    sg4::this_actor::sleep_for(service);
    if (epoch != epoch_) continue;  // the process died while serving it: already reset or swallowed
    in_service_[worker] = nullptr;
    stats_.busy_seconds += service;
    ++stats_.requests;
    leave(request);
    // An application error costs the same service time; the answer is a short 500.
    if (error_rate_ > 0 && random_.uniform01() < error_rate_) request->answer(500, kErrorPageBytes);
    else request->answer(200, request->response_size);
    // The application starts a session for a client that has none (application-based
    // stickiness follows it).
    if (group_.app_cookie && request->app_session_cookie == nullptr) request->sets_app_session = true;
    request->group = group_index_;
    const double bytes = request->reply_bytes();
    stats_.tx_bytes += bytes;
    engine::Transport::send(*request->pop_reply(), request, bytes);
  }
}

void Backend::reset(Request* request) {
  leave(request);
  if (!request->is_probe) ++stats_.resets;
  request->reset();
  engine::Transport::send_from(host_, *request->pop_reply(), request, kTcpSegmentBytes);
}

void Backend::reset_in_flight() {
  for (Request*& request : in_service_) {
    if (request == nullptr) continue;
    reset(request);
    request = nullptr;
  }
}

void Backend::while_crashed(void* payload) { reset(static_cast<Request*>(payload)); }

void Backend::while_dark(void* payload) {
  auto* request = static_cast<Request*>(payload);
  leave(request);
  world_.drop(request);
}

void Backend::crash() {
  if (life_ != Life::up) return;
  life_ = Life::crashed;
  ++epoch_;
  reset_in_flight();
  inbox_.divert([this](void* payload) { while_crashed(payload); });
  kernel_.set_listening(false);  // new connections and TCP checks get a reset
}

void Backend::go_dark() {
  if (life_ == Life::dark) return;
  life_ = Life::dark;
  ++epoch_;
  for (Request*& request : in_service_) {
    if (request != nullptr) while_dark(request);
    request = nullptr;
  }
  inbox_.divert([this](void* payload) { while_dark(payload); });
  kernel_.inbox().divert([this](void* payload) { world_.drop(static_cast<Request*>(payload)); });
}

void Backend::recover() {
  life_ = Life::up;
  inbox_.restore();
  kernel_.inbox().restore();
  kernel_.set_listening(true);
}

void Backend::begin_draining() {
  draining_.emplace(group_.deregistration_delay_s);
  draining_->begin(engine::Runtime::now(), in_system_);
}

void Backend::cut_remaining() {
  if (!draining_ || life_ != Life::up) return;
  if (draining_->to_cut(engine::Runtime::now(), in_system_) == 0) return;
  // The deregistration delay is over: what is still here is cut (its connections reset).
  ++epoch_;
  reset_in_flight();
  while (void* queued = inbox_.try_take()) reset(static_cast<Request*>(queued));
}

}  // namespace lbsim::models
