// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/simulation.hpp"

#include <simgrid/kernel/Timer.hpp>

#include <chrono>
#include <cmath>
#include <array>
#include <cassert>
#include <optional>

#include "results/accounting.hpp"
#include "engine/platform.hpp"
#include "engine/runtime.hpp"
#include "engine/transport.hpp"
#include "models/backend.hpp"
#include "models/client.hpp"
#include "models/fault_injector.hpp"
#include "models/l4_node.hpp"
#include "models/l7_node.hpp"

namespace lbsim::models {
namespace {

void create_entities(World& world) {
  const auto& topo = world.topology;
  const std::size_t vertex_count = boost::num_vertices(topo.graph());
  world.backend_of_vertex.assign(vertex_count, nullptr);
  world.l7_node_of_vertex.assign(vertex_count, nullptr);

  for (topology::Vertex v : topo.all_backends()) {
    const auto& group = world.spec.target_groups.at(topo.node(v).group);
    world.backends.push_back(std::make_unique<Backend>(world, static_cast<std::uint32_t>(world.backends.size()), v, group));
    world.backend_of_vertex[v] = world.backends.back().get();
  }
  if (world.spec.l7) {
    world.rules = std::make_unique<l7::RuleTable>(world.spec.l7->rules);
    for (topology::Vertex v : topo.l7_nodes()) {
      world.l7_nodes.push_back(std::make_unique<L7Node>(world, v));
      world.l7_node_of_vertex[v] = world.l7_nodes.back().get();
    }
  }
  for (topology::Vertex v : topo.l4_nodes()) world.l4_nodes.push_back(std::make_unique<L4Node>(world, v));
  for (std::uint32_t c = 0; c < topo.clients().size(); ++c)
    world.clients.push_back(std::make_unique<ClientPopulation>(world, c, topo.clients()[c]));

  for (auto& node : world.l7_nodes) node->connect_targets();
  for (auto& node : world.l4_nodes) node->connect_targets();
}

void start_entities(World& world) {
  for (auto& b : world.backends) b->start();
  for (auto& n : world.l7_nodes) n->start();
  for (auto& n : world.l4_nodes) n->start();
  for (auto& c : world.clients) c->start();
}

// Every node's stats, in the order reports list them: clients, L4, L7, backends.
std::vector<results::NodeStats*> all_node_stats(World& world) {
  std::vector<results::NodeStats*> stats;
  for (auto& c : world.clients) stats.push_back(&c->stats());
  for (auto& n : world.l4_nodes) stats.push_back(&n->stats());
  for (auto& n : world.l7_nodes) stats.push_back(&n->stats());
  for (auto& b : world.backends) stats.push_back(&b->stats());
  return stats;
}

void collect_node_stats(World& world) {
  for (results::NodeStats* s : all_node_stats(world)) world.metrics.nodes.push_back(*s);
}

// At the end of each timeline interval, what each node did in it (differences of its
// running totals), until the run is over.
struct NodeSampler {
  World& world;
  std::vector<std::array<double, 3>> last;  // busy seconds, rx and tx bytes at the last sample

  void schedule(double at) {
    simgrid::kernel::timer::Timer::set(at, [this, at] {
      sample();
      if (!world.run_over()) schedule(at + world.metrics.timeline.interval());
    });
  }
  void sample() {
    auto& series = world.metrics.node_timeline;
    const auto stats = all_node_stats(world);
    if (series.empty()) {
      for (const results::NodeStats* s : stats) series.push_back({s->name, {}, {}, {}, {}});
      last.assign(stats.size(), {0, 0, 0});
    }
    for (std::size_t n = 0; n < stats.size(); ++n) {
      const std::array<double, 3> now{stats[n]->busy_seconds, stats[n]->rx_bytes, stats[n]->tx_bytes};
      series[n].busy_seconds.push_back(now[0] - last[n][0]);
      series[n].rx_bytes.push_back(now[1] - last[n][1]);
      series[n].tx_bytes.push_back(now[2] - last[n][2]);
      results::NodeStats in_interval = *stats[n];  // the node's capacity, with this interval's work
      in_interval.busy_seconds = series[n].busy_seconds.back();
      in_interval.rx_bytes = series[n].rx_bytes.back();
      in_interval.tx_bytes = series[n].tx_bytes.back();
      series[n].utilization.push_back(in_interval.utilization(world.metrics.timeline.interval()));
      last[n] = now;
    }
  }
};

// One second, or coarser for long runs, so the timeline stays a few thousand intervals.
double timeline_interval(const config::ScenarioSpec& spec) {
  constexpr double kMaxIntervals = 2000;
  return std::max(1.0, std::ceil((spec.duration_s + spec.drain_timeout_s) / kMaxIntervals));
}

}  // namespace

namespace {

// Calls the live hooks every tick of simulated time, from the simulation kernel: they may
// block (a pause) or throw and catch (parsing a command) on the main stack, which
// sanitizers follow. Ticks ride on the engine's steps (Runtime::on_time_advance), not on
// timers of their own, so a run watched at any tick, or not at all, gives the same figures.
// A tick is delivered by the first step past it: nothing changed between the tick and
// that step, so the metrics seen are those at the tick, after every event at its date
// (a node sampler's interval closing at that second included). What a command asks for
// is applied by a timer at the step's date, the first moment the simulation can change.
class LiveTicker {
public:
  LiveTicker(World& world, FaultInjector& faults, const LiveHooks& live) : world_(world), faults_(faults), live_(live) {}

