// SPDX-License-Identifier: GPL-3.0-or-later
// The listener rules: the schema's rule tables read the keys; this resolves group
// names, compiles rewrites and checks what relates keys (one default rule, unique
// priorities, exactly one action).
#include <set>

#include "config/schema_tables.hpp"
#include "config/section_readers.hpp"
#include "l7/cidr.hpp"
#include "util/strings.hpp"

namespace lbsim::config::detail {
namespace {

class RulesReader {
public:
  RulesReader(Context& ctx, ScenarioSpec& spec) : ctx_(ctx), spec_(spec) {}

  void read(const YAML::Node& rules) {
    for_each_item(ctx_, rules, "l7.rules", [&](const YAML::Node& item, const std::string& path) { read_rule(item, path); });
    if (rules.IsSequence() && !seen_default_)
      ctx_.error(rules, "l7.rules: expected a default rule, e.g. '- { default: true, forward: <group> }'");
  }

private:
  void read_rule(const YAML::Node& node, const std::string& path) {
    MapReader m(ctx_, node, path);
    if (!m.valid()) return;
    l7::Rule rule;
    const auto keys = schema::read_fields(ctx_, m, schema::rule_fields(), rule);
    const YAML::Node priority = keys["priority"], when = keys["if"];
    if (rule.is_default) {
      if (seen_default_) ctx_.error(node, path + ": a second default rule; only one is allowed");
      if (priority.IsDefined()) ctx_.error(priority, m.key_path("priority") + ": the default rule has no priority (it is always tried last)");
      if (when.IsDefined()) ctx_.error(when, m.key_path("if") + ": the default rule has no conditions (it matches whatever is left)");
      seen_default_ = true;
      rule.label = "default";
    } else {
      if (!priority.IsDefined()) ctx_.error(node, path + ": missing required key 'priority' (an integer from 1 to 50000)");
      assign_if_present(priority, rule.priority, [&](const YAML::Node& n) { return read_uint(ctx_, n, m.key_path("priority"), 1, 50000); });
      if (priority.IsDefined() && rule.priority > 0 && !priorities_.insert(rule.priority).second)
        ctx_.error(priority, m.key_path("priority") + ": priority " + std::to_string(rule.priority) + " is used by an earlier rule");
      if (when.IsDefined()) read_conditions(when, m.key_path("if"), rule.when);
      else ctx_.error(node, path + ": missing required key 'if' (conditions), or 'default: true'");
      rule.label = "priority " + std::to_string(rule.priority);
    }
    read_action(m, keys, node, path, rule);
    spec_.l7->rules.push_back(std::move(rule));
  }

  // Exactly one action: forward, redirect or fixed_response (and a rewrite only with forward).
  void read_action(MapReader& m, const schema::Deferred& keys, const YAML::Node& rule_node, const std::string& path, l7::Rule& rule) {
    const YAML::Node forward = keys["forward"], redirect = keys["redirect"], fixed = keys["fixed_response"];
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
      read_section(redirect, m.key_path("redirect"), schema::redirect_fields(), rule.redirect);
    } else if (fixed.IsDefined()) {
      rule.action = l7::ActionKind::fixed_response;
      read_section(fixed, m.key_path("fixed_response"), schema::fixed_response_fields(), rule.fixed);
    }
    if (const YAML::Node rw = keys["rewrite"]; rw.IsDefined()) {
      if (!forward.IsDefined()) ctx_.error(rw, m.key_path("rewrite") + ": a rewrite applies only to a forward action");
      MapReader r(ctx_, rw, m.key_path("rewrite"));
      const auto parts = schema::read_fields(ctx_, r, schema::rewrite_fields(), rule);
      if (const YAML::Node p = parts["path"]; p.IsDefined()) rule.rewrite_path = read_rewrite_part(p, r.key_path("path"));
      if (const YAML::Node h = parts["host"]; h.IsDefined()) rule.rewrite_host = read_rewrite_part(h, r.key_path("host"));
    }
  }

  template <class S>
  void read_section(const YAML::Node& node, const std::string& path, const schema::Fields<S>& fields, S& out) {
    MapReader m(ctx_, node, path);
    if (m.valid()) schema::read_fields(ctx_, m, fields, out);
  }

