// SPDX-License-Identifier: GPL-3.0-or-later
#include "import/aws.hpp"

#include "import/document.hpp"
#include "import/values.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <optional>
#include <set>

namespace lbsim::importing {
namespace {

constexpr std::size_t kMaxRulesPerAwsRule = 64;

// ---- reading JSON with positions -----------------------------------------------------

YAML::Node parse_json(const InputFile& file) {
  try {
    return YAML::Load(file.text);
  } catch (const YAML::ParserException& e) {
    throw ImportError({file.name, e.mark.line + 1, e.mark.column + 1}, "not JSON as `aws elbv2 describe-*` prints it: " + e.msg);
  }
}


// "us-east-1a" -> "a": the zone's letter, which is what people call it in one region.
std::string zone_name(const std::string& az) {
  std::size_t i = az.size();
  while (i > 0 && std::isalpha(static_cast<unsigned char>(az[i - 1]))) --i;
  if (i > 0 && i < az.size() && std::isdigit(static_cast<unsigned char>(az[i - 1]))) return group_name(az.substr(i));
  return group_name(az);
}

// ---- the model -------------------------------------------------------------------------

struct Attribute {
  std::string value;
  At at;
};

struct LoadBalancer {
  At at;
  std::string arn, name, type;  // type: application, network, gateway
  std::vector<std::string> zones;
  std::map<std::string, Attribute> attributes;
};

struct Listener {
  At at;
  std::string arn, lb_arn, protocol;
  long port = 0;
};

struct AwsRule {
  At at;
  std::string listener_arn, priority;
  bool is_default = false;
};

struct TargetGroup {
  At at;
  std::string arn, name, type, group;  // type: instance, ip, alb, lambda; group: lbsim's name
  std::vector<std::string> lb_arns;
  std::map<std::string, Attribute> attributes;
  std::map<std::string, long> targets_per_zone;
  bool health_read = false;
};

// The listener a rule belongs to, from the rule's ARN (".../listener-rule/app/N/LB/L/R").
std::string listener_of_rule(const std::string& rule_arn) {
  std::string arn = rule_arn;
  const std::size_t at = arn.find(":listener-rule/");
  if (at == std::string::npos) return {};
  arn.replace(at, std::string(":listener-rule/").size(), ":listener/");
  return arn.substr(0, arn.rfind('/'));
}

class AwsImport {
public:
  AwsImport(const std::vector<InputFile>& files, ImportReport& report) : files_(files), report_(report) {}

