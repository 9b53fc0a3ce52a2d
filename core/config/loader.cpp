// SPDX-License-Identifier: GPL-3.0-or-later
#include "config/loader.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdio>
#include <set>
#include <tuple>

#include "config/faults_reader.hpp"
#include "config/quiz_reader.hpp"
#include "config/scenario_tree.hpp"
#include "config/schema_fields.hpp"
#include "config/schema_tables.hpp"
#include "config/section_readers.hpp"
#include "config/yaml_reader.hpp"
#include "balancing/registry.hpp"
#include "l7/rules.hpp"
#include "topology/topology.hpp"
#include "util/units.hpp"

namespace lbsim::config {

using namespace detail;  // the generic readers (yaml_reader.hpp)

std::string Diagnostic::to_string() const {
  // A problem with no place in a file (a --set override) names its source alone.
  // Both may hold what a file said: never let it reach a terminal raw.
  if (line == 0) return printable(file) + ": error: " + printable(message);
  return printable(file) + ":" + std::to_string(line) + ":" + std::to_string(column) + ": error: " + printable(message);
}

namespace {

std::string join_lines(const std::vector<Diagnostic>& diagnostics) {
  std::string out;
  for (const auto& d : diagnostics) {
    if (!out.empty()) out += '\n';
    out += d.to_string();
  }
  return out;
}

}  // namespace

ConfigError::ConfigError(std::vector<Diagnostic> diagnostics)
    : std::runtime_error(join_lines(diagnostics)), diagnostics_(std::move(diagnostics)) {}

std::optional<std::uint32_t> ScenarioSpec::find_group(std::string_view group_name) const {
  for (std::uint32_t i = 0; i < target_groups.size(); ++i) {
    if (target_groups[i].name == group_name) return i;
  }
  return std::nullopt;
}

std::vector<traffic::RateMultiplier> ScenarioSpec::surges_of(const ClientSpec& client) const {
  std::vector<traffic::RateMultiplier> surges;
  for (const auto& fault : faults) {
    if (fault.kind != FaultKind::traffic_surge || (!fault.client.empty() && fault.client != client.name)) continue;
    surges.push_back({fault.at_s, fault.for_s ? fault.at_s + *fault.for_s : duration_s, fault.factor});
  }
  return surges;
}

namespace {

// ---- sections ----

class ScenarioReader {
public:
  ScenarioReader(Context& ctx, ScenarioSpec& spec, const FileReader& read_file) : ctx_(ctx), spec_(spec), read_file_(read_file) {}

  void read(const YAML::Node& root) {
    MapReader top(ctx_, root, "");
    if (!top.valid()) return;
    const auto sections = schema::read_fields(ctx_, top, schema::top_fields(), spec_);
    if (spec_.warmup_s > 0 && spec_.warmup_s >= spec_.duration_s)
      ctx_.error(top.take("warmup"), "warmup: expected less than the run's duration, or no request would be measured");
    read_topology(sections["topology"]);
    // Target groups first: rules and the L4 tier refer to them by name.
    read_target_groups(sections["target_groups"]);
    read_l4(sections["l4"]);
    if (const YAML::Node l7 = sections["l7"]; l7.IsDefined()) read_l7(l7);
    read_clients(sections["clients"]);
    resolve_health_checks();
    check_tls_keys();
    check_weights();
    if (spec_.l7 == std::nullopt && !spec_.l4.target_group && has_l4_) {
      ctx_.error(l4_mark_, "l4: an L4-only layout (no l7 section) needs 'target_group', the group the L4 tier forwards to");
    }
    // Last: faults name zones, client populations and the nodes every other section makes.
    read_faults(ctx_, sections["faults"], spec_);
    read_slo(ctx_, sections["slo"], spec_);
    // Checked and named, not applied: load_scenario_variant (variants.hpp) applies one.
    for (const auto& variant : read_variants(ctx_, sections["variants"])) spec_.variant_names.push_back(variant.name);
    // A lesson's questions name its variants.
    read_quiz(ctx_, sections["quiz"], spec_);
  }

private:
  void read_link(const YAML::Node& node, const std::string& path, LinkSpec& link) {
    if (!node.IsDefined()) return;
    MapReader m(ctx_, node, path);
    schema::read_fields(ctx_, m, schema::link_fields(), link);
  }

