// SPDX-License-Identifier: GPL-3.0-or-later
#include "config/loader.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <limits>
#include <set>
#include <tuple>

#include "config/faults_reader.hpp"
#include "config/scenario_tree.hpp"
#include "config/yaml_reader.hpp"
#include "health/slow_start.hpp"
#include "balancing/registry.hpp"
#include "l7/cidr.hpp"
#include "util/strings.hpp"
#include "util/units.hpp"

namespace lbsim::config {

using namespace detail;  // the generic readers (yaml_reader.hpp)

std::string Diagnostic::to_string() const {
  // A problem with no place in a file (a --set override) names its source alone.
  if (line == 0) return file + ": error: " + message;
  return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": error: " + message;
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

namespace {

// ---- sections ----

class ScenarioReader {
public:
  ScenarioReader(Context& ctx, ScenarioSpec& spec, const FileReader& read_file) : ctx_(ctx), spec_(spec), read_file_(read_file) {}

  void read(const YAML::Node& root) {
    MapReader top(ctx_, root, "");
    if (!top.valid()) return;
    assign_if_present(top.require("name", "the scenario's name"), spec_.name,
                      [&](const YAML::Node& n) { return read_scalar(ctx_, n, "name", "a text value"); });
    assign_if_present(top.take("description"), spec_.description,
                      [&](const YAML::Node& n) { return read_scalar(ctx_, n, "description", "a text value"); });
    assign_if_present(top.take("seed"), spec_.seed, [&](const YAML::Node& n) {
      return read_uint(ctx_, n, "seed", 0, std::numeric_limits<std::uint64_t>::max());
    });
    assign_if_present(top.take("duration"), spec_.duration_s, [&](const YAML::Node& n) {
      return read_quantity(ctx_, n, "duration", units::parse_duration, kDuration);
    });
    assign_if_present(top.take("drain_timeout"), spec_.drain_timeout_s, [&](const YAML::Node& n) {
      return read_quantity(ctx_, n, "drain_timeout", units::parse_duration, kDuration);
    });
    read_topology(top.require("topology", "zones and links"));
    // Target groups first: rules and the L4 tier refer to them by name.
    read_target_groups(top.require("target_groups", "the backend pools"));
    read_l4(top.require("l4", "the L4 tier"));
    if (const YAML::Node l7 = top.take("l7"); l7.IsDefined()) read_l7(l7);
    read_clients(top.require("clients", "a list of client populations"));
    resolve_health_checks();
    check_tls_keys();
    if (spec_.l7 == std::nullopt && !spec_.l4.target_group && has_l4_) {
      ctx_.error(l4_mark_, "l4: an L4-only layout (no l7 section) needs 'target_group', the group the L4 tier forwards to");
    }
    // Last: faults name zones, client populations and the nodes every other section makes.
    read_faults(ctx_, top.take("faults"), spec_);
    read_slo(ctx_, top.take("slo"), spec_);
    // Checked and named, not applied: load_scenario_variant (variants.hpp) applies one.
    for (const auto& variant : read_variants(ctx_, top.take("variants"))) spec_.variant_names.push_back(variant.name);
  }

private:
  void read_link(const YAML::Node& node, const std::string& path, LinkSpec& link) {
    if (!node.IsDefined()) return;
    MapReader m(ctx_, node, path);
    assign_if_present(m.take("latency"), link.latency_s, [&](const YAML::Node& n) {
      return read_quantity(ctx_, n, m.key_path("latency"), units::parse_duration, kDurationOrZero, true);
    });
    assign_if_present(m.take("bandwidth"), link.bandwidth_Bps, [&](const YAML::Node& n) {
      return read_quantity(ctx_, n, m.key_path("bandwidth"), units::parse_bandwidth, kBandwidth);
    });
  }

  void read_topology(const YAML::Node& node) {
    if (!node.IsDefined()) return;
    MapReader m(ctx_, node, "topology");
    const YAML::Node zones = m.require("zones", "a list of availability zone names");
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
    read_link(m.take("internet"), "topology.internet", spec_.topology.internet);
    read_link(m.take("intra_zone"), "topology.intra_zone", spec_.topology.intra_zone);
    read_link(m.take("inter_zone"), "topology.inter_zone", spec_.topology.inter_zone);
  }

  // Health-check keys as given; the preset they override depends on who checks.
  struct HealthCheckKeys {
    std::optional<double> interval, timeout;
    std::optional<std::uint32_t> healthy, unhealthy;
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
    assign_if_present(m.take("interval"), keys.interval, [&](const YAML::Node& n) {
      return read_quantity(ctx_, n, m.key_path("interval"), units::parse_duration, kDuration);
    });
    assign_if_present(m.take("timeout"), keys.timeout, [&](const YAML::Node& n) {
      return read_quantity(ctx_, n, m.key_path("timeout"), units::parse_duration, kDuration);
    });
    assign_if_present(m.take("healthy"), keys.healthy, [&](const YAML::Node& n) { return read_uint(ctx_, n, m.key_path("healthy"), 1, 10); });
    assign_if_present(m.take("unhealthy"), keys.unhealthy,
                      [&](const YAML::Node& n) { return read_uint(ctx_, n, m.key_path("unhealthy"), 1, 10); });
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
    std::string type = "lb_cookie";
    if (const YAML::Node t = m.take("type"); t.IsDefined())
      if (const auto choice = read_choice(ctx_, t, m.key_path("type"), {"lb_cookie", "app_cookie"})) type = *choice;
    // Application-based stickiness follows the application's own session cookie.
    const YAML::Node cookie = m.take("cookie");
    if (type == "app_cookie") {
      if (!cookie.IsDefined()) {
        ctx_.error(node, path + ": app_cookie stickiness needs 'cookie', the name of the application's session cookie");
        return;
      }
      const auto name = read_scalar(ctx_, cookie, m.key_path("cookie"), "a cookie name");
      if (!name) return;
      if (name->empty() || name->rfind("AWSALB", 0) == 0) {
        ctx_.error(cookie, m.key_path("cookie") + ": expected the application's cookie name; names starting with AWSALB are the balancer's");
        return;
      }
      group.app_cookie = *name;
    } else if (cookie.IsDefined()) {
      ctx_.error(cookie, m.key_path("cookie") + ": only app_cookie stickiness follows an application cookie (type: app_cookie)");
    }
    std::optional<double> duration = 86400.0;  // ALB's default: one day
    assign_if_present(m.take("duration"), duration, [&](const YAML::Node& n) -> std::optional<double> {
      const auto d = read_quantity(ctx_, n, m.key_path("duration"), units::parse_duration, kDuration);
      if (d && (*d < 1 || *d > 7 * 86400)) {
        ctx_.error(n, m.key_path("duration") + ": expected a duration from 1s to 7 days, ALB's range");
        return std::nullopt;
      }
      return d;
    });
    group.sticky_duration_s = duration;
  }

  std::optional<double> read_deregistration_delay(const YAML::Node& node, const std::string& path) {
    const auto delay = read_quantity(ctx_, node, path, units::parse_duration, kDurationOrZero, true);
    if (delay && *delay > 3600) {
      ctx_.error(node, path + ": expected a duration from 0s to 3600s, AWS's range");
      return std::nullopt;
    }
    return delay;
  }

  std::optional<Distribution> read_duration_distribution(const YAML::Node& node, const std::string& path) {
    return read_distribution(node, path, units::parse_duration, kDuration);
  }

  // A distribution of durations or sizes (`parse` reads one value); each kind takes its
  // own keys, and any other key is an unknown key.
  std::optional<Distribution> read_distribution(const YAML::Node& node, const std::string& path,
                                                std::optional<double> (*parse)(std::string_view), std::string_view expected) {
    MapReader m(ctx_, node, path);
    if (!m.valid()) return std::nullopt;
    const auto dist = read_choice(ctx_, m.require("dist", "constant, exponential, lognormal or empirical"), m.key_path("dist"),
                                  {"constant", "exponential", "lognormal", "empirical"});
    if (!dist) return std::nullopt;
    auto duration = [&](const char* key) {
      const YAML::Node n = m.require(key, expected);
      return n.IsDefined() ? read_quantity(ctx_, n, m.key_path(key), parse, expected) : std::nullopt;
    };
    if (*dist == "constant") {
      if (const auto v = duration("value")) return Distribution::constant(*v);
    } else if (*dist == "exponential") {
      if (const auto v = duration("mean")) return Distribution::exponential(*v);
    } else if (*dist == "lognormal") {
      const auto median = duration("median");
      const YAML::Node p99_node = m.take("p99");
      const auto p99 = duration("p99");
      if (median && p99) {
        if (*p99 <= *median) {
          ctx_.error(p99_node, m.key_path("p99") + ": expected a p99 above the median");
          return std::nullopt;
        }
        return Distribution::lognormal(*median, *p99);
      }
    } else {
      const YAML::Node file = m.require("file", "a file of values, one per line");
      if (const auto name = file.IsDefined() ? read_scalar(ctx_, file, m.key_path("file"), "a file name") : std::nullopt)
        return read_samples(file, m.key_path("file"), *name, parse, expected);
    }
    return std::nullopt;
  }

  // Empirical samples: one value per line ("12.5ms", "40KB"); blank lines and # comments allowed.
  std::optional<Distribution> read_samples(const YAML::Node& at, const std::string& path, const std::string& name,
                                           std::optional<double> (*parse)(std::string_view), std::string_view expected) {
    const auto text = read_file_ ? read_file_(name) : std::nullopt;
    if (!text) {
      ctx_.error(at, path + ": cannot read '" + name + "' (paths are relative to the scenario file)");
      return std::nullopt;
    }
    std::vector<double> samples;
    std::size_t line_number = 0, start = 0;
    bool ok = true;
    while (start <= text->size()) {
      const std::size_t end = std::min(text->find('\n', start), text->size());
      std::string line = text->substr(start, end - start);
      start = end + 1;
      ++line_number;
      if (const auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
      while (!line.empty() && (line.back() == ' ' || line.back() == '\r' || line.back() == '\t')) line.pop_back();
      std::size_t first = line.find_first_not_of(" \t");
      if (first == std::string::npos) continue;
      if (const auto value = parse(line.substr(first))) {
        samples.push_back(*value);
      } else {
        ctx_.error(name, static_cast<int>(line_number), static_cast<int>(first + 1),
                   "expected " + std::string(expected) + ", got '" + line.substr(first) + "'");
        ok = false;
      }
      if (end == text->size()) break;
    }
    if (!ok) return std::nullopt;
    if (samples.empty()) {
      ctx_.error(at, path + ": '" + name + "' holds no samples");
      return std::nullopt;
    }
    return Distribution::empirical(std::move(samples));
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
      assign_if_present(m.take("per_zone"), group.per_zone,
                        [&](const YAML::Node& n) { return read_uint(ctx_, n, m.key_path("per_zone"), 1, 1000); });
      assign_if_present(m.take("workers"), group.workers,
                        [&](const YAML::Node& n) { return read_uint(ctx_, n, m.key_path("workers"), 1, 100000); });
      assign_if_present(m.take("queue_limit"), group.queue_limit,
                        [&](const YAML::Node& n) { return read_uint(ctx_, n, m.key_path("queue_limit"), 0, 10'000'000); });
      if (const YAML::Node st = m.take("service_time"); st.IsDefined())
        if (auto d = read_duration_distribution(st, m.key_path("service_time"))) group.service_time = std::move(*d);
      group_health_keys_.push_back(read_health_check(m.take("health_check"), m.key_path("health_check")));
      assign_if_present(m.take("slow_start"), group.slow_start_s, [&](const YAML::Node& n) -> std::optional<double> {
        const auto window = read_quantity(ctx_, n, m.key_path("slow_start"), units::parse_duration, kDurationOrZero, true);
        if (window && *window != 0 && !health::is_valid_alb_window(*window)) {
          ctx_.error(n, m.key_path("slow_start") + ": expected 0 (off) or a duration from 30s to 900s, ALB's range");
          return std::nullopt;
        }
        return window;
      });
      if (const YAML::Node tls = m.take("tls"); tls.IsDefined()) {
        if (const auto key = read_tls_key(tls, m.key_path("tls"))) group.tls_key = *key;
        group_tls_nodes_.push_back(tls);
      }
      if (const YAML::Node st = m.take("stickiness"); st.IsDefined()) read_stickiness(st, m.key_path("stickiness"), group);
      assign_if_present(m.take("deregistration_delay"), group.deregistration_delay_s,
                        [&](const YAML::Node& n) { return read_deregistration_delay(n, m.key_path("deregistration_delay")); });
      assign_if_present(m.take("error_rate"), group.error_rate,
                        [&](const YAML::Node& n) { return read_share(ctx_, n, m.key_path("error_rate")); });
      spec_.target_groups.push_back(std::move(group));
    });
    if (node.IsMap() && node.size() == 0) ctx_.error(node, "target_groups: expected at least one target group");
  }

  // A reference to a target group by name; reports a dangling one with a suggestion.
  std::optional<std::uint32_t> read_group_ref(const YAML::Node& node, const std::string& path) {
    const auto name = read_scalar(ctx_, node, path, "a target group name");
    if (!name) return std::nullopt;
    if (const auto index = spec_.find_group(*name)) return index;
    std::vector<std::string> defined;
    for (const auto& g : spec_.target_groups) defined.push_back(g.name);
    std::string message = path + ": no target group named '" + *name + "'";
    if (const auto suggestion = closest_match(*name, defined)) message += "; did you mean '" + *suggestion + "'?";
    else message += "; defined: " + (defined.empty() ? std::string("none") : join_alternatives(defined));
    ctx_.error(node, message);
    return std::nullopt;
  }

  void read_l4(const YAML::Node& node) {
    if (!node.IsDefined()) return;
    has_l4_ = true;
    l4_mark_ = node.Mark();
    MapReader m(ctx_, node, "l4");
    L4Spec& l4 = spec_.l4;
    assign_if_present(m.take("nodes_per_zone"), l4.nodes_per_zone,
                      [&](const YAML::Node& n) { return read_uint(ctx_, n, m.key_path("nodes_per_zone"), 1, 64); });
    assign_if_present(m.take("forwarding"), l4.forwarding, [&](const YAML::Node& n) -> std::optional<Forwarding> {
      const auto mode = read_choice(ctx_, n, m.key_path("forwarding"), {"dnat", "dsr"});
      if (!mode) return std::nullopt;
      return *mode == "dsr" ? Forwarding::dsr : Forwarding::dnat;
    });
    assign_if_present(m.take("algorithm"), l4.algorithm,
                      [&](const YAML::Node& n) { return read_choice(ctx_, n, m.key_path("algorithm"), balancing::algorithm_names()); });
    read_algorithm_options(m, l4.algorithm, l4.algorithm_options);
    assign_if_present(m.take("cross_zone"), l4.cross_zone,
                      [&](const YAML::Node& n) { return read_bool(ctx_, n, m.key_path("cross_zone")); });
    assign_if_present(m.take("idle_timeout"), l4.idle_timeout_s, [&](const YAML::Node& n) {
      return read_quantity(ctx_, n, m.key_path("idle_timeout"), units::parse_duration, kDuration);
    });
    assign_if_present(m.take("dns_ttl"), l4.dns_ttl_s, [&](const YAML::Node& n) {
      return read_quantity(ctx_, n, m.key_path("dns_ttl"), units::parse_duration, kDurationOrZero, true);
    });
    assign_if_present(m.take("conntrack_capacity"), l4.conntrack_capacity, [&](const YAML::Node& n) {
      return read_uint(ctx_, n, m.key_path("conntrack_capacity"), 1, 100'000'000);
    });
    l4_health_keys_ = read_health_check(m.take("health_check"), m.key_path("health_check"));
    assign_if_present(m.take("packets_per_second"), l4.packets_per_second, [&](const YAML::Node& n) {
      return read_quantity(ctx_, n, m.key_path("packets_per_second"), units::parse_rate, kRate);
    });
    assign_if_present(m.take("panic_threshold"), l4.panic_threshold_percent,
                      [&](const YAML::Node& n) { return read_percent(ctx_, n, m.key_path("panic_threshold")); });
    if (const YAML::Node tg = m.take("target_group"); tg.IsDefined()) {
      target_group_node_ = tg;
      l4.target_group = read_group_ref(tg, m.key_path("target_group"));
    }
  }

  // Tunables that only some algorithms have (their descriptors list them): a key the
  // chosen algorithm does not read is an error, not silently ignored.
  void read_algorithm_options(MapReader& m, const std::string& algorithm, balancing::PickerOptions& options) {
    for (const std::string_view key : balancing::tunable_keys()) {
      const YAML::Node n = m.take(key);
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

  void read_forward(const YAML::Node& node, const std::string& path, l7::Rule& rule) {
    if (node.IsScalar()) {
      if (const auto group = read_group_ref(node, path)) rule.forward.push_back({*group, 1});
      return;
    }
    if (!node.IsSequence()) {
      ctx_.error(node, path + ": expected a target group name or a list of { group, weight }, got " + describe(node));
      return;
    }
    for_each_item(ctx_, node, path, [&](const YAML::Node& item, const std::string& item_path) {
      MapReader m(ctx_, item, item_path);
      if (!m.valid()) return;
      const auto group = read_group_ref(m.require("group", "a target group name"), m.key_path("group"));
      std::uint32_t weight = 1;
      assign_if_present(m.take("weight"), weight,
                        [&](const YAML::Node& n) { return read_uint(ctx_, n, m.key_path("weight"), 0, 999); });
      if (group) rule.forward.push_back({*group, weight});
    });
    const bool any_positive = std::any_of(rule.forward.begin(), rule.forward.end(), [](const auto& g) { return g.weight > 0; });
    if (!rule.forward.empty() && !any_positive) ctx_.error(node, path + ": expected at least one target group with a weight above 0");
  }

  std::optional<l7::PathMatch> read_path_match(const YAML::Node& node, const std::string& path) {
    auto starts_with_slash = [&](const YAML::Node& at, const std::string& text, const std::string& where) {
      if (!text.empty() && text.front() == '/') return true;
      ctx_.error(at, where + ": expected a path starting with '/', got '" + text + "'");
      return false;
    };
    if (node.IsScalar()) {  // a glob; without wildcards that is an exact match
      if (!starts_with_slash(node, node.Scalar(), path)) return std::nullopt;
      return l7::PathMatch{l7::PathMatch::Kind::glob, node.Scalar()};
    }
    MapReader m(ctx_, node, path);
    if (!m.valid()) return std::nullopt;
    std::optional<l7::PathMatch> match;
    for (const auto& [key, kind] : {std::pair{"exact", l7::PathMatch::Kind::exact}, std::pair{"prefix", l7::PathMatch::Kind::prefix},
                                    std::pair{"glob", l7::PathMatch::Kind::glob}}) {
      const YAML::Node n = m.take(key);
      if (!n.IsDefined()) continue;
      const auto text = read_scalar(ctx_, n, m.key_path(key), "a path");
      if (!text || !starts_with_slash(n, *text, m.key_path(key))) continue;
      if (match) ctx_.error(n, path + ": give one of exact, prefix or glob, not several");
      match = l7::PathMatch{kind, *text};
    }
    if (!match && m.valid() && node.size() == 0) ctx_.error(node, path + ": expected one of exact, prefix or glob");
    return match;
  }

  std::vector<l7::NameValue> read_name_values(const YAML::Node& node, const std::string& path) {
    std::vector<l7::NameValue> out;
    for (auto& [name, value] : read_string_map(ctx_, node, path)) out.push_back({name, value});
    return out;
  }

  void read_conditions(const YAML::Node& node, const std::string& path, l7::Conditions& when) {
    MapReader m(ctx_, node, path);
    if (!m.valid()) return;
    auto text = [&](const char* key) -> std::optional<std::string> {
      const YAML::Node n = m.take(key);
      return n.IsDefined() ? read_scalar(ctx_, n, m.key_path(key), "a text pattern") : std::nullopt;
    };
    when.host = text("host");
    if (const YAML::Node p = m.take("path"); p.IsDefined()) when.path = read_path_match(p, m.key_path("path"));
    when.method = text("method");
    when.headers = read_name_values(m.take("header"), m.key_path("header"));
    when.cookies = read_name_values(m.take("cookie"), m.key_path("cookie"));
    when.query = read_name_values(m.take("query"), m.key_path("query"));
    if (const YAML::Node source = m.take("source_ip"); source.IsDefined()) {
      auto read_one = [&](const YAML::Node& item, const std::string& item_path) {
        if (const auto cidr = read_parsed(ctx_, item, item_path, "an IPv4 CIDR block such as 198.18.0.0/15",
                                          [](const std::string& t) { return l7::parse_cidr(t); }))
          when.source.push_back(*cidr);
      };
      if (source.IsSequence()) for_each_item(ctx_, source, m.key_path("source_ip"), read_one);
      else read_one(source, m.key_path("source_ip"));
    }
  }

  std::optional<l7::RegexRewrite> read_rewrite_part(const YAML::Node& node, const std::string& path) {
    MapReader m(ctx_, node, path);
    if (!m.valid()) return std::nullopt;
    const auto pattern = read_scalar(ctx_, m.require("regex", "an ECMAScript regular expression"), m.key_path("regex"), "a regular expression");
    const auto replacement = read_scalar(ctx_, m.require("replacement", "the new text; $1 refers to a group"),
                                         m.key_path("replacement"), "a replacement text");
    if (!pattern || !replacement) return std::nullopt;
    try {
      return l7::RegexRewrite{*pattern, *replacement, std::regex(*pattern, std::regex::ECMAScript)};
    } catch (const std::regex_error& e) {
      ctx_.error(m.take("regex"), m.key_path("regex") + ": expected a valid regular expression: " + e.what());
      return std::nullopt;
    }
  }

  void read_redirect(const YAML::Node& node, const std::string& path, l7::Redirect& r) {
    MapReader m(ctx_, node, path);
    if (!m.valid()) return;
    assign_if_present(m.take("status"), r.status, [&](const YAML::Node& n) -> std::optional<std::uint64_t> {
      const auto v = read_uint(ctx_, n, m.key_path("status"), 301, 308);
      if (v && *v != 301 && *v != 302 && *v != 303 && *v != 307 && *v != 308) {
        ctx_.error(n, m.key_path("status") + ": expected a redirect status: 301, 302, 303, 307 or 308");
        return std::nullopt;
      }
      return v;
    });
    assign_if_present(m.take("protocol"), r.protocol,
                      [&](const YAML::Node& n) { return read_choice(ctx_, n, m.key_path("protocol"), {"http", "https"}); });
    for (auto [key, field] : {std::pair{"host", &r.host}, std::pair{"path", &r.path}, std::pair{"query", &r.query}})
      assign_if_present(m.take(key), *field, [&](const YAML::Node& n) { return read_scalar(ctx_, n, m.key_path(key), "a text value"); });
  }

  void read_fixed_response(const YAML::Node& node, const std::string& path, l7::FixedResponse& f) {
    MapReader m(ctx_, node, path);
    if (!m.valid()) return;
    assign_if_present(m.take("status"), f.status, [&](const YAML::Node& n) { return read_uint(ctx_, n, m.key_path("status"), 200, 599); });
    assign_if_present(m.take("body"), f.body_bytes,
                      [&](const YAML::Node& n) { return read_quantity(ctx_, n, m.key_path("body"), units::parse_size, kSize, true); });
    assign_if_present(m.take("content_type"), f.content_type,
                      [&](const YAML::Node& n) { return read_scalar(ctx_, n, m.key_path("content_type"), "a media type"); });
  }

  // Exactly one action: forward, redirect or fixed_response (and a rewrite only with forward).
  void read_action(MapReader& m, const YAML::Node& rule_node, const std::string& path, l7::Rule& rule) {
    const YAML::Node forward = m.take("forward"), redirect = m.take("redirect"), fixed = m.take("fixed_response");
    const int actions = forward.IsDefined() + redirect.IsDefined() + fixed.IsDefined();
    if (actions != 1) {
      ctx_.error(rule_node, path + (actions == 0 ? ": missing an action: " : ": more than one action: ") +
                                "give exactly one of forward, redirect or fixed_response");
    }
    if (forward.IsDefined()) {
      rule.action = l7::ActionKind::forward;
      read_forward(forward, m.key_path("forward"), rule);
    } else if (redirect.IsDefined()) {
      rule.action = l7::ActionKind::redirect;
      read_redirect(redirect, m.key_path("redirect"), rule.redirect);
    } else if (fixed.IsDefined()) {
      rule.action = l7::ActionKind::fixed_response;
      read_fixed_response(fixed, m.key_path("fixed_response"), rule.fixed);
    }
    if (const YAML::Node rw = m.take("rewrite"); rw.IsDefined()) {
      if (!forward.IsDefined()) ctx_.error(rw, m.key_path("rewrite") + ": a rewrite applies only to a forward action");
      MapReader r(ctx_, rw, m.key_path("rewrite"));
      if (const YAML::Node p = r.take("path"); p.IsDefined()) rule.rewrite_path = read_rewrite_part(p, r.key_path("path"));
      if (const YAML::Node h = r.take("host"); h.IsDefined()) rule.rewrite_host = read_rewrite_part(h, r.key_path("host"));
    }
  }

  void read_rule(const YAML::Node& node, const std::string& path, std::set<std::uint32_t>& priorities, bool& seen_default) {
    MapReader m(ctx_, node, path);
    if (!m.valid()) return;
    l7::Rule rule;
    assign_if_present(m.take("default"), rule.is_default, [&](const YAML::Node& n) { return read_bool(ctx_, n, m.key_path("default")); });
    const YAML::Node priority = m.take("priority");
    const YAML::Node when = m.take("if");
    if (rule.is_default) {
      if (seen_default) ctx_.error(node, path + ": a second default rule; only one is allowed");
      if (priority.IsDefined()) ctx_.error(priority, m.key_path("priority") + ": the default rule has no priority (it is always tried last)");
      if (when.IsDefined()) ctx_.error(when, m.key_path("if") + ": the default rule has no conditions (it matches whatever is left)");
      seen_default = true;
      rule.label = "default";
    } else {
      if (!priority.IsDefined()) ctx_.error(node, path + ": missing required key 'priority' (an integer from 1 to 50000)");
      assign_if_present(priority, rule.priority, [&](const YAML::Node& n) { return read_uint(ctx_, n, m.key_path("priority"), 1, 50000); });
      if (priority.IsDefined() && rule.priority > 0 && !priorities.insert(rule.priority).second)
        ctx_.error(priority, m.key_path("priority") + ": priority " + std::to_string(rule.priority) + " is used by an earlier rule");
      if (when.IsDefined()) read_conditions(when, m.key_path("if"), rule.when);
      else ctx_.error(node, path + ": missing required key 'if' (conditions), or 'default: true'");
      rule.label = "priority " + std::to_string(rule.priority);
    }
    read_action(m, node, path, rule);
    spec_.l7->rules.push_back(std::move(rule));
  }

  std::optional<l7::RateLimitSettings> read_rate_limit(const YAML::Node& node, const std::string& path) {
    MapReader m(ctx_, node, path);
    if (!m.valid()) return std::nullopt;
    l7::RateLimitSettings settings;
    if (const YAML::Node key = m.take("key"); key.IsDefined()) {
      if (const auto k = read_choice(ctx_, key, m.key_path("key"), {"source_ip", "header", "route"}))
        settings.key = *k == "header" ? l7::RateKey::header : *k == "route" ? l7::RateKey::route : l7::RateKey::source_ip;
    }
    const YAML::Node header = m.take("header");
    assign_if_present(header, settings.header, [&](const YAML::Node& n) { return read_scalar(ctx_, n, m.key_path("header"), "a header name"); });
    if (settings.key == l7::RateKey::header && settings.header.empty())
      ctx_.error(node, path + ": key: header needs 'header', the header whose value is the key");
    if (settings.key != l7::RateKey::header && header.IsDefined())
      ctx_.error(header, m.key_path("header") + ": only with key: header");
    assign_if_present(m.require("rate", kRate), settings.rate_per_s,
                      [&](const YAML::Node& n) { return read_quantity(ctx_, n, m.key_path("rate"), units::parse_rate, kRate); });
    assign_if_present(m.take("burst"), settings.burst, [&](const YAML::Node& n) { return read_uint(ctx_, n, m.key_path("burst"), 1, 100'000'000); });
    return settings;
  }

  std::optional<health::OutlierConfig> read_outlier(const YAML::Node& node, const std::string& path) {
    MapReader m(ctx_, node, path);
    if (!m.valid()) return std::nullopt;
    health::OutlierConfig c;  // Envoy's defaults
    assign_if_present(m.take("consecutive_5xx"), c.consecutive_5xx,
                      [&](const YAML::Node& n) { return read_uint(ctx_, n, m.key_path("consecutive_5xx"), 1, 1000); });
    assign_if_present(m.take("base_ejection_time"), c.base_ejection_time_s, [&](const YAML::Node& n) {
      return read_quantity(ctx_, n, m.key_path("base_ejection_time"), units::parse_duration, kDuration);
    });
    assign_if_present(m.take("max_ejection_time"), c.max_ejection_time_s, [&](const YAML::Node& n) {
      return read_quantity(ctx_, n, m.key_path("max_ejection_time"), units::parse_duration, kDuration);
    });
    assign_if_present(m.take("max_ejection_percent"), c.max_ejection_percent,
                      [&](const YAML::Node& n) { return read_percent(ctx_, n, m.key_path("max_ejection_percent")); });
    assign_if_present(m.take("always_eject_one"), c.always_eject_one_host,
                      [&](const YAML::Node& n) { return read_bool(ctx_, n, m.key_path("always_eject_one")); });
    return c;
  }

  void read_l7_retries(const YAML::Node& node, const std::string& path, L7RetrySpec& r) {
    MapReader m(ctx_, node, path);
    if (!m.valid()) return;
    assign_if_present(m.require("max", "an integer from 0 to 10"), r.max_retries,
                      [&](const YAML::Node& n) { return read_uint(ctx_, n, m.key_path("max"), 0, 10); });
    if (const YAML::Node on = m.take("on"); on.IsDefined()) read_retry_on(on, m.key_path("on"), r);
    assign_if_present(m.take("budget"), r.budget.percent, [&](const YAML::Node& n) { return read_percent(ctx_, n, m.key_path("budget")); });
    assign_if_present(m.take("min_concurrency"), r.budget.min_concurrency,
                      [&](const YAML::Node& n) { return read_uint(ctx_, n, m.key_path("min_concurrency"), 0, 1'000'000); });
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

  std::optional<resilience::CircuitBreaker> read_circuit_breakers(const YAML::Node& node, const std::string& path) {
    MapReader m(ctx_, node, path);
    if (!m.valid()) return std::nullopt;
    resilience::CircuitBreaker breakers;  // Envoy's defaults
    assign_if_present(m.take("max_requests"), breakers.max_requests,
                      [&](const YAML::Node& n) { return read_uint(ctx_, n, m.key_path("max_requests"), 1, 100'000'000); });
    assign_if_present(m.take("max_pending_requests"), breakers.max_pending_requests,
                      [&](const YAML::Node& n) { return read_uint(ctx_, n, m.key_path("max_pending_requests"), 1, 100'000'000); });
    return breakers;
  }

  void read_l7(const YAML::Node& node) {
    MapReader m(ctx_, node, "l7");
    spec_.l7.emplace();
    L7Spec& l7 = *spec_.l7;
    if (target_group_node_.IsDefined())
      ctx_.error(target_group_node_, "l4.target_group: only for an L4-only layout; with an l7 section its rules choose target groups");
    assign_if_present(m.take("nodes_per_zone"), l7.nodes_per_zone,
                      [&](const YAML::Node& n) { return read_uint(ctx_, n, m.key_path("nodes_per_zone"), 1, 64); });
    if (const YAML::Node cpu = m.take("cpu"); cpu.IsDefined()) {
      MapReader c(ctx_, cpu, "l7.cpu");
      assign_if_present(c.take("cores"), l7.cores, [&](const YAML::Node& n) { return read_uint(ctx_, n, c.key_path("cores"), 1, 256); });
      assign_if_present(c.take("per_request"), l7.cpu_per_request_s, [&](const YAML::Node& n) {
        return read_quantity(ctx_, n, c.key_path("per_request"), units::parse_duration, kDurationOrZero, true);
      });
    }
    assign_if_present(m.take("algorithm"), l7.algorithm,
                      [&](const YAML::Node& n) { return read_choice(ctx_, n, m.key_path("algorithm"), balancing::algorithm_names()); });
    read_algorithm_options(m, l7.algorithm, l7.algorithm_options);
    if (const YAML::Node cz = m.take("cross_zone"); cz.IsDefined()) {
      if (const auto mode = read_choice(ctx_, cz, m.key_path("cross_zone"), {"true", "false", "zone_aware"})) {
        l7.cross_zone = *mode != "false";
        l7.zone_aware = *mode == "zone_aware";
      }
    }
    if (const YAML::Node tls = m.take("tls"); tls.IsDefined())
      if (const auto key = read_tls_key(tls, m.key_path("tls"))) l7.tls_key = *key;
    assign_if_present(m.take("backend_connections"), l7.backend_connections,
                      [&](const YAML::Node& n) { return read_uint(ctx_, n, m.key_path("backend_connections"), 1, 1'000'000); });
    assign_if_present(m.take("queue_limit"), l7.queue_limit,
                      [&](const YAML::Node& n) { return read_uint(ctx_, n, m.key_path("queue_limit"), 1, 10'000'000); });
    assign_if_present(m.take("waf"), l7.waf, [&](const YAML::Node& n) { return read_bool(ctx_, n, m.key_path("waf")); });
    assign_if_present(m.take("panic_threshold"), l7.panic_threshold_percent,
                      [&](const YAML::Node& n) { return read_percent(ctx_, n, m.key_path("panic_threshold")); });
    if (const YAML::Node od = m.take("outlier_detection"); od.IsDefined()) l7.outlier_detection = read_outlier(od, m.key_path("outlier_detection"));
    if (const YAML::Node rl = m.take("rate_limit"); rl.IsDefined()) l7.rate_limit = read_rate_limit(rl, m.key_path("rate_limit"));
    assign_if_present(m.take("upstream_timeout"), l7.upstream_timeout_s, [&](const YAML::Node& n) {
      return read_quantity(ctx_, n, m.key_path("upstream_timeout"), units::parse_duration, kDuration);
    });
    if (const YAML::Node r = m.take("retries"); r.IsDefined()) read_l7_retries(r, m.key_path("retries"), l7.retries);
    if (const YAML::Node cb = m.take("circuit_breakers"); cb.IsDefined()) l7.circuit_breakers = read_circuit_breakers(cb, m.key_path("circuit_breakers"));
    const YAML::Node rules = m.require("rules", "a list of listener rules with a default rule");
    std::set<std::uint32_t> priorities;
    bool seen_default = false;
    for_each_item(ctx_, rules, "l7.rules", [&](const YAML::Node& item, const std::string& path) {
      read_rule(item, path, priorities, seen_default);
    });
    if (rules.IsSequence() && !seen_default)
      ctx_.error(rules, "l7.rules: expected a default rule, e.g. '- { default: true, forward: <group> }'");
  }

  void read_request_template(const YAML::Node& node, const std::string& path, RequestTemplate& t) {
    MapReader m(ctx_, node, path);
    if (!m.valid()) return;
    assign_if_present(m.take("weight"), t.weight, [&](const YAML::Node& n) { return read_positive_number(ctx_, n, m.key_path("weight")); });
    assign_if_present(m.take("method"), t.method, [&](const YAML::Node& n) {
      return read_choice(ctx_, n, m.key_path("method"), {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"});
    });
    assign_if_present(m.take("host"), t.host, [&](const YAML::Node& n) { return read_scalar(ctx_, n, m.key_path("host"), "a host name"); });
    assign_if_present(m.take("query"), t.query, [&](const YAML::Node& n) { return read_scalar(ctx_, n, m.key_path("query"), "a query string such as q=shoes&page=2"); });
    assign_if_present(m.take("path"), t.path, [&](const YAML::Node& n) {
      return read_parsed(ctx_, n, m.key_path("path"), "a path starting with '/'", [](const std::string& text) -> std::optional<std::string> {
        if (text.empty() || text.front() != '/') return std::nullopt;
        return text;
      });
    });
    t.headers = read_string_map(ctx_, m.take("headers"), m.key_path("headers"));
    const YAML::Node cookies = m.take("cookies");
    t.cookies = read_string_map(ctx_, cookies, m.key_path("cookies"));
    if (t.cookies.size() > kMaxTemplateCookies)
      ctx_.error(cookies, m.key_path("cookies") + ": at most " + std::to_string(kMaxTemplateCookies) + " cookies per request template");
    // A size, or a distribution of sizes: { dist: lognormal, median: 20KB, p99: 400KB }.
    for (auto [key, field] : {std::pair{"request", &t.request_bytes}, std::pair{"response", &t.response_bytes}}) {
      const YAML::Node n = m.take(key);
      if (!n.IsDefined()) continue;
      if (n.IsScalar()) {
        if (const auto size = read_quantity(ctx_, n, m.key_path(key), units::parse_size, kSize)) *field = Distribution::constant(*size);
      } else if (auto d = read_distribution(n, m.key_path(key), units::parse_size, kSize)) {
        *field = std::move(*d);
      }
    }
  }

  void read_client(const YAML::Node& node, const std::string& path) {
    MapReader m(ctx_, node, path);
    if (!m.valid()) return;
    ClientSpec client;
    const YAML::Node name = m.require("name", "the population's name");
    assign_if_present(name, client.name, [&](const YAML::Node& n) { return read_name(ctx_, n, m.key_path("name")); });
    for (const auto& other : spec_.clients) {
      if (!client.name.empty() && other.name == client.name) ctx_.error(name, m.key_path("name") + ": client '" + client.name + "' is defined twice");
    }
    if (const YAML::Node arrival = m.require("arrival", "{ kind: poisson, rate: N/s }"); arrival.IsDefined())
      read_arrival(arrival, m.key_path("arrival"), client.arrival);
    assign_if_present(m.take("source_ips"), client.source_ips,
                      [&](const YAML::Node& n) { return read_uint(ctx_, n, m.key_path("source_ips"), 1, 1u << 24); });
    if (const YAML::Node tls = m.take("tls"); tls.IsDefined()) read_client_tls(tls, m.key_path("tls"), client.tls);
    assign_if_present(m.take("timeout"), client.timeout_s, [&](const YAML::Node& n) {
      return read_quantity(ctx_, n, m.key_path("timeout"), units::parse_duration, kDuration);
    });
    if (const YAML::Node retries = m.take("retries"); retries.IsDefined()) read_retries(retries, m.key_path("retries"), client.retries);
    if (const YAML::Node keepalive = m.take("keepalive"); keepalive.IsDefined()) {
      MapReader k(ctx_, keepalive, m.key_path("keepalive"));
      assign_if_present(k.require("requests_per_connection", "an integer from 1 to 1000000"), client.requests_per_connection,
                        [&](const YAML::Node& n) { return read_uint(ctx_, n, k.key_path("requests_per_connection"), 1, 1'000'000); });
    }
    const YAML::Node mix = m.require("mix", "a list of weighted request templates");
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
    assign_if_present(m.take("version"), tls.version, [&](const YAML::Node& n) -> std::optional<tls::Version> {
      const auto v = read_choice(ctx_, n, m.key_path("version"), {"1.2", "1.3"});
      if (!v) return std::nullopt;
      return *v == "1.2" ? tls::Version::tls12 : tls::Version::tls13;
    });
    assign_if_present(m.take("resumption"), tls.resumption,
                      [&](const YAML::Node& n) { return read_share(ctx_, n, m.key_path("resumption")); });
  }

  std::optional<tls::KeyType> read_tls_key(const YAML::Node& node, const std::string& path) {
    MapReader m(ctx_, node, path);
    if (!m.valid()) return std::nullopt;
    std::optional<tls::KeyType> key = tls::KeyType::ecdsa_p256;
    assign_if_present(m.take("key"), key, [&](const YAML::Node& n) -> std::optional<tls::KeyType> {
      const auto k = read_choice(ctx_, n, m.key_path("key"), {"ecdsa-p256", "rsa-2048"});
      if (!k) return std::nullopt;
      return *k == "rsa-2048" ? tls::KeyType::rsa2048 : tls::KeyType::ecdsa_p256;
    });
    return key;
  }

  // Each kind of arrival takes its own keys; any other key is an unknown key.
  void read_arrival(const YAML::Node& node, const std::string& path, ArrivalSpec& arrival) {
    MapReader a(ctx_, node, path);
    if (!a.valid()) return;
    std::string kind = "poisson";
    assign_if_present(a.take("kind"), kind, [&](const YAML::Node& n) {
      return read_choice(ctx_, n, a.key_path("kind"), {"poisson", "constant", "ramp", "step", "burst", "daily", "closed"});
    });
    auto rate = [&](const char* key, bool required = true) -> std::optional<double> {
      const YAML::Node n = required ? a.require(key, kRate) : a.take(key);
      return n.IsDefined() ? read_quantity(ctx_, n, a.key_path(key), units::parse_rate, kRate, true) : std::nullopt;
    };
    auto duration = [&](const char* key, std::optional<double> fallback) -> std::optional<double> {
      const YAML::Node n = fallback ? a.take(key) : a.require(key, kDuration);
      if (!n.IsDefined()) return fallback;
      return read_quantity(ctx_, n, a.key_path(key), units::parse_duration, kDurationOrZero, true);
    };
    if (kind == "closed") {
      assign_if_present(a.require("users", "an integer from 1 to 1000000"), arrival.users,
                        [&](const YAML::Node& n) { return read_uint(ctx_, n, a.key_path("users"), 1, 1'000'000); });
      if (const YAML::Node think = a.take("think_time"); think.IsDefined())
        if (auto d = read_distribution(think, a.key_path("think_time"), units::parse_duration, kDurationOrZero)) arrival.think_time = std::move(*d);
    } else if (kind == "poisson" || kind == "constant") {
      if (const auto r = rate("rate")) arrival.profile = traffic::RateProfile::constant(*r);
      arrival.uniform = kind == "constant";
    } else if (kind == "ramp") {
      const auto from = rate("from"), to = rate("to");
      const auto over = duration("over", std::nullopt), start = duration("start", 0.0);
      if (from && to && over && start) {
        if (*over <= 0) ctx_.error(node, path + ": a ramp needs a positive 'over'");
        else arrival.profile = traffic::RateProfile::ramp(*from, *to, *over, *start);
      }
    } else if (kind == "step") {
      std::vector<traffic::RateStep> steps;
      const YAML::Node list = a.require("steps", "a list of { at, rate }");
      for_each_item(ctx_, list, a.key_path("steps"), [&](const YAML::Node& item, const std::string& item_path) {
        MapReader s(ctx_, item, item_path);
        if (!s.valid()) return;
        std::optional<double> at, r;
        assign_if_present(s.require("at", kDurationOrZero), at, [&](const YAML::Node& n) {
          return read_quantity(ctx_, n, s.key_path("at"), units::parse_duration, kDurationOrZero, true);
        });
        assign_if_present(s.require("rate", kRate), r, [&](const YAML::Node& n) {
          return read_quantity(ctx_, n, s.key_path("rate"), units::parse_rate, kRate, true);
        });
        if (at && r) {
          if (!steps.empty() && *at <= steps.back().at_s) ctx_.error(item, item_path + ": steps must be in increasing time order");
          else if (steps.empty() && *at != 0) ctx_.error(item, item_path + ": the first step must be at 0s");
          else steps.push_back({*at, *r});
        }
      });
      if (!steps.empty() && steps.front().at_s == 0) arrival.profile = traffic::RateProfile::steps(std::move(steps));
    } else if (kind == "burst") {
      const auto base = rate("rate"), burst = rate("burst_rate");
      const auto every = duration("every", std::nullopt), length = duration("for", std::nullopt), first = duration("first", 0.0);
      if (base && burst && every && length && first) {
        if (!(*every > 0) || !(*length > 0) || *length > *every) ctx_.error(node, path + ": expected 0 < for <= every");
        else arrival.profile = traffic::RateProfile::bursts(*base, *burst, *every, *length, *first);
      }
    } else {  // daily
      const auto trough = rate("trough"), peak = rate("peak");
      const auto period = duration("period", 86400.0), peak_at = duration("peak_at", 14 * 3600.0);
      if (trough && peak && period && peak_at) {
        if (*trough > *peak || !(*period > 0)) ctx_.error(node, path + ": expected trough <= peak and a positive period");
        else arrival.profile = traffic::RateProfile::daily(*trough, *peak, *period, *peak_at);
      }
    }
  }

  void read_retries(const YAML::Node& node, const std::string& path, RetrySpec& r) {
    MapReader m(ctx_, node, path);
    if (!m.valid()) return;
    assign_if_present(m.require("max", "an integer from 0 to 10"), r.max_retries,
                      [&](const YAML::Node& n) { return read_uint(ctx_, n, m.key_path("max"), 0, 10); });
    assign_if_present(m.take("backoff"), r.backoff.base_s, [&](const YAML::Node& n) {
      return read_quantity(ctx_, n, m.key_path("backoff"), units::parse_duration, kDuration);
    });
    assign_if_present(m.take("max_backoff"), r.backoff.cap_s, [&](const YAML::Node& n) {
      return read_quantity(ctx_, n, m.key_path("max_backoff"), units::parse_duration, kDuration);
    });
    assign_if_present(m.take("budget"), r.budget.percent, [&](const YAML::Node& n) { return read_percent(ctx_, n, m.key_path("budget")); });
    assign_if_present(m.take("min_concurrency"), r.budget.min_concurrency,
                      [&](const YAML::Node& n) { return read_uint(ctx_, n, m.key_path("min_concurrency"), 0, 1'000'000); });
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
};

}  // namespace

namespace detail {

std::optional<YAML::Node> parse_scenario(Context& ctx, const std::string& yaml_text) {
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