  void read_forward(const YAML::Node& node, const std::string& path, l7::Rule& rule) {
    if (node.IsScalar()) {
      if (const auto group = read_group_ref(ctx_, spec_, node, path)) rule.forward.push_back({*group, 1});
      return;
    }
    if (!node.IsSequence()) {
      ctx_.error(node, path + ": expected a target group name or a list of { group, weight }, got " + describe(node));
      return;
    }
    for_each_item(ctx_, node, path, [&](const YAML::Node& item, const std::string& item_path) {
      MapReader m(ctx_, item, item_path);
      if (!m.valid()) return;
      schema::ForwardKeys keys;
      const YAML::Node name = schema::read_fields(ctx_, m, schema::forward_fields(), keys)["group"];
      const auto group = name.IsDefined() ? read_group_ref(ctx_, spec_, name, m.key_path("group")) : std::nullopt;
      if (group) rule.forward.push_back({*group, keys.weight});
    });
    const bool any_positive = std::any_of(rule.forward.begin(), rule.forward.end(), [](const auto& g) { return g.weight > 0; });
    if (!rule.forward.empty() && !any_positive) ctx_.error(node, path + ": expected at least one target group with a weight above 0");
  }

  std::optional<l7::RegexRewrite> read_rewrite_part(const YAML::Node& node, const std::string& path) {
    MapReader m(ctx_, node, path);
    if (!m.valid()) return std::nullopt;
    schema::RewritePart part;
    const std::size_t problems = ctx_.diagnostics().size();
    schema::read_fields(ctx_, m, schema::rewrite_part_fields(), part);
    if (ctx_.diagnostics().size() != problems || !m.take("regex").IsDefined() || !m.take("replacement").IsDefined()) return std::nullopt;
    auto made = l7::make_rewrite(part.regex, part.replacement);
    if (auto* rewrite = std::get_if<l7::RegexRewrite>(&made)) return std::move(*rewrite);
    const auto& why = std::get<l7::RewriteError>(made);
    const char* key = why.in_replacement ? "replacement" : "regex";
    ctx_.error(m.take(key), m.key_path(key) + ": " + why.message);
    return std::nullopt;
  }

  void read_conditions(const YAML::Node& node, const std::string& path, l7::Conditions& when) {
    MapReader m(ctx_, node, path);
    if (!m.valid()) return;
    const auto keys = schema::read_fields(ctx_, m, schema::condition_fields(), when);
    if (const YAML::Node p = keys["path"]; p.IsDefined()) when.path = read_path_match(p, m.key_path("path"));
    when.headers = read_name_values(keys["header"], m.key_path("header"));
    when.cookies = read_name_values(keys["cookie"], m.key_path("cookie"));
    when.query = read_name_values(keys["query"], m.key_path("query"));
    if (const YAML::Node source = keys["source_ip"]; source.IsDefined()) {
      auto read_one = [&](const YAML::Node& item, const std::string& item_path) {
        if (const auto cidr = read_parsed(ctx_, item, item_path, "an IPv4 CIDR block such as 198.18.0.0/15",
                                          [](const std::string& t) { return l7::parse_cidr(t); }))
          when.source.push_back(*cidr);
      };
      if (source.IsSequence()) for_each_item(ctx_, source, m.key_path("source_ip"), read_one);
      else read_one(source, m.key_path("source_ip"));
    }
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

  Context& ctx_;
  ScenarioSpec& spec_;
  std::set<std::uint32_t> priorities_;
  bool seen_default_ = false;
};

}  // namespace

std::optional<std::uint32_t> read_group_ref(Context& ctx, const ScenarioSpec& spec, const YAML::Node& node, const std::string& path) {
  const auto name = read_scalar(ctx, node, path, "a target group name");
  if (!name) return std::nullopt;
  if (const auto index = spec.find_group(*name)) return index;
  std::vector<std::string> defined;
  for (const auto& g : spec.target_groups) defined.push_back(g.name);
  std::string message = path + ": no target group named '" + *name + "'";
  if (const auto suggestion = closest_match(*name, defined)) message += "; did you mean '" + *suggestion + "'?";
  else message += "; defined: " + (defined.empty() ? std::string("none") : join_alternatives(defined));
  ctx.error(node, message);
  return std::nullopt;
}

void read_rules(Context& ctx, const YAML::Node& rules, ScenarioSpec& spec) { RulesReader(ctx, spec).read(rules); }

}  // namespace lbsim::config::detail
