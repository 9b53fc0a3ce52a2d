// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/l7_node.hpp"

#include <stdexcept>

#include "engine/platform.hpp"
#include "engine/runtime.hpp"
#include "l7/waf.hpp"
#include "l4/registry.hpp"
#include "models/backend.hpp"

namespace sg4 = simgrid::s4u;

namespace lbsim::models {

L7Node::L7Node(World& world, topology::Vertex vertex)
    : world_(world),
      vertex_(vertex),
      host_(world.platform.host_of.at(vertex)),
      inbox_(host_),
      kernel_(host_),
      random_(Random::stream(world.spec.seed, host_->get_name())),
      rules_(*world.rules),
      cpu_per_request_s_(world.spec.l7->cpu_per_request_s) {
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
  std::vector<std::vector<l4::Target>> names(groups_.size());
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
      view.sticky.emplace(*duration, splitmix64(secret_state));
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
    sg4::ActorPtr core = sg4::Actor::create(host_->get_name() + "-core" + std::to_string(c), host_, [this] { core_loop(); });
    core->daemonize();
  }
  for (auto& view : groups_)
    if (view.prober) view.prober->start();
}

void L7Node::deliver(Request* request, double bytes) {
  const bool syn = request->in_handshake() && request->flight == 0;
  // A full queue: the request is shed with a 503 by the acceptor, not queued.
  if (!syn && !request->in_handshake() && inbox_.waiting() >= world_.spec.l7->queue_limit) {
    request->refused = true;
    ++stats_.refused;
  }
  engine::Transport::send(syn || request->refused ? kernel_.inbox() : inbox_, request, bytes);
}

void L7Node::core_loop() {
  for (;;) {
    Request* request = inbox_.take_as<Request>();
    // (TCP checks of this node and SYNs go to its kernel stack, not to the cores.)
    if (request->answered && request->upstream_syn) {
      // The pooled connection is up: the request that waited for it goes now.
      request->upstream_syn = false;
      request->answered = false;
      forward_to_backend(groups_[request->group], request->l7_slot, request);
    } else if (request->answered) {
      relay_reply(request);
    } else if (request->in_handshake()) {
      answer_handshake(request);
    } else {
      route(request);
    }
  }
}

void L7Node::route(Request* request) {
  stats_.rx_bytes += request->request_size;
  ++stats_.requests;
  spend_cpu(cpu_per_request_s_);

  const l7::RequestView view = request->view();
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
  GroupView& group = groups_[decision.group];
  request->group = decision.group;
  ++world_.metrics.by_group.at(decision.group).sent;
  const std::uint32_t slot = pick_backend(group, decision.group, request, view);
  Backend* backend = group.backends[slot];
  if (!backend->admit()) {
    answer_here(request, 503);
    return;
  }
  group.targets->start(slot);
  request->l7_slot = slot;
  send_upstream(group, slot, request);
}

void L7Node::send_upstream(GroupView& group, std::uint32_t slot, Request* request) {
  GroupView::Pool& pool = group.pools[slot];
  if (pool.idle > 0) {
    --pool.idle;
    forward_to_backend(group, slot, request);
  } else if (pool.open < world_.spec.l7->backend_connections) {
    ++pool.open;
    ++stats_.upstream_connections;
    request->upstream_syn = true;
    request->push_reply(&inbox_);
    stats_.tx_bytes += kTcpSegmentBytes;
    engine::Transport::send(group.backends[slot]->kernel_inbox(), request, kTcpSegmentBytes);
  } else {
    pool.waiting.push_back(request);
  }
}

void L7Node::forward_to_backend(GroupView& group, std::uint32_t slot, Request* request) {
  request->push_reply(&inbox_);
  stats_.tx_bytes += request->request_size;
  group.backends[slot]->deliver(request, request->request_size);
}

void L7Node::release_connection(GroupView& group, std::uint32_t slot) {
  GroupView::Pool& pool = group.pools[slot];
  if (pool.waiting.empty()) {
    ++pool.idle;
    return;
  }
  Request* next = pool.waiting.front();  // the connection passes straight to the next in line
  pool.waiting.pop_front();
  forward_to_backend(group, slot, next);
}

std::uint32_t L7Node::pick_backend(GroupView& group, std::uint32_t group_index, Request* request, const l7::RequestView& view) {
  const double now = engine::Runtime::now();
  if (!group.sticky) return static_cast<std::uint32_t>(group.targets->pick(request->flow_hash, request->source_hash, random_, now));
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
  const l7::StickyDecision decision = group.sticky->route(view, now, available, pick);
  auto& counters = world_.metrics.by_group.at(group_index);
  if (decision.reason == l7::StickyDecision::Reason::hit) ++counters.sticky_hits;
  else ++counters.sticky_misses;
  if (!decision.set_cookie.empty()) Request::copy_cookie(decision.set_cookie, request->set_cookie, request->set_cookie_length);
  return static_cast<std::uint32_t>(group.slot_of_backend.at(*decision.target));
}

void L7Node::answer_handshake(Request* request) {
  // The L7 tier terminates TCP and TLS: SYN-ACK from the kernel, then the TLS server
  // flights, whose key exchange and signature take a core.
  double bytes = kTcpSegmentBytes;
  if (request->flight == 1) {
    const tls::HandshakePlan plan = tls::plan(request->tls_version, world_.spec.l7->tls_key, request->tls_resumed);
    spend_cpu(plan.server_cpu_s);
    stats_.tls_cpu_seconds += plan.server_cpu_s;
    ++(request->tls_resumed ? stats_.tls_resumed : stats_.tls_full);
    bytes = plan.server_flight_bytes;
  } else if (request->flight > 1) {
    bytes = kTlsFinishedBytes;
  }
  stats_.rx_bytes += request->wire_bytes;
  request->answer(200, bytes);
  send_reply(request);
}

void L7Node::spend_cpu(double seconds) {
  if (seconds <= 0) return;
  // Each core is its own actor and runs one thing at a time, so CPU work never shares a
  // core: holding the core for the work's duration is exact, and it spares the
  // simulator a CPU-model action per request.
  sg4::this_actor::sleep_for(seconds);
  stats_.busy_seconds += seconds;
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
  request->answer(status, kErrorPageBytes + body_bytes);
  send_reply(request);
}

void L7Node::relay_reply(Request* request) {
  GroupView& group = groups_[request->group];
  group.targets->finish(request->l7_slot);
  release_connection(group, request->l7_slot);
  if (group.outliers) note_response(group, request->l7_slot, request->status);
  stats_.rx_bytes += request->reply_bytes();
  send_reply(request);
}

void L7Node::send_reply(Request* request) {
  const double bytes = request->reply_bytes();
  stats_.tx_bytes += bytes;
  engine::Transport::send(*request->pop_reply(), request, bytes);
}

}  // namespace lbsim::models