  Draft run() {
    // Load balancers, listeners, rules and target groups first: the attributes and target
    // health files name the target groups they describe.
    for (const bool second : {false, true})
      for (const InputFile& file : files_) read(file, second);
    if (lbs_.empty()) throw ImportError({files_.front().name, 1, 1}, "no load balancer: expected the output of `aws elbv2 describe-load-balancers` among the files");
    const LoadBalancer* alb = first_of("application");
    const LoadBalancer* nlb = first_of("network");
    for (const LoadBalancer& lb : lbs_)
      if (&lb != alb && &lb != nlb) report_.dropped(lb.at.place(), "load balancer " + lb.name, "lbsim models one ALB and one NLB in front of it: the first of each");
    const LoadBalancer* zones_from = alb != nullptr ? alb : nlb;
    draft_.zones.clear();
    for (const std::string& az : zones_from->zones) draft_.zones.push_back(zone_name(az));
    if (draft_.zones.empty()) draft_.zones = {"a"};
    draft_.zones_comment = fmt::format("{}'s availability zones", zones_from->name);
    for (std::size_t i = 0; i < zones_from->zones.size(); ++i) zone_of_az_[zones_from->zones[i]] = draft_.zones[i];
    if (alb != nullptr) application(*alb);
    else draft_.has_l7 = false;
    network(nlb, alb);
    if (draft_.groups.empty())
      throw ImportError(zones_from->at.place(), fmt::format("no target group of {} among the files: expected the output of `aws elbv2 describe-target-groups` naming it", zones_from->name));
    draft_.name = "imported-" + group_name((alb != nullptr ? alb : nlb)->name);
    draft_.description = fmt::format("Imported from AWS by `lbsim import aws`: {}{}{}. Read the comments and the import report: traffic and service "
                                     "times are not in a load balancer's description.",
                                     nlb != nullptr ? "NLB " + nlb->name : "", nlb != nullptr && alb != nullptr ? " in front of " : "",
                                     alb != nullptr ? "ALB " + alb->name : "");
    draft_.preface = {"Imported from AWS Elastic Load Balancing descriptions by `lbsim import aws`.",
                      "Each item's comment names where it came from; `lbsim import` printed what it approximated and dropped."};
    sweep(nlb);
    draft_.clients_comment = {"Not in a load balancer's description: 100 requests/s, one request written for each rule",
                              "(`lbsim route --samples`). Replace with your traffic: `lbsim import traffic`."};
    return std::move(draft_);
  }

private:
  // ---- reading ----
  void read(const InputFile& file, bool second) {
    const At root{&file, parse_json(file)};
    if (!root.node.IsMap()) root.fail("expected a JSON object as `aws elbv2 describe-*` prints it");
    const bool described_later = root.has("Attributes") || root.has("TargetHealthDescriptions");
    if (second != described_later) return;
    if (root.has("LoadBalancers")) {
      for (const At& lb : root.list("LoadBalancers")) {
        LoadBalancer l{lb, lb.text("LoadBalancerArn"), lb.text("LoadBalancerName"), lb.text_or("Type", "application"), {}, {}};
        for (const At& az : lb.list("AvailabilityZones")) l.zones.push_back(az.text("ZoneName"));
        lbs_.push_back(std::move(l));
        report_.mapped(lb.place(), "load balancer " + lbs_.back().name + " (" + lbs_.back().type + ")", "the layout and its zones");
      }
    } else if (root.has("Listeners")) {
      for (const At& l : root.list("Listeners")) listeners_.push_back({l, l.text("ListenerArn"), l.text("LoadBalancerArn"), l.text("Protocol"), l.number("Port")});
    } else if (root.has("Rules")) {
      for (const At& r : root.list("Rules")) {
        AwsRule rule{r, listener_of_rule(r.text("RuleArn")), r.text("Priority"), r.has("IsDefault") && r.text("IsDefault") == "true"};
        if (rule.priority != "default") rule.priority = std::to_string(r.number("Priority"));  // (a whole number, or refused here)
        if (rule.listener_arn.empty()) r["RuleArn"].fail("'RuleArn': expected a listener rule's ARN (arn:aws:elasticloadbalancing:...:listener-rule/...)");
        rules_.push_back(std::move(rule));
      }
    } else if (root.has("TargetGroups")) {
      for (const At& t : root.list("TargetGroups")) {
        TargetGroup g{t, t.text("TargetGroupArn"), t.text("TargetGroupName"), t.text_or("TargetType", "instance"), {}, t.texts("LoadBalancerArns"), {}, {}, false};
        tgs_.push_back(std::move(g));
      }
    } else if (root.has("Attributes")) {
      attributes(file, root);
    } else if (root.has("TargetHealthDescriptions")) {
      TargetGroup* tg = owner_of(file, root);
      if (tg == nullptr) return;
      tg->health_read = true;
      for (const At& d : root.list("TargetHealthDescriptions")) {
        const At target = d["Target"];
        if (!target.node.IsMap()) target.fail("'Target': expected an object");
        ++tg->targets_per_zone[target.text_or("AvailabilityZone", "")];
      }
      report_.mapped(root.place(), "target health of " + tg->name, "target_groups." + group_name(tg->name) + ".per_zone");
    } else {
      root.fail("expected the output of an `aws elbv2 describe-*` command (LoadBalancers, Listeners, Rules, TargetGroups, Attributes or "
                "TargetHealthDescriptions)");
    }
  }

  // A target group's file without its ARN: named by a "TargetGroupArn" key, or by the
  // file's name holding exactly one target group's name.
  TargetGroup* owner_of(const InputFile& file, const At& root) {
    if (root.has("TargetGroupArn")) {
      const std::string arn = root.text("TargetGroupArn");
      for (TargetGroup& tg : tgs_)
        if (tg.arn == arn) return &tg;
      root["TargetGroupArn"].fail("'TargetGroupArn': no target group of that ARN (give describe-target-groups' file before it)");
    }
    const std::string stem = std::filesystem::path(file.name).stem().string();
    TargetGroup* found = nullptr;
    for (TargetGroup& tg : tgs_)
      if (stem.find(tg.name) != std::string::npos) {
        if (found != nullptr && found->name.size() >= tg.name.size()) continue;
        found = &tg;
      }
    if (found == nullptr)
      report_.dropped(root.place(), file.name, "cannot tell which target group it describes: add \"TargetGroupArn\" beside its list, or the group's name to the file's name (after describe-target-groups' file)");
    return found;
  }

