// SPDX-License-Identifier: GPL-3.0-or-later
#include "import/envoy.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <set>

#include "import/document.hpp"
#include "import/values.hpp"

namespace lbsim::importing {
namespace {

constexpr std::size_t kMaxRulesPerRoute = 64;

// A protobuf Duration as Envoy's YAML writes it ("0.25s", "5s"), in seconds.
std::optional<double> envoy_seconds(const std::string& text) {
  if (text.empty() || text.back() != 's') return std::nullopt;
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() - 1 || value < 0) return std::nullopt;
  return value;
}

// A StringMatcher ({ exact | prefix | suffix | contains: V }) as an lbsim glob.
std::optional<std::string> glob_of(const At& matcher) {
  if (!matcher.node.IsMap()) return std::nullopt;
  if (matcher.has("exact")) return matcher.text("exact");
  if (matcher.has("prefix")) return matcher.text("prefix") + "*";
  if (matcher.has("suffix")) return "*" + matcher.text("suffix");
  if (matcher.has("contains")) return "*" + matcher.text("contains") + "*";
  return std::nullopt;
}

class EnvoyImport {
public:
  EnvoyImport(const std::vector<InputFile>& files, ImportReport& report) : files_(files), report_(report) {}

  Draft run() {
    const InputFile& file = files_.front();
    YAML::Node root;
    try {
      root = YAML::Load(file.text);
    } catch (const YAML::ParserException& e) {
      throw ImportError({file.name, e.mark.line + 1, e.mark.column + 1}, "not YAML or JSON: " + e.msg);
    }
    const At bootstrap{&file, root};
    if (!bootstrap.node.IsMap() || !bootstrap.has("static_resources"))
      throw ImportError({file.name, 1, 1}, "expected an Envoy bootstrap with static_resources (listeners and clusters)");
    for (std::size_t i = 1; i < files_.size(); ++i) report_.dropped({files_[i].name, 1, 0}, files_[i].name, "lbsim reads one Envoy bootstrap: the first file");
    const At resources = bootstrap["static_resources"];
    for (const auto& kv : bootstrap.node)
      if (kv.first.as<std::string>() != "static_resources")
        report_.dropped(At{&file, kv.second}.place(), kv.first.as<std::string>(), "admin, stats and runtime settings: not part of the modelled traffic");
    for (const At& c : resources.list("clusters")) cluster(c);
    if (draft_.groups.empty()) resources.fail("no cluster: expected static_resources.clusters with at least one");
    const std::vector<At> listeners = resources.list("listeners");
    if (listeners.empty()) resources.fail("no listener: expected static_resources.listeners with an http_connection_manager");
    listener(listeners.front());
    for (std::size_t i = 1; i < listeners.size(); ++i) report_.dropped(listeners[i].place(), "listener " + listeners[i].text_or("name", ""), "lbsim models one listener: the first");
    tier_keys();
    if (!zones_.empty()) draft_.zones.assign(zones_.begin(), zones_.end());
    draft_.zones_comment = zones_.empty() ? "no locality zones: one" : "the clusters' locality zones";
    const std::string stem = std::filesystem::path(file.name).stem().string();
    draft_.name = "imported-" + group_name(stem);
    draft_.description = fmt::format("Imported from {} by `lbsim import envoy`: {} rules and {} target groups. Read the comments and the import "
                                     "report: traffic and service times are not in a proxy's configuration.",
                                     std::filesystem::path(file.name).filename().string(), draft_.rules.size(), draft_.groups.size());
    draft_.preface = {fmt::format("Imported from {} by `lbsim import envoy`.", std::filesystem::path(file.name).filename().string()),
                      "Each item's comment names the line it came from; `lbsim import` printed what it approximated and dropped."};
    draft_.clients_comment = {"Not in a proxy's configuration: 100 requests/s, one request written for each rule",
                              "(`lbsim route --samples`). Replace with your traffic: `lbsim import traffic`."};
    return std::move(draft_);
  }

private:
  // ---- clusters ----
  void cluster(const At& c) {
    const std::string name = c.text("name");
    DraftGroup group;
    group.name = group_name(name);
    while (std::any_of(draft_.groups.begin(), draft_.groups.end(), [&](const DraftGroup& g) { return g.name == group.name; })) group.name += "-2";
    group.comment = fmt::format("{}: cluster {}", c.place().to_string(), name);
    report_.mapped(c.place(), "cluster " + name, "target_groups." + group.name);
    groups_[name] = group.name;
    // Endpoints per locality zone: lbsim's groups have as many in each zone.
    std::map<std::string, long> per_zone;
    const At assignment = c["load_assignment"];
    if (assignment.node.IsMap())
      for (const At& locality : assignment.list("endpoints")) {
        const std::string zone = locality.has("locality") && locality["locality"].has("zone") ? locality["locality"].text("zone") : "";
        per_zone[zone] += static_cast<long>(locality.list("lb_endpoints").size());
        if (!zone.empty()) zones_.insert(group_name(zone.substr(zone.find_last_of("0123456789") == std::string::npos ? 0 : zone.find_last_of("0123456789") + 1)));
      }
    long most = 1;
    std::set<long> counts;
    for (const auto& [zone, n] : per_zone) {
      most = std::max(most, n);
      counts.insert(n);
    }
    if (counts.size() > 1) report_.approximated(c.place(), "cluster " + name, fmt::format("unequal endpoints per zone: lbsim puts {} in each", most));
    if (per_zone.empty()) report_.approximated(c.place(), "cluster " + name, "no load_assignment endpoints: one target per zone");
    group.items.push_back({"per_zone", YAML::Node(most), "load_assignment's endpoints"});
    group.items.push_back({"service_time", YAML::Load("{ dist: exponential, mean: 10ms }"), "not in a proxy's configuration: measure it (lbsim import traffic)"});
    const std::vector<At> checks = c.list("health_checks");
    if (!checks.empty()) {
      const At& h = checks.front();
      YAML::Node check;
      const auto seconds = [&](const char* key) {
        const auto v = envoy_seconds(h.text(key));
        if (!v) h[key].fail(fmt::format("'{}': expected a duration such as 5s or 0.25s", key));
        return *v;
      };
      const double interval = seconds("interval"), timeout = std::min(seconds("timeout"), interval / 2);
      check["interval"] = duration_text(interval);
      check["timeout"] = duration_text(timeout);
      check["healthy"] = h.number("healthy_threshold");
      check["unhealthy"] = h.number("unhealthy_threshold");
      group.items.push_back({"health_check", check, h.place().to_string() + ": health_checks", h.place(), "health_checks"});
      report_.mapped(h.place(), "health_checks of " + name, "target_groups." + group.name + ".health_check");
    } else {
      report_.approximated(c.place(), "cluster " + name, "no health_checks: lbsim's L7 tier checks with ALB's defaults (30 s)");
    }
    policies_.push_back({name, c});
    draft_.groups.push_back(std::move(group));
  }