  void observe(double now) {
    // k * tick_s, not a running sum: tick dates do not drift over a long run.
    while (!over_ && static_cast<double>(next_) * live_.tick_s < now) {
      const double at = static_cast<double>(next_++) * live_.tick_s;
      deliver(at);
      over_ = world_.run_over();  // the last tick is the first one after the last client finished
    }
  }

private:
  void deliver(double at) {
    if (live_.on_tick) live_.on_tick(world_.metrics, at);
    std::vector<config::FaultSpec> started = live_.poll ? live_.poll(at) : std::vector<config::FaultSpec>{};
    std::vector<std::size_t> ended = live_.take_ends ? live_.take_ends() : std::vector<std::size_t>{};
    if (started.empty() && ended.empty()) return;
    simgrid::kernel::timer::Timer::set(engine::Runtime::now(), [this, started = std::move(started), ended = std::move(ended)]() mutable {
      for (config::FaultSpec& fault : started) {
        try {
          faults_.inject_now(fault);
        } catch (const std::invalid_argument& e) {
          if (live_.on_rejected) live_.on_rejected(fault, e.what());
        }
      }
      for (std::size_t index : ended)
        if (!faults_.end_now(index) && live_.on_rejected_end) live_.on_rejected_end(index);
    });
  }

  World& world_;
  FaultInjector& faults_;
  const LiveHooks& live_;
  std::uint64_t next_ = 1;
  bool over_ = false;
};

}  // namespace

results::RunResult run_scenario(const config::ScenarioSpec& spec, RunOptions options) {
  const LiveHooks* live = options.live;
  const auto wall_start = std::chrono::steady_clock::now();
  engine::Runtime runtime;
  const topology::Topology topology(spec);
  const engine::Platform platform = engine::build_platform(topology, spec);

  World world(spec, topology, platform);
  world.trace_requests = std::move(options.trace);
  world.stop_after_traces = options.stop_after_traces;
  if (live != nullptr && live->sample_every_s > 0 && live->on_sample) {
    world.sample_every_s = live->sample_every_s;
    world.on_sample = live->on_sample;
  }
  const double interval = timeline_interval(spec);
  world.metrics.timeline = metrics::TimeSeries(interval);
  engine::Transport::set_accounting_interval(interval);
  engine::Transport::set_seed(spec.seed);
  engine::Transport::set_drop_handler([&world](void* payload) { world.drop(static_cast<Request*>(payload)); });
  create_entities(world);
  FaultInjector faults(world);
  start_entities(world);
  faults.start();
  world.metrics.zone_timeline.resize(spec.topology.zones.size());
  NodeSampler sampler{world, {}};
  sampler.schedule(interval);
  std::optional<LiveTicker> ticker;
  if (live != nullptr) {
    ticker.emplace(world, faults, *live);
    runtime.on_time_advance([&ticker](double now) { ticker->observe(now); });
  }
  runtime.run();

  for (auto& c : world.clients) world.metrics.overall.sent += c->measured_requests();
  collect_node_stats(world);

  results::RunResult result;
  // When the last client finished: timers may have run a little past it.
  result.sim_seconds = world.last_client_done_at;
  result.requests_allocated = world.requests.allocated();
  result.messages = engine::Transport::messages_sent();
  result.transfers = engine::Transport::transfers_started();
  result.rounds = engine::Runtime::rounds();
  result.cross_zone_bytes = engine::Transport::cross_zone_bytes();
  result.faults = world.faults;
  for (const auto& t : world.traces) result.traces.push_back(*t);
  for (const auto& client : world.clients)
    if (const auto* replay = client->replay_report()) result.replays.push_back(*replay);
  result.metrics = std::move(world.metrics);
  result.accounting_problems = results::accounting_problems(result.metrics);
  assert(result.accounting_problems.empty() && "the run's counts do not add up (results/accounting.hpp)");
  result.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  return result;
}

}  // namespace lbsim::models
