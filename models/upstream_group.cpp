// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/upstream_group.hpp"

#include "engine/runtime.hpp"
#include "models/backend.hpp"

namespace lbsim::models {

std::vector<UpstreamGroup> UpstreamGroup::connect(World& world, topology::Vertex vertex, simgrid::s4u::Host* host) {
  std::vector<UpstreamGroup> groups(world.spec.target_groups.size());
  std::vector<std::vector<balancing::Target>> names(groups.size());
  const auto& graph = world.topology.graph();
  for (auto edge : boost::make_iterator_range(boost::out_edges(vertex, graph))) {
    const topology::Vertex to = boost::target(edge, graph);
    Backend* backend = world.backend_of_vertex.at(to);
    groups[backend->group()].backends.push_back(backend);
    names[backend->group()].push_back({graph[to].name, static_cast<double>(graph[to].weight)});
  }
  const auto& l7 = *world.spec.l7;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    UpstreamGroup& view = groups[g];
    if (view.backends.empty()) continue;  // no rule forwards there
    const config::TargetGroupSpec& spec = world.spec.target_groups[g];
    std::vector<std::uint32_t> zone_of;
    for (const Backend* b : view.backends) zone_of.push_back(b->zone());
    view.targets = std::make_unique<ZonedTargets>(names[g], zone_of, world.spec.topology.zones.size(), world.topology.node(vertex).zone_index,
                                                  l7.zone_aware, l7.algorithm, l7.algorithm_options, l7.panic_threshold_percent,
                                                  spec.slow_start_s);
    std::vector<engine::Inbox*> inboxes;
    std::vector<std::string> backend_names;
    for (std::size_t b = 0; b < view.backends.size(); ++b) {
      inboxes.push_back(&view.backends[b]->inbox());
      backend_names.push_back(names[g][b].name);
    }
    view.pool = l7::ConnectionPool<Request*>(view.backends.size(), l7.backend_connections);
    view.slot_of_backend.assign(world.backends.size(), -1);
    for (std::size_t b = 0; b < view.backends.size(); ++b) view.slot_of_backend[view.backends[b]->id()] = static_cast<std::int32_t>(b);
    if (const auto duration = spec.sticky_duration_s) {
      // One secret per load balancer: a cookie from any of its nodes is honoured by all.
      std::uint64_t secret_state = world.spec.seed ^ 0x5354494b4359ULL;
      const std::uint64_t secret = splitmix64(secret_state);
      if (spec.app_cookie) view.app_sticky.emplace(*spec.app_cookie, *duration, secret);
      else view.sticky.emplace(*duration, secret);
    }
    if (l7.outlier_detection) view.outliers = std::make_unique<health::OutlierDetector>(view.backends.size(), *l7.outlier_detection);
    ZonedTargets* targets = view.targets.get();
    view.prober = std::make_unique<HealthProber>(
        world, host, host->get_name() + "-hc-" + spec.name, results::HealthSource::l7_check, spec.health_check, std::move(inboxes), std::move(backend_names),
        [targets](std::size_t t, bool healthy) { targets->set_healthy(t, healthy, engine::Runtime::now()); });
  }
  return groups;
}

std::uint32_t UpstreamGroup::pick(World& world, std::uint32_t group_index, Request* request, const l7::RequestView& view, Random& random) {
  const double now = engine::Runtime::now();
  if (!sticky && !app_sticky) return static_cast<std::uint32_t>(targets->pick(request->flow_hash, request->source_hash, random, now));
  // One small context, so the callbacks below fit std::function's inline storage.
  struct Context {
    UpstreamGroup* group;
    Request* request;
    Random* random;
    double now;
  } context{this, request, &random, now};
  const auto available = [&context](std::uint32_t id) {
    const auto& slots = context.group->slot_of_backend;
    return id < slots.size() && slots[id] >= 0 && context.group->targets->routable(static_cast<std::size_t>(slots[id]));
  };
  const auto pick_one = [&context]() -> std::optional<std::uint32_t> {
    const std::size_t slot =
        context.group->targets->pick(context.request->flow_hash, context.request->source_hash, *context.random, context.now);
    return context.group->backends[slot]->id();
  };
  const l7::StickyDecision decision = sticky ? sticky->route(view, now, available, pick_one) : app_sticky->route(view, now, available, pick_one);
  auto& counters = world.metrics.by_group.at(group_index);
  if (request->measured) ++(decision.reason == l7::StickyDecision::Reason::hit ? counters.sticky_hits : counters.sticky_misses);
  if (request->trace != nullptr) {
    request->trace->hops.back().notes.push_back({decision.set_cookie.empty() ? "l7.sticky" : "l7.sticky_new_cookie",
                                                 {app_sticky ? "AWSALBAPP" : "AWSALB", std::string(l7::to_string(decision.reason))}});
  }
  if (!decision.set_cookie.empty()) {
    Request::copy_cookie(decision.set_cookie, request->set_cookie, request->set_cookie_length);
    request->set_cookie_is_app = app_sticky.has_value();
  }
  return static_cast<std::uint32_t>(slot_of_backend.at(*decision.target));
}

void UpstreamGroup::note_response(World& world, const std::string& node_name, std::uint32_t slot, std::uint16_t status) {
  const double now = engine::Runtime::now();
  if (!outliers->record_response(slot, status >= 500, now)) return;
  targets->eject(slot, outliers->ejected_until(slot));
  world.metrics.health_events.push_back({now, node_name + "-outlier", backends[slot]->stats().name, false,
                                         "ejected after " + std::to_string(outliers->config().consecutive_5xx) +
                                             " consecutive 5xx (ejection " + std::to_string(outliers->times_ejected(slot)) + ")",
                                         outliers->ejected_until(slot), results::HealthSource::outlier});
}

void UpstreamGroup::set_zone_shifted(std::uint32_t zone, bool shifted) {
  if (!targets) return;
  bool elsewhere = false;
  for (const Backend* b : backends) elsewhere = elsewhere || b->zone() != zone;
  if (!elsewhere) return;  // every target is there: a shift cannot take them all
  for (std::size_t slot = 0; slot < backends.size(); ++slot)
    if (backends[slot]->zone() == zone) targets->set_taken_out(slot, RoutableTargets::Reason::zonal_shift, shifted);
}

void UpstreamGroup::set_deregistered(const Backend* backend, bool out) {
  if (!targets) return;
  const std::int32_t slot = slot_of_backend[backend->id()];
  if (slot >= 0) targets->set_taken_out(static_cast<std::size_t>(slot), RoutableTargets::Reason::deregistered, out);
}

}  // namespace lbsim::models