  // ---- the listener and its routes ----
  void listener(const At& l) {
    const At manager = http_connection_manager(l);
    report_.mapped(l.place(), "listener " + l.text_or("name", ""), "the L7 tier's listener");
    for (const At& chain : l.list("filter_chains"))
      if (chain.has("transport_socket")) {
        draft_.client_tls_version = "1.3";
        draft_.l7.push_back({"tls", YAML::Load("{ key: ecdsa-p256 }"), "transport_socket"});
        report_.approximated(chain["transport_socket"].place(), "transport_socket", "TLS at the L7 tier (ECDSA P-256 assumed: the certificate is not read); clients on TLS 1.3");
        break;
      }
    for (const At& filter : manager.list("http_filters")) {
      const std::string name = filter.text("name");
      if (name.find("local_ratelimit") != std::string::npos) local_rate_limit(filter);
      else if (name.find("router") != std::string::npos) report_.mapped(filter.place(), name, "the L7 tier forwards");
      else report_.dropped(filter.place(), name, "an HTTP filter lbsim does not model");
    }
    const At routes = manager["route_config"];
    if (!routes.node.IsMap()) manager.fail("expected a route_config (RDS is not read: give the routes inline)");
    const std::vector<At> hosts = routes.list("virtual_hosts");
    // Envoy picks the virtual host by domain: exact names, then wildcards, then "*".
    // (Sorted by index: an At holds a YAML::Node, which assignment would write through.)
    const auto rank = [](const At& h) {
      int best = 3;
      for (const std::string& d : h.texts("domains")) best = std::min(best, d == "*" ? 2 : d.find('*') != std::string::npos ? 1 : 0);
      return best;
    };
    std::vector<std::size_t> order(hosts.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return rank(hosts[a]) < rank(hosts[b]); });
    for (const std::size_t i : order) virtual_host(hosts[i]);
    if (draft_.rules.empty() || !draft_.rules.back().items.front().key.starts_with("default")) {
      DraftRule rule;
      rule.comment = "no route takes every request: Envoy answers 404";
      rule.items = {{"default", YAML::Node(true)}, {"fixed_response", YAML::Load("{ status: 404 }")}};
      draft_.rules.push_back(std::move(rule));
    }
  }