  void read_topology(const YAML::Node& node) {
    if (!node.IsDefined()) return;
    MapReader m(ctx_, node, "topology");
    const auto keys = schema::read_fields(ctx_, m, schema::topology_fields(), spec_.topology);
    const YAML::Node zones = keys["zones"];
    for_each_item(ctx_, zones, "topology.zones", [&](const YAML::Node& item, const std::string& path) {
      const auto zone = read_name(ctx_, item, path);
      if (!zone) return;
      if (std::find(spec_.topology.zones.begin(), spec_.topology.zones.end(), *zone) != spec_.topology.zones.end()) {
        ctx_.error(item, path + ": zone '" + *zone + "' is listed twice");
        return;
      }
      spec_.topology.zones.push_back(*zone);
    });
    if (zones.IsSequence() && zones.size() == 0) ctx_.error(zones, "topology.zones: expected at least one zone");
    read_link(keys["internet"], "topology.internet", spec_.topology.internet);
    read_link(keys["intra_zone"], "topology.intra_zone", spec_.topology.intra_zone);
    read_link(keys["inter_zone"], "topology.inter_zone", spec_.topology.inter_zone);
  }

  // Health-check keys as given; the preset they override depends on who checks.
  struct HealthCheckKeys : schema::HealthCheckKeys {
    YAML::Mark mark;
    std::string path;
  };

  std::optional<HealthCheckKeys> read_health_check(const YAML::Node& node, const std::string& path) {
    if (!node.IsDefined()) return std::nullopt;
    MapReader m(ctx_, node, path);
    if (!m.valid()) return std::nullopt;
    HealthCheckKeys keys;
    keys.mark = node.Mark();
    keys.path = path;
    schema::read_fields(ctx_, m, schema::health_check_fields(), static_cast<schema::HealthCheckKeys&>(keys));
    return keys;
  }

  health::ActiveCheckConfig apply_health_keys(health::ActiveCheckConfig preset, const std::optional<HealthCheckKeys>& keys) {
    if (!keys) return preset;
    if (keys->interval) preset.interval_s = *keys->interval;
    if (keys->timeout) preset.timeout_s = *keys->timeout;
    if (keys->healthy) preset.healthy_threshold = *keys->healthy;
    if (keys->unhealthy) preset.unhealthy_threshold = *keys->unhealthy;
    if (preset.timeout_s >= preset.interval_s)
      ctx_.error(keys->mark, keys->path + ": the timeout must be shorter than the interval (a probe must end before the next)");
    return preset;
  }


  // Only the tier that terminates TLS has a certificate: a key given elsewhere would be
  // silently unused.
  void check_tls_keys() {
    if (!spec_.has_l7()) return;
    for (const auto& node : group_tls_nodes_)
      ctx_.error(node, "target_groups: tls: only in an L4-only layout (with an l7 section, the L7 nodes terminate TLS; set l7.tls)");
  }

  void resolve_health_checks() {
    const auto preset = spec_.has_l7() ? health::ActiveCheckConfig::alb() : health::ActiveCheckConfig::nlb();
    for (std::size_t g = 0; g < spec_.target_groups.size(); ++g)
      spec_.target_groups[g].health_check = apply_health_keys(preset, group_health_keys_[g]);
    spec_.l4.health_check = apply_health_keys(health::ActiveCheckConfig::nlb(), l4_health_keys_);
  }

