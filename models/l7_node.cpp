// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/l7_node.hpp"

#include <algorithm>
#include <stdexcept>

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
      connect_deadlines_(std::min(kConnectTimeoutSeconds, world.spec.l7->upstream_timeout_s)),
      request_deadlines_(world.spec.l7->upstream_timeout_s),
      in_core_(world.spec.l7->cores, nullptr) {
  const auto& node = world.topology.node(vertex);
  stats_.name = node.name;
  stats_.kind = topology::NodeKind::l7;
  stats_.zone = node.zone;
  stats_.capacity = world.spec.l7->cores;
  stats_.nic_Bps = world.spec.topology.intra_zone.bandwidth_Bps;
  if (world.spec.l7->rate_limit) rate_limiter_.emplace(*world.spec.l7->rate_limit);
}

void L7Node::connect_targets() {
  groups_.resize(world_.spec.target_groups.size());
  std::vector<std::vector<balancing::Target>> names(groups_.size());
  const auto& graph = world_.topology.graph();
  for (auto edge : boost::make_iterator_range(boost::out_edges(vertex_, graph))) {
    const topology::Vertex to = boost::target(edge, graph);
    Backend* backend = world_.backend_of_vertex.at(to);
    groups_[backend->group()].backends.push_back(backend);
    names[backend->group()].push_back({graph[to].name, 1.0});
  }
  const auto& l7 = *world_.spec.l7;
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    GroupView& view = groups_[g];
    if (view.backends.empty()) continue;  // no rule forwards there
    std::vector<std::uint32_t> zone_of;
    for (const Backend* b : view.backends) zone_of.push_back(b->zone());
    view.targets = std::make_unique<ZonedTargets>(names[g], zone_of, world_.spec.topology.zones.size(),
                                                  world_.topology.node(vertex_).zone_index, l7.zone_aware, l7.algorithm,
                                                  l7.algorithm_options, l7.panic_threshold_percent,
                                                  world_.spec.target_groups[g].slow_start_s);
    std::vector<engine::Inbox*> inboxes;
    std::vector<std::string> backend_names;
    for (std::size_t b = 0; b < view.backends.size(); ++b) {
      inboxes.push_back(&view.backends[b]->inbox());
      backend_names.push_back(names[g][b].name);
    }
    view.pools.resize(view.backends.size());
    view.slot_of_backend.assign(world_.backends.size(), -1);
    for (std::size_t b = 0; b < view.backends.size(); ++b) view.slot_of_backend[view.backends[b]->id()] = static_cast<std::int32_t>(b);
    if (const auto duration = world_.spec.target_groups[g].sticky_duration_s) {
      // One secret per load balancer: a cookie from any of its nodes is honoured by all.
      std::uint64_t secret_state = world_.spec.seed ^ 0x5354494b4359ULL;
      const std::uint64_t secret = splitmix64(secret_state);
      if (const auto& app_cookie = world_.spec.target_groups[g].app_cookie) view.app_sticky.emplace(*app_cookie, *duration, secret);
      else view.sticky.emplace(*duration, secret);
    }
    if (l7.outlier_detection) view.outliers = std::make_unique<health::OutlierDetector>(view.backends.size(), *l7.outlier_detection);
    ZonedTargets* targets = view.targets.get();
    view.prober = std::make_unique<HealthProber>(
        world_, host_, host_->get_name() + "-hc-" + world_.spec.target_groups[g].name, world_.spec.target_groups[g].health_check,
        std::move(inboxes), std::move(backend_names), [targets](std::size_t t, bool healthy) { targets->set_healthy(t, healthy, engine::Runtime::now()); });
  }
}

void L7Node::start() {
  kernel_.start();
  for (std::uint32_t c = 0; c < world_.spec.l7->cores; ++c) {
    sg4::ActorPtr core = sg4::Actor::create(host_->get_name() + "-core" + std::to_string(c), host_, [this, c] { core_loop(c); });
    core->daemonize();
  }
  sg4::Actor::create(host_->get_name() + "-connect-timeouts", host_, [this] { upstream_timekeeper(connect_deadlines_); })->daemonize();
  sg4::Actor::create(host_->get_name() + "-request-timeouts", host_, [this] { upstream_timekeeper(request_deadlines_); })->daemonize();
  for (auto& view : groups_)
    if (view.prober) view.prober->start();
}

