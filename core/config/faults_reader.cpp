// SPDX-License-Identifier: GPL-3.0-or-later
#include "config/faults_reader.hpp"
#include "config/loader.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>

#include "config/schema_tables.hpp"
#include "l7/rules.hpp"
#include "topology/topology.hpp"

namespace lbsim::config {
namespace detail {
namespace {

// Shortest form that reads back the same: 2 -> "2", 0.25 -> "0.25".
std::string format_number(double value) {
  char buffer[32];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return ec == std::errc{} ? std::string(buffer, end) : std::to_string(value);
}

bool contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// "path: no zone 'x'; did you mean 'y'?" or, without a near miss, the ones there are.
void report_unknown_name(Context& ctx, const YAML::Node& at, const std::string& path, std::string_view what,
                         const std::string& name, const std::vector<std::string>& defined) {
  std::string message = path + ": no " + std::string(what) + " '" + name + "'";
  if (const auto suggestion = closest_match(name, defined)) message += "; did you mean '" + *suggestion + "'?";
  else message += "; expected one of: " + join_alternatives(defined);
  ctx.error(at, message);
}

// Every name a link may be given by, with the name it is stored as: "inter-X-Y" in
// either order of the zones (stored in the order of topology.zones), and "edge-X".
std::vector<std::pair<std::string, std::string>> link_names(const std::vector<std::string>& zones) {
  std::vector<std::pair<std::string, std::string>> names;
  for (std::size_t i = 0; i < zones.size(); ++i) {
    names.emplace_back("edge-" + zones[i], "edge-" + zones[i]);
    for (std::size_t j = i + 1; j < zones.size(); ++j) {
      const std::string stored = "inter-" + zones[i] + "-" + zones[j];
      names.emplace_back(stored, stored);
      names.emplace_back("inter-" + zones[j] + "-" + zones[i], stored);
    }
  }
  return names;
}

// A `targets` glob, checked once the whole scenario is read: node names are generated
// from the zones, the tiers and the target groups.
struct PendingTargets {
  FaultKind kind;
  std::string glob;
  YAML::Node node;
  std::string path;
};

// The generated node names a target glob may match, by tier.
struct NodeNames {
  std::vector<std::string> l4, l7, backends;

  explicit NodeNames(const ScenarioSpec& spec) {
    const topology::Topology topology(spec);
    for (auto v : topology.l4_nodes()) l4.push_back(topology.node(v).name);
    for (auto v : topology.l7_nodes()) l7.push_back(topology.node(v).name);
    for (auto v : topology.all_backends()) backends.push_back(topology.node(v).name);
  }
};

bool any_match(const std::string& glob, const std::vector<std::string>& names) {
  return std::any_of(names.begin(), names.end(), [&](const std::string& name) { return l7::glob_match(glob, name); });
}

class FaultsReader {
public:
  FaultsReader(Context& ctx, ScenarioSpec& spec) : ctx_(ctx), spec_(spec) {}

  void read(const YAML::Node& list) {
    const bool can_lay_out = ctx_.diagnostics().empty();
    for_each_item(ctx_, list, "faults", [&](const YAML::Node& item, const std::string& path) { read_fault(item, path); });
    if (can_lay_out && !pending_.empty()) check_targets();
    // The injector replays the timeline in order; faults at the same time keep the file's.
    std::stable_sort(faults_.begin(), faults_.end(), [](const FaultSpec& a, const FaultSpec& b) { return a.at_s < b.at_s; });
    spec_.faults = std::move(faults_);
  }

private:
  void read_fault(const YAML::Node& item, const std::string& path) {
    MapReader m(ctx_, item, path);
    if (!m.valid()) return;
    FaultSpec fault;
    fault.line = item.Mark().line + 1;
    const auto [kind, keys] = schema::read_kind_fields(ctx_, m, schema::fault_kinds(), fault);
    read_start(keys["at"], m.key_path("at"), fault);
    if (kind == nullptr) return;
    fault.kind = *schema::fault_kind_named(kind->name);
    fault.label = kind->name;
    read_kind_keys(m, keys, item, path, fault);
    faults_.push_back(std::move(fault));
  }