  // Fills the group's stickiness; its duration stays unset when the block is invalid.
  void read_stickiness(const YAML::Node& node, const std::string& path, TargetGroupSpec& group) {
    MapReader m(ctx_, node, path);
    if (!m.valid()) return;
    schema::StickinessKeys keys;
    const std::size_t problems = ctx_.diagnostics().size();
    const auto [kind, deferred] = schema::read_kind_fields(ctx_, m, schema::stickiness_kinds(), keys);
    if (kind == nullptr) return;
    // Application-based stickiness follows the application's own session cookie.
    if (const YAML::Node cookie = deferred["cookie"]; cookie.IsDefined()) {
      const auto name = read_scalar(ctx_, cookie, m.key_path("cookie"), "a cookie name");
      if (!name) return;
      if (name->empty() || name->rfind("AWSALB", 0) == 0) {
        ctx_.error(cookie, m.key_path("cookie") + ": expected the application's cookie name; names starting with AWSALB are the balancer's");
        return;
      }
      group.app_cookie = *name;
    }
    if (ctx_.diagnostics().size() == problems) group.sticky_duration_s = keys.duration;
  }

  // `weights: { <backend glob>: 1..256 }`; the globs are checked once the layout is known.
  void read_weights(const YAML::Node& node, const std::string& path, TargetGroupSpec& group) {
    for_each_entry(ctx_, node, path, [&](const YAML::Node& key, const YAML::Node& value, const std::string& entry_path) {
      const auto glob = read_scalar(ctx_, key, entry_path, "a backend name or a glob such as " + group.name + "-*-0");
      const auto weight = read_uint(ctx_, value, entry_path, 1, 256);
      if (!glob || !weight) return;
      group.weights.push_back({*glob, static_cast<std::uint32_t>(*weight)});
      weight_keys_.push_back({spec_.target_groups.size(), group.weights.size() - 1, key, entry_path});
    });
    if (node.IsMap() && node.size() == 0) ctx_.error(node, path + ": expected at least one `<backend glob>: weight` entry");
  }

  // Every weight names a backend of its group, and an algorithm that reads weights picks
  // among them: unequal weights under round robin would be silently ignored.
  void check_weights() {
    if (weight_keys_.empty() || !ctx_.diagnostics().empty()) return;  // names come from zones and groups read without error
    // The names and weights the layout gives each backend (the topology owns both).
    const topology::Topology layout(spec_);
    const auto backends_of = [&](std::size_t g) {
      std::vector<const topology::Node*> nodes;
      for (std::uint32_t z = 0; z < spec_.topology.zones.size(); ++z)
        for (const topology::Vertex v : layout.backends(static_cast<std::uint32_t>(g), z)) nodes.push_back(&layout.node(v));
      return nodes;
    };
    for (const auto& w : weight_keys_) {
      const TargetGroupSpec& group = spec_.target_groups[w.group];
      const std::string& glob = group.weights[w.entry].glob;
      const auto nodes = backends_of(w.group);
      if (std::any_of(nodes.begin(), nodes.end(), [&](const topology::Node* n) { return l7::glob_match(glob, n->name); })) continue;
      ctx_.error(w.key, w.path + ": '" + glob + "' matches no backend of group " + group.name + "; its backends are named " + group.name +
                            "-<zone>-<n>" + (nodes.empty() ? std::string() : ", e.g. " + nodes.front()->name));
    }
    for (std::size_t g = 0; g < spec_.target_groups.size(); ++g) {
      const TargetGroupSpec& group = spec_.target_groups[g];
      const auto nodes = backends_of(g);
      const bool all_equal = std::all_of(nodes.begin(), nodes.end(), [&](const topology::Node* n) { return n->weight == nodes.front()->weight; });
      if (group.weights.empty() || all_equal) continue;
      // Backends are picked by the L7 tier, or by the L4 tier in an L4-only layout.
      const bool by_l4 = !spec_.has_l7();
      const std::string& algorithm = by_l4 ? spec_.l4.algorithm : spec_.l7->algorithm;
      const balancing::Algorithm* a = balancing::find_algorithm(algorithm);
      if (a == nullptr || a->weighted) continue;
      const auto first = std::find_if(weight_keys_.begin(), weight_keys_.end(), [&](const auto& w) { return w.group == g; });
      ctx_.error(first->key, "target_groups." + group.name + ".weights: " + (by_l4 ? "l4" : "l7") + ".algorithm " + algorithm +
                                 " ignores weights; expected one that reads them: " + weighted_algorithm_names());
    }
  }

  static std::string weighted_algorithm_names() {
    std::string names;
    for (const balancing::Algorithm* a : balancing::algorithms())
      if (a->weighted) names += (names.empty() ? "" : ", ") + std::string(a->name);
    return names;
  }