  void attributes(const InputFile& file, const At& root) {
    std::map<std::string, Attribute> read;
    bool group_keys = false;
    for (const At& a : root.list("Attributes")) {
      const std::string key = a.text("Key");
      read[key] = {a.text_or("Value", ""), a};
      if (key.starts_with("stickiness.") || key.starts_with("deregistration_delay.") || key.starts_with("slow_start.") ||
          key.starts_with("load_balancing.algorithm."))
        group_keys = true;
    }
    if (group_keys || root.has("TargetGroupArn")) {
      if (TargetGroup* tg = owner_of(file, root)) tg->attributes = std::move(read);
      return;
    }
    // A load balancer's: by its ARN, or its name in the file's name, or the only one.
    LoadBalancer* owner = nullptr;
    const std::string stem = std::filesystem::path(file.name).stem().string();
    for (LoadBalancer& lb : lbs_)
      if ((root.has("LoadBalancerArn") && root.text("LoadBalancerArn") == lb.arn) || stem.find(lb.name) != std::string::npos) owner = &lb;
    if (owner == nullptr && lbs_.size() == 1) owner = &lbs_.front();
    if (owner == nullptr) {
      report_.dropped(root.place(), file.name, "cannot tell which load balancer it describes: add \"LoadBalancerArn\" beside its list, or its name to the file's name");
      return;
    }
    owner->attributes = std::move(read);
  }

  const LoadBalancer* first_of(const std::string& type) const {
    for (const LoadBalancer& lb : lbs_)
      if (lb.type == type) return &lb;
    return nullptr;
  }

  const TargetGroup* group_of_arn(const std::string& arn) const {
    for (const TargetGroup& tg : tgs_)
      if (tg.arn == arn) return &tg;
    return nullptr;
  }

  std::optional<std::string> attribute(const std::map<std::string, Attribute>& attributes, const std::string& key, std::vector<const Attribute*>* used = nullptr) {
    const auto found = attributes.find(key);
    if (found == attributes.end()) return std::nullopt;
    if (used != nullptr) used->push_back(&found->second);
    return found->second.value;
  }

  // ---- the ALB ----
  void application(const LoadBalancer& alb) {
    const Listener* listener = nullptr;
    for (const Listener& l : listeners_)
      if (l.lb_arn == alb.arn && (listener == nullptr || (l.protocol == "HTTPS" && listener->protocol != "HTTPS"))) listener = &l;
    for (const Listener& l : listeners_)
      if (l.lb_arn == alb.arn && &l != listener)
        report_.dropped(l.at.place(), fmt::format("listener {} {}", l.protocol, l.port), "lbsim models one listener: the HTTPS one (or the first)");
    // Target groups: every one of this ALB's.
    for (TargetGroup& tg : tgs_)
      if (std::find(tg.lb_arns.begin(), tg.lb_arns.end(), alb.arn) != tg.lb_arns.end()) target_group(tg);
    if (listener == nullptr) {
      report_.approximated(alb.at.place(), "load balancer " + alb.name, "no listener given (describe-listeners): plain HTTP, every request to the first target group");
      if (!draft_.groups.empty())
        draft_.rules.push_back({{{"default", YAML::Node(true), ""}, {"forward", YAML::Node(draft_.groups.front().name), ""}}, "no listener given", {}, {}});
      return;
    }
    if (listener->protocol == "HTTPS") {
      draft_.client_tls_version = "1.3";
      draft_.l7.push_back({"tls", YAML::Load("{ key: ecdsa-p256 }"), fmt::format("listener HTTPS {}", listener->port)});
      report_.approximated(listener->at.place(), fmt::format("listener HTTPS {}", listener->port),
                           "l7.tls: the certificate's key type is not in the description (ECDSA P-256 assumed); clients on TLS 1.3, whatever the SslPolicy");
    } else {
      report_.mapped(listener->at.place(), fmt::format("listener {} {}", listener->protocol, listener->port), "the L7 tier's listener");
    }
    listener_rules(*listener);
    alb_keys(alb);
  }

