// SPDX-License-Identifier: GPL-3.0-or-later
// The L7 tier as nginx 1.22 configuration (Debian 12's nginx, open source).
//
// nginx matches a request to one location, and `if` takes one condition. So ALB's
// first-match rules live in one `location /`, run by the rewrite module in order: each
// condition a rule has that holds appends a mark to the rule's variable; a rule whose
// marks are all there, and that no earlier rule claimed, sets $lbsim_rule. The actions
// come last, one `if ($lbsim_rule = ...)` each: the last `if` that holds gives the
// request its configuration, and only the claiming rule's does.
#include <fmt/format.h>

#include <algorithm>

#include <cmath>
#include <numeric>
#include <stdexcept>

#include "export/export.hpp"
#include "export/writer.hpp"
#include "l7/waf.hpp"
#include "topology/addresses.hpp"

namespace lbsim::exporting {
namespace {

using Kind = Mapping::Kind;

// A string in double quotes, as nginx reads it: '"' and '\' escaped, and '$' (which
// would start a variable) written through the $lbsim_dollar variable.
std::string quoted(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') (out += '\\') += c;
    else if (c == '$') out += "${lbsim_dollar}";
    else out += c;
  }
  return out + "\"";
}

// A regex, or a rewrite's replacement, in double quotes. nginx's parser reads a
// backslash followed by one of  " ' \ t r n  as one character, so such a backslash (or a
// last one) is doubled, and every other reaches PCRE as written ("\." stays "\."). '$'
// is left alone: an anchor in a regex, a group or variable in a replacement.
std::string nginx_string(std::string_view text) {
  std::string out = "\"";
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool read_as_escape = c == '\\' && (i + 1 == text.size() || std::string_view("\"'\\trn").find(text[i + 1]) != std::string_view::npos);
    if (c == '"' || read_as_escape) out += '\\';
    out += c;
  }
  return out + "\"";
}