  std::optional<tls::KeyType> read_tls_key(const YAML::Node& node, const std::string& path) {
    MapReader m(ctx_, node, path);
    if (!m.valid()) return std::nullopt;
    schema::TlsCertificate certificate;
    schema::read_fields(ctx_, m, schema::tls_certificate_fields(), certificate);
    return certificate.key;
  }

  void read_target_groups(const YAML::Node& node) {
    for_each_entry(ctx_, node, "target_groups", [&](const YAML::Node& key, const YAML::Node& value, const std::string& path) {
      TargetGroupSpec group;
      const auto name = read_name(ctx_, key, path);
      if (!name) return;
      if (*name == "l4" || *name == "l7" || *name == "client") {
        ctx_.error(key, path + ": '" + *name + "' is reserved for a tier; choose another group name");
        return;
      }
      group.name = *name;
      MapReader m(ctx_, value, path);
      const auto keys = schema::read_fields(ctx_, m, schema::target_group_fields(), group);
      if (const YAML::Node st = keys["service_time"]; st.IsDefined())
        if (auto d = read_distribution(ctx_, read_file_, st, m.key_path("service_time"), schema::Kind::duration))
          group.service_time = std::move(*d);
      group_health_keys_.push_back(read_health_check(keys["health_check"], m.key_path("health_check")));
      if (const YAML::Node tls = keys["tls"]; tls.IsDefined()) {
        if (const auto key = read_tls_key(tls, m.key_path("tls"))) group.tls_key = *key;
        group_tls_nodes_.push_back(tls);
      }
      if (const YAML::Node st = keys["stickiness"]; st.IsDefined()) read_stickiness(st, m.key_path("stickiness"), group);
      if (const YAML::Node w = keys["weights"]; w.IsDefined()) read_weights(w, m.key_path("weights"), group);
      spec_.target_groups.push_back(std::move(group));
    });
    if (node.IsMap() && node.size() == 0) ctx_.error(node, "target_groups: expected at least one target group");
  }

  void read_l4(const YAML::Node& node) {
    if (!node.IsDefined()) return;
    has_l4_ = true;
    l4_mark_ = node.Mark();
    MapReader m(ctx_, node, "l4");
    L4Spec& l4 = spec_.l4;
    const auto keys = schema::read_fields(ctx_, m, schema::l4_fields(), l4);
    read_algorithm_options(m, keys, l4.algorithm, l4.algorithm_options);
    l4_health_keys_ = read_health_check(keys["health_check"], m.key_path("health_check"));
    if (const YAML::Node tg = keys["target_group"]; tg.IsDefined()) {
      target_group_node_ = tg;
      l4.target_group = read_group_ref(ctx_, spec_, tg, m.key_path("target_group"));
    }
  }

  // Tunables that only some algorithms have (their descriptors list them): a key the
  // chosen algorithm does not read is an error, not silently ignored.
  void read_algorithm_options(const MapReader& m, const schema::Deferred& keys, const std::string& algorithm,
                              balancing::PickerOptions& options) {
    for (const std::string_view key : balancing::tunable_keys()) {
      const YAML::Node n = keys[key];
      if (!n.IsDefined()) continue;
      const balancing::Algorithm& owner = *balancing::algorithm_with_tunable(key);
      if (algorithm != owner.name) {
        ctx_.error(n, m.key_path(key) + ": only for algorithm " + std::string(owner.name) + " (this one is " + algorithm + ")");
        continue;
      }
      const auto& t = *std::find_if(owner.tunables.begin(), owner.tunables.end(), [&](const auto& t) { return t.key == key; });
      const auto value = read_uint(ctx_, n, m.key_path(key), t.min, t.max);
      if (!value) continue;
      options.*t.field = static_cast<std::uint32_t>(*value);
      if (t.valid != nullptr && !t.valid(*value))
        ctx_.error(n, m.key_path(key) + ": expected " + std::string(t.valid_text) + ", got " + std::to_string(*value));
    }
  }

