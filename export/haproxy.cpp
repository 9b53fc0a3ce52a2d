// SPDX-License-Identifier: GPL-3.0-or-later
// The L7 tier as HAProxy 2.6 configuration (Debian 12's haproxy).
//
// ALB's listener rules are first-match by priority, where HAProxy evaluates every
// `http-request` line in order and `use_backend` lines after them. So each rule, in
// priority order, claims the request by setting txn.lbsim_rule if no earlier one has;
// every action is then conditioned on that variable. A weighted forward draws once,
// rand(total weight), and picks the group whose range holds the draw.
#include <fmt/format.h>

#include <algorithm>

#include <numeric>
#include <stdexcept>

#include "balancing/registry.hpp"
#include "export/export.hpp"
#include "export/writer.hpp"
#include "l7/waf.hpp"
#include "topology/addresses.hpp"

namespace lbsim::exporting {
namespace {

using Kind = Mapping::Kind;

// A config word HAProxy reads back as `text`: in single quotes, which it takes literally;
// or, when the text holds a single quote, in double quotes, where '\' escapes and '$'
// would expand an environment variable, so '"', '\' and '$' are escaped.
std::string word(std::string_view text) {
  if (text.find('\'') == std::string_view::npos) return fmt::format("'{}'", text);
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\' || c == '$') out += '\\';
    out += c;
  }
  return out + '"';
}

// A literal inside a log-format string (a redirect's location): '%' doubles.
std::string log_format_literal(std::string_view text) {
  std::string out;
  for (const char c : text) out += c == '%' ? std::string("%%") : std::string(1, c);
  return out;
}


std::vector<std::string> conditions(const l7::Conditions& when) {
  std::vector<std::string> acls;
  if (when.host) acls.push_back(fmt::format("{{ req.hdr(host),field(1,:) -i -m reg {} }}", word(glob_to_regex(*when.host))));
  if (when.path) {
    const l7::PathMatch& p = *when.path;
    switch (p.kind) {
      case l7::PathMatch::Kind::exact: acls.push_back(fmt::format("{{ path -m str {} }}", word(p.pattern))); break;
      case l7::PathMatch::Kind::prefix: acls.push_back(fmt::format("{{ path -m beg {} }}", word(p.pattern))); break;
      case l7::PathMatch::Kind::glob: acls.push_back(fmt::format("{{ path -m reg {} }}", word(glob_to_regex(p.pattern)))); break;
    }
  }
  if (when.method) acls.push_back(fmt::format("{{ method {} }}", *when.method));
  for (const auto& h : when.headers) acls.push_back(fmt::format("{{ req.hdr({}) -m reg {} }}", h.name, word(glob_to_regex(h.value))));
  for (const auto& c : when.cookies) acls.push_back(fmt::format("{{ req.cook({}) -m reg {} }}", c.name, word(glob_to_regex(c.value))));
  for (const auto& q : when.query) acls.push_back(fmt::format("{{ urlp({}) -m reg {} }}", q.name, word(glob_to_regex(q.value))));
  if (!when.source.empty()) {
    std::string cidrs;
    for (const auto& c : when.source) cidrs += " " + c.to_string();
    acls.push_back(fmt::format("{{ src{} }}", cidrs));
  }
  return acls;
}

// `balance` for lbsim's picker, and how close it is.
struct Balance {
  std::string lines;
  std::optional<std::string> differs;  // set: approximated, and how
};
Balance balance_for(const std::string& algorithm, const balancing::PickerOptions& options) {
  if (algorithm == "round_robin") return {"balance roundrobin", std::nullopt};
  if (algorithm == "least_connections") return {"balance leastconn", std::nullopt};
  if (algorithm == "least_outstanding_requests")
    return {"balance leastconn", "HAProxy's leastconn counts each server's connections, which with one request per connection at a time "
                                 "is the requests in flight"};
  if (algorithm == "least_request") return {fmt::format("balance random({})", options.choices), std::nullopt};
  if (algorithm == "random") return {"balance random(1)", std::nullopt};
  if (algorithm == "smooth_weighted_round_robin")
    return {"balance roundrobin", "HAProxy's weighted round robin spreads the same shares in a different order"};
  if (algorithm == "source_ip_hash") return {"balance source", "the same client address keeps its server, by HAProxy's own hash"};
  if (algorithm == "flow_hash") return {"balance source", "HAProxy hashes the client address, not the 5-tuple (which an HTTP proxy never sees whole)"};
  if (algorithm == "ring_hash")
    return {"balance source\n    hash-type consistent", "a consistent hash of the client address (HAProxy's tree, not a ring of 5-tuples)"};
  if (algorithm == "maglev")
    return {"balance source\n    hash-type consistent", "HAProxy 2.6 has no Maglev: a consistent hash of the client address instead"};
  throw std::invalid_argument("no HAProxy balance for algorithm " + algorithm);
}

class HaproxyWriter : public ConfigWriter {
public:
  using ConfigWriter::ConfigWriter;

private:
  std::string file_name() const override { return zone() ? fmt::format("haproxy-{}.cfg", spec_.topology.zones[*zone()]) : "haproxy.cfg"; }
  void write_body() override {
    header();
    global_and_defaults();
    frontend();
    for (std::uint32_t g = 0; g < spec_.target_groups.size(); ++g) backend(g);
  }