  void read_start(const YAML::Node& at, const std::string& path, FaultSpec& fault) {
    assign_if_present(at, fault.at_s, [&](const YAML::Node& n) -> std::optional<double> {
      const auto start = read_quantity(ctx_, n, path, limits::parse_duration, kDurationOrZero, true);
      if (start && *start >= spec_.duration_s) {
        ctx_.error(n, path + ": expected a time before the end of the run (duration: " + format_number(spec_.duration_s) +
                          "s), got '" + n.Scalar() + "'");
        return std::nullopt;
      }
      return start;
    });
  }

  void read_kind_keys(MapReader& m, const schema::Deferred& keys, const YAML::Node& item, const std::string& path, FaultSpec& fault) {
    switch (fault.kind) {
      case FaultKind::zone_outage:
      case FaultKind::zonal_shift: read_zone_fault(m, keys, fault); break;
      case FaultKind::backend_crash:
      case FaultKind::slow_backend:
      case FaultKind::backend_errors:
      case FaultKind::node_loss:
      case FaultKind::deregistration: read_targets_fault(m, keys, fault); break;
      case FaultKind::link_degradation: read_link_fault(m, keys, item, path, fault); break;
      case FaultKind::partition: read_partition(m, keys, fault); break;
      case FaultKind::tls_resumption_loss:
      case FaultKind::traffic_surge: read_client_fault(m, keys, item, path, fault); break;
    }
  }

  std::optional<std::string> read_zone(const YAML::Node& n, const std::string& path) {
    const auto name = read_scalar(ctx_, n, path, "a zone name");
    if (!name) return std::nullopt;
    if (contains(spec_.topology.zones, *name)) return name;
    report_unknown_name(ctx_, n, path, "zone", *name, spec_.topology.zones);
    return std::nullopt;
  }

  void read_zone_fault(MapReader& m, const schema::Deferred& keys, FaultSpec& fault) {
    if (const YAML::Node n = keys["zone"]; n.IsDefined())
      if (const auto zone = read_zone(n, m.key_path("zone"))) fault.zone = *zone;
    fault.label += " " + fault.zone;
    if (fault.kind != FaultKind::zone_outage) return;
    if (const YAML::Node n = keys["scope"]; n.IsDefined()) {
      if (const auto scope = read_choice(ctx_, n, m.key_path("scope"), {"backends", "targets", "zone"})) {
        fault.whole_zone = *scope == "zone";
        fault.backends_only = *scope == "backends";
      }
    }
    if (fault.whole_zone) fault.label += " (whole zone)";
    if (fault.backends_only) fault.label += " (backends)";
  }

  void read_targets_fault(MapReader& m, const schema::Deferred& keys, FaultSpec& fault) {
    constexpr std::string_view kGlob = "a node name or a glob such as api-b-*";
    if (const YAML::Node n = keys["targets"]; n.IsDefined()) {
      if (const auto glob = read_scalar(ctx_, n, m.key_path("targets"), kGlob)) {
        fault.targets = *glob;
        pending_.push_back({fault.kind, *glob, n, m.key_path("targets")});
      }
    }
    fault.label += " " + fault.targets;
    if (fault.kind == FaultKind::slow_backend) read_slowdown(m, keys["factor"], fault);
    if (fault.kind == FaultKind::backend_errors) {
      const YAML::Node n = keys["error_rate"];
      assign_if_present(n, fault.error_rate, [&](const YAML::Node& v) { return read_share(ctx_, v, m.key_path("error_rate")); });
      if (n.IsScalar()) fault.label += " " + n.Scalar();
    }
  }

  void read_slowdown(MapReader& m, const YAML::Node& n, FaultSpec& fault) {
    assign_if_present(n, fault.factor, [&](const YAML::Node& v) {
      return read_factor(ctx_, v, m.key_path("factor"), 1, "service times are multiplied by it");
    });
    if (n.IsScalar()) fault.label += " x" + n.Scalar();
  }

  void read_link_fault(MapReader& m, const schema::Deferred& keys, const YAML::Node& item, const std::string& path, FaultSpec& fault) {
    if (const YAML::Node n = keys["link"]; n.IsDefined()) read_link_name(n, m.key_path("link"), fault);
    fault.label += " " + fault.link;
    const YAML::Node latency = keys["latency"], bandwidth = keys["bandwidth"], loss = keys["loss"];
    if (!latency.IsDefined() && !bandwidth.IsDefined() && !loss.IsDefined())
      ctx_.error(item, path + ": a link_degradation needs at least one of latency, bandwidth or loss");
    assign_if_present(latency, fault.extra_latency_s, [&](const YAML::Node& n) {
      return read_quantity(ctx_, n, m.key_path("latency"), limits::parse_duration, kDuration);
    });
    assign_if_present(bandwidth, fault.bandwidth_Bps, [&](const YAML::Node& n) {
      return read_quantity(ctx_, n, m.key_path("bandwidth"), limits::parse_bandwidth, kBandwidth);
    });
    assign_if_present(loss, fault.loss, [&](const YAML::Node& n) { return read_share(ctx_, n, m.key_path("loss")); });
  }