  std::optional<l7::RateLimitSettings> read_rate_limit(const YAML::Node& node, const std::string& path) {
    MapReader m(ctx_, node, path);
    if (!m.valid()) return std::nullopt;
    l7::RateLimitSettings settings;
    const auto keys = schema::read_fields(ctx_, m, schema::rate_limit_fields(), settings);
    const YAML::Node header = keys["header"];
    assign_if_present(header, settings.header, [&](const YAML::Node& n) { return read_scalar(ctx_, n, m.key_path("header"), "a header name"); });
    if (settings.key == l7::RateKey::header && settings.header.empty())
      ctx_.error(node, path + ": key: header needs 'header', the header whose value is the key");
    if (settings.key != l7::RateKey::header && header.IsDefined())
      ctx_.error(header, m.key_path("header") + ": only with key: header");
    return settings;
  }

  // A section every key of which is a table line; its defaults are the struct's.
  template <class S>
  std::optional<S> read_section(const YAML::Node& node, const std::string& path, const schema::Fields<S>& fields) {
    MapReader m(ctx_, node, path);
    if (!m.valid()) return std::nullopt;
    S section;
    schema::read_fields(ctx_, m, fields, section);
    return section;
  }

  void read_l7_retries(const YAML::Node& node, const std::string& path, L7RetrySpec& r) {
    MapReader m(ctx_, node, path);
    if (!m.valid()) return;
    const auto keys = schema::read_fields(ctx_, m, schema::l7_retry_fields(), r);
    if (const YAML::Node on = keys["on"]; on.IsDefined()) read_retry_on(on, m.key_path("on"), r);
  }

  // The list given replaces the default [5xx, reset]: what it leaves out is not retried.
  void read_retry_on(const YAML::Node& node, const std::string& path, L7RetrySpec& r) {
    r.on_5xx = r.on_reset = r.on_timeout = false;
    std::set<std::string> seen;
    for_each_item(ctx_, node, path, [&](const YAML::Node& item, const std::string& item_path) {
      const auto condition = read_choice(ctx_, item, item_path, {"5xx", "reset", "timeout"});
      if (!condition) return;
      if (!seen.insert(*condition).second) ctx_.error(item, item_path + ": '" + *condition + "' is listed twice");
      (*condition == "5xx" ? r.on_5xx : *condition == "reset" ? r.on_reset : r.on_timeout) = true;
    });
    if (node.IsSequence() && node.size() == 0) ctx_.error(node, path + ": expected at least one of 5xx, reset or timeout (for no retries, max: 0)");
  }

  void read_l7(const YAML::Node& node) {
    MapReader m(ctx_, node, "l7");
    spec_.l7.emplace();
    L7Spec& l7 = *spec_.l7;
    if (target_group_node_.IsDefined())
      ctx_.error(target_group_node_, "l4.target_group: only for an L4-only layout; with an l7 section its rules choose target groups");
    const auto keys = schema::read_fields(ctx_, m, schema::l7_fields(), l7);
    if (const YAML::Node cpu = keys["cpu"]; cpu.IsDefined()) {
      MapReader c(ctx_, cpu, "l7.cpu");
      schema::read_fields(ctx_, c, schema::l7_cpu_fields(), l7);
    }
    read_algorithm_options(m, keys, l7.algorithm, l7.algorithm_options);
    if (const YAML::Node cz = keys["cross_zone"]; cz.IsDefined()) {
      if (const auto mode = read_choice(ctx_, cz, m.key_path("cross_zone"), {"true", "false", "zone_aware"})) {
        l7.cross_zone = *mode != "false";
        l7.zone_aware = *mode == "zone_aware";
      }
    }
    if (const YAML::Node tls = keys["tls"]; tls.IsDefined())
      if (const auto key = read_tls_key(tls, m.key_path("tls"))) l7.tls_key = *key;
    if (const YAML::Node od = keys["outlier_detection"]; od.IsDefined()) l7.outlier_detection = read_section(od, m.key_path("outlier_detection"), schema::outlier_fields());
    if (const YAML::Node rl = keys["rate_limit"]; rl.IsDefined()) l7.rate_limit = read_rate_limit(rl, m.key_path("rate_limit"));
    if (const YAML::Node r = keys["retries"]; r.IsDefined()) read_l7_retries(r, m.key_path("retries"), l7.retries);
    if (const YAML::Node cb = keys["circuit_breakers"]; cb.IsDefined())
      l7.circuit_breakers = read_section(cb, m.key_path("circuit_breakers"), schema::circuit_breaker_fields());
    read_rules(ctx_, keys["rules"], spec_);
  }