  static std::string claimed_by(const l7::Rule& rule) { return fmt::format("{{ var(txn.lbsim_rule) -m str {} }}", rule_id(rule)); }

  void header() {
    const auto& zone = this->zone();
    line(fmt::format("# The L7 tier of scenario '{}' ({}) as HAProxy 2.6 configuration, written by `lbsim export`.", spec_.name,
                     spec_.source_file));
    if (zone) line(fmt::format("# For the L7 nodes of zone {}: cross_zone is off, so they forward to their own zone's backends.",
                               spec_.topology.zones[*zone]));
    else line("# For every L7 node: cross_zone is on, so each forwards to every zone's backends.");
    line("# Keys that HAProxy approximates or cannot express are listed by `lbsim export` on stderr.");
    line("");
  }

  void global_and_defaults() {
    line("global");
    line(fmt::format("    nbthread {}", l7_.cores));
    line("    ssl-default-bind-options ssl-min-ver TLSv1.2");
    line("    ssl-default-bind-curves X25519:P-256");
    line("");
    line("defaults");
    line("    mode http");
    line("    option http-keep-alive");
    // ALB's 10 s connect timeout, bounded by the upstream timeout, as lbsim models it
    // (a dark backend's connection attempt ends when the request's would).
    line(fmt::format("    timeout connect {}", duration(std::min(10.0, l7_.upstream_timeout_s))));
    line("    timeout client 60s");
    line(fmt::format("    timeout server {}", duration(l7_.upstream_timeout_s)));
    line("    timeout queue 60s");
    const config::L7RetrySpec& r = l7_.retries;
    if (r.max_retries > 0) {
      line(fmt::format("    retries {}", r.max_retries));
      std::string on = "conn-failure";
      if (r.on_reset) on += " empty-response";
      if (r.on_timeout) on += " response-timeout";
      if (r.on_5xx) on += " 500 502 503 504";
      line("    retry-on " + on);
      line("    option redispatch 1");
      note(Kind::approximated, "l7.retries.budget",
           "HAProxy has no retry budget: every request may be retried up to `retries` times, to another server");
    } else {
      line("    retries 0");
    }
    if (l7_.cpu_per_request_s > 0)
      note(Kind::dropped, "l7.cpu.per_request", "a cost the model charges per request; the real proxy spends its own");
    note(Kind::dropped, "l7.queue_limit",
         "HAProxy does not shed requests waiting for a CPU; it queues connections per server (maxconn) instead");
    line("");
  }