  void target_group(TargetGroup& tg) {
    DraftGroup group;
    group.name = group_name(tg.name);
    while (std::any_of(draft_.groups.begin(), draft_.groups.end(), [&](const DraftGroup& g) { return g.name == group.name; })) group.name += "-2";
    tg.group = group.name;
    group.comment = "target group " + tg.name;
    report_.mapped(tg.at.place(), "target group " + tg.name, "target_groups." + group.name);
    // Targets per zone: lbsim's groups have as many in each zone.
    long most = 1;
    std::set<long> counts;
    for (const auto& [az, n] : tg.targets_per_zone) {
      if (zone_of_az_.count(az)) counts.insert(n);
      most = std::max(most, zone_of_az_.count(az) ? n : 0L);
    }
    if (!tg.health_read)
      report_.approximated(tg.at.place(), "target group " + tg.name, "no describe-target-health for it: one target per zone");
    else if (counts.size() > 1)
      report_.approximated(tg.at.place(), "target group " + tg.name, fmt::format("unequal targets per zone: lbsim puts {} in each", most));
    group.items.push_back({"per_zone", YAML::Node(most), tg.health_read ? "describe-target-health" : "one per zone (no target health given)"});
    group.items.push_back({"service_time", YAML::Load("{ dist: exponential, mean: 10ms }"), "not in a load balancer's description: measure it (lbsim import traffic)"});
    if (tg.at.has("HealthCheckIntervalSeconds")) {
      YAML::Node check;
      check["interval"] = fmt::format("{}s", tg.at.number("HealthCheckIntervalSeconds"));
      check["timeout"] = fmt::format("{}s", tg.at.number("HealthCheckTimeoutSeconds"));
      check["healthy"] = tg.at.number("HealthyThresholdCount");
      check["unhealthy"] = tg.at.number("UnhealthyThresholdCount");
      group.items.push_back({"health_check", check, "HealthCheck* of " + tg.name, tg.at.place(), "target group " + tg.name});
      if (tg.at.has("HealthCheckPath") && tg.at.text("HealthCheckPath") != "/")
        report_.approximated(tg.at["HealthCheckPath"].place(), "HealthCheckPath " + tg.at.text("HealthCheckPath"), "lbsim's checks ask for / (the path does not change what they find)");
    }
    const auto& a = tg.attributes;
    if (const auto seconds = attribute(a, "slow_start.duration_seconds"); seconds && *seconds != "0")
      add_attribute(group, tg, "slow_start", YAML::Node(*seconds + "s"), "slow_start.duration_seconds");
    if (const auto seconds = attribute(a, "deregistration_delay.timeout_seconds"))
      add_attribute(group, tg, "deregistration_delay", YAML::Node(*seconds + "s"), "deregistration_delay.timeout_seconds");
    if (attribute(a, "stickiness.enabled") == std::optional<std::string>("true")) {
      YAML::Node sticky;
      const std::string type = attribute(a, "stickiness.type").value_or("lb_cookie");
      sticky["type"] = type;
      if (type == "app_cookie") {
        sticky["cookie"] = attribute(a, "stickiness.app_cookie.cookie_name").value_or("SESSIONID");
        sticky["duration"] = attribute(a, "stickiness.app_cookie.duration_seconds").value_or("86400") + "s";
      } else {
        sticky["duration"] = attribute(a, "stickiness.lb_cookie.duration_seconds").value_or("86400") + "s";
      }
      add_attribute(group, tg, "stickiness", sticky, "stickiness.enabled");
    }
    draft_.groups.push_back(std::move(group));
  }

  void add_attribute(DraftGroup& group, const TargetGroup& tg, const std::string& key, const YAML::Node& value, const std::string& attribute_key) {
    const Attribute& attr = tg.attributes.at(attribute_key);
    group.items.push_back({key, value, fmt::format("{} of {}", attribute_key, tg.name), attr.at.place(), attribute_key + " = " + attr.value});
    report_.mapped(attr.at.place(), attribute_key + " = " + attr.value, fmt::format("target_groups.{}.{}", group.name, key));
  }