  void read_request_template(const YAML::Node& node, const std::string& path, RequestTemplate& t) {
    MapReader m(ctx_, node, path);
    if (!m.valid()) return;
    const auto keys = schema::read_fields(ctx_, m, schema::request_template_fields(), t);
    assign_if_present(keys["path"], t.path, [&](const YAML::Node& n) {
      return read_parsed(ctx_, n, m.key_path("path"), "a path starting with '/'", [](const std::string& text) -> std::optional<std::string> {
        if (text.empty() || text.front() != '/') return std::nullopt;
        return text;
      });
    });
    t.headers = read_string_map(ctx_, keys["headers"], m.key_path("headers"));
    const YAML::Node cookies = keys["cookies"];
    t.cookies = read_string_map(ctx_, cookies, m.key_path("cookies"));
    if (t.cookies.size() > kMaxTemplateCookies)
      ctx_.error(cookies, m.key_path("cookies") + ": at most " + std::to_string(kMaxTemplateCookies) + " cookies per request template");
    // A size, or a distribution of sizes: { dist: lognormal, median: 20KB, p99: 400KB }.
    for (auto [key, field] : {std::pair{"request", &t.request_bytes}, std::pair{"response", &t.response_bytes}}) {
      const YAML::Node n = keys[key];
      if (!n.IsDefined()) continue;
      if (n.IsScalar()) {
        if (const auto size = read_quantity(ctx_, n, m.key_path(key), limits::parse_size, kSize)) *field = Distribution::constant(*size);
      } else if (auto d = read_distribution(ctx_, read_file_, n, m.key_path(key), schema::Kind::size)) {
        *field = std::move(*d);
      }
    }
  }

  void read_client(const YAML::Node& node, const std::string& path) {
    MapReader m(ctx_, node, path);
    if (!m.valid()) return;
    ClientSpec client;
    const auto keys = schema::read_fields(ctx_, m, schema::client_fields(), client);
    const YAML::Node name = keys["name"];
    assign_if_present(name, client.name, [&](const YAML::Node& n) { return read_name(ctx_, n, m.key_path("name")); });
    for (const auto& other : spec_.clients) {
      if (!client.name.empty() && other.name == client.name) ctx_.error(name, m.key_path("name") + ": client '" + client.name + "' is defined twice");
    }
    if (const YAML::Node arrival = keys["arrival"]; arrival.IsDefined())
      read_arrival(ctx_, read_file_, arrival, m.key_path("arrival"), client.arrival);
    if (const YAML::Node tls = keys["tls"]; tls.IsDefined()) read_client_tls(tls, m.key_path("tls"), client.tls);
    if (const YAML::Node retries = keys["retries"]; retries.IsDefined()) read_retries(retries, m.key_path("retries"), client.retries);
    if (const YAML::Node keepalive = keys["keepalive"]; keepalive.IsDefined()) {
      MapReader k(ctx_, keepalive, m.key_path("keepalive"));
      schema::read_fields(ctx_, k, schema::keepalive_fields(), client);
    }
    const YAML::Node mix = keys["mix"];
    for_each_item(ctx_, mix, m.key_path("mix"), [&](const YAML::Node& item, const std::string& item_path) {
      client.mix.emplace_back();
      read_request_template(item, item_path, client.mix.back());
    });
    if (mix.IsSequence() && mix.size() == 0) ctx_.error(mix, m.key_path("mix") + ": expected at least one request template");
    spec_.clients.push_back(std::move(client));
  }