  void frontend() {
    line("frontend l7");
    if (out_.terminates_tls)
      line(fmt::format("    bind :{} ssl crt {}", topology::kVirtualPort, word(options_.directory + "/" + out_.certificate_file)));
    else line(fmt::format("    bind :{}", topology::kVirtualPort));
    if (options_.testbed) {
      // The testbed counts requests and TLS handshakes (new or resumed) from one line per
      // request, the client's address and port naming its connection.
      line("    log stderr format raw local0 info");
      line("    option dontlognull  # (the L4 tier's TCP checks: connections that carry no request)");
      line("    log-format \"lbsim-request %ci:%cp https=%[ssl_fc] reused=%[ssl_fc_is_resumed] status=%ST\"");
    }
    const auto& rules = this->rules();
    // Which rule takes the request: the first, in priority order, whose conditions hold.
    for (const l7::Rule* rule : rules) {
      std::string condition = "!{ var(txn.lbsim_rule) -m found }";
      if (!rule->is_default)
        for (const std::string& acl : conditions(rule->when)) condition += " " + acl;
      line(fmt::format("    http-request set-var(txn.lbsim_rule) str({}) if {}", rule_id(*rule), condition));
    }
    waf();
    rate_limit();
    for (const l7::Rule* rule : rules) actions(*rule);
    // use_backend lines come after every http-request line, whatever their order here.
    for (const auto& l : use_backends_) line(l);
    use_backends_.clear();
    line("");
  }

  void waf() {
    if (!l7_.waf) return;
    // The same phrases, searched in the decoded, lower-cased path and query, headers and
    // cookies (lbsim also folds runs of whitespace into one space: HAProxy does not).
    for (const l7::WafSignature& s : l7::waf_signatures()) {
      line(fmt::format("    http-request deny deny_status {} if {{ url,url_dec,lower -m sub {} }}", l7::kForbidden, word(s.phrase)));
      line(fmt::format("    http-request deny deny_status {} if {{ req.hdrs,url_dec,lower -m sub {} }}", l7::kForbidden, word(s.phrase)));
    }
    note(Kind::approximated, "l7.waf",
         "the same signatures as deny rules on the decoded, lower-cased URL and headers; runs of whitespace are not folded into one "
         "space first");
  }

  void rate_limit() {
    if (!l7_.rate_limit) return;
    const l7::RateLimitSettings& r = *l7_.rate_limit;
    const auto limit = static_cast<long long>(std::ceil(r.rate_per_s + r.burst));
    switch (r.key) {
      case l7::RateKey::source_ip:
        line(fmt::format("    stick-table type ip size {} expire 60s store http_req_rate(1s)", r.capacity));
        line("    http-request track-sc0 src");
        break;
      case l7::RateKey::header:
        line(fmt::format("    stick-table type string len 128 size {} expire 60s store http_req_rate(1s)", r.capacity));
        line(fmt::format("    http-request track-sc0 req.hdr({})", r.header));
        break;
      case l7::RateKey::route:
        line(fmt::format("    stick-table type string len 32 size {} expire 60s store http_req_rate(1s)", r.capacity));
        line("    http-request track-sc0 var(txn.lbsim_rule)");
        break;
    }
    line(fmt::format("    http-request deny deny_status 429 if {{ sc_http_req_rate(0) gt {} }}", limit));
    note(Kind::approximated, "l7.rate_limit",
         fmt::format("HAProxy counts requests over the last second instead of refilling a token bucket: it refuses beyond rate + burst "
                     "({} a second)",
                     limit));
  }

  void actions(const l7::Rule& rule) {
    const std::string mine = claimed_by(rule);
    switch (rule.action) {
      case l7::ActionKind::redirect: return redirect(rule, mine);
      case l7::ActionKind::fixed_response: return fixed_response(rule, mine);
      case l7::ActionKind::forward: return forward(rule, mine);
    }
  }