void L7Node::deliver(Request* request, double bytes, simgrid::s4u::Host* from) {
  const bool syn = request->in_handshake() && request->flight == 0;
  // A full queue: the request is shed with a 503 by the acceptor, not queued.
  if (!syn && !request->in_handshake() && inbox_.waiting() >= world_.spec.l7->queue_limit) {
    request->refused = true;
    ++stats_.refused;
  }
  engine::Transport::send_from(from, syn || request->refused ? kernel_.inbox() : inbox_, request, bytes);
}

void L7Node::core_loop(std::uint32_t core) {
  for (;;) {
    double arrived_at = 0;
    Request* request = static_cast<Request*>(inbox_.take(arrived_at));
    in_core_[core] = request;
    request_arrived_at_ = arrived_at;  // (read by route before this core yields)
    if (request->trace != nullptr && !request->orphaned) trace_taken(request, arrived_at);
    dispatch(request);
    if (!dark_) in_core_[core] = nullptr;  // (a node that died meanwhile let go of it already)
  }
}

void L7Node::dispatch(Request* request) {
  // (TCP checks of this node and SYNs go to its kernel stack, not to the cores.)
  if (request->orphaned) {
    world_.requests.release(request);  // answered with a 504 already: nobody waits for it
  } else if (request->answered && request->upstream_syn) {
    connection_ready(request);
  } else if (request->answered) {
    relay_reply(request);
  } else if (request->in_handshake()) {
    answer_handshake(request);
  } else {
    route(request);
  }
}

void L7Node::route(Request* request) {
  stats_.rx_bytes += request->request_size;
  ++stats_.requests;
  const double arrived_at = request_arrived_at_;  // (set by this core just before; read before it yields)
  if (!spend_cpu(cpu_per_request_s_)) return;
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
  ++world_.metrics.by_group.at(decision.group).sent;
  send_to_group(groups_[decision.group], request, view, kNone);
}

void L7Node::send_to_group(GroupView& group, Request* request, const l7::RequestView& view, std::uint32_t avoid_slot) {
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
  std::uint32_t slot = pick_backend(group, request->group, request, view);
  // A retry goes to another backend when the group has one (Envoy's previous_hosts).
  for (int attempt = 0; slot == avoid_slot && attempt < 3; ++attempt) slot = pick_backend(group, request->group, request, view);
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
    const bool sticky_hit = request->trace->hops.back().notes.back().find("): hit") != std::string::npos;
    request->trace->hops.back().notes.push_back((sticky_hit ? std::string("the cookie keeps it on ") : world_.spec.l7->algorithm + " picked ") +
                                                group.backends[slot]->name());
  }
  send_upstream(group, slot, request);
}

void L7Node::send_upstream(GroupView& group, std::uint32_t slot, Request* request) {
  GroupView::Pool& pool = group.pools[slot];
  if (pool.idle > 0) {
    --pool.idle;
    forward_to_backend(group, slot, request);
  } else if (pool.open < world_.spec.l7->backend_connections) {
    open_connection(group, slot, request);
  } else {
    const auto* breakers = world_.spec.l7->circuit_breakers ? &*world_.spec.l7->circuit_breakers : nullptr;
    if (breakers != nullptr && !breakers->admits_pending(group.pending)) {
      ++stats_.overflows;
      group.targets->finish(slot);
      --group.active;
      --active_requests_;
      group.backends[slot]->leave(request);
      answer_here(request, 503);
      return;
    }
    ++group.pending;
    pool.waiting.push_back(request);
  }
}

void L7Node::open_connection(GroupView& group, std::uint32_t slot, Request* request) {
  if (request->trace != nullptr) trace_upstream(request, group.backends[slot], "no idle connection to it: opens one (SYN) first");
  ++group.pools[slot].open;
  ++stats_.upstream_connections;
  request->upstream_syn = true;
  request->push_reply(&inbox_);
  stats_.tx_bytes += kTcpSegmentBytes;
  connect_deadlines_.push(request, engine::Runtime::now());
  engine::Transport::send(group.backends[slot]->kernel_inbox(), request, kTcpSegmentBytes);
}