  void alb_keys(const LoadBalancer& alb) {
    // The tier's algorithm and cross-zone: the default action's group's.
    const TargetGroup* main = default_group_ != nullptr ? default_group_ : (tgs_.empty() ? nullptr : &tgs_.front());
    if (main != nullptr) {
      const std::string algorithm = attribute(main->attributes, "load_balancing.algorithm.type").value_or("round_robin");
      const std::string lbsim = algorithm == "least_outstanding_requests" ? algorithm : algorithm == "weighted_random" ? "random" : "round_robin";
      draft_.l7.insert(draft_.l7.begin(), DraftItem{"algorithm", YAML::Node(lbsim), "load_balancing.algorithm.type of " + main->name});
      if (algorithm == "weighted_random")
        report_.approximated(main->at.place(), "load_balancing.algorithm.type = weighted_random", "random (anomaly mitigation is not modelled)");
      for (const TargetGroup& tg : tgs_)
        if (&tg != main && !tg.group.empty() && attribute(tg.attributes, "load_balancing.algorithm.type").value_or("round_robin") != algorithm)
          report_.approximated(tg.at.place(), "target group " + tg.name, fmt::format("lbsim's L7 tier picks with one algorithm for every group: {}'s", main->name));
      const std::string group_cross = attribute(main->attributes, "load_balancing.cross_zone.enabled").value_or("use_load_balancer_configuration");
      const std::string cross = group_cross != "use_load_balancer_configuration" ? group_cross
                                                                                : attribute(alb.attributes, "load_balancing.cross_zone.enabled").value_or("true");
      draft_.l7.push_back({"cross_zone", YAML::Node(cross == "true"), "load_balancing.cross_zone.enabled (ALB's default: on)"});
    }
    if (const auto idle = attribute(alb.attributes, "idle_timeout.timeout_seconds")) {
      const Attribute& attr = alb.attributes.at("idle_timeout.timeout_seconds");
      draft_.l7.push_back({"upstream_timeout", YAML::Node(*idle + "s"), "idle_timeout.timeout_seconds", attr.at.place(), "idle_timeout.timeout_seconds"});
      report_.mapped(attr.at.place(), "idle_timeout.timeout_seconds = " + *idle, "l7.upstream_timeout");
    }
    for (const auto& [key, attr] : alb.attributes)
      if (key != "idle_timeout.timeout_seconds" && key != "load_balancing.cross_zone.enabled")
        report_.dropped(attr.at.place(), key + " = " + attr.value, "a load balancer attribute lbsim does not model");
  }

  // ---- rules ----
  // A rule's conditions as the `if` mappings they expand to (ALB's values are
  // alternatives), or why lbsim cannot hold them.
  struct Conditions {
    std::vector<YAML::Node> whens;
    std::string unsupported;
  };

  Conditions conditions(const At& rule) {
    Conditions out;
    out.whens.push_back(YAML::Node(YAML::NodeType::Map));
    for (const At& c : rule.list("Conditions")) {
      const std::string field = c.text("Field");
      std::vector<std::pair<std::string, YAML::Node>> options;  // (key, value) alternatives
      const auto values = [&](const char* config) { return c.has(config) ? c[config].texts("Values") : c.texts("Values"); };
      if (field == "path-pattern") for (const auto& v : values("PathPatternConfig")) options.push_back({"path", YAML::Node(v)});
      else if (field == "host-header") for (const auto& v : values("HostHeaderConfig")) options.push_back({"host", YAML::Node(v)});
      else if (field == "http-request-method") for (const auto& v : values("HttpRequestMethodConfig")) options.push_back({"method", YAML::Node(v)});
      else if (field == "source-ip") for (const auto& v : values("SourceIpConfig")) options.push_back({"source_ip", YAML::Node(v)});
      else if (field == "http-header") {
        const At config = c["HttpHeaderConfig"];
        const std::string name = config.text("HttpHeaderName");
        for (const auto& v : config.texts("Values")) {
          YAML::Node header;
          header[name] = v;
          options.push_back({"header", header});
        }
      } else if (field == "query-string") {
        for (const At& pair : c["QueryStringConfig"].list("Values")) {
          if (!pair.has("Key")) {
            out.unsupported = "a query-string condition on a value alone (no Key): lbsim's query conditions name their parameter";
            return out;
          }
          YAML::Node query;
          query[pair.text("Key")] = pair.text("Value");
          options.push_back({"query", query});
        }
      } else {
        out.unsupported = fmt::format("condition '{}' is not one lbsim's rules have", field);
        return out;
      }
      if (options.empty()) continue;
      std::vector<YAML::Node> next;
      for (const YAML::Node& base : out.whens)
        for (const auto& [key, value] : options) {
          YAML::Node when = YAML::Clone(base);
          if (when[key] && !(key == "header" || key == "query")) {
            out.unsupported = fmt::format("two '{}' conditions in one rule", field);
            return out;
          }
          if (key == "header" || key == "query")
            for (const auto& kv : value) when[key][kv.first.as<std::string>()] = kv.second;
          else when[key] = value;
          next.push_back(when);
        }
      if (next.size() > kMaxRulesPerAwsRule) {
        out.unsupported = fmt::format("its values expand to more than {} rules", kMaxRulesPerAwsRule);
        return out;
      }
      out.whens = std::move(next);
    }
    return out;
  }