  void read_client_tls(const YAML::Node& node, const std::string& path, ClientTlsSpec& tls) {
    if (node.IsScalar() && node.Scalar() == "none") {
      tls.enabled = false;
      return;
    }
    MapReader m(ctx_, node, path);
    if (!m.valid()) return;
    schema::read_fields(ctx_, m, schema::client_tls_fields(), tls);
  }

  void read_retries(const YAML::Node& node, const std::string& path, RetrySpec& r) {
    MapReader m(ctx_, node, path);
    if (!m.valid()) return;
    schema::read_fields(ctx_, m, schema::client_retry_fields(), r);
    if (r.backoff.cap_s < r.backoff.base_s) ctx_.error(node, path + ": max_backoff must be at least backoff");
  }

  void read_clients(const YAML::Node& node) {
    for_each_item(ctx_, node, "clients", [&](const YAML::Node& item, const std::string& path) { read_client(item, path); });
    if (node.IsSequence() && node.size() == 0) ctx_.error(node, "clients: expected at least one client population");
  }

  Context& ctx_;
  ScenarioSpec& spec_;
  const FileReader& read_file_;
  bool has_l4_ = false;
  YAML::Mark l4_mark_;
  YAML::Node target_group_node_{YAML::NodeType::Undefined};
  std::vector<std::optional<HealthCheckKeys>> group_health_keys_;  // by target group
  std::optional<HealthCheckKeys> l4_health_keys_;
  std::vector<YAML::Node> group_tls_nodes_;
  struct WeightKey {
    std::size_t group, entry;  // target_groups[group].weights[entry]
    YAML::Node key;
    std::string path;
  };
  std::vector<WeightKey> weight_keys_;
};

}  // namespace

namespace detail {

std::optional<YAML::Node> parse_scenario(Context& ctx, const std::string& yaml_text) {
  // Names and paths end up in JSON, which must be UTF-8: refuse other bytes here, with
  // their place, rather than fail when the summary is written.
  if (const auto bad = first_invalid_utf8(yaml_text)) {
    const std::string_view before(yaml_text.data(), *bad);
    const auto line_start = before.rfind('\n');
    YAML::Mark mark;
    mark.line = static_cast<int>(std::count(before.begin(), before.end(), '\n'));
    mark.column = static_cast<int>(line_start == std::string_view::npos ? *bad : *bad - line_start - 1);
    char byte[8];
    std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned>(static_cast<unsigned char>(yaml_text[*bad])));
    ctx.error(mark, std::string("expected UTF-8 text; byte ") + byte + " does not begin a UTF-8 character");
    return std::nullopt;
  }
  YAML::Node root;
  try {
    root = YAML::Load(yaml_text);
  } catch (const YAML::ParserException& e) {
    ctx.error(e.mark, "invalid YAML: " + e.msg);
    return std::nullopt;
  }
  if (!root.IsDefined() || root.IsNull()) {
    ctx.error(YAML::Mark(), "the file is empty; expected a scenario mapping (name, topology, clients, l4, target_groups)");
    return std::nullopt;
  }
  return root;
}

ScenarioSpec read_scenario(Context& ctx, const YAML::Node& root, const std::string& file_name, const FileReader& read_file) {
  ScenarioSpec spec;
  spec.source_file = file_name;
  ScenarioReader(ctx, spec, read_file).read(root);
  return spec;
}

void throw_if_errors(Context& ctx) {
  auto& diagnostics = ctx.diagnostics();
  if (diagnostics.empty()) return;
  // Readers report unknown keys when they finish a mapping: put the file back in order.
  std::stable_sort(diagnostics.begin(), diagnostics.end(),
                   [](const Diagnostic& a, const Diagnostic& b) { return std::tie(a.line, a.column) < std::tie(b.line, b.column); });
  throw ConfigError(std::move(diagnostics));
}

}  // namespace detail

ScenarioSpec load_scenario(const std::string& yaml_text, const std::string& file_name, const FileReader& read_file) {
  Context ctx(file_name);
  const auto root = parse_scenario(ctx, yaml_text);
  if (!root) throw_if_errors(ctx);
  ScenarioSpec spec = read_scenario(ctx, *root, file_name, read_file);
  throw_if_errors(ctx);
  return spec;
}

}  // namespace lbsim::config