  At http_connection_manager(const At& l) {
    for (const At& chain : l.list("filter_chains"))
      for (const At& filter : chain.list("filters"))
        if (filter.text("name").find("http_connection_manager") != std::string::npos) return filter["typed_config"];
    l.fail("no http_connection_manager filter: lbsim's L7 tier is an HTTP proxy");
  }

  void virtual_host(const At& h) {
    std::vector<std::string> domains;
    for (const std::string& d : h.texts("domains")) {
      if (d == "*") {
        domains = {""};
        break;
      }
      const std::string host = d.substr(0, d.rfind(':'));  // (a port in a domain: the host alone)
      if (std::find(domains.begin(), domains.end(), host) == domains.end()) domains.push_back(host);
    }
    report_.mapped(h.place(), "virtual host " + h.text_or("name", ""), domains.size() == 1 && domains[0].empty() ? "rules for every host" : "l7.rules[].if.host");
    for (const At& r : h.list("routes")) route(r, domains);
  }

  void route(const At& r, const std::vector<std::string>& domains) {
    const At match = r["match"];
    YAML::Node base(YAML::NodeType::Map);
    bool catch_all = false;
    if (match.has("path")) base["path"]["exact"] = match.text("path");
    else if (match.has("prefix")) {
      if (match.text("prefix") == "/") catch_all = true;
      else base["path"]["prefix"] = match.text("prefix");
    } else if (match.has("safe_regex") || match.has("path_separated_prefix") || match.has("path_match_policy")) {
      report_.dropped(r.place(), "route", "a regex or templated path: lbsim's rules match paths by globs");
      return;
    } else {
      match.fail("expected a route match with prefix or path");
    }
    if (match.has("case_sensitive") && match.text("case_sensitive") == "false")
      report_.approximated(r.place(), "route", "lbsim matches paths case-sensitively");
    for (const At& header : match.list("headers")) {
      const std::string name = header.text("name");
      std::optional<std::string> glob;
      if (header.has("present_match")) glob = "*";
      else if (header.has("string_match")) glob = glob_of(header["string_match"]);
      else if (header.has("exact_match")) glob = header.text("exact_match");
      if (!glob || header.has("invert_match")) {
        report_.dropped(r.place(), "route", fmt::format("header '{}' matched by a regex, a range or inverted: not a glob", name));
        return;
      }
      if (name == ":method") base["method"] = *glob;
      else if (name == ":authority") base["host"] = *glob;
      else base["header"][name] = *glob;
      catch_all = false;
    }
    for (const At& q : match.list("query_parameters")) {
      const std::string name = q.text("name");
      std::optional<std::string> glob = q.has("present_match") ? std::optional<std::string>("*") : glob_of(q["string_match"]);
      if (!glob) {
        report_.dropped(r.place(), "route", fmt::format("query parameter '{}' matched by a regex: not a glob", name));
        return;
      }
      base["query"][name] = *glob;
      catch_all = false;
    }
    std::string note;
    std::optional<DraftItem> rewrite;
    const std::optional<DraftItem> action = route_action(r, note, rewrite);
    if (!action) {
      report_.dropped(r.place(), "route", note);
      return;
    }
    const bool every_host = domains.size() == 1 && domains[0].empty();
    if (catch_all && every_host && !base["host"]) {
      DraftRule rule;
      rule.comment = fmt::format("{}: route (prefix /)", r.place().to_string());
      rule.at = r.place();
      rule.directive = "route";
      rule.items = {{"default", YAML::Node(true)}, *action};
      draft_.rules.push_back(std::move(rule));
    } else {
      if (domains.size() > kMaxRulesPerRoute) {
        report_.dropped(r.place(), "route", fmt::format("its virtual host's domains expand to more than {} rules", kMaxRulesPerRoute));
        return;
      }
      for (const std::string& domain : domains) {
        YAML::Node when = YAML::Clone(base);
        if (!domain.empty()) when["host"] = domain;
        if (when.size() == 0) when["path"] = "/*";
        DraftRule rule;
        rule.comment = fmt::format("{}: route", r.place().to_string());
        rule.at = r.place();
        rule.directive = "route";
        rule.items = {{"priority", YAML::Node(priority_ += 10)}, {"if", when}, *action};
        if (rewrite) rule.items.push_back(*rewrite);
        draft_.rules.push_back(std::move(rule));
      }
    }
    if (!note.empty()) report_.approximated(r.place(), "route", note);
    else report_.mapped(r.place(), "route", domains.size() > 1 ? fmt::format("l7.rules[] ({} rules: one per domain)", domains.size()) : "l7.rules[]");
  }

