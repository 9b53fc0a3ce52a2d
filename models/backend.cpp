// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/backend.hpp"

#include <algorithm>

#include "engine/agenda.hpp"
#include "engine/runtime.hpp"
#include "models/client.hpp"
#include "models/tracing.hpp"

namespace sg4 = simgrid::s4u;

namespace lbsim::models {

Backend::Backend(World& world, std::uint32_t id, topology::Vertex vertex, const config::TargetGroupSpec& group)
    : world_(world),
      id_(id),
      vertex_(vertex),
      group_(group),
      group_index_(world.topology.node(vertex).group),
      zone_(world.topology.node(vertex).zone_index),
      host_(world.platform.host_of.at(vertex)),
      inbox_(host_),
      kernel_(host_, world.topology.node(vertex)),
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
  for (std::uint32_t w = group_.workers; w-- > 0;) free_workers_.push_back(w);  // worker 0 first
  inbox_.set_handler([this](void* payload) { on_arrival(static_cast<Request*>(payload)); });
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

double Backend::draw_service_time() { return group_.service_time.sample(random_) * slow_factor_; }

void Backend::on_arrival(Request* request) {
  if (request->trace != nullptr) add_hop(request, world_.topology.node(vertex_), 7, false, engine::Runtime::now());
  queue_.push_back({request, engine::Runtime::now()});
  max_queue_ = std::max(max_queue_, queue_.size());
  start_waiting();
}

void Backend::start_waiting() {
  while (!free_workers_.empty() && !queue_.empty()) {
    const Waiting next = queue_.front();
    queue_.pop_front();
    const std::uint32_t worker = free_workers_.back();
    free_workers_.pop_back();
    serve(worker, next.request, next.arrived_at);
  }
}

void Backend::serve(std::uint32_t worker, Request* request, double arrived_at) {
  double busy_for = 0;
  if (request->in_handshake()) {
    // In an L4-only layout TLS passes through the L4 tier and the backend terminates
    // it: a worker pays the key exchange and signature.
    if (request->flight == 1) busy_for = tls::plan(request->tls_version, group_.tls_key, request->tls_resumed).server_cpu_s;
  } else if (!request->is_probe) {
    if (const double waited = engine::Runtime::now() - arrived_at; waited > 0) {
      ++stats_.waited;
      stats_.wait_seconds += waited;
    }
    busy_for = request->logged_service_s >= 0 ? request->logged_service_s * slow_factor_ : draw_service_time();
  }
  // (A probe is the health-check endpoint: cheap, but it waited its turn in the queue.)
  if (request->trace != nullptr) request->trace->hops.back().started = engine::Runtime::now();
  in_service_[worker] = request;
  const std::uint64_t epoch = epoch_;
  engine::Agenda::at(engine::Runtime::now() + busy_for, [this, worker, request, busy_for, epoch, arrived_at] {
    if (epoch == epoch_) complete(worker, request, busy_for, arrived_at);  // else: reset or swallowed when the process died
  });
}

void Backend::complete(std::uint32_t worker, Request* request, double busy_for, double arrived_at) {
  in_service_[worker] = nullptr;
  free_workers_.push_back(worker);
  stats_.busy_seconds += busy_for;
  if (request->in_handshake()) answer_handshake(request, busy_for);
  else if (request->is_probe) request->answer(200, kProbeBytes);
  else answer_request(request, arrived_at);
  if (request->trace != nullptr) trace_answer(request, busy_for);
  const double bytes = request->reply_bytes();
  stats_.tx_bytes += bytes;
  engine::Transport::send_from(host_, *request->pop_reply(), request, bytes);
  start_waiting();
}

void Backend::answer_handshake(Request* request, double cpu_s) {
  double bytes = kTcpSegmentBytes;
  if (request->flight == 1) {
    stats_.tls_cpu_seconds += cpu_s;
    ++(request->tls_resumed ? stats_.tls_resumed : stats_.tls_full);
    bytes = tls::plan(request->tls_version, group_.tls_key, request->tls_resumed).server_flight_bytes;
  } else if (request->flight > 1) {
    bytes = kTlsFinishedBytes;
  }
  request->answer(200, bytes);
}

void Backend::trace_answer(Request* request, double busy_for) {
  results::TraceHop& hop = request->trace->hops.back();
  hop.left = engine::Runtime::now();
  (request->in_handshake() ? hop.tls_s : hop.processing_s) = busy_for;
  if (request->in_handshake()) {
    // Behind an L4-only tier the backend terminates TLS: its handshake is layer 6 work.
    hop.layer = 6;
    hop.read = {"the TLS handshake (it holds the certificate)"};
  } else {
    hop.read = {"the whole HTTP request (the application)"};
  }
  const l4::PacketHeader in = request->trace->wire;
  request->trace->wire = answer_to(in);
  set_answer_headers(hop, in, request->trace->wire);
  if (request->in_handshake() && request->flight == 1) hop.notes.push_back({"backend.terminates_tls"});
  if (in.dst_ip == kVirtualIp)
    hop.notes.push_back({"backend.dsr_answer"});
  else if (!request->in_handshake())
    hop.notes.push_back({"backend.served", {std::to_string(static_cast<long>(busy_for * 1e6)),
                                            std::to_string(static_cast<long>((hop.started - hop.arrived) * 1e6))}});
}

void Backend::answer_request(Request* request, double arrived_at) {
  ++stats_.requests;
  world_.metrics.backend_tier_ns.record(static_cast<std::uint64_t>(std::llround((engine::Runtime::now() - arrived_at) * 1e9)));
  leave(request);
  // An application error costs the same service time; the answer is a short 500.
  if (error_rate_ > 0 && random_.uniform01() < error_rate_) request->answer(500, kErrorPageBytes);
  else request->answer(200, request->response_size);
  // The application starts a session for a client that has none (application-based
  // stickiness follows it).
  if (group_.app_cookie && request->app_session_cookie == nullptr) request->sets_app_session = true;
  request->group = group_index_;
}

void Backend::reset(Request* request) {
  leave(request);
  if (!request->is_probe) ++stats_.resets;
  request->reset();
  engine::Transport::send_from(host_, *request->pop_reply(), request, kTcpSegmentBytes);
}

void Backend::while_dark(Request* request) {
  leave(request);
  world_.drop(request);
}

void Backend::clear_all(void (Backend::*fate)(Request*)) {
  ++epoch_;  // services under way end with nothing to do
  for (Request*& request : in_service_) {
    if (request != nullptr) (this->*fate)(request);
    request = nullptr;
  }
  free_workers_.clear();
  for (std::uint32_t w = group_.workers; w-- > 0;) free_workers_.push_back(w);
  while (!queue_.empty()) {
    Request* request = queue_.front().request;
    queue_.pop_front();
    (this->*fate)(request);
  }
}

results::NodeStats& Backend::stats() {
  stats_.max_queue = max_queue_;
  // Timers (a drain's deadline, say) may run the clock past the last client: count to there.
  const double until = world_.run_over() ? world_.last_client_done_at : engine::Runtime::now();
  stats_.out_of_service_seconds = out_closed_s_ + (out_of_service() ? std::max(0.0, until - out_since_) : 0.0);
  return stats_;
}

void Backend::crash() {
  if (life_ != Life::up) return;
  const bool was_out = out_of_service();
  life_ = Life::crashed;
  count_service_change(was_out);
  clear_all(&Backend::reset);
  inbox_.divert([this](void* payload) { reset(static_cast<Request*>(payload)); });
  kernel_.set_listening(false);  // new connections and TCP checks get a reset
}

void Backend::go_dark() {
  if (life_ == Life::dark) return;
  const bool was_out = out_of_service();
  life_ = Life::dark;
  count_service_change(was_out);
  clear_all(&Backend::while_dark);
  inbox_.divert([this](void* payload) { while_dark(static_cast<Request*>(payload)); });
  kernel_.inbox().divert([this](void* payload) { world_.drop(static_cast<Request*>(payload)); });
}

void Backend::recover() {
  const bool was_out = out_of_service();
  life_ = Life::up;
  count_service_change(was_out);
  inbox_.restore();
  kernel_.inbox().restore();
  kernel_.set_listening(true);
}

void Backend::begin_draining() {
  const bool was_out = out_of_service();
  draining_.emplace(group_.deregistration_delay_s);
  draining_->begin(engine::Runtime::now(), in_system_);
  count_service_change(was_out);
}

void Backend::reregister() {
  const bool was_out = out_of_service();
  draining_.reset();
  count_service_change(was_out);
}

void Backend::count_service_change(bool was_out) {
  const bool is_out = out_of_service();
  if (!was_out && is_out) out_since_ = engine::Runtime::now();
  if (was_out && !is_out) out_closed_s_ += engine::Runtime::now() - out_since_;
}

void Backend::cut_remaining() {
  if (!draining_ || life_ != Life::up) return;
  if (draining_->to_cut(engine::Runtime::now(), in_system_) == 0) return;
  // The deregistration delay is over: what is still here is cut (its connections reset).
  clear_all(&Backend::reset);
}

}  // namespace lbsim::models
