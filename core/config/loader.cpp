// SPDX-License-Identifier: GPL-3.0-or-later
#include "config/loader.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <limits>
#include <set>
#include <tuple>

#include "config/faults_reader.hpp"
#include "config/scenario_tree.hpp"
#include "config/schema_fields.hpp"
#include "config/schema_tables.hpp"
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
    const auto sections = schema::read_fields(ctx_, top, schema::top_fields(), spec_);
    read_topology(sections["topology"]);
    // Target groups first: rules and the L4 tier refer to them by name.
    read_target_groups(sections["target_groups"]);
    read_l4(sections["l4"]);
    if (const YAML::Node l7 = sections["l7"]; l7.IsDefined()) read_l7(l7);
    read_clients(sections["clients"]);
    resolve_health_checks();
    check_tls_keys();
    if (spec_.l7 == std::nullopt && !spec_.l4.target_group && has_l4_) {
      ctx_.error(l4_mark_, "l4: an L4-only layout (no l7 section) needs 'target_group', the group the L4 tier forwards to");
    }
    // Last: faults name zones, client populations and the nodes every other section makes.
    read_faults(ctx_, sections["faults"], spec_);
    read_slo(ctx_, sections["slo"], spec_);
    // Checked and named, not applied: load_scenario_variant (variants.hpp) applies one.
    for (const auto& variant : read_variants(ctx_, sections["variants"])) spec_.variant_names.push_back(variant.name);
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
      const auto keys = schema::read_fields(ctx_, m, schema::target_group_fields(), group);
      if (const YAML::Node st = keys["service_time"]; st.IsDefined())
        if (auto d = read_duration_distribution(st, m.key_path("service_time"))) group.service_time = std::move(*d);
      group_health_keys_.push_back(read_health_check(keys["health_check"], m.key_path("health_check")));
      assign_if_present(keys["slow_start"], group.slow_start_s, [&](const YAML::Node& n) -> std::optional<double> {
        const auto window = read_quantity(ctx_, n, m.key_path("slow_start"), units::parse_duration, kDurationOrZero, true);
        if (window && *window != 0 && !health::is_valid_alb_window(*window)) {
          ctx_.error(n, m.key_path("slow_start") + ": expected 0 (off) or a duration from 30s to 900s, ALB's range");
          return std::nullopt;
        }
        return window;
      });
      if (const YAML::Node tls = keys["tls"]; tls.IsDefined()) {
        if (const auto key = read_tls_key(tls, m.key_path("tls"))) group.tls_key = *key;
        group_tls_nodes_.push_back(tls);
      }
      if (const YAML::Node st = keys["stickiness"]; st.IsDefined()) read_stickiness(st, m.key_path("stickiness"), group);
      assign_if_present(keys["deregistration_delay"], group.deregistration_delay_s,
                        [&](const YAML::Node& n) { return read_deregistration_delay(n, m.key_path("deregistration_delay")); });
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
    const auto keys = schema::read_fields(ctx_, m, schema::l4_fields(), l4);
    read_algorithm_options(m, keys, l4.algorithm, l4.algorithm_options);
    l4_health_keys_ = read_health_check(keys["health_check"], m.key_path("health_check"));
    if (const YAML::Node tg = keys["target_group"]; tg.IsDefined()) {
      target_group_node_ = tg;
      l4.target_group = read_group_ref(tg, m.key_path("target_group"));
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
    const YAML::Node rules = keys["rules"];
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
    const auto keys = schema::read_fields(ctx_, m, schema::client_fields(), client);
    const YAML::Node name = keys["name"];
    assign_if_present(name, client.name, [&](const YAML::Node& n) { return read_name(ctx_, n, m.key_path("name")); });
    for (const auto& other : spec_.clients) {
      if (!client.name.empty() && other.name == client.name) ctx_.error(name, m.key_path("name") + ": client '" + client.name + "' is defined twice");
    }
    if (const YAML::Node arrival = keys["arrival"]; arrival.IsDefined()) read_arrival(arrival, m.key_path("arrival"), client.arrival);
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
