// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/l7_node.hpp"

#include <algorithm>
#include <stdexcept>

#include "engine/agenda.hpp"
#include "engine/platform.hpp"
#include "engine/runtime.hpp"
#include "l7/waf.hpp"
#include "balancing/registry.hpp"
#include "models/backend.hpp"
#include "models/client.hpp"
#include "models/tracing.hpp"

namespace sg4 = simgrid::s4u;

namespace lbsim::models {

// ALB's fixed connect timeout to targets; a target that does not complete the TCP
// handshake by then gets a 504. A shorter upstream timeout bounds connecting too (as
// Envoy's route timeout covers the whole exchange).
constexpr double kConnectTimeoutSeconds = 10;

L7Node::L7Node(World& world, topology::Vertex vertex)
    : world_(world),
      vertex_(vertex),
      host_(world.platform.host_of.at(vertex)),
      inbox_(host_),
      kernel_(host_, world.topology.node(vertex)),
      random_(Random::stream(world.spec.seed, host_->get_name())),
      rules_(*world.rules),
      cpu_per_request_s_(world.spec.l7->cpu_per_request_s),
      zone_(world.topology.node(vertex).zone_index),
      connect_deadlines_(std::min(kConnectTimeoutSeconds, world.spec.l7->upstream_timeout_s), [this](Request* r) { on_deadline(r); }),
      request_deadlines_(world.spec.l7->upstream_timeout_s, [this](Request* r) { on_deadline(r); }),
      in_core_(world.spec.l7->cores, nullptr) {
  const auto& node = world.topology.node(vertex);
  stats_.name = node.name;
  stats_.kind = topology::NodeKind::l7;
  stats_.zone = node.zone;
  stats_.capacity = world.spec.l7->cores;
  stats_.nic_Bps = world.spec.topology.intra_zone.bandwidth_Bps;
  if (world.spec.l7->rate_limit) rate_limiter_.emplace(*world.spec.l7->rate_limit);
}

void L7Node::connect_targets() { groups_ = UpstreamGroup::connect(world_, vertex_, host_); }

void L7Node::start() {
  kernel_.start();
  for (std::uint32_t c = 0; c < world_.spec.l7->cores; ++c) idle_cores_.push_back(c);
  inbox_.set_handler([this](void* payload) { on_arrival(static_cast<Request*>(payload)); });
  connect_deadlines_.start(host_, host_->get_name() + "-connect-timeouts");
  request_deadlines_.start(host_, host_->get_name() + "-request-timeouts");
  for (auto& view : groups_)
    if (view.prober) view.prober->start();
}

void L7Node::deliver(Request* request, double bytes, simgrid::s4u::Host* from) {
  const bool syn = request->in_handshake() && request->flight == 0;
  // A full queue: the request is shed with a 503 by the acceptor, not queued.
  if (!syn && !request->in_handshake() && queue_.size() >= world_.spec.l7->queue_limit) {
    request->refused = true;
    ++stats_.refused;
  }
  engine::Transport::send_from(from, syn || request->refused ? kernel_.inbox() : inbox_, request, bytes);
}

void L7Node::on_arrival(Request* request) {
  queue_.push_back({request, engine::Runtime::now()});
  max_queue_ = std::max(max_queue_, queue_.size());
  start_idle_cores();
}

void L7Node::start_idle_cores() {
  // A message sent to this node while a core handles another (on this host) waits its
  // turn, as it would for a core actor, instead of being handled in the middle.
  if (starting_cores_) return;
  starting_cores_ = true;
  while (!idle_cores_.empty() && !queue_.empty()) {
    const Waiting next = queue_.front();
    queue_.pop_front();
    const std::uint32_t core = idle_cores_.front();
    idle_cores_.pop_front();
    take(core, next.request, next.arrived_at);
  }
  starting_cores_ = false;
}

void L7Node::take(std::uint32_t core, Request* request, double arrived_at) {
  in_core_[core] = request;
  if (request->trace != nullptr && !request->orphaned) trace_taken(request, arrived_at);
  const double cpu_s = begin(request);
  if (cpu_s <= 0) {
    finish(request, arrived_at);
    release_core(core);
    return;
  }
  // Each core runs one thing at a time, so CPU work never shares a core: holding the
  // core for the work's duration is exact, and it needs no CPU-model action.
  const std::uint64_t epoch = epoch_;
  engine::Agenda::at(engine::Runtime::now() + cpu_s, [this, core, request, arrived_at, cpu_s, epoch] {
    // A node that died meanwhile lost the request with it: touch nothing.
    if (epoch == epoch_) {
      stats_.busy_seconds += cpu_s;
      finish(request, arrived_at);
    }
    release_core(core);
  });
}

void L7Node::release_core(std::uint32_t core) {
  in_core_[core] = nullptr;
  idle_cores_.push_back(core);
  start_idle_cores();
}

double L7Node::begin(Request* request) {
  // (TCP checks of this node and SYNs go to its kernel stack, not to the cores.)
  if (request->orphaned || request->answered) return 0;  // a reply is relayed at once
  if (request->in_handshake()) {
    // The TLS server flight's key exchange and signature take a core.
    if (request->flight != 1) return 0;
    return tls::plan(request->tls_version, world_.spec.l7->tls_key, request->tls_resumed).server_cpu_s;
  }
  stats_.rx_bytes += request->request_size;
  ++stats_.requests;
  return cpu_per_request_s_;
}

void L7Node::finish(Request* request, double arrived_at) {
  if (request->orphaned) {
    world_.requests.release(request);  // answered with a 504 already: nobody waits for it
  } else if (request->answered && request->upstream_syn) {
    connection_ready(request);
  } else if (request->answered) {
    relay_reply(request);
  } else if (request->in_handshake()) {
    answer_handshake(request);
  } else {
    route(request, arrived_at);
  }
}

void L7Node::route(Request* request, double arrived_at) {
  world_.metrics.l7_tier_ns.record(static_cast<std::uint64_t>(std::llround((engine::Runtime::now() - arrived_at) * 1e9)));

  const l7::RequestView view = request->view();
  if (request->trace != nullptr) trace_route(request, view);
  // ALB's order: the WAF first, then the listener rules; the rate limit may key on the
  // rule that matched, so it comes after matching and before the action.
  if (world_.spec.l7->waf) {
    if (const l7::WafVerdict verdict = l7::waf_inspect(view, view.query); verdict.blocked) {
      answer_here(request, verdict.status);
      return;
    }
  }
  const l7::RouteDecision decision = rules_.route(view, random_);
  if (decision.rule == nullptr) throw std::logic_error("no listener rule matched, and the loader guarantees a default rule");
  if (rate_limiter_) {
    if (const l7::RateDecision limit = rate_limiter_->check(view, decision.rule->label, engine::Runtime::now()); !limit.allowed) {
      answer_here(request, limit.status);
      return;
    }
  }
  if (decision.action != l7::ActionKind::forward) {
    // Redirects and fixed responses are answered here; no backend sees them.
    answer_here(request, decision.status, decision.action == l7::ActionKind::fixed_response ? decision.rule->fixed.body_bytes : 0);
    return;
  }
  request->group = decision.group;
  if (request->measured) ++world_.metrics.by_group.at(decision.group).sent;
  send_to_group(groups_[decision.group], request, view, kNone);
}

void L7Node::send_to_group(UpstreamGroup& group, Request* request, const l7::RequestView& view, std::uint32_t avoid_slot) {
  const auto* breakers = world_.spec.l7->circuit_breakers ? &*world_.spec.l7->circuit_breakers : nullptr;
  if (breakers != nullptr && !breakers->admits_request(group.active)) {
    ++stats_.overflows;  // Envoy's upstream_rq_pending_overflow: 503 without trying
    answer_here(request, 503);
    return;
  }
  if (!group.targets->has_routable()) {
    answer_here(request, 503);  // no registered target (all deregistered or shifted away)
    return;
  }
  std::uint32_t slot = group.pick(world_, request->group, request, view, random_);
  // A retry goes to another backend when the group has one (Envoy's previous_hosts).
  for (int attempt = 0; slot == avoid_slot && attempt < 3; ++attempt) slot = group.pick(world_, request->group, request, view, random_);
  if (!group.backends[slot]->admit(request)) {
    answer_here(request, 503);
    return;
  }
  group.targets->start(slot);
  ++group.active;
  ++active_requests_;
  request->l7_slot = slot;
  if (request->trace != nullptr) {
    // With stickiness, a hit names the backend the cookie kept; the algorithm picked only on a miss.
    auto& notes = request->trace->hops.back().notes;
    const bool sticky_hit = !notes.empty() && notes.back().id.starts_with("l7.sticky") && notes.back().args.at(1) == "hit";
    if (sticky_hit) notes.push_back({"l7.cookie_keeps", {group.backends[slot]->name()}});
    else notes.push_back({"l7.picked", {world_.spec.l7->algorithm, group.backends[slot]->name()}});
  }
  send_upstream(group, slot, request);
}

void L7Node::send_upstream(UpstreamGroup& group, std::uint32_t slot, Request* request) {
  const auto* breakers = world_.spec.l7->circuit_breakers ? &*world_.spec.l7->circuit_breakers : nullptr;
  const bool may_wait = breakers == nullptr || breakers->admits_pending(group.pool.pending());
  switch (group.pool.acquire(slot, request, may_wait)) {
    case l7::ConnectionPool<Request*>::Acquired::reuse: forward_to_backend(group, slot, request); break;
    case l7::ConnectionPool<Request*>::Acquired::open: open_connection(group, slot, request); break;
    case l7::ConnectionPool<Request*>::Acquired::wait: break;
    case l7::ConnectionPool<Request*>::Acquired::overflow:
      ++stats_.overflows;
      group.targets->finish(slot);
      --group.active;
      --active_requests_;
      group.backends[slot]->leave(request);
      answer_here(request, 503);
      break;
  }
}

void L7Node::open_connection(UpstreamGroup& group, std::uint32_t slot, Request* request) {
  if (request->trace != nullptr) trace_upstream(request, group.backends[slot], "l7.opens_upstream");
  ++stats_.upstream_connections;
  request->upstream_syn = true;
  request->push_reply(&inbox_);
  stats_.tx_bytes += kTcpSegmentBytes;
  connect_deadlines_.push(request, engine::Runtime::now());
  engine::Transport::send_from(host_, group.backends[slot]->kernel_inbox(), request, kTcpSegmentBytes);
}

void L7Node::connection_ready(Request* request) {
  connect_deadlines_.remove(request);
  request->upstream_syn = false;
  UpstreamGroup& group = groups_[request->group];
  if (request->status == results::kStatusReset) {
    // Refused: nothing listens there (a crashed process). ALB answers 502.
    relay_reply(request);
    return;
  }
  // The pooled connection is up: the request that waited for it goes now.
  request->answered = false;
  forward_to_backend(group, request->l7_slot, request);
}

void L7Node::forward_to_backend(UpstreamGroup& group, std::uint32_t slot, Request* request) {
  if (request->trace != nullptr) trace_upstream(request, group.backends[slot], "l7.pooled");
  request->push_reply(&inbox_);
  stats_.tx_bytes += request->request_size;
  request_deadlines_.push(request, engine::Runtime::now());
  group.backends[slot]->deliver(request, request->request_size, host_);
}

void L7Node::release_connection(UpstreamGroup& group, std::uint32_t slot, bool closed) {
  Request* next = nullptr;
  if (closed) {
    // A request waiting for a connection gets a new one in place of the closed one.
    if (group.pool.close(slot, next)) open_connection(group, slot, next);
  } else if (group.pool.release(slot, next)) {
    forward_to_backend(group, slot, next);  // the connection passes straight to the next in line
  }
}

void L7Node::answer_handshake(Request* request) {
  // The L7 tier terminates TCP and TLS: SYN-ACK from the kernel, then the TLS server
  // flights, whose key exchange and signature took a core (begin).
  double bytes = kTcpSegmentBytes;
  if (request->flight == 1) {
    const tls::HandshakePlan plan = tls::plan(request->tls_version, world_.spec.l7->tls_key, request->tls_resumed);
    if (request->trace != nullptr) {
      request->trace->hops.back().tls_s = plan.server_cpu_s;
      request->trace->hops.back().notes.push_back({request->tls_resumed ? "l7.tls_resumed" : "l7.tls_full"});
    }
    stats_.tls_cpu_seconds += plan.server_cpu_s;
    ++(request->tls_resumed ? stats_.tls_resumed : stats_.tls_full);
    bytes = plan.server_flight_bytes;
  } else if (request->flight > 1) {
    bytes = kTlsFinishedBytes;
  }
  stats_.rx_bytes += request->wire_bytes;
  request->answer(200, bytes);
  if (request->trace != nullptr) {
    results::TraceHop& hop = request->trace->hops.back();
    hop.left = engine::Runtime::now();
    hop.message = message_name(*request, true);
    const l4::PacketHeader in = request->trace->wire;
    request->trace->wire = answer_to(in);
    set_answer_headers(hop, in, request->trace->wire);
  }
  send_reply(request);
}

void L7Node::answer_here(Request* request, std::uint16_t status, double body_bytes) {
  if (request->trace != nullptr) {
    results::TraceHop& hop = request->trace->hops.back();
    hop.notes.push_back({"l7.answers_itself", {std::to_string(status)}});
    hop.left = engine::Runtime::now();
    // Answered on the client's connection, which ends here.
    results::Trace& trace = *request->trace;
    const l4::PacketHeader in = trace.wire;
    trace.wire = answer_to(trace.terminated.empty() ? in : trace.terminated.back());
    if (!trace.terminated.empty()) trace.terminated.pop_back();
    set_answer_headers(hop, in, trace.wire);
  }
  request->answer(status, kErrorPageBytes + body_bytes);
  send_reply(request);
}

void L7Node::relay_reply(Request* request) {
  request_deadlines_.remove(request);
  if (request->trace != nullptr && !request->trace->terminated.empty()) {
    results::TraceHop& hop = request->trace->hops.back();
    const l4::PacketHeader in = request->trace->wire;
    request->trace->wire = answer_to(request->trace->terminated.back());
    request->trace->terminated.pop_back();
    set_answer_headers(hop, in, request->trace->wire);
    hop.notes.push_back({"l7.relays"});
  }
  UpstreamGroup& group = groups_[request->group];
  const std::uint32_t slot = request->l7_slot;
  group.targets->finish(slot);
  // A request refused at connection time (its SYN reset) never reached the backend's
  // queue, which counted it in when it was admitted: count it out.
  group.backends[slot]->leave(request);
  const bool reset = request->status == results::kStatusReset;
  // A reset closes the connection; an answer leaves it for the next request.
  release_connection(group, slot, reset);
  // Envoy counts a reset like a 5xx for outlier detection (a "gateway failure").
  if (group.outliers) group.note_response(world_, host_->get_name(), slot, reset ? 502 : request->status);
  stats_.rx_bytes += request->reply_bytes();
  if (request->sets_app_session && group.app_sticky) {
    // The application started a session: point the balancer's cookie at who started it.
    Request::copy_cookie(group.app_sticky->on_app_cookie_set(group.backends[slot]->id(), engine::Runtime::now()), request->set_cookie,
                         request->set_cookie_length);
    request->set_cookie_is_app = true;
  }
  conclude(request, reset ? 502 : request->status, reset ? Outcome::reset : Outcome::answered);
}

void L7Node::conclude(Request* request, std::uint16_t status, Outcome outcome) {
  UpstreamGroup& group = groups_[request->group];
  --group.active;
  --active_requests_;
  if (may_retry(request, status, outcome)) {
    if (request->l7_attempt++ == 0) ++active_retries_;
    ++stats_.retries;
    request->answered = false;
    request->status = results::kStatusReset;
    send_to_group(group, request, request->view(), request->l7_slot);
    return;
  }
  if (request->l7_attempt > 0) --active_retries_;
  if (outcome != Outcome::answered) request->answer(status, kErrorPageBytes);  // this node's own 502 or 504
  send_reply(request);
}

bool L7Node::may_retry(const Request* request, std::uint16_t status, Outcome outcome) const {
  const config::L7RetrySpec& r = world_.spec.l7->retries;
  if (request->l7_attempt >= r.max_retries) return false;
  const bool retryable = (outcome == Outcome::reset && r.on_reset) || (outcome == Outcome::timeout && r.on_timeout) ||
                         (outcome == Outcome::answered && status >= 500 && r.on_5xx);
  if (!retryable) return false;
  if (request->l7_attempt > 0) return true;  // already counted in the budget
  return r.budget.allows_another(active_retries_, active_requests_);
}

void L7Node::on_deadline(Request* request) {
  if (!dark_) on_upstream_timeout(request);
}

void L7Node::on_upstream_timeout(Request* request) {
  UpstreamGroup& group = groups_[request->group];
  const std::uint32_t slot = request->l7_slot;
  ++stats_.timeouts;
  group.targets->finish(slot);
  release_connection(group, slot, /*closed=*/true);  // ALB closes a connection it gave up on
  if (group.outliers) group.note_response(world_, host_->get_name(), slot, 504);
  Request* ours = take_back(request);
  ours->upstream_syn = false;
  // Our own entry, pushed when it went upstream (unless the answer was already on its
  // way back, which took it off).
  if (!ours->answered) ours->pop_reply();
  conclude(ours, 504, Outcome::timeout);
}

Request* L7Node::take_back(Request* request) {
  if (request->dropped) {
    // Swallowed on the way: nobody else holds it.
    request->dropped = false;
    return request;
  }
  // A backend (or the network) still holds it and may answer later: that answer will be
  // recycled on arrival. The client's attempt continues as a copy.
  Request* copy = world_.requests.acquire();
  *copy = *request;
  hold(copy->what);
  copy->timeout_list = nullptr;
  copy->timeout_prev = copy->timeout_next = nullptr;
  copy->admitted_to = kNone;  // the original still counts in the backend's queue
  request->orphaned = true;
  world_.clients.at(copy->client)->move_timeout(request, copy);
  return copy;
}

void L7Node::send_reply(Request* request) {
  if (request->trace != nullptr && request->trace->hops.back().node == stats_.name) request->trace->hops.back().left = engine::Runtime::now();
  const double bytes = request->reply_bytes();
  stats_.tx_bytes += bytes;
  engine::Transport::send_from(host_, *request->pop_reply(), request, bytes);
}

void L7Node::go_dark() {
  dark_ = true;
  ++epoch_;
  drop_held_requests();
  // What waited for a core is lost too. A core whose work was under way stays busy
  // until that work's end, and then has nothing to finish.
  while (!queue_.empty()) {
    Request* waiting = queue_.front().request;
    queue_.pop_front();
    world_.drop(waiting);
  }
  inbox_.divert([this](void* payload) { world_.drop(static_cast<Request*>(payload)); });
  kernel_.inbox().divert([this](void* payload) { world_.drop(static_cast<Request*>(payload)); });
  for (auto& group : groups_)
    if (group.prober) group.prober->set_paused(true);
}

void L7Node::drop_held_requests() {
  for (Request*& request : in_core_) {
    if (request != nullptr) world_.drop(request);
    request = nullptr;
  }
  // Requests out at backends are lost with the node: their answers will find it dark.
  connect_deadlines_.clear();
  request_deadlines_.clear();
  for (auto& group : groups_) {
    group.pool.clear([&](std::size_t slot, Request* waiting) {
      group.backends[slot]->leave(waiting);
      world_.drop(waiting);
    });
    group.active = 0;
  }
  active_requests_ = 0;
  active_retries_ = 0;
}

void L7Node::recover() {
  dark_ = false;
  inbox_.restore();
  kernel_.inbox().restore();
  for (auto& group : groups_)
    if (group.prober) group.prober->set_paused(false);
}

void L7Node::set_zone_shifted(std::uint32_t zone, bool shifted) {
  for (auto& group : groups_) group.set_zone_shifted(zone, shifted);
}

void L7Node::set_deregistered(const Backend* backend, bool out) { groups_[backend->group()].set_deregistered(backend, out); }

}  // namespace lbsim::models