void L7Node::connection_ready(Request* request) {
  connect_deadlines_.list.remove(request);
  request->upstream_syn = false;
  GroupView& group = groups_[request->group];
  if (request->status == results::kStatusReset) {
    // Refused: nothing listens there (a crashed process). ALB answers 502.
    relay_reply(request);
    return;
  }
  // The pooled connection is up: the request that waited for it goes now.
  request->answered = false;
  forward_to_backend(group, request->l7_slot, request);
}

void L7Node::forward_to_backend(GroupView& group, std::uint32_t slot, Request* request) {
  if (request->trace != nullptr) trace_upstream(request, group.backends[slot], "sends the request on its pooled connection to the backend");
  request->push_reply(&inbox_);
  stats_.tx_bytes += request->request_size;
  request_deadlines_.push(request, engine::Runtime::now());
  group.backends[slot]->deliver(request, request->request_size, host_);
}

void L7Node::release_connection(GroupView& group, std::uint32_t slot) {
  GroupView::Pool& pool = group.pools[slot];
  if (pool.waiting.empty()) {
    ++pool.idle;
    return;
  }
  Request* next = pool.waiting.front();  // the connection passes straight to the next in line
  pool.waiting.pop_front();
  --group.pending;
  forward_to_backend(group, slot, next);
}

void L7Node::close_connection(GroupView& group, std::uint32_t slot) {
  GroupView::Pool& pool = group.pools[slot];
  --pool.open;
  if (pool.waiting.empty()) return;
  // A request waiting for a connection gets a new one in place of the closed one.
  Request* next = pool.waiting.front();
  pool.waiting.pop_front();
  --group.pending;
  open_connection(group, slot, next);
}

std::uint32_t L7Node::pick_backend(GroupView& group, std::uint32_t group_index, Request* request, const l7::RequestView& view) {
  const double now = engine::Runtime::now();
  if (!group.sticky && !group.app_sticky)
    return static_cast<std::uint32_t>(group.targets->pick(request->flow_hash, request->source_hash, random_, now));
  // One small context, so the callbacks below fit std::function's inline storage.
  struct Context {
    L7Node* node;
    GroupView* group;
    Request* request;
    double now;
  } context{this, &group, request, now};
  const auto available = [&context](std::uint32_t id) {
    const auto& slots = context.group->slot_of_backend;
    return id < slots.size() && slots[id] >= 0 && context.group->targets->routable(static_cast<std::size_t>(slots[id]));
  };
  const auto pick = [&context]() -> std::optional<std::uint32_t> {
    const std::size_t slot = context.group->targets->pick(context.request->flow_hash, context.request->source_hash,
                                                          context.node->random_, context.now);
    return context.group->backends[slot]->id();
  };
  const l7::StickyDecision decision =
      group.sticky ? group.sticky->route(view, now, available, pick) : group.app_sticky->route(view, now, available, pick);
  auto& counters = world_.metrics.by_group.at(group_index);
  if (decision.reason == l7::StickyDecision::Reason::hit) ++counters.sticky_hits;
  else ++counters.sticky_misses;
  if (request->trace != nullptr) {
    request->trace->hops.back().notes.push_back(std::string("stickiness (") + (group.app_sticky ? "AWSALBAPP" : "AWSALB") +
                                                "): " + std::string(l7::to_string(decision.reason)) +
                                                (decision.set_cookie.empty() ? "" : "; sets a new cookie"));
  }
  if (!decision.set_cookie.empty()) {
    Request::copy_cookie(decision.set_cookie, request->set_cookie, request->set_cookie_length);
    request->set_cookie_is_app = group.app_sticky.has_value();
  }
  return static_cast<std::uint32_t>(group.slot_of_backend.at(*decision.target));
}