  // A rule's action as lbsim's (its key and value), or why it cannot be one.
  std::optional<DraftItem> action(const At& rule, const char* list_key, std::string& note) {
    const std::vector<At> actions = rule.list(list_key);
    // By index: an At holds a YAML::Node, which assignment (as a sort does) would write through.
    std::vector<std::size_t> order(actions.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    const auto rank = [&](std::size_t i) { return actions[i].has("Order") ? actions[i].number("Order") : 0; };
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return rank(a) < rank(b); });
    for (const std::size_t i : order) {
      const At& a = actions[i];
      const std::string type = a.text("Type");
      if (type.starts_with("authenticate-")) {
        note = "authentication is not modelled: the rule's next action is taken";
        continue;
      }
      if (type == "forward") return forward(a, note);
      if (type == "redirect") return redirect(a, note);
      if (type == "fixed-response") {
        const At config = a["FixedResponseConfig"];
        YAML::Node answer;
        answer["status"] = config.number("StatusCode");
        if (config.has("ContentType")) answer["content_type"] = config.text("ContentType");
        if (config.has("MessageBody")) answer["body"] = fmt::format("{}B", config.text("MessageBody").size());
        return DraftItem{"fixed_response", answer, ""};
      }
      note = fmt::format("action '{}' is not one lbsim's rules have", type);
      return std::nullopt;
    }
    if (note.empty()) note = "no action";
    return std::nullopt;
  }

  std::optional<DraftItem> forward(const At& a, std::string& note) {
    std::vector<std::pair<std::string, long>> targets;
    if (a.has("ForwardConfig")) {
      const At config = a["ForwardConfig"];
      for (const At& t : config.list("TargetGroups")) targets.push_back({t.text("TargetGroupArn"), t.has("Weight") ? t.number("Weight") : 1});
      if (config.has("TargetGroupStickinessConfig") && config["TargetGroupStickinessConfig"].text_or("Enabled", "false") == "true")
        note = "stickiness to one of the weighted groups is not modelled";
    } else {
      targets.push_back({a.text("TargetGroupArn"), 1});
    }
    YAML::Node value;
    for (const auto& [arn, weight] : targets) {
      const TargetGroup* tg = group_of_arn(arn);
      if (tg == nullptr || tg->group.empty()) {
        note = "it forwards to a target group not described (give describe-target-groups' output): " + arn;
        return std::nullopt;
      }
      if (targets.size() == 1) {
        value = tg->group;
        if (default_group_ == nullptr) last_group_ = tg;
      } else {
        YAML::Node one;
        one["group"] = tg->group;
        one["weight"] = weight;
        value.push_back(one);
      }
    }
    return DraftItem{"forward", value, ""};
  }

  std::optional<DraftItem> redirect(const At& a, std::string& note) {
    const At config = a["RedirectConfig"];
    YAML::Node to;
    const auto keep = [&](const char* key, const char* field, const std::string& same) {
      const std::string value = config.text_or(key, same);
      if (value == same) return;
      if (value.find("#{") != std::string::npos) note = fmt::format("'{}' mixes the request's own values into the new one: taken literally", value);
      to[field] = value;
    };
    keep("Protocol", "protocol", "#{protocol}");
    if (to["protocol"]) to["protocol"] = group_name(to["protocol"].as<std::string>());
    keep("Host", "host", "#{host}");
    keep("Path", "path", "/#{path}");
    keep("Query", "query", "#{query}");
    const std::string port = config.text_or("Port", "#{port}");
    if (port != "#{port}" && port != "443" && port != "80") note = "a redirect to port " + port + ": lbsim's redirects keep the default port";
    const std::string status = config.text_or("StatusCode", "HTTP_301");
    to["status"] = status == "HTTP_302" ? 302 : 301;
    return DraftItem{"redirect", to, ""};
  }