  void read_link_name(const YAML::Node& n, const std::string& path, FaultSpec& fault) {
    const auto name = read_scalar(ctx_, n, path, "inter-<zone>-<zone> or edge-<zone>");
    if (!name) return;
    const auto names = link_names(spec_.topology.zones);
    for (const auto& [given, stored] : names) {
      if (given == *name) {
        fault.link = stored;
        return;
      }
    }
    std::vector<std::string> stored;
    for (const auto& entry : names)
      if (!contains(stored, entry.second)) stored.push_back(entry.second);
    std::string message = path + ": no link '" + *name + "'";
    if (const auto suggestion = closest_match(*name, stored)) message += "; did you mean '" + *suggestion + "'?";
    else message += "; links are named inter-<zone>-<zone> or edge-<zone>: " + join_alternatives(stored);
    ctx_.error(n, message);
  }

  std::size_t zone_position(const std::string& zone) const {
    const auto& zones = spec_.topology.zones;
    return static_cast<std::size_t>(std::find(zones.begin(), zones.end(), zone) - zones.begin());
  }

  void read_partition(MapReader& m, const schema::Deferred& keys, FaultSpec& fault) {
    const YAML::Node list = keys["zones"];
    std::vector<std::string> zones;
    bool all_read = true;
    for_each_item(ctx_, list, m.key_path("zones"), [&](const YAML::Node& item, const std::string& item_path) {
      const auto zone = read_zone(item, item_path);
      if (zone) zones.push_back(*zone);
      all_read = all_read && zone.has_value();
    });
    if (!list.IsSequence() || !all_read) return;
    if (zones.size() != 2) {
      ctx_.error(list, m.key_path("zones") + ": expected exactly two zones, e.g. [a, b]; got " + std::to_string(zones.size()));
      return;
    }
    if (zones[0] == zones[1]) {
      ctx_.error(list, m.key_path("zones") + ": expected two distinct zones; got '" + zones[0] + "' twice");
      return;
    }
    // In the order of topology.zones, as link names are: the cut link is inter-<first>-<second>.
    if (zone_position(zones[1]) < zone_position(zones[0])) std::swap(zones[0], zones[1]);
    fault.label += " " + zones[0] + "|" + zones[1];
    fault.zones = std::move(zones);
  }

  std::optional<std::size_t> read_client_ref(const YAML::Node& n, const std::string& path) {
    const auto name = read_scalar(ctx_, n, path, "a client population's name");
    if (!name) return std::nullopt;
    std::vector<std::string> defined;
    for (std::size_t c = 0; c < spec_.clients.size(); ++c) {
      if (spec_.clients[c].name == *name) return c;
      defined.push_back(spec_.clients[c].name);
    }
    report_unknown_name(ctx_, n, path, "client population", *name, defined);
    return std::nullopt;
  }

  void read_client_fault(MapReader& m, const schema::Deferred& keys, const YAML::Node& item, const std::string& path, FaultSpec& fault) {
    const YAML::Node client = keys["client"];
    const YAML::Node factor = keys["factor"];
    assign_if_present(factor, fault.factor, [&](const YAML::Node& n) {
      return read_factor(ctx_, n, m.key_path("factor"), 0, "the arrival rate is multiplied by it");
    });
    std::optional<std::size_t> index;
    if (client.IsDefined()) {
      index = read_client_ref(client, m.key_path("client"));
      if (!index) return;  // reported; the checks below need the population
      fault.client = spec_.clients[*index].name;
      fault.label += " " + fault.client;
    }
    if (factor.IsScalar()) fault.label += " x" + factor.Scalar();
    const YAML::Node& at = client.IsDefined() ? client : item;
    const std::string at_path = client.IsDefined() ? m.key_path("client") : path;
    if (fault.kind == FaultKind::traffic_surge) check_open_loop(index, at, at_path);
    else check_resumes_sessions(index, at, at_path);
  }

