// SPDX-License-Identifier: GPL-3.0-or-later
#include "testbed/clock.hpp"
#include "testbed/dns_view.hpp"
#include "testbed/fault_timeline.hpp"
#include "testbed/testbed_run.hpp"

#include <signal.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>
#include <thread>

#include "testbed/backend_server.hpp"
#include "testbed/fabric.hpp"
#include "testbed/l4_forwarder.hpp"
#include "testbed/l7_proxy.hpp"
#include "testbed/reference_proxy.hpp"
#include "testbed/load_generator.hpp"
#include "testbed/netns.hpp"
#include "testbed/packet_socket.hpp"
#include "testbed/plan.hpp"
#include "l7/rules.hpp"
#include "topology/addresses.hpp"

namespace lbsim::testbed {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

volatile int g_stop = 0;
void on_stop(int) { g_stop = 1; }


void sleep_until(double monotonic_s) {
  const double wait = monotonic_s - monotonic_seconds();
  if (wait > 0) std::this_thread::sleep_for(std::chrono::duration<double>(wait));
}

std::string mac_text(const l4::MacAddress& mac) { return l4::format_mac(mac); }

const char* role_name(NodeRole role) {
  switch (role) {
    case NodeRole::fabric: return "fabric";
    case NodeRole::l4: return "l4";
    case NodeRole::l7: return "l7";
    case NodeRole::backend: return "backend";
  }
  return "?";
}

// The namespace's routes and neighbours: everything goes through the fabric's router,
// whose MAC every node knows statically (no ARP on this network).
std::string node_commands(const config::ScenarioSpec& spec, const TestbedPlan& plan, const PlannedNode& n) {
  const std::string router = format_address(kRouterAddress);
  std::ostringstream c;
  c << "link set lo up\n";
  c << "link set eth0 address " << mac_text(n.mac) << "\n";
  c << "link set eth0 up\n";
  c << "neigh add " << router << " lladdr " << mac_text(kRouterMac) << " dev eth0 nud permanent\n";
  switch (n.node.kind) {
    case topology::NodeKind::client:
      // The whole block is local (AnyIP): the population sends from any of its addresses.
      c << "route add local " << format_address(n.address) << "/" << n.prefix << " dev lo\n";
      c << "route add 203.0.113.0/24 via " << router << " dev eth0 onlink\n";
      break;
    case topology::NodeKind::l4:
      c << "addr add " << format_address(n.address) << "/32 dev eth0\n";
      c << "route add 10.0.0.0/8 via " << router << " dev eth0 onlink\n";
      break;
    case topology::NodeKind::backend:
    case topology::NodeKind::l7:
      c << "addr add " << format_address(n.address) << "/32 dev eth0\n";
      c << "route add 10.0.0.0/8 via " << router << " dev eth0 onlink\n";
      if (n.node.kind != plan.l4_target_kind()) break;  // backends behind an L7 tier talk to it only
      c << "route add " << format_address(topology::kClientNetwork) << "/" << topology::kClientNetworkPrefix << " via " << router
        << " dev eth0 onlink\n";
      // DSR: the L4 tier's targets hold every VIP on their loopback and answer from it.
      if (spec.l4.forwarding == config::Forwarding::dsr)
        for (std::size_t l4 : plan.l4_nodes) c << "addr add " << format_address(plan.nodes[l4].vip) << "/32 dev lo\n";
      break;
  }
  return c.str();
}

// Sysctls and offloads, from a thread that enters the namespace (they are per namespace).
void tune_namespace(const NetworkNamespace& ns, const std::vector<std::string>& interfaces, bool dsr_backend) {
  std::exception_ptr failure;
  std::thread([&] {
    try {
      ns.enter_this_thread();
      write_sysctl("net/ipv6/conf/all/disable_ipv6", "1");
      write_sysctl("net/ipv6/conf/default/disable_ipv6", "1");
      write_sysctl("net/ipv4/conf/all/rp_filter", "0");
      if (dsr_backend) {
        // LVS-DR's rule: never answer ARP for the VIP, never announce it.
        write_sysctl("net/ipv4/conf/all/arp_ignore", "1");
        write_sysctl("net/ipv4/conf/all/arp_announce", "2");
      }
      for (const auto& name : interfaces) disable_offloads(name);
    } catch (...) {
      failure = std::current_exception();
    }
  }).join();
  if (failure) std::rethrow_exception(failure);
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A child's node figures, and back: a backend's lives add up (a crash ends one).
json stats_json(const results::NodeStats& s) {
  return {{"requests", s.requests},   {"busy_seconds", s.busy_seconds},
          {"waited", s.waited},       {"wait_seconds", s.wait_seconds},
          {"max_queue", s.max_queue}, {"resets", s.resets},
          {"refused", s.refused},     {"upstream_connections", s.upstream_connections},
          {"timeouts", s.timeouts},   {"retries", s.retries},
          {"overflows", s.overflows}, {"tls_full", s.tls_full},
          {"tls_resumed", s.tls_resumed}, {"tls_cpu_seconds", s.tls_cpu_seconds}};
}
void add_stats(results::NodeStats& s, const json& st) {
  const auto count = [&](const char* key) { return st.value(key, std::uint64_t{0}); };
  s.requests += count("requests");
  s.busy_seconds += st.value("busy_seconds", 0.0);
  s.waited += count("waited");
  s.wait_seconds += st.value("wait_seconds", 0.0);
  s.max_queue = std::max(s.max_queue, st.value("max_queue", std::size_t{0}));
  s.resets += count("resets");
  s.refused += count("refused");
  s.upstream_connections += count("upstream_connections");
  s.timeouts += count("timeouts");
  s.retries += count("retries");
  s.overflows += count("overflows");
  s.tls_full += count("tls_full");
  s.tls_resumed += count("tls_resumed");
  s.tls_cpu_seconds += st.value("tls_cpu_seconds", 0.0);
}

json events_json(const std::vector<results::HealthEvent>& events) {
  json list = json::array();
  for (const auto& e : events)
    list.push_back({{"time", e.time},
                    {"checker", e.checker},
                    {"target", e.target},
                    {"healthy", e.healthy},
                    {"reason", e.reason},
                    {"until", e.until},
                    {"source", std::string(results::to_string(e.source))}});
  return list;
}

std::vector<results::HealthEvent> events_from(const json& report) {
  std::vector<results::HealthEvent> events;
  if (!report.contains("health_events")) return events;
  for (const auto& e : report["health_events"]) {
    const std::string source = e.value("source", "l4");
    events.push_back({e["time"].get<double>(), e["checker"].get<std::string>(), e["target"].get<std::string>(), e["healthy"].get<bool>(),
                      e["reason"].get<std::string>(), e.value("until", 0.0),
                      source == "l4_passive" ? results::HealthSource::l4_passive
                      : source == "l7"       ? results::HealthSource::l7_check
                      : source == "outlier"  ? results::HealthSource::outlier
                                             : results::HealthSource::l4_check});
  }
  return events;
}

void write_json(const fs::path& path, const json& j) {
  const fs::path temporary = path.string() + ".tmp";
  std::ofstream(temporary) << j.dump();
  fs::rename(temporary, path);
}

struct Child {
  std::string node;
  NodeRole role;
  ChildProcess process;
};

}  // namespace

int run_node(const config::ScenarioSpec& spec, NodeRole role, const std::string& node, const std::string& work_dir, double start_s,
             const std::string& pcap_dir, bool session_tickets) {
  ::signal(SIGTERM, on_stop);
  ::signal(SIGINT, SIG_IGN);  // the supervisor decides when the run ends
  const topology::Topology topology(spec);
  const TestbedPlan plan = plan_testbed(spec, topology);
  const fs::path dir(work_dir);
  const auto ready = [&] { std::ofstream(dir / (node + ".ready")) << "ready\n"; };
  json report;
  if (role == NodeRole::fabric) {
    FabricRouter router(spec, topology, plan);
    ready();
    const auto counters = run_fabric(router, spec, start_s, g_stop, pcap_dir);
    for (std::size_t p = 0; p < counters.size(); ++p)
      report["ports"][plan.nodes[p].node.name] = {{"rx_bytes", counters[p].rx_bytes}, {"tx_bytes", counters[p].tx_bytes},
                                                  {"rx_frames", counters[p].rx_frames}, {"tx_frames", counters[p].tx_frames}};
  } else if (role == NodeRole::l4) {
    L4Forwarder forwarder(spec, topology, plan, plan.find(node));
    ready();
    // What DNS may announce, for the supervisor's DNS (atomically: it reads the file).
    const auto announce = [&](bool has_target) {
      const fs::path path = dir / (node + ".announce"), temporary = dir / (node + ".announce.tmp");
      std::ofstream(temporary) << (has_target ? "1\n" : "0\n");
      fs::rename(temporary, path);
    };
    const auto c = run_l4_forwarder(forwarder, spec.faults, start_s, g_stop, announce);
    report["forwarder"] = {{"forwarded", c.forwarded}, {"replies", c.replies},     {"new_flows", c.new_flows},
                           {"refused", c.refused},     {"untracked", c.untracked}, {"malformed", c.malformed}};
    report["health_events"] = events_json(forwarder.health_events());
  } else if (role == NodeRole::l7) {
    // lbsim's own proxy, or HAProxy or nginx as `lbsim export` configures them.
    const L7Report r = spec.l7->engine == "lbsim"
                           ? run_l7_proxy(spec, plan, plan.find(node), start_s, g_stop, ready, ProxyOptions{{}, session_tickets})
                           : run_reference_proxy(spec, plan, plan.find(node), (dir / (node + "-" + spec.l7->engine)).string(), start_s, g_stop,
                                                 ready);
    report["stats"] = stats_json(r.stats);
    report["busy_per_second"] = r.busy_per_second;
    report["cpu"] = {{"user_seconds", r.user_seconds}, {"system_seconds", r.system_seconds}};
    report["hostile"] = {{"malformed", r.hostile.malformed}, {"oversized", r.hostile.oversized}, {"slow", r.hostile.slow},
                         {"tls_failures", r.hostile.tls_failures}};
    report["health_events"] = events_json(r.health_events);
  } else {
    const PlannedNode& self = plan.find(node);
    // One file per life of the process: a crash fault kills it, a recovery starts another.
    const fs::path life = dir / (node + ".life-" + std::to_string(::getpid()) + ".json");
    const auto backend_json = [](const BackendReport& r) { return json{{"stats", stats_json(r.stats)}, {"busy_per_second", r.busy_per_second}}; };
    const BackendReport r = run_backend(spec, plan, self, start_s, g_stop, ready,
                                        [&](const BackendReport& so_far) { write_json(life, backend_json(so_far)); });
    write_json(life, backend_json(r));
    return 0;
  }
  write_json(dir / (node + ".json"), report);
  return 0;
}

results::RunResult run_testbed(const config::ScenarioSpec& spec, const TestbedOptions& options) {
  if (const auto missing = missing_capability()) throw TestbedUnavailable(*missing);
  const topology::Topology topology(spec);
  const TestbedPlan plan = plan_testbed(spec, topology);
  const auto wall_start = std::chrono::steady_clock::now();
  const fs::path dir(options.work_dir);
  fs::create_directories(dir);
  auto say = [&](const std::string& line) {
    if (options.log != nullptr) *options.log << "  testbed: " << line << '\n' << std::flush;
  };

  // Namespaces and wires.
  NetworkNamespace fabric_ns = NetworkNamespace::create();
  std::vector<NetworkNamespace> node_ns;
  std::ostringstream wires;
  std::vector<std::string> ports;
  for (std::size_t i = 0; i < plan.nodes.size(); ++i) {
    node_ns.push_back(NetworkNamespace::create());
    wires << "link add p" << i << " type veth peer name eth0 netns " << node_ns.back().path() << "\n";
    wires << "link set p" << i << " up\n";
    ports.push_back("p" + std::to_string(i));
  }
  fabric_ns.run({"ip", "-batch", "-"}, "link set lo up\n" + wires.str());
  tune_namespace(fabric_ns, ports, false);
  for (std::size_t i = 0; i < plan.nodes.size(); ++i) {
    node_ns[i].run({"ip", "-batch", "-"}, node_commands(spec, plan, plan.nodes[i]));
    tune_namespace(node_ns[i], {"eth0"}, plan.nodes[i].node.kind == plan.l4_target_kind() && spec.l4.forwarding == config::Forwarding::dsr);
  }
  say(std::to_string(plan.nodes.size() + 1) + " network namespaces wired to the fabric");

  // Children, then time zero once every one is ready.
  const double start_s = monotonic_seconds() + 3.0;
  char start_text[32];
  std::snprintf(start_text, sizeof start_text, "%.6f", start_s);
  std::vector<Child> children;
  const auto child_arguments = [&](const std::string& node, NodeRole role) -> std::vector<std::string> {
    std::vector<std::string> args{options.lbsim_binary, "testbed-node", "--role",  role_name(role), "--node", node, "--work-dir", dir.string(),
                                  "--start-at",         start_text,     options.scenario_file};
    if (role == NodeRole::fabric && !options.pcap_dir.empty()) args.insert(args.end(), {"--pcap", fs::absolute(options.pcap_dir).string()});
    return args;
  };
  auto spawn = [&](const NetworkNamespace& ns, const std::string& node, NodeRole role) {
    children.push_back({node, role, ChildProcess::spawn(ns, child_arguments(node, role), (dir / (node + ".log")).string())});
  };
  spawn(fabric_ns, "fabric", NodeRole::fabric);
  for (std::size_t i : plan.l4_nodes) spawn(node_ns[i], plan.nodes[i].node.name, NodeRole::l4);
  for (std::size_t i : plan.l7_nodes) spawn(node_ns[i], plan.nodes[i].node.name, NodeRole::l7);
  for (std::size_t i : plan.backends) spawn(node_ns[i], plan.nodes[i].node.name, NodeRole::backend);
  for (auto& child : children) {
    while (!fs::exists(dir / (child.node + ".ready"))) {
      if (const auto status = child.process.wait_for(0.01))
        throw std::runtime_error("testbed node " + child.node + " ended before the run began: " + read_text(dir / (child.node + ".log")));
      if (monotonic_seconds() > start_s) throw std::runtime_error("testbed node " + child.node + " was not ready within 3 s");
    }
  }
  std::ostringstream running;
  running << "fabric, " << plan.l4_nodes.size() << " L4 forwarder(s), ";
  if (plan.two_tier()) running << plan.l7_nodes.size() << " L7 prox" << (plan.l7_nodes.size() == 1 ? "y" : "ies") << " and ";
  running << plan.backends.size() << " backend(s) running; sending traffic for "
          << spec.duration_s << " s";
  say(running.str());

  // The failure timeline: every process applies its own share at the fault's time on the
  // shared clock (the fabric darkens, cuts and degrades; a backend slows or errs; a
  // forwarder stops sending to a shifted zone; a client stops resuming). This thread
  // kills and restarts crashed backends (their kernel resets their connections and
  // refuses new ones until they are back) and keeps DNS's answer current.
  results::RunResult result;
  result.faults = spec.faults;
  FaultTimeline timeline(spec.faults);
  DnsView dns(plan.l4_nodes.size());
  std::vector<bool> l4_dark(plan.l4_nodes.size(), false), zone_shifted(spec.topology.zones.size(), false);
  const auto apply = [&](const config::FaultSpec& fault, const FaultTimeline::Step& step) {
    result.metrics.fault_events.push_back({monotonic_seconds() - start_s, step.fault, step.starts, fault});
    using Kind = config::FaultKind;
    for (std::size_t n = 0; n < plan.l4_nodes.size(); ++n)
      if (goes_dark(fault, plan.nodes[plan.l4_nodes[n]].node)) l4_dark[n] = step.starts;
    if (fault.kind == Kind::zonal_shift)
      for (std::size_t z = 0; z < zone_shifted.size(); ++z)
        if (spec.topology.zones[z] == fault.zone) zone_shifted[z] = step.starts;
    if (fault.kind != Kind::backend_crash) return;
    for (std::size_t i : plan.backends) {
      const std::string& name = plan.nodes[i].node.name;
      if (!l7::glob_match(fault.targets, name)) continue;
      for (auto& child : children) {
        if (child.node != name) continue;
        if (step.starts) child.process.kill();
        else child.process = ChildProcess::spawn(node_ns[i], child_arguments(name, NodeRole::backend), (dir / (name + ".restart.log")).string());
      }
    }
  };
  // DNS's answer, as the simulator's World::note_dns_changes words it.
  std::vector<bool> announced(plan.l4_nodes.size(), true);
  const auto refresh_dns = [&] {
    std::vector<bool> qualifies(plan.l4_nodes.size());
    std::uint64_t bits = 0;
    std::vector<bool> has_target(plan.l4_nodes.size(), true);
    for (std::size_t n = 0; n < plan.l4_nodes.size(); ++n) {
      const auto& node = plan.nodes[plan.l4_nodes[n]].node;
      const fs::path file = dir / (node.name + ".announce");
      std::error_code missing;
      if (fs::exists(file, missing)) has_target[n] = read_text(file).rfind('1', 0) == 0;
      qualifies[n] = !l4_dark[n] && !zone_shifted[node.zone_index] && has_target[n];
      if (qualifies[n]) bits |= std::uint64_t{1} << n;
    }
    dns.announce(bits);
    const bool fails_open = bits == 0;
    for (std::size_t n = 0; n < plan.l4_nodes.size(); ++n) {
      const bool now_announced = fails_open || qualifies[n];
      if (now_announced == announced[n]) continue;
      announced[n] = now_announced;
      const auto& node = plan.nodes[plan.l4_nodes[n]].node;
      std::string reason = "it qualifies again: alive, with a healthy target";
      if (fails_open) reason = "no node qualifies: DNS answers with every node (fails open)";
      else if (!now_announced)
        reason = l4_dark[n] ? "the node is down" : zone_shifted[node.zone_index] ? "its zone is shifted away" : "none of its targets is healthy";
      result.metrics.dns_events.push_back({monotonic_seconds() - start_s, node.name, now_announced, std::move(reason)});
    }
  };

  // The clients, each on a thread inside its namespace.
  std::vector<ClientReport> reports(plan.clients.size());
  std::vector<std::exception_ptr> failures(plan.clients.size());
  std::vector<std::thread> threads;
  std::atomic<std::size_t> clients_running(plan.clients.size());
  static const std::atomic<bool> kNever(false);
  const std::atomic<bool>& interrupted = options.interrupted != nullptr ? *options.interrupted : kNever;
  for (std::size_t c = 0; c < plan.clients.size(); ++c) {
    threads.emplace_back([&, c] {
      try {
        node_ns[plan.clients[c]].enter_this_thread();
        sleep_until(start_s);
        reports[c] = run_load(spec, plan, plan.nodes[plan.clients[c]], start_s, dns, interrupted);
      } catch (...) {
        failures[c] = std::current_exception();
      }
      --clients_running;
    });
  }
  sleep_until(start_s);
  while (clients_running > 0) {
    timeline.advance(monotonic_seconds() - start_s, apply);
    refresh_dns();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  for (auto& t : threads) t.join();
  const double stopped_at_s = monotonic_seconds() - start_s;
  for (auto& f : failures)
    if (f) std::rethrow_exception(f);

  // Stop the children; each writes its report.
  for (auto& child : children) child.process.signal(SIGTERM);
  for (auto& child : children)
    if (!child.process.wait_for(5.0)) child.process.kill();

  result.mode = "testbed";
  auto& m = result.metrics;
  m.by_zone.resize(spec.topology.zones.size());
  m.by_group.resize(spec.target_groups.size());
  m.zone_timeline.resize(spec.topology.zones.size());
  for (auto& r : reports) {
    m.overall.merge(r.metrics.overall);
    for (std::size_t z = 0; z < m.by_zone.size(); ++z) m.by_zone[z].merge(r.metrics.by_zone[z]);
    for (std::size_t g = 0; g < m.by_group.size(); ++g) m.by_group[g].merge(r.metrics.by_group[g]);
    m.timeline.merge(r.metrics.timeline);
    for (std::size_t z = 0; z < m.zone_timeline.size(); ++z) {
      auto& mine = m.zone_timeline[z];
      const auto& theirs = r.metrics.zone_timeline[z];
      if (theirs.size() > mine.size()) mine.resize(theirs.size());
      for (std::size_t i = 0; i < theirs.size(); ++i) {
        mine[i].answered += theirs[i].answered;
        mine[i].failed += theirs[i].failed;
      }
    }
    m.unanswered += r.metrics.unanswered;
    result.sim_seconds = std::max(result.sim_seconds, r.last_answer_s);
  }
  if (interrupted) result.sim_seconds = std::min(result.sim_seconds, stopped_at_s);
  const auto node_report = [&](const std::string& node) -> json {
    const fs::path path = dir / (node + ".json");
    if (!fs::exists(path)) return json::object();
    return json::parse(read_text(path), nullptr, false);
  };
  const json fabric = node_report("fabric");
  auto nic = [&](results::NodeStats& s) {
    // The NIC's bytes as the fabric's port saw them: rx is what the node received.
    if (!fabric.contains("ports") || !fabric["ports"].contains(s.name)) return;
    const json& port = fabric["ports"][s.name];
    s.rx_bytes = port.value("rx_bytes", 0.0);
    s.tx_bytes = port.value("tx_bytes", 0.0);
  };
  for (std::size_t c = 0; c < plan.clients.size(); ++c) {
    results::NodeStats s = reports[c].stats;
    nic(s);
    m.nodes.push_back(s);
  }
  for (std::size_t n = 0; n < plan.l4_nodes.size(); ++n) {
    const std::size_t i = plan.l4_nodes[n];
    results::NodeStats s;
    s.name = plan.nodes[i].node.name;
    s.kind = topology::NodeKind::l4;
    s.zone = plan.nodes[i].node.zone;
    s.nic_Bps = spec.topology.intra_zone.bandwidth_Bps;
    // Requests as the clients sent them through it: the node itself sees only packets.
    for (const auto& r : reports) s.requests += r.requests_via_l4[n];
    nic(s);
    for (auto& e : events_from(node_report(s.name))) m.health_events.push_back(std::move(e));
    m.nodes.push_back(s);
  }
  for (std::size_t i : plan.l7_nodes) {
    results::NodeStats s;
    s.name = plan.nodes[i].node.name;
    s.kind = topology::NodeKind::l7;
    s.zone = plan.nodes[i].node.zone;
    s.capacity = spec.l7->cores;
    s.nic_Bps = spec.topology.intra_zone.bandwidth_Bps;
    const json r = node_report(s.name);
    if (r.contains("stats")) add_stats(s, r["stats"]);
    for (auto& e : events_from(r)) m.health_events.push_back(std::move(e));
    nic(s);
    m.nodes.push_back(s);
  }
  for (std::size_t i : plan.backends) {
    results::NodeStats s;
    s.name = plan.nodes[i].node.name;
    s.kind = topology::NodeKind::backend;
    s.zone = plan.nodes[i].node.zone;
    s.group = spec.target_groups.at(plan.nodes[i].node.group).name;
    s.capacity = spec.target_groups.at(plan.nodes[i].node.group).workers;
    s.nic_Bps = spec.topology.intra_zone.bandwidth_Bps;
    // Every life of its process (a crash fault ends one, a recovery starts the next).
    for (const auto& entry : fs::directory_iterator(dir)) {
      const std::string file = entry.path().filename().string();
      if (file.rfind(s.name + ".life-", 0) != 0 || entry.path().extension() != ".json") continue;
      const json r = json::parse(read_text(entry.path()), nullptr, false);
      if (!r.is_object() || !r.contains("stats")) continue;
      add_stats(s, r["stats"]);
    }
    nic(s);
    m.nodes.push_back(s);
  }
  std::stable_sort(m.health_events.begin(), m.health_events.end(),
                   [](const results::HealthEvent& a, const results::HealthEvent& b) { return a.time < b.time; });
  result.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  if (!options.keep_work_dir) {
    std::error_code ignored;
    fs::remove_all(dir, ignored);
  }
  return result;
}

}  // namespace lbsim::testbed