  void listener_rules(const Listener& listener) {
    std::vector<const AwsRule*> mine;
    const AwsRule* default_rule = nullptr;
    for (const AwsRule& r : rules_) {
      if (r.listener_arn != listener.arn) continue;
      if (r.is_default || r.priority == "default") default_rule = &r;
      else mine.push_back(&r);
    }
    std::stable_sort(mine.begin(), mine.end(), [](const AwsRule* a, const AwsRule* b) { return std::stol(a->priority) < std::stol(b->priority); });
    // ALB's priorities are kept unless a rule expands into several (then renumbered in order).
    std::vector<std::pair<const AwsRule*, Conditions>> expanded;
    bool renumber = false;
    for (const AwsRule* r : mine) {
      expanded.push_back({r, conditions(r->at)});
      renumber |= expanded.back().second.whens.size() > 1;
    }
    long next = 0;
    for (auto& [r, c] : expanded) {
      const std::string label = "rule priority " + r->priority;
      if (!c.unsupported.empty()) {
        report_.dropped(r->at.place(), label, c.unsupported);
        continue;
      }
      std::string note;
      const auto act = action(r->at, "Actions", note);
      if (!act) {
        report_.dropped(r->at.place(), label, note);
        continue;
      }
      for (const YAML::Node& when : c.whens) {
        DraftRule rule;
        rule.comment = fmt::format("{}: {}", r->at.place().to_string(), label);
        rule.at = r->at.place();
        rule.directive = label;
        rule.items.push_back({"priority", YAML::Node(renumber ? (next += 10) : std::stol(r->priority)), ""});
        rule.items.push_back({"if", when.size() == 0 ? YAML::Load("{ path: '/*' }") : when, ""});
        rule.items.push_back(*act);
        draft_.rules.push_back(std::move(rule));
      }
      const std::string many = c.whens.size() > 1 ? fmt::format(" ({} rules: ALB's alternative values)", c.whens.size()) : "";
      if (!note.empty()) report_.approximated(r->at.place(), label, note + many);
      else report_.mapped(r->at.place(), label, (renumber ? "l7.rules[], renumbered in order" : "l7.rules[] at its priority") + many);
    }
    // The default: the listener's default actions (or the rule marked default).
    DraftRule rule;
    rule.items.push_back({"default", YAML::Node(true), ""});
    std::string note;
    last_group_ = nullptr;
    const auto act = default_rule != nullptr ? action(default_rule->at, "Actions", note) : action(listener.at, "DefaultActions", note);
    default_group_ = last_group_;
    const At& from = default_rule != nullptr ? default_rule->at : listener.at;
    rule.comment = fmt::format("{}: the listener's default action", from.place().to_string());
    if (act) {
      rule.items.push_back(*act);
      if (note.empty()) report_.mapped(from.place(), "default action", "l7.rules[] default");
      else report_.approximated(from.place(), "default action", note);
    } else {
      rule.items.push_back({"fixed_response", YAML::Load("{ status: 503 }"), ""});
      report_.dropped(from.place(), "default action", note + " (the default answers 503)");
    }
    draft_.rules.push_back(std::move(rule));
  }