  // A route's action, and the rewrite it makes of what it forwards (if any).
  std::optional<DraftItem> route_action(const At& r, std::string& note, std::optional<DraftItem>& rewrite) {
    if (r.has("direct_response")) {
      const At d = r["direct_response"];
      YAML::Node answer;
      answer["status"] = d.number("status");
      if (d.has("body") && d["body"].has("inline_string")) answer["body"] = fmt::format("{}B", d["body"].text("inline_string").size());
      return DraftItem{"fixed_response", answer};
    }
    if (r.has("redirect")) {
      const At d = r["redirect"];
      YAML::Node to;
      if (d.has("https_redirect") && d.text("https_redirect") == "true") to["protocol"] = "https";
      if (d.has("scheme_redirect")) to["protocol"] = d.text("scheme_redirect");
      if (d.has("host_redirect")) to["host"] = d.text("host_redirect");
      if (d.has("path_redirect")) to["path"] = d.text("path_redirect");
      if (d.has("prefix_rewrite")) note = "a redirect's prefix_rewrite: lbsim's redirect sets a whole path";
      const std::string code = d.text_or("response_code", "MOVED_PERMANENTLY");
      static const std::map<std::string, long> kCodes{{"MOVED_PERMANENTLY", 301}, {"FOUND", 302}, {"SEE_OTHER", 303}, {"TEMPORARY_REDIRECT", 307}, {"PERMANENT_REDIRECT", 308}};
      to["status"] = kCodes.count(code) ? (kCodes.at(code) == 303 ? 302L : kCodes.at(code)) : 301L;
      return DraftItem{"redirect", to};
    }
    if (!r.has("route")) {
      note = "a route without route, redirect or direct_response";
      return std::nullopt;
    }
    const At a = r["route"];
    if (a.has("timeout") && !route_timeout_) {
      if (const auto t = envoy_seconds(a.text("timeout")); t && *t > 0) {
        route_timeout_ = true;
        draft_.l7.push_back({"upstream_timeout", YAML::Node(duration_text(*t)), a["timeout"].place().to_string() + ": route timeout"});
      }
    }
    if (a.has("retry_policy") && !retry_) retry_ = a["retry_policy"];
    std::optional<DraftItem> action;
    if (a.has("cluster")) {
      const std::string cluster = a.text("cluster");
      if (!groups_.count(cluster)) {
        note = fmt::format("it routes to cluster '{}', which is not defined", cluster);
        return std::nullopt;
      }
      action = DraftItem{"forward", YAML::Node(groups_.at(cluster))};
    } else if (a.has("weighted_clusters")) {
      YAML::Node list;
      for (const At& w : a["weighted_clusters"].list("clusters")) {
        const std::string cluster = w.text("name");
        if (!groups_.count(cluster)) {
          note = fmt::format("it routes to cluster '{}', which is not defined", cluster);
          return std::nullopt;
        }
        YAML::Node one;
        one["group"] = groups_.at(cluster);
        one["weight"] = std::clamp(w.has("weight") ? w.number("weight") : 1L, 0L, 999L);
        list.push_back(one);
      }
      action = DraftItem{"forward", list};
    } else {
      note = "a route to a cluster chosen by a header or a plugin: lbsim's rules name their groups";
      return std::nullopt;
    }
    rewrite = route_rewrite(r, a, note);
    return action;
  }