  void redirect(const l7::Rule& rule, const std::string& mine) {
    const l7::Redirect& r = rule.redirect;
    if (r.status != 301 && r.status != 302 && r.status != 303 && r.status != 307 && r.status != 308)
      throw std::invalid_argument(fmt::format("{}: HAProxy redirects with 301, 302, 303, 307 or 308, not {}", rule.label, r.status));
    // ALB's redirect keeps whatever part it does not set: "#{host}", "#{path}", "#{query}".
    const std::string base = fmt::format("{}://{}{}", r.protocol.empty() ? "https" : log_format_literal(r.protocol),
                                         r.host.empty() ? "%[req.hdr(host),field(1,:)]" : log_format_literal(r.host),
                                         r.path.empty() ? "%[path]" : log_format_literal(r.path));
    if (!r.query.empty()) {
      line(fmt::format("    http-request redirect location {} code {} if {}", word(base + "?" + log_format_literal(r.query)), r.status, mine));
      return;
    }
    line(fmt::format("    http-request redirect location {} code {} if {} {{ query -m found }}", word(base + "?%[query]"), r.status, mine));
    line(fmt::format("    http-request redirect location {} code {} if {}", word(base), r.status, mine));
  }

  void fixed_response(const l7::Rule& rule, const std::string& mine) {
    const l7::FixedResponse& f = rule.fixed;
    const auto bytes = static_cast<std::size_t>(std::llround(f.body_bytes));
    if (bytes == 0) {
      line(fmt::format("    http-request return status {} if {}", f.status, mine));
      return;
    }
    // lbsim models the body's size, not its text: a file of that many bytes stands for it.
    const std::string file = fmt::format("fixed-{}.body", rule_id(rule));
    add_side_file(file, std::string(bytes, 'x'));
    line(fmt::format("    http-request return status {} content-type {} file {} if {}", f.status, word(f.content_type),
                     word(options_.directory + "/" + file), mine));
  }

  void forward(const l7::Rule& rule, const std::string& mine) {
    if (rule.rewrite_path)
      line(fmt::format("    http-request set-path {} if {}", word(regsub("path", *rule.rewrite_path)), mine));
    if (rule.rewrite_host)
      line(fmt::format("    http-request set-header host {} if {}", word(regsub("req.hdr(host),field(1,:)", *rule.rewrite_host)), mine));
    std::vector<const l7::WeightedGroup*> targets;
    for (const auto& g : rule.forward)
      if (g.weight > 0) targets.push_back(&g);
    if (targets.size() == 1) {
      use_backends_.push_back(fmt::format("    use_backend {} if {}", group_name(targets[0]->group), mine));
      return;
    }
    const std::uint32_t total = std::accumulate(targets.begin(), targets.end(), 0u, [](std::uint32_t s, const auto* g) { return s + g->weight; });
    line(fmt::format("    http-request set-var(txn.lbsim_draw) rand({}) if {}", total, mine));
    std::uint32_t from = 0;
    for (const auto* g : targets) {
      use_backends_.push_back(fmt::format("    use_backend {} if {} {{ var(txn.lbsim_draw) -m int ge {} }} {{ var(txn.lbsim_draw) -m int lt {} }}",
                                          group_name(g->group), mine, from, from + g->weight));
      from += g->weight;
    }
  }

  // A regex rewrite as HAProxy's regsub converter, quoted as HAProxy's manual shows
  // ('regsub("pattern","\1")'), from the rewrite's RE2 form (\1 ... \9).
  static std::string regsub(std::string_view fetch, const l7::RegexRewrite& rewrite) {
    if (rewrite.pattern.find('"') != std::string::npos || rewrite.rewrite.find('"') != std::string::npos)
      throw std::invalid_argument("a rewrite with a double quote cannot be written for HAProxy");
    return fmt::format("%[{},regsub(\"{}\",\"{}\")]", fetch, rewrite.pattern, rewrite.rewrite);
  }