void L7Node::answer_handshake(Request* request) {
  // The L7 tier terminates TCP and TLS: SYN-ACK from the kernel, then the TLS server
  // flights, whose key exchange and signature take a core.
  double bytes = kTcpSegmentBytes;
  if (request->flight == 1) {
    const tls::HandshakePlan plan = tls::plan(request->tls_version, world_.spec.l7->tls_key, request->tls_resumed);
    if (!spend_cpu(plan.server_cpu_s)) return;
    if (request->trace != nullptr) {
      request->trace->hops.back().tls_s = plan.server_cpu_s;
      request->trace->hops.back().notes.push_back(std::string(request->tls_resumed ? "resumed" : "full") +
                                                  " TLS handshake: key exchange and signature on a core");
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

bool L7Node::spend_cpu(double seconds) {
  if (seconds <= 0) return true;
  // Each core is its own actor and runs one thing at a time, so CPU work never shares a
  // core: holding the core for the work's duration is exact, and it spares the
  // simulator a CPU-model action per request.
  const std::uint64_t epoch = epoch_;
  sg4::this_actor::sleep_for(seconds);
  if (epoch != epoch_) return false;
  stats_.busy_seconds += seconds;
  return true;
}

void L7Node::note_response(GroupView& group, std::uint32_t slot, std::uint16_t status) {
  const double now = engine::Runtime::now();
  if (!group.outliers->record_response(slot, status >= 500, now)) return;
  group.targets->eject(slot, group.outliers->ejected_until(slot));
  world_.metrics.health_events.push_back(
      {now, host_->get_name() + "-outlier", group.backends[slot]->stats().name, false,
       "ejected after " + std::to_string(group.outliers->config().consecutive_5xx) + " consecutive 5xx (ejection " +
           std::to_string(group.outliers->times_ejected(slot)) + ")",
       group.outliers->ejected_until(slot)});
}

void L7Node::answer_here(Request* request, std::uint16_t status, double body_bytes) {
  if (request->trace != nullptr) {
    results::TraceHop& hop = request->trace->hops.back();
    hop.notes.push_back("answers " + std::to_string(status) + " itself: no backend sees the request");
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
  request_deadlines_.list.remove(request);
  if (request->trace != nullptr && !request->trace->terminated.empty()) {
    results::TraceHop& hop = request->trace->hops.back();
    const l4::PacketHeader in = request->trace->wire;
    request->trace->wire = answer_to(request->trace->terminated.back());
    request->trace->terminated.pop_back();
    set_answer_headers(hop, in, request->trace->wire);
    hop.notes.push_back("relays the backend's answer on the client's connection (TLS-encrypted again)");
  }
  GroupView& group = groups_[request->group];
  const std::uint32_t slot = request->l7_slot;
  group.targets->finish(slot);
  // A request refused at connection time (its SYN reset) never reached the backend's
  // queue, which counted it in when it was admitted: count it out.
  group.backends[slot]->leave(request);
  const bool reset = request->status == results::kStatusReset;
  // A reset closes the connection; an answer leaves it for the next request.
  if (reset) close_connection(group, slot);
  else release_connection(group, slot);
  // Envoy counts a reset like a 5xx for outlier detection (a "gateway failure").
  if (group.outliers) note_response(group, slot, reset ? 502 : request->status);
  stats_.rx_bytes += request->reply_bytes();
  if (request->sets_app_session && group.app_sticky) {
    // The application started a session: point the balancer's cookie at who started it.
    Request::copy_cookie(group.app_sticky->on_app_cookie_set(group.backends[slot]->id(), engine::Runtime::now()), request->set_cookie,
                         request->set_cookie_length);
    request->set_cookie_is_app = true;
  }
  conclude(request, reset ? 502 : request->status, reset ? Outcome::reset : Outcome::answered);
}

void L7Node::trace_taken(Request* request, double arrived_at) {
  const topology::Node& me = world_.topology.node(vertex_);
  const bool reply = request->answered;
  const int layer = reply || !request->in_handshake() ? 7 : 6;  // TLS is the presentation layer's
  results::TraceHop& hop = add_hop(request, me, layer, reply, arrived_at);
  hop.started = engine::Runtime::now();
}

void L7Node::trace_route(Request* request, const l7::RequestView& view) {
  results::TraceHop& hop = request->trace->hops.back();
  hop.processing_s = cpu_per_request_s_;
  hop.read = {"method", "host", "path", "query", "headers", "cookies"};
  hop.notes.push_back("the client's TCP and TLS connection ends here: this node holds the certificate and reads HTTP");
  request->trace->terminated.push_back(request->trace->wire);
  if (world_.spec.l7->waf) hop.notes.push_back("WAF: passed");
  for (const std::string& line : rules_.trace(view)) hop.notes.push_back("rule " + line);
}

void L7Node::trace_upstream(Request* request, const Backend* backend, const std::string& how) {
  results::Trace& trace = *request->trace;
  results::TraceHop& hop = trace.hops.back();  // this node's: routing, or a connection just set up
  hop.notes.push_back(how);
  // A connection of its own: every address and port differs from the client's.
  const std::uint32_t me = node_address(world_.topology.node(vertex_));
  const std::uint32_t to = node_address(world_.topology.node(backend->vertex()));
  const l4::PacketHeader in = trace.wire;
  trace.wire = {mac_of(me), mac_of(to), me, to, l4::Protocol::tcp, static_cast<std::uint16_t>(40000 + request->l7_slot), 8080};
  hop.left = engine::Runtime::now();
  set_answer_headers(hop, in, trace.wire);
  if (!request->upstream_syn) hop.notes.push_back("on this node's own connection: the backend sees the L7 node's address, not the client's");
}

void L7Node::conclude(Request* request, std::uint16_t status, Outcome outcome) {
  GroupView& group = groups_[request->group];
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

void L7Node::upstream_timekeeper(Deadlines& deadlines) {
  for (;;) {
    if (deadlines.list.empty()) {
      deadlines.keeper_idle = true;
      deadlines.armed->acquire();
      continue;
    }
    const double due = deadlines.list.front()->upstream_deadline;
    if (due > engine::Runtime::now()) {
      sg4::this_actor::sleep_until(due);
      continue;
    }
    Request* request = deadlines.list.front();
    deadlines.list.remove(request);
    if (!dark_) on_upstream_timeout(request);
  }
}

void L7Node::on_upstream_timeout(Request* request) {
  GroupView& group = groups_[request->group];
  const std::uint32_t slot = request->l7_slot;
  ++stats_.timeouts;
  group.targets->finish(slot);
  close_connection(group, slot);  // ALB closes a connection it gave up on
  if (group.outliers) note_response(group, slot, 504);
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
  engine::Transport::send(*request->pop_reply(), request, bytes);
}

void L7Node::go_dark() {
  dark_ = true;
  ++epoch_;
  drop_held_requests();
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
  connect_deadlines_.list.clear();
  request_deadlines_.list.clear();
  for (auto& group : groups_) {
    for (std::size_t slot = 0; slot < group.pools.size(); ++slot) {
      for (Request* waiting : group.pools[slot].waiting) {
        group.backends[slot]->leave(waiting);
        world_.drop(waiting);
      }
      group.pools[slot] = {};
    }
    group.active = 0;
    group.pending = 0;
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
  for (auto& group : groups_) {
    if (!group.targets) continue;
    bool elsewhere = false;
    for (const Backend* b : group.backends) elsewhere = elsewhere || b->zone() != zone;
    if (!elsewhere) continue;
    for (std::size_t slot = 0; slot < group.backends.size(); ++slot)
      if (group.backends[slot]->zone() == zone) group.targets->set_taken_out(slot, RoutableTargets::Reason::zonal_shift, shifted);
  }
}

void L7Node::set_deregistered(const Backend* backend, bool out) {
  GroupView& group = groups_[backend->group()];
  if (!group.targets) return;
  const std::int32_t slot = group.slot_of_backend[backend->id()];
  if (slot >= 0) group.targets->set_taken_out(static_cast<std::size_t>(slot), RoutableTargets::Reason::deregistered, out);
}

}  // namespace lbsim::models