  // A surge multiplies an arrival rate; a closed loop and a replay have none to multiply.
  void check_open_loop(std::optional<std::size_t> index, const YAML::Node& at, const std::string& path) {
    for (std::size_t c = 0; c < spec_.clients.size(); ++c) {
      const ClientSpec& client = spec_.clients[c];
      if ((index && *index != c) || !(client.arrival.closed() || client.arrival.replay)) continue;
      const bool closed = client.arrival.closed();
      const std::string what = closed ? "a closed loop (arrival kind closed)" : "a replay (arrival kind replay)";
      const std::string which = index ? "'" + client.name + "' is " + what
                                       : "without 'client' every population surges, and '" + client.name + "' is " + what;
      ctx_.error(at, path + ": " + which + (closed ? "; a closed loop's load is set by its users, not by a rate"
                                                    : "; a replay sends what its logs hold (replay faster with its `speed`)"));
      return;
    }
  }

  // Losing resumption changes nothing for a client that resumes no sessions.
  void check_resumes_sessions(std::optional<std::size_t> index, const YAML::Node& at, const std::string& path) {
    auto resumes = [](const ClientSpec& c) { return c.tls.enabled && c.tls.resumption > 0; };
    if (index && !resumes(spec_.clients[*index]))
      ctx_.error(at, path + ": '" + spec_.clients[*index].name +
                         "' resumes no TLS sessions (tls: none, or tls.resumption 0%), so it has none to lose");
    if (!index && std::none_of(spec_.clients.begin(), spec_.clients.end(), resumes))
      ctx_.error(at, path + ": no client population resumes TLS sessions (each has tls: none, or tls.resumption 0%), so none are lost");
  }

  void check_targets() {
    const NodeNames names(spec_);
    for (const auto& p : pending_) {
      if (p.kind == FaultKind::node_loss) check_node_targets(p, names);
      else check_backend_targets(p, names);
    }
  }

  // ", e.g. l4-a-0", or what the scenario lacks when it has no such node to show (a file
  // with no zones or no target groups yet must still get its message, not a crash).
  static std::string example(const std::vector<std::string>& names, const char* none) {
    return names.empty() ? std::string("; ") + none : ", e.g. " + names.front();
  }

  void check_backend_targets(const PendingTargets& p, const NodeNames& names) {
    if (any_match(p.glob, names.backends)) return;
    std::string message = p.path + ": '" + p.glob + "' matches no backend; backends are named <group>-<zone>-<n>" +
                          example(names.backends, "this scenario has none (no zones or no target groups)");
    if (any_match(p.glob, names.l4) || any_match(p.glob, names.l7)) message += " (L4 and L7 nodes fail with node_loss)";
    ctx_.error(p.node, message);
  }

  void check_node_targets(const PendingTargets& p, const NodeNames& names) {
    if (any_match(p.glob, names.l4) || any_match(p.glob, names.l7)) return;
    std::string message = p.path + ": '" + p.glob + "' ";
    if (any_match(p.glob, names.backends))
      message += "names backends; node_loss takes L4 or L7 nodes (a backend fails with backend_crash)";
    else if (names.l7.empty())
      message += "matches no L4 node; they are named l4-<zone>-<n>" + example(names.l4, "this scenario has none (no zones)") +
                 " (this layout has no L7 tier)";
    else
      message += "matches no L4 or L7 node; they are named l4-<zone>-<n> and l7-<zone>-<n>" + example(names.l7, "this scenario has none");
    ctx_.error(p.node, message);
  }