  void backend(std::uint32_t g) {
    const auto& zone = this->zone();
    const config::TargetGroupSpec& group = spec_.target_groups[g];
    const std::string key = "target_groups." + group.name;
    line("backend " + group_name(g));
    const Balance balance = balance_for(l7_.algorithm, l7_.algorithm_options);
    line("    " + balance.lines);
    if (balance.differs && g == 0) note(Kind::approximated, "l7.algorithm", *balance.differs);
    const health::ActiveCheckConfig& check = group.health_check;
    line("    option httpchk GET /");
    if (options_.testbed) line("    http-check send hdr X-Lbsim-Health-Check 1");
    line("    http-check expect status 200");
    if (options_.testbed) line(fmt::format("    http-response set-header X-Lbsim-Group {}", g));
    line(fmt::format("    timeout check {}", duration(check.timeout_s)));
    if (group.sticky_duration_s) {
      if (group.app_cookie) {
        line(fmt::format("    cookie {} prefix", *group.app_cookie));
        note(Kind::approximated, key + ".stickiness",
             fmt::format("HAProxy prefixes the server's name to the application's {} cookie instead of issuing AWSALBAPP", *group.app_cookie));
      } else {
        line(fmt::format("    cookie AWSALB insert indirect nocache maxlife {}", duration(*group.sticky_duration_s)));
      }
    }
    std::string defaults = fmt::format("    default-server check inter {} fall {} rise {} maxconn {}", duration(check.interval_s),
                                       check.unhealthy_threshold, check.healthy_threshold, l7_.backend_connections);
    if (group.slow_start_s > 0) defaults += " slowstart " + duration(group.slow_start_s);
    if (l7_.outlier_detection) {
      defaults += fmt::format(" observe layer7 error-limit {} on-error mark-down", l7_.outlier_detection->consecutive_5xx);
      if (g == 0)
        note(Kind::approximated, "l7.outlier_detection",
             "after consecutive 5xx HAProxy marks the server down until its health checks pass again, rather than ejecting it "
             "for a time that grows with each ejection");
    }
    line(defaults);
    if (g == 0) backend_notes();
    // Zone-aware routing: the node's own zone's backends serve, the others stand by.
    for (const Server& s : servers_of(spec_, g, l7_.zone_aware ? std::nullopt : zone)) {
      std::string server = fmt::format("    server {} {}", s.name, s.address);
      if (s.weight != 1) server += fmt::format(" weight {}", s.weight);
      if (group.sticky_duration_s) server += " cookie " + s.name;
      if (l7_.zone_aware && zone && s.zone != *zone) server += " backup";
      line(server);
    }
    if (l7_.zone_aware && g == 0)
      note(Kind::approximated, "l7.cross_zone",
           "HAProxy has no zone-aware routing: each zone's file lists its own backends, and the other zones' as backups used only "
           "when none of its own is up (Envoy spills the share its zone cannot carry)");
    line("");
  }

  void backend_notes() {
    if (l7_.circuit_breakers)
      note(Kind::dropped, "l7.circuit_breakers",
           "HAProxy has no circuit breaker: beyond each server's maxconn requests queue until `timeout queue` instead of failing fast");
    if (l7_.panic_threshold_percent != health::kPanicDisabled)
      note(Kind::dropped, "l7.panic_threshold", "HAProxy has no panic mode: with every server down it answers 503");
    for (const auto& group : spec_.target_groups)
      note(Kind::dropped, "target_groups." + group.name + ".deregistration_delay",
           "an operation, not configuration: `set server <backend>/<server> state drain`, then remove it after the delay");
  }

  std::vector<std::string> use_backends_;
};

}  // namespace

std::vector<ProxyConfig> write_haproxy(const config::ScenarioSpec& spec, const ExportOptions& options, Export& out) {
  return HaproxyWriter(spec, options, out).write_all();
}

}  // namespace lbsim::exporting