// nginx's $http_NAME, $cookie_NAME and $arg_NAME take names of letters, digits and '_'
// (headers: '-' reads as '_').
bool variable_name(std::string_view name) {
  if (name.empty()) return false;
  for (const char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  return true;
}
std::string header_variable(std::string_view name) {
  std::string v = "$http_";
  for (const char c : name) v += c == '-' ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return v;
}

class NginxWriter : public ConfigWriter {
public:
  using ConfigWriter::ConfigWriter;

private:
  std::string file_name() const override { return zone() ? fmt::format("nginx-{}.conf", spec_.topology.zones[*zone()]) : "nginx.conf"; }
  void write_body() override {
    header();
    line(fmt::format("worker_processes {};", l7_.cores));
    line("events { worker_connections 4096; }");
    line("");
    line("http {");
    if (options_.testbed) {
      // The testbed counts requests and TLS handshakes (new or resumed) from one line per request.
      line("    log_format lbsim 'lbsim-request $connection https=$https reused=$ssl_session_reused status=$status';");
      line(fmt::format("    access_log {} lbsim;", quoted(options_.directory + "/access.log")));
    } else {
      line("    access_log off;");
    }
    line("    # '$' in a literal: nginx has no escape for it, a variable holds it.");
    line("    geo $lbsim_dollar { default \"$\"; }");
    line("    geo $lbsim_empty { default \"\"; }");
    sources();
    weighted_draws();
    rate_limit_zone();
    for (std::uint32_t g = 0; g < spec_.target_groups.size(); ++g) upstream(g);
    server();
    line("}");
  }

  void header() {
    line(fmt::format("# The L7 tier of scenario '{}' ({}) as nginx 1.22 configuration, written by `lbsim export`.", spec_.name,
                     spec_.source_file));
    if (zone()) line(fmt::format("# For the L7 nodes of zone {}.", spec_.topology.zones[*zone()]));
    else line("# For every L7 node: cross_zone is on, so each forwards to every zone's backends.");
    line("# Keys that nginx approximates or cannot express are listed by `lbsim export` on stderr.");
  }

  // Source conditions: one geo variable per rule, 1 inside its CIDRs.
  void sources() {
    for (const l7::Rule* rule : rules()) {
      if (rule->is_default || rule->when.source.empty()) continue;
      std::string block = fmt::format("    geo $lbsim_{}_source {{ default 0;", rule_id(*rule));
      for (const auto& c : rule->when.source) block += " " + c.to_string() + " 1;";
      line(block + " }");
    }
  }

  // Weighted forwards: split_clients on the request's id, which is random per request.
  void weighted_draws() {
    for (const l7::Rule* rule : rules()) {
      if (rule->action != l7::ActionKind::forward || positive(*rule).size() < 2) continue;
      const auto targets = positive(*rule);
      const double total = std::accumulate(targets.begin(), targets.end(), 0.0, [](double s, const auto* g) { return s + g->weight; });
      std::string block = fmt::format("    split_clients \"${{request_id}}\" $lbsim_{}_group {{", rule_id(*rule));
      for (std::size_t i = 0; i + 1 < targets.size(); ++i)
        block += fmt::format(" {:.2f}% {};", 100.0 * targets[i]->weight / total, group_name(targets[i]->group));
      line(block + fmt::format(" * {}; }}", group_name(targets.back()->group)));
    }
  }

  static std::vector<const l7::WeightedGroup*> positive(const l7::Rule& rule) {
    std::vector<const l7::WeightedGroup*> targets;
    for (const auto& g : rule.forward)
      if (g.weight > 0) targets.push_back(&g);
    return targets;
  }

  void rate_limit_zone() {
    if (!l7_.rate_limit) return;
    const l7::RateLimitSettings& r = *l7_.rate_limit;
    std::string key;
    switch (r.key) {
      case l7::RateKey::source_ip: key = "$binary_remote_addr"; break;
      case l7::RateKey::header: key = header_variable(r.header); break;
      case l7::RateKey::route: key = "$lbsim_rule"; break;
    }
    // nginx's zone holds about 16 000 keys a megabyte.
    const auto megabytes = std::max<std::size_t>(1, (r.capacity + 15'999) / 16'000);
    line(fmt::format("    limit_req_zone {} zone=lbsim:{}m rate={}r/s;", key, megabytes, std::max(1L, std::lround(r.rate_per_s))));
    line("    limit_req_status 429;");
    note(Kind::approximated, "l7.rate_limit",
         "nginx's leaky bucket with `burst` and `nodelay` is a token bucket at a whole rate per second; its redirects, fixed "
         "responses and WAF refusals answer before limit_req runs, so they are not counted");
  }

  void upstream(std::uint32_t g) {
    const config::TargetGroupSpec& group = spec_.target_groups[g];
    const std::string key = "target_groups." + group.name;
    line(fmt::format("    upstream {} {{", group_name(g)));
    const std::string method = balance(group);
    if (!method.empty()) line("        " + method + ";");
    const health::ActiveCheckConfig& check = group.health_check;
    if (g == 0) {
      note(Kind::approximated, key + ".health_check",
           "nginx open source has no active health checks: a server is passed over for `interval` after `unhealthy_threshold` "
           "failed requests (max_fails, fail_timeout), judged by live traffic");
    }
    // Zone-aware routing: the node's own zone's backends serve, the others stand by
    // (nginx takes `backup` only with round robin and least_conn).
    const bool backups = l7_.zone_aware && zone() && (method.empty() || method == "least_conn");
    for (const Server& s : servers_of(spec_, g, l7_.zone_aware ? std::nullopt : zone())) {
      if (l7_.zone_aware && zone() && !backups && s.zone != *zone()) continue;
      line(fmt::format("        server {}{} max_fails={} fail_timeout={} max_conns={}{};", s.address,
                       s.weight != 1 ? fmt::format(" weight={}", s.weight) : "", check.unhealthy_threshold, duration(check.interval_s),
                       l7_.backend_connections, backups && s.zone != *zone() ? " backup" : ""));
    }
    line(fmt::format("        keepalive {};", std::min<std::uint32_t>(l7_.backend_connections, 1024)));
    line("    }");
    if (group.slow_start_s > 0) note(Kind::dropped, key + ".slow_start", "slow_start is nginx Plus's, not open source's");
    if (group.sticky_duration_s && !group.app_cookie)
      note(Kind::dropped, key + ".stickiness", "nginx open source has no sticky cookie (`sticky cookie` is nginx Plus's)");
    note(Kind::dropped, key + ".deregistration_delay", "an operation, not configuration: mark the server `down` and reload after the delay");
  }

  std::string balance(const config::TargetGroupSpec& group) {
    // Application-cookie stickiness: a consistent hash of the application's cookie.
    if (group.sticky_duration_s && group.app_cookie) {
      note(Kind::approximated, "target_groups." + group.name + ".stickiness",
           fmt::format("a consistent hash of the application's {} cookie keeps a session on one server (instead of AWSALBAPP)",
                       *group.app_cookie));
      return fmt::format("hash $cookie_{} consistent", *group.app_cookie);
    }
    const std::string& a = l7_.algorithm;
    const bool first = &group == &spec_.target_groups.front();
    auto approximated = [&](std::string how) {
      if (first) note(Kind::approximated, "l7.algorithm", std::move(how));
    };
    if (a == "round_robin" || a == "smooth_weighted_round_robin") return "";  // nginx's default is smooth weighted round robin
    if (a == "least_connections") return "least_conn";
    if (a == "least_outstanding_requests") {
      approximated("nginx's least_conn counts each server's active connections, which with one request per connection at a time is "
                   "the requests in flight");
      return "least_conn";
    }
    if (a == "least_request") {
      if (l7_.algorithm_options.choices != 2)
        approximated(fmt::format("nginx compares two random servers, not {}", l7_.algorithm_options.choices));
      return "random two least_conn";
    }
    if (a == "random") return "random";
    if (a == "source_ip_hash") {
      approximated("a hash of the client address by nginx's own function");
      return "hash $remote_addr";
    }
    if (a == "flow_hash") {
      approximated("a hash of the client's address and port (the proxy sees no more of the 5-tuple) by nginx's own function");
      return "hash $remote_addr$remote_port";
    }
    approximated("nginx's consistent hash (ketama) of the client's address and port, not " + a);
    return "hash $remote_addr$remote_port consistent";
  }

  void server() {
    line("    server {");
    if (out_.terminates_tls) {
      line(fmt::format("        listen {} ssl;", topology::kVirtualPort));
      line(fmt::format("        ssl_certificate {};", quoted(options_.directory + "/" + out_.certificate_file)));
      line(fmt::format("        ssl_certificate_key {};", quoted(options_.directory + "/" + out_.certificate_file)));
      line("        ssl_protocols TLSv1.2 TLSv1.3;");
      line("        ssl_ecdh_curve X25519:prime256v1;");
      line("        ssl_session_tickets on;");
    } else {
      line(fmt::format("        listen {};", topology::kVirtualPort));
    }
    line("        location / {");
    line("            set $lbsim_rule \"\";");
    for (const l7::Rule* rule : rules()) claim(*rule);
    waf();
    if (l7_.rate_limit) line(fmt::format("            limit_req zone=lbsim burst={} nodelay;", std::lround(l7_.rate_limit->burst)));
    proxy_settings();
    for (const l7::Rule* rule : rules()) action(*rule);
    line("        }");
    line("    }");
  }

  void claim(const l7::Rule& rule) {
    const std::string id = rule_id(rule);
    if (rule.is_default) {
      line(fmt::format("            if ($lbsim_rule = \"\") {{ set $lbsim_rule {}; }}", id));
      return;
    }
    const std::vector<std::string> tests = conditions(rule);
    line(fmt::format("            set $lbsim_{} \"\";", id));
    for (const std::string& test : tests) line(fmt::format("            if ({}) {{ set $lbsim_{} \"${{lbsim_{}}}x\"; }}", test, id, id));
    line(fmt::format("            set $lbsim_{}_claim \"${{lbsim_rule}}:${{lbsim_{}}}\";", id, id));
    line(fmt::format("            if ($lbsim_{}_claim = \":{}\") {{ set $lbsim_rule {}; }}", id, std::string(tests.size(), 'x'), id));
  }

  std::vector<std::string> conditions(const l7::Rule& rule) {
    const l7::Conditions& when = rule.when;
    std::vector<std::string> tests;
    if (when.host) tests.push_back("$host ~* " + nginx_string(glob_to_regex(*when.host)));
    if (when.path) {
      const l7::PathMatch& p = *when.path;
      switch (p.kind) {
        case l7::PathMatch::Kind::exact: tests.push_back("$uri = " + quoted(p.pattern)); break;
        case l7::PathMatch::Kind::prefix: tests.push_back("$uri ~ " + nginx_string("^" + regex_literal(p.pattern))); break;
        case l7::PathMatch::Kind::glob: tests.push_back("$uri ~ " + nginx_string(glob_to_regex(p.pattern))); break;
      }
    }
    if (when.method) tests.push_back("$request_method = " + *when.method);
    for (std::size_t i = 0; i < when.headers.size(); ++i) {
      const auto& h = when.headers[i];
      tests.push_back(header_variable(h.name) + " ~ " + nginx_string(glob_to_regex(h.value)));
      if (l7::glob_match(h.value, ""))
        note(Kind::approximated, rule_key(rule, "if.header"), "nginx cannot tell a missing header from an empty one: this pattern matches both");
    }
    for (const auto& c : when.cookies) {
      // $cookie_NAME takes only names of letters, digits and '_'; others are found in
      // the Cookie header itself.
      if (variable_name(c.name)) tests.push_back(fmt::format("$cookie_{} ~ {}", c.name, nginx_string(glob_to_regex(c.value))));
      else tests.push_back("$http_cookie ~ " + nginx_string("(^|;\\s*)" + regex_literal(c.name) + "=" + glob_pattern(c.value, "[^;]*", "[^;]") + "(;|$)"));
    }
    for (const auto& q : when.query) {
      if (variable_name(q.name)) tests.push_back(fmt::format("$arg_{} ~ {}", q.name, nginx_string(glob_to_regex(q.value))));
      else tests.push_back("$args ~ " + nginx_string("(^|&)" + regex_literal(q.name) + "=" + glob_pattern(q.value, "[^&]*", "[^&]") + "(&|$)"));
    }
    if (!when.source.empty()) tests.push_back(fmt::format("$lbsim_{}_source = 1", rule_id(rule)));
    if (when.path && !path_noted_) {
      note(Kind::approximated, rule_key(rule, "if.path"),
           "nginx matches the normalised path ($uri: percent-decoded, dot segments and double slashes resolved); so do the other "
           "rules' paths");
      path_noted_ = true;
    }
    return tests;
  }

  void waf() {
    if (!l7_.waf) return;
    for (const l7::WafSignature& s : l7::waf_signatures())
      line(fmt::format("            if ($request_uri ~* {}) {{ return {}; }}", nginx_string(regex_literal(s.phrase)), l7::kForbidden));
    note(Kind::approximated, "l7.waf",
         "the same signatures on the raw request URI only: nginx neither decodes it first nor searches headers and cookies");
  }

  void proxy_settings() {
    line("            proxy_http_version 1.1;");
    line("            proxy_set_header Connection \"\";");
    line("            proxy_set_header Host $host;");
    line(fmt::format("            proxy_connect_timeout {};", duration(std::min(10.0, l7_.upstream_timeout_s))));  // ALB's, as lbsim models it
    line(fmt::format("            proxy_read_timeout {};", duration(l7_.upstream_timeout_s)));
    const config::L7RetrySpec& r = l7_.retries;
    if (r.max_retries > 0) {
      std::string on;
      if (r.on_reset) on += " error";
      if (r.on_timeout) on += " timeout";
      if (r.on_5xx) on += " http_500 http_502 http_503 http_504";
      line(fmt::format("            proxy_next_upstream{} non_idempotent;", on));
      line(fmt::format("            proxy_next_upstream_tries {};", r.max_retries + 1));
      note(Kind::approximated, "l7.retries.budget", "nginx has no retry budget: every request may be retried, to another server");
    } else {
      line("            proxy_next_upstream off;");
    }
    {
      if (l7_.cpu_per_request_s > 0) note(Kind::dropped, "l7.cpu.per_request", "a cost the model charges per request; the real proxy spends its own");
      note(Kind::dropped, "l7.queue_limit", "nginx does not shed requests waiting for a CPU");
      if (l7_.circuit_breakers) note(Kind::dropped, "l7.circuit_breakers", "nginx has no circuit breaker (max_conns refuses beyond a server's limit)");
      if (l7_.outlier_detection)
        note(Kind::approximated, "l7.outlier_detection",
             "max_fails/fail_timeout pass a server over for a fixed time after failures, not for a time that grows with each ejection");
      if (l7_.panic_threshold_percent != health::kPanicDisabled)
        note(Kind::dropped, "l7.panic_threshold", "nginx has no panic mode (with every server failed it tries them all again)");
      if (l7_.zone_aware)
        note(Kind::approximated, "l7.cross_zone",
             "nginx has no zone-aware routing: each zone's file lists its own backends and the other zones' as backups (with "
             "hash and random balancing, which take no backups, only its own)");
    }
  }

  void action(const l7::Rule& rule) {
    const std::string id = rule_id(rule);
    switch (rule.action) {
      case l7::ActionKind::redirect: {
        const l7::Redirect& r = rule.redirect;
        std::string to = fmt::format("{}://{}{}", r.protocol.empty() ? "https" : r.protocol, r.host.empty() ? "$host" : r.host,
                                     r.path.empty() ? "$uri" : r.path);
        to += r.query.empty() ? "$is_args$args" : "?" + r.query;
        line(fmt::format("            if ($lbsim_rule = {}) {{ return {} {}; }}", id, r.status, to));
        return;
      }
      case l7::ActionKind::fixed_response: {
        const l7::FixedResponse& f = rule.fixed;
        const auto bytes = static_cast<std::size_t>(std::llround(f.body_bytes));
        // lbsim models the body's size, not its text: that many bytes stand for it.
        // An empty text would make nginx answer with its own error page: an empty variable
        // is a text whose value is empty.
        const std::string text = bytes == 0 ? std::string("\"$lbsim_empty\"") : quoted(std::string(bytes, 'x'));
        line(fmt::format("            if ($lbsim_rule = {}) {{ return {} {}; }}", id, f.status, text));
        if (f.content_type != "application/octet-stream")
          note(Kind::approximated, rule_key(rule, "fixed_response.content_type"),
               "nginx's `return` answers with its default_type; a content type per rule needs a location of its own");
        return;
      }
      case l7::ActionKind::forward: {
        std::string body;
        if (rule.rewrite_path) body += fmt::format(" rewrite {} {} break;", nginx_string(rule.rewrite_path->pattern), nginx_replacement(*rule.rewrite_path));
        if (rule.rewrite_host) {
          note(Kind::dropped, rule_key(rule, "rewrite.host"), "nginx cannot rewrite the Host header with a regex");
        }
        const auto targets = positive(rule);
        const std::string upstream = targets.size() == 1 ? group_name(targets[0]->group) : fmt::format("$lbsim_{}_group", id);
        line(fmt::format("            if ($lbsim_rule = {}) {{{} proxy_pass http://{}; }}", id, body, upstream));
        return;
      }
    }
  }

  // lbsim's replacement ($1 ... $9, $0 and $& the match, $$ a dollar) as nginx's
  // rewrite reads it ($1 ... $9; the whole match has no name there).
  static std::string nginx_replacement(const l7::RegexRewrite& rewrite) {
    std::string out;
    const std::string& r = rewrite.replacement;
    for (std::size_t i = 0; i < r.size(); ++i) {
      if (r[i] == '$' && i + 1 < r.size() && r[i + 1] == '$') {
        out += "${lbsim_dollar}";
        ++i;
      } else if (r[i] == '$' && i + 1 < r.size() && (r[i + 1] == '0' || r[i + 1] == '&')) {
        throw std::invalid_argument("nginx's rewrite has no name for the whole match ($0): rewrite " + rewrite.pattern);
      } else {
        out += r[i];
      }
    }
    return nginx_string(out);
  }

  bool path_noted_ = false;
};

}  // namespace

std::vector<ProxyConfig> write_nginx(const config::ScenarioSpec& spec, const ExportOptions& options, Export& out) {
  return NginxWriter(spec, options, out).write_all();
}

}  // namespace lbsim::exporting