  // What no mapping spoke for: other listeners' rules, other load balancers' groups, and
  // target group attributes lbsim has no key for.
  void sweep(const LoadBalancer* nlb) {
    for (const AwsRule& r : rules_)
      if (std::none_of(draft_.rules.begin(), draft_.rules.end(), [&](const DraftRule& d) { return d.at.file == r.at.place().file && d.at.line == r.at.place().line; }) &&
          std::none_of(report_.entries().begin(), report_.entries().end(), [&](const ReportEntry& e) { return e.at.file == r.at.place().file && e.at.line == r.at.place().line; }))
        report_.dropped(r.at.place(), "rule priority " + r.priority, "a rule of a listener lbsim does not model");
    for (const TargetGroup& tg : tgs_) {
      const bool nlbs = nlb != nullptr && std::find(tg.lb_arns.begin(), tg.lb_arns.end(), nlb->arn) != tg.lb_arns.end();
      if (tg.group.empty() && !nlbs) report_.dropped(tg.at.place(), "target group " + tg.name, "a target group of no load balancer lbsim models");
      for (const auto& [key, attr] : tg.attributes) {
        const std::string line = key + " = " + attr.value;
        if (std::any_of(report_.entries().begin(), report_.entries().end(), [&](const ReportEntry& e) { return e.at.line == attr.at.place().line && e.at.file == attr.at.place().file; }))
          continue;
        if (key.starts_with("stickiness.") || key == "load_balancing.algorithm.type" || key == "load_balancing.cross_zone.enabled" ||
            key == "slow_start.duration_seconds")
          report_.mapped(attr.at.place(), line, "read with the group's stickiness, slow start, algorithm and cross-zone keys");
        else report_.dropped(attr.at.place(), line, "a target group attribute lbsim does not model");
      }
    }
  }

  // ---- the NLB ----
  void network(const LoadBalancer* nlb, const LoadBalancer* alb) {
    if (nlb == nullptr) {
      draft_.l4.push_back({"forwarding", YAML::Node("dnat"), "no NLB described: one in front, as lbsim's layouts have"});
      return;
    }
    draft_.l4_comment = "NLB " + nlb->name;
    draft_.l4.push_back({"forwarding", YAML::Node("dnat"), "NLB keeps the client's address (DNAT)"});
    draft_.l4.push_back({"algorithm", YAML::Node("flow_hash"), "NLB hashes each flow"});
    const std::string cross = attribute(nlb->attributes, "load_balancing.cross_zone.enabled").value_or("false");
    draft_.l4.push_back({"cross_zone", YAML::Node(cross == "true"), "load_balancing.cross_zone.enabled (NLB's default: off)"});
    for (const auto& [key, attr] : nlb->attributes)
      if (key != "load_balancing.cross_zone.enabled") report_.dropped(attr.at.place(), key + " = " + attr.value, "a load balancer attribute lbsim does not model");
    // The NLB's target group: an ALB (the two-tier layout) or instances (L4 only).
    const TargetGroup* front = nullptr;
    for (const TargetGroup& tg : tgs_)
      if (std::find(tg.lb_arns.begin(), tg.lb_arns.end(), nlb->arn) != tg.lb_arns.end()) front = &tg;
    if (front != nullptr && front->type == "alb") {
      report_.mapped(front->at.place(), "target group " + front->name + " (type alb)", "the two-tier layout: the NLB in front of the ALB");
      if (alb == nullptr) report_.approximated(front->at.place(), "target group " + front->name, "its ALB is not described: lbsim's L7 tier stands in");
    } else if (front != nullptr && alb == nullptr) {
      TargetGroup& tg = const_cast<TargetGroup&>(*front);
      target_group(tg);
      draft_.l4.push_back({"target_group", YAML::Node(tg.group), "the NLB's target group"});
      for (const Listener& l : listeners_)
        if (l.lb_arn == nlb->arn && (l.port == 443 || l.protocol == "TLS")) {
          draft_.client_tls_version = "1.3";
          draft_.groups.back().items.push_back({"tls", YAML::Load("{ key: ecdsa-p256 }"), "port 443: the targets terminate TLS"});
          report_.approximated(l.at.place(), fmt::format("listener {} {}", l.protocol, l.port), "TLS through the NLB, ended by the targets (ECDSA P-256 assumed)");
        }
    }
    for (const Listener& l : listeners_)
      if (l.lb_arn == nlb->arn) report_.mapped(l.at.place(), fmt::format("listener {} {}", l.protocol, l.port), "the L4 tier's listener");
  }

  const std::vector<InputFile>& files_;
  ImportReport& report_;
  std::vector<LoadBalancer> lbs_;
  std::vector<Listener> listeners_;
  std::vector<AwsRule> rules_;
  std::vector<TargetGroup> tgs_;
  std::map<std::string, std::string> zone_of_az_;
  const TargetGroup* default_group_ = nullptr;
  const TargetGroup* last_group_ = nullptr;
  Draft draft_;
};

}  // namespace

Draft import_aws(const std::vector<InputFile>& files, ImportReport& report) { return AwsImport(files, report).run(); }

}  // namespace lbsim::importing