  // prefix_rewrite (the matched prefix replaced), regex_rewrite (Envoy's RE2 and its
  // \1 groups) and host_rewrite_literal as the rule's `rewrite`.
  std::optional<DraftItem> route_rewrite(const At& r, const At& a, std::string& note) {
    YAML::Node rw;
    if (a.has("prefix_rewrite")) {
      const At match = r["match"];
      if (!match.has("prefix")) {
        note = "a prefix_rewrite on a route that matches no prefix: not imported";
      } else {
        rw["path"]["regex"] = "^" + regex_escaped(match.text("prefix"));
        rw["path"]["replacement"] = a.text("prefix_rewrite");
      }
    } else if (a.has("regex_rewrite")) {
      const At rewrite = a["regex_rewrite"];
      // Envoy's \N is lbsim's $N; a literal $ is written $$.
      const std::string text = rewrite.text("substitution");
      std::string substitution;
      for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\\' && i + 1 < text.size() && std::isdigit(static_cast<unsigned char>(text[i + 1]))) substitution += '$';
        else if (text[i] == '$') substitution += "$$";
        else substitution += text[i];
      }
      rw["path"]["regex"] = rewrite["pattern"].text("regex");
      rw["path"]["replacement"] = substitution;
    }
    if (a.has("host_rewrite_literal")) {
      rw["host"]["regex"] = "^.*$";
      rw["host"]["replacement"] = a.text("host_rewrite_literal");
    }
    if (rw.size() == 0) return std::nullopt;
    return DraftItem{"rewrite", rw};
  }

  void local_rate_limit(const At& filter) {
    const At config = filter["typed_config"];
    const At bucket = config["token_bucket"];
    if (!bucket.node.IsMap()) {
      report_.dropped(filter.place(), "local_ratelimit", "no token_bucket");
      return;
    }
    const long tokens = bucket.number("tokens_per_fill");
    const auto every = envoy_seconds(bucket.text("fill_interval"));
    if (!every || *every <= 0) bucket["fill_interval"].fail("'fill_interval': expected a duration such as 1s");
    YAML::Node limit;
    limit["key"] = "route";
    limit["rate"] = fmt::format("{}/s", std::max(1L, std::lround(static_cast<double>(tokens) / *every)));
    limit["burst"] = bucket.number("max_tokens");
    draft_.l7.push_back({"rate_limit", limit, filter.place().to_string() + ": local_ratelimit", filter.place(), "local_ratelimit"});
    report_.approximated(filter.place(), "local_ratelimit", "l7.rate_limit keyed per rule (Envoy's local limit is one bucket per listener or route; kept by each node)");
  }

  // ---- the tier: lb_policy, outlier detection, circuit breakers, zone awareness, retries ----
  void tier_keys() {
    std::string algorithm = "round_robin";
    bool first = true;
    bool outlier = false, breakers = false;
    for (const auto& [name, c] : policies_) {
      const std::string policy = c.text_or("lb_policy", "ROUND_ROBIN");
      static const std::map<std::string, std::string> kPolicies{{"ROUND_ROBIN", "round_robin"}, {"LEAST_REQUEST", "least_request"}, {"RING_HASH", "ring_hash"},
                                                                {"MAGLEV", "maglev"}, {"RANDOM", "random"}};
      const std::string lbsim = kPolicies.count(policy) ? kPolicies.at(policy) : "round_robin";
      if (first) {
        algorithm = lbsim;
        if (!kPolicies.count(policy)) report_.approximated(c.place(), "lb_policy " + policy, "round_robin (no equivalent)");
        if (lbsim == "least_request" && c.has("least_request_lb_config") && c["least_request_lb_config"].has("choice_count"))
          draft_.l7.insert(draft_.l7.begin(), DraftItem{"choices", YAML::Node(std::clamp(c["least_request_lb_config"].number("choice_count"), 1L, 16L)), "choice_count"});
        first = false;
      } else if (lbsim != algorithm) {
        report_.approximated(c.place(), "lb_policy " + policy + " of " + name, "lbsim's L7 tier picks with one algorithm for every group: the first cluster's");
      }
      if (c.has("outlier_detection") && !outlier) {
        const At o = c["outlier_detection"];
        YAML::Node od(YAML::NodeType::Map);  // (empty: Envoy's defaults, which are lbsim's)
        if (o.has("consecutive_5xx")) od["consecutive_5xx"] = std::clamp(o.number("consecutive_5xx"), 1L, 1000L);
        if (o.has("base_ejection_time")) od["base_ejection_time"] = duration_text(envoy_seconds(o.text("base_ejection_time")).value_or(30));
        if (o.has("max_ejection_percent")) od["max_ejection_percent"] = fmt::format("{}%", std::clamp(o.number("max_ejection_percent"), 0L, 100L));
        draft_.l7.push_back({"outlier_detection", od, o.place().to_string() + ": outlier_detection of " + name});
        report_.mapped(o.place(), "outlier_detection of " + name, "l7.outlier_detection (the tier's)");
        outlier = true;
      }
      if (c.has("circuit_breakers") && !breakers) {
        const std::vector<At> thresholds = c["circuit_breakers"].list("thresholds");
        if (!thresholds.empty()) {
          YAML::Node cb(YAML::NodeType::Map);  // (empty: Envoy's defaults, which are lbsim's)
          if (thresholds[0].has("max_requests")) cb["max_requests"] = std::clamp(thresholds[0].number("max_requests"), 1L, 100000000L);
          if (thresholds[0].has("max_pending_requests")) cb["max_pending_requests"] = std::clamp(thresholds[0].number("max_pending_requests"), 1L, 100000000L);
          draft_.l7.push_back({"circuit_breakers", cb, thresholds[0].place().to_string() + ": circuit_breakers of " + name});
          report_.mapped(thresholds[0].place(), "circuit_breakers of " + name, "l7.circuit_breakers (the tier's)");
          breakers = true;
        }
      }
      if (c.has("common_lb_config") && c["common_lb_config"].has("zone_aware_lb_config") && !zone_aware_) {
        draft_.l7.push_back({"cross_zone", YAML::Node("zone_aware"), "zone_aware_lb_config of " + name});
        report_.mapped(c["common_lb_config"].place(), "zone_aware_lb_config of " + name, "l7.cross_zone: zone_aware");
        zone_aware_ = true;
      }
    }
    draft_.l7.insert(draft_.l7.begin(), DraftItem{"algorithm", YAML::Node(algorithm), "the first cluster's lb_policy"});
    if (retry_) {
      YAML::Node retries;
      retries["max"] = std::clamp(retry_->has("num_retries") ? retry_->number("num_retries") : 1L, 0L, 10L);
      std::set<std::string> on;
      std::string conditions = retry_->text_or("retry_on", "5xx");
      for (std::size_t start = 0; start <= conditions.size();) {
        const std::size_t comma = std::min(conditions.find(',', start), conditions.size());
        const std::string c = conditions.substr(start, comma - start);
        if (c == "5xx" || c == "gateway-error" || c == "retriable-status-codes") on.insert("5xx");
        else if (c == "reset" || c == "connect-failure" || c == "refused-stream") on.insert("reset");
        start = comma + 1;
      }
      if (retry_->has("per_try_timeout")) on.insert("timeout");
      for (const std::string& o : on) retries["on"].push_back(o);
      if (on.empty()) retries["on"].push_back("5xx");
      draft_.l7.push_back({"retries", retries, retry_->place().to_string() + ": retry_policy"});
      report_.approximated(retry_->place(), "retry_policy", "l7.retries for every request (Envoy's apply to their route)");
    }
  }

  const std::vector<InputFile>& files_;
  ImportReport& report_;
  Draft draft_;
  std::map<std::string, std::string> groups_;  // cluster -> group
  std::vector<std::pair<std::string, At>> policies_;
  std::set<std::string> zones_;
  std::optional<At> retry_;
  bool route_timeout_ = false, zone_aware_ = false;
  int priority_ = 0;
};

}  // namespace

Draft import_envoy(const std::vector<InputFile>& files, ImportReport& report) { return EnvoyImport(files, report).run(); }

}  // namespace lbsim::importing