  Context& ctx_;
  ScenarioSpec& spec_;
  std::vector<FaultSpec> faults_;
  std::vector<PendingTargets> pending_;
};

// ---- service-level objectives ----

constexpr std::pair<std::string_view, SloObjective::Metric> kMetrics[] = {
    {"p50", SloObjective::Metric::p50},   {"p90", SloObjective::Metric::p90},   {"p99", SloObjective::Metric::p99},
    {"p999", SloObjective::Metric::p999}, {"mean", SloObjective::Metric::mean}, {"error_rate", SloObjective::Metric::error_rate},
};

// A latency bound is a duration; an error-rate bound a percentage.
std::optional<double> read_threshold(Context& ctx, SloObjective::Metric metric, const YAML::Node& n, const std::string& path) {
  if (metric == SloObjective::Metric::error_rate) return read_share(ctx, n, path);
  return read_quantity(ctx, n, path, limits::parse_duration, kDuration);
}

// Windows are whole seconds: the run's time series are kept per second.
std::optional<double> read_window(Context& ctx, const YAML::Node& n, const std::string& path) {
  const auto window = read_quantity(ctx, n, path, limits::parse_duration, kDuration);
  if (window && (*window < 1 || std::abs(*window - std::round(*window)) > 1e-9)) {
    ctx.error(n, path + ": expected a whole number of seconds, at least 1s, got '" + n.Scalar() + "'");
    return std::nullopt;
  }
  return window;
}

struct GivenMetric {
  std::string_view key;
  SloObjective::Metric metric;
  YAML::Node value;
};

// The metric keys an objective gives, in the file's order.
std::vector<GivenMetric> given_metrics(MapReader& m) {
  std::vector<GivenMetric> given;
  for (const auto& [key, metric] : kMetrics)
    if (const YAML::Node n = m.take(key); n.IsDefined()) given.push_back({key, metric, n});
  std::sort(given.begin(), given.end(), [](const GivenMetric& a, const GivenMetric& b) {
    return std::pair(a.value.Mark().line, a.value.Mark().column) < std::pair(b.value.Mark().line, b.value.Mark().column);
  });
  return given;
}

void read_objective(Context& ctx, const YAML::Node& item, const std::string& path, std::vector<SloObjective>& out) {
  MapReader m(ctx, item, path);
  if (!m.valid()) return;
  const auto metrics = given_metrics(m);
  const YAML::Node window = m.take("window");
  for (std::size_t i = 1; i < metrics.size(); ++i)
    ctx.error(metrics[i].value, m.key_path(metrics[i].key) + ": one metric per objective (this one has " + std::string(metrics[0].key) +
                                    "); write another item");
  if (metrics.empty()) {
    // Any other key is reported as unknown (often a near miss of a metric); only a bare
    // objective needs its own message.
    if (item.size() == (window.IsDefined() ? 1u : 0u))
      ctx.error(item, path + ": expected a metric: p50, p90, p99, p999, mean (durations) or error_rate (a percentage)");
    return;
  }
  SloObjective objective;
  objective.line = item.Mark().line + 1;
  const auto& [found_key, found_metric, value] = metrics.front();
  const auto key = found_key;        // copies: a lambda may not capture a structured
  const auto metric = found_metric;  // binding before C++20 in clang 14 (the fuzz build)
  objective.metric = metric;
  assign_if_present(value, objective.threshold, [&](const YAML::Node& n) { return read_threshold(ctx, metric, n, m.key_path(key)); });
  if (value.IsScalar()) objective.text = std::string(key) + " <= " + value.Scalar();
  assign_if_present(window, objective.window_s, [&](const YAML::Node& n) { return read_window(ctx, n, m.key_path("window")); });
  if (window.IsScalar()) objective.text += " per " + window.Scalar();
  out.push_back(std::move(objective));
}

}  // namespace

void read_faults(Context& ctx, const YAML::Node& node, ScenarioSpec& spec) {
  if (node.IsDefined()) FaultsReader(ctx, spec).read(node);
}

void read_slo(Context& ctx, const YAML::Node& node, ScenarioSpec& spec) {
  for_each_item(ctx, node, "slo", [&](const YAML::Node& item, const std::string& path) { read_objective(ctx, item, path, spec.slo); });
}

}  // namespace detail

std::string_view to_string(FaultKind kind) { return schema::fault_kind_name(kind); }

FaultSpec load_live_fault(const ScenarioSpec& spec, const std::string& text, const std::string& source) {
  detail::Context ctx(source);
  YAML::Node item;
  try {
    item = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    ctx.error(e.mark, "expected a fault as a YAML or JSON mapping: " + e.msg);
    throw ConfigError(ctx.diagnostics());
  }
  if (item.IsMap() && !item["at"]) item["at"] = "0s";  // it starts when it arrives
  YAML::Node list(YAML::NodeType::Sequence);
  list.push_back(item);
  ScenarioSpec scratch = spec;
  scratch.faults.clear();
  detail::read_faults(ctx, list, scratch);
  if (!ctx.diagnostics().empty()) throw ConfigError(ctx.diagnostics());
  return scratch.faults.front();
}

}  // namespace lbsim::config
