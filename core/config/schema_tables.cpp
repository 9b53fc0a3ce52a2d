// SPDX-License-Identifier: GPL-3.0-or-later
// The scenario schema: one line per key. Defaults come from the spec structs
// (spec.hpp); ranges and docs are here, once. Table order is the order a section's keys
// are taken, documented and suggested.
#include "config/schema_tables.hpp"

#include <limits>

#include "balancing/registry.hpp"
#include "config/schema_fields.hpp"
#include "health/slow_start.hpp"

namespace lbsim::config::schema {
namespace {

// A tier's `algorithm`, then the tunables of every algorithm as deferred keys (read
// against the chosen algorithm's descriptor by the tier's reader).
template <class S>
void add_algorithm(Fields<S>& fields, std::string S::*member, std::string_view doc) {
  fields.push_back(one_of("algorithm", member, balancing::algorithm_names(), doc));
  for (const std::string_view key : balancing::tunable_keys()) {
    const auto* algorithm = balancing::algorithm_with_tunable(key);
    for (const auto& t : algorithm->tunables) {
      if (t.key != key) continue;
      Field<S> field = deferred<S>(key, Kind::integer,
                                   "only with algorithm " + std::string(algorithm->name) + ": " + std::string(t.doc),
                                   std::to_string(t.default_value()));
      field.info.min = t.min;
      field.info.max = t.max;
      fields.push_back(std::move(field));
    }
  }
}

// Both retry policies end with Envoy's retry budget (resilience::RetryBudget).
template <class S>
Fields<S> with_budget(Fields<S> fields) {
  fields.push_back(percent<S>("budget", [](S& r) -> double& { return r.budget.percent; },
                              "retries in flight stay under this share of active requests"));
  fields.push_back(integer<S>("min_concurrency", [](S& r) -> std::uint32_t& { return r.budget.min_concurrency; }, 0, 1'000'000,
                              "retries always allowed in flight, whatever the share"));
  return fields;
}

std::string link_text(const LinkSpec& link) {
  return "{ latency: " + units::format_duration(link.latency_s) + ", bandwidth: " + units::format_bandwidth(link.bandwidth_Bps) + " }";
}

}  // namespace

const Fields<ScenarioSpec>& top_fields() {
  using S = ScenarioSpec;
  static const Fields<S> fields{
      required(text("name", &S::name, "a text value", "the scenario's name, shown in reports"), "the scenario's name"),
      text("description", &S::description, "a text value", "free text, shown by the GUI and in reports"),
      integer("seed", &S::seed, 0, std::numeric_limits<std::uint64_t>::max(), "master seed: same scenario and seed give the same results"),
      quantity("duration", Kind::duration, &S::duration_s, false, "how long clients send; the run ends when the last answer arrives"),
      quantity("drain_timeout", Kind::duration, &S::drain_timeout_s, false,
               "after `duration`, how long answers may still arrive; requests unanswered by then are reported as "
               "unanswered, so a lost request never keeps a run going"),
      quantity("warmup", Kind::duration, &S::warmup_s, true,
               "requests sent before this are left out of the request statistics (they still load the system; the "
               "per-second series and node figures cover the whole run); shorter than `duration`"),
      required(deferred<S>("topology", Kind::section, "zones and links (`topology`)"), "zones and links"),
      required(deferred<S>("target_groups", Kind::map, "the backend pools, by name (`target_groups.<name>`)"), "the backend pools"),
      required(deferred<S>("l4", Kind::section, "the L4 tier (`l4`)"), "the L4 tier"),
      deferred<S>("l7", Kind::section, "the L7 tier (`l7`); without it the layout is L4-only", "absent"),
      required(deferred<S>("clients", Kind::list, "the client populations (`clients[]`)"), "a list of client populations"),
      deferred<S>("faults", Kind::list, "the failure timeline (`faults[]`)", "none"),
      deferred<S>("slo", Kind::list, "service-level objectives checked after the run (`slo[]`)", "none"),
      deferred<S>("variants", Kind::list, "named sets of overrides of this file, run side by side by `lbsim compare`", "none"),
      deferred<S>("quiz", Kind::list,
                  "a lesson's questions, answered by the run itself: `{ question: { en, ko }, choices: [...], answer: { variant, request, "
                  "hop: { tier, note }, ask: rewrote | read | layer | node }, why: { en, ko } }`; without `choices`, `ask: node` is answered "
                  "by clicking the node on the layout and `rewrote` or `read` by clicking header fields on a drawn packet (`lbsim quiz`)",
                  "none"),
  };
  return fields;
}

const Fields<TopologySpec>& topology_fields() {
  using S = TopologySpec;
  auto link = [](std::string_view key, std::string_view doc, LinkSpec S::*member) {
    Field<S> field = deferred<S>(key, Kind::section, doc);
    field.show = [member](const S& t) { return link_text(t.*member); };
    return field;
  };
  static const Fields<S> fields{
      required(deferred<S>("zones", Kind::list, "availability zone names, e.g. `[a, b, c]`"), "a list of availability zone names"),
      link("internet", "clients to a zone's edge", &S::internet),
      link("intra_zone", "between two nodes in one zone (each node's NIC is half of it)", &S::intra_zone),
      link("inter_zone", "between nodes in two zones", &S::inter_zone),
  };
  return fields;
}

const Fields<LinkSpec>& link_fields() {
  using S = LinkSpec;
  static const Fields<S> fields{
      quantity("latency", Kind::duration, &S::latency_s, true, "one-way propagation delay"),
      quantity("bandwidth", Kind::bandwidth, &S::bandwidth_Bps, false, "capacity in each direction"),
  };
  return fields;
}

const Fields<L4Spec>& l4_fields() {
  using S = L4Spec;
  static const Fields<S> fields = [] {
    Fields<S> f{
        integer("nodes_per_zone", &S::nodes_per_zone, 1, 64, "L4 nodes in each zone (NLB has one per enabled zone)"),
        choice("forwarding", &S::forwarding, Names<Forwarding>{{"dnat", Forwarding::dnat}, {"dsr", Forwarding::dsr}},
               "`dnat`: the node rewrites the destination address and replies return through it; `dsr`: direct server "
               "return, only the frame's MACs are rewritten and the target answers the client from the VIP, bypassing the node"),
    };
    add_algorithm(f, &S::algorithm, "how a node picks a target for a new flow (`lbsim algorithms`)");
    f.push_back(boolean("cross_zone", &S::cross_zone, "whether a node forwards to targets in other zones (NLB's default: no)"));
    f.push_back(quantity("idle_timeout", Kind::duration, &S::idle_timeout_s, false, "connection tracking's idle timeout (NLB's TCP default)"));
    f.push_back(quantity("dns_ttl", Kind::duration, &S::dns_ttl_s, true,
                         "the TTL of the balancer's DNS record; clients keep a cached answer this long, so a node DNS stops "
                         "announcing still gets new connections that long"));
    f.push_back(integer("conntrack_capacity", &S::conntrack_capacity, 1, 100'000'000,
                        "tracked flows per node; the least recently used are evicted beyond"));
    f.push_back(deferred<S>("health_check", Kind::section,
                            "how L4 nodes check their targets (a TCP check); keys given override NLB's preset (AWS CreateTargetGroup's TCP defaults) one by one",
                            "{ interval: 30s, timeout: 10s, healthy: 5, unhealthy: 2 }"));
    f.push_back(shown_as(quantity("packets_per_second", Kind::rate, &S::packets_per_second, false,
                                  "messages one node can forward per second; beyond it they queue at the node"),
                         "no limit"));
    f.push_back(percent("panic_threshold", &S::panic_threshold_percent,
                        "below this share of healthy targets, route to all of them (Envoy's panic mode uses 50%); at 0% "
                        "only fail-open applies"));
    f.push_back(boolean("passive_health_checks", &S::passive_health_checks,
                        "NLB's passive checks: handshakes a target resets, or never answers before the client gives up, "
                        "counted per node; as many in a row as the check's unhealthy threshold take it out until it passes an "
                        "active probe. DNAT only (under DSR the node never sees an answer); never for a sticky target group"));
    f.push_back(deferred<S>("target_group", Kind::text, "L4-only layouts only: the target group the tier forwards to"));
    return f;
  }();
  return fields;
}

const Fields<HealthCheckKeys>& health_check_fields() {
  using S = HealthCheckKeys;
  static const Fields<S> fields{
      quantity("interval", Kind::duration, &S::interval, false, "time between two probes of a target"),
      quantity("timeout", Kind::duration, &S::timeout, false, "how long a probe waits; shorter than the interval"),
      integer("healthy", &S::healthy, 1, 10, "consecutive successes that make a target healthy"),
      integer("unhealthy", &S::unhealthy, 1, 10, "consecutive failures that make a target unhealthy"),
  };
  return fields;
}

const Fields<L7Spec>& l7_fields() {
  using S = L7Spec;
  static const Fields<S> fields = [] {
    Fields<S> f{
        integer("nodes_per_zone", &S::nodes_per_zone, 1, 64, "L7 nodes in each zone"),
        deferred<S>("cpu", Kind::section, "each node's cores and CPU per request (`l7.cpu`)"),
    };
    add_algorithm(f, &S::algorithm, "how a node picks a backend within a target group (ALB: round robin or least outstanding requests)");
    f.push_back(deferred_choice<S>("cross_zone", {"true", "false", "zone_aware"},
                                   "`true`: ALB's, backends of every zone; `false`: the node's own zone; `zone_aware`: "
                                   "Envoy's zone-aware routing (stay in zone while its capacity covers its share)",
                                   "true"));
    f.push_back(deferred<S>("tls", Kind::section,
                            "`{ key: ecdsa-p256 | rsa-2048 }`: the certificate the L7 tier terminates TLS with",
                            "{ key: ecdsa-p256 }"));
    f.push_back(integer("backend_connections", &S::backend_connections, 1, 1'000'000,
                        "kept-alive connections a node holds to each backend (Envoy's max_connections); beyond, a request "
                        "waits for one"));
    f.push_back(integer("queue_limit", &S::queue_limit, 1, 10'000'000,
                        "requests that may wait for a core; beyond it a node sheds new ones with a 503"));
    f.push_back(boolean("waf", &S::waf, "inspect every request with the teaching WAF rule set; a match is answered 403"));
    f.push_back(percent("panic_threshold", &S::panic_threshold_percent, "as for `l4`"));
    f.push_back(deferred<S>("outlier_detection", Kind::section, "Envoy's passive checks (`l7.outlier_detection`)", "off"));
    f.push_back(deferred<S>("rate_limit", Kind::section, "token buckets per key, kept by each node (`l7.rate_limit`); 429", "none"));
    f.push_back(quantity("upstream_timeout", Kind::duration, &S::upstream_timeout_s, false,
                         "how long a node waits for a backend's answer before answering 504 (ALB's idle timeout)"));
    f.push_back(deferred<S>("retries", Kind::section, "Envoy's retry policy, to another backend (`l7.retries`)", "none"));
    f.push_back(deferred<S>("circuit_breakers", Kind::section, "Envoy's per-group circuit breakers (`l7.circuit_breakers`)", "none"));
    f.push_back(one_of("engine", &S::engine, {"lbsim", "haproxy", "nginx"},
                       "testbed only: what runs as each L7 node there (lbsim's own proxy, or HAProxy or nginx as `lbsim export` "
                       "configures them); the simulator models the tier the same way whichever runs"));
    f.push_back(required(deferred<S>("rules", Kind::list, "the listener rules, with one default rule"),
                         "a list of listener rules with a default rule"));
    return f;
  }();
  return fields;
}

const Fields<L7Spec>& l7_cpu_fields() {
  using S = L7Spec;
  static const Fields<S> fields{
      integer("cores", &S::cores, 1, 256, "worker cores per node"),
      quantity("per_request", Kind::duration, &S::cpu_per_request_s, true, "CPU to parse and route one request (default: HTTPS keep-alive through HAProxy 2.6 / nginx 1.22, measured by scripts/measure-proxy-cpu.sh)"),
  };
  return fields;
}

const Fields<health::OutlierConfig>& outlier_fields() {
  using S = health::OutlierConfig;
  static const Fields<S> fields{
      integer("consecutive_5xx", &S::consecutive_5xx, 1, 1000, "5xx answers in a row that eject a backend"),
      quantity("base_ejection_time", Kind::duration, &S::base_ejection_time_s, false, "the n-th ejection lasts n times this"),
      quantity("max_ejection_time", Kind::duration, &S::max_ejection_time_s, false, "the longest an ejection lasts"),
      percent("max_ejection_percent", &S::max_ejection_percent, "the largest share of a group ejected at once"),
      boolean("always_eject_one", &S::always_eject_one_host, "eject one backend even when the share allows none"),
  };
  return fields;
}

const Fields<l7::RateLimitSettings>& rate_limit_fields() {
  using S = l7::RateLimitSettings;
  static const Fields<S> fields{
      choice("key", &S::key, Names<l7::RateKey>{{"source_ip", l7::RateKey::source_ip}, {"header", l7::RateKey::header}, {"route", l7::RateKey::route}},
             "what a bucket is kept per: the client address, a header's value, or the matched rule"),
      deferred<S>("header", Kind::text, "with `key: header`: the header whose value is the key"),
      required(quantity("rate", Kind::rate, &S::rate_per_s, false, "tokens added per second"), detail::kRate),
      integer("burst", &S::burst, 1, 100'000'000, "the bucket's size"),
  };
  return fields;
}

const Fields<L7RetrySpec>& l7_retry_fields() {
  using S = L7RetrySpec;
  static const Fields<S> fields = with_budget(Fields<S>{
      required(integer("max", &S::max_retries, 0, 10, "retries per request"), "an integer from 0 to 10"),
      deferred_choice<S>("on", {"5xx", "reset", "timeout"}, "what is retried; a list given replaces the default", "[5xx, reset]"),
  });
  return fields;
}

const Fields<resilience::CircuitBreaker>& circuit_breaker_fields() {
  using S = resilience::CircuitBreaker;
  static const Fields<S> fields{
      integer("max_requests", &S::max_requests, 1, 100'000'000, "requests outstanding to the group; beyond, 503 at once"),
      integer("max_pending_requests", &S::max_pending_requests, 1, 100'000'000,
              "requests waiting for a pooled connection; beyond, 503 at once"),
  };
  return fields;
}

const Fields<TargetGroupSpec>& target_group_fields() {
  using S = TargetGroupSpec;
  static const Fields<S> fields{
      integer("per_zone", &S::per_zone, 1, 1000, "backends in each zone"),
      integer("workers", &S::workers, 1, 100000, "requests a backend serves at once"),
      integer("queue_limit", &S::queue_limit, 0, 10'000'000, "requests that may wait beyond the workers; more are refused"),
      deferred<S>("service_time", Kind::section, "a distribution of durations (constant, exponential, lognormal, empirical)",
                  "{ dist: exponential, mean: 10ms }"),
      deferred<S>("health_check", Kind::section, "how the balancer in front checks this group's backends",
                  "ALB's { interval: 30s, timeout: 5s, healthy: 5, unhealthy: 2 }; NLB's in an L4-only layout"),
      shown_as(checked(quantity("slow_start", Kind::duration, &S::slow_start_s, true,
                                "ALB's slow start, 30s to 900s: a backend healthy again ramps up linearly"),
                       [](S& g) -> double& { return g.slow_start_s; }, [](double w) { return w == 0 || health::is_valid_alb_window(w); },
                       "0 (off) or a duration from 30s to 900s, ALB's range"),
               "0s (off)"),
      deferred<S>("tls", Kind::section, "L4-only layouts only: `{ key: ecdsa-p256 | rsa-2048 }`, the backends terminate TLS",
                  "{ key: ecdsa-p256 }"),
      deferred<S>("weights", Kind::map,
                  "balancing weights, `{ <backend glob>: 1..256 }` (HAProxy's and nginx's server weight); a later entry overrides "
                  "an earlier one; read by the weighted algorithms only",
                  "every backend 1"),
      deferred<S>("stickiness", Kind::section, "ALB's stickiness: `{ type: lb_cookie | app_cookie, cookie, duration }`", "off"),
      checked(quantity("deregistration_delay", Kind::duration, &S::deregistration_delay_s, true,
                       "0s to 3600s: how long requests in flight may finish after deregistration"),
              [](S& g) -> double& { return g.deregistration_delay_s; }, [](double d) { return d <= 3600; },
              "a duration from 0s to 3600s, AWS's range"),
      percent("error_rate", &S::error_rate, "share of requests a backend answers 500", /*as_share=*/true),
  };
  return fields;
}

const Fields<ClientSpec>& client_fields() {
  using S = ClientSpec;
  static const Fields<S> fields{
      required(deferred<S>("name", Kind::name, "the population's name (lower case)"), "the population's name"),
      required(deferred<S>("arrival", Kind::section, "how requests arrive (`clients[].arrival`)"), "{ kind: poisson, rate: N/s }"),
      integer("source_ips", &S::source_ips, 1, 1u << 24, "client addresses in the population (from 198.18.0.0/15)"),
      deferred<S>("tls", Kind::section, "`{ version: \"1.2\" | \"1.3\", resumption: 0% }`, or `none` for plain HTTP",
                  "{ version: \"1.3\", resumption: 0% }"),
      shown_as(quantity("timeout", Kind::duration, &S::timeout_s, false, "give up on an attempt after this long (or retry)"), "none"),
      deferred<S>("retries", Kind::section, "a client library's retries (`clients[].retries`)", "none"),
      deferred<S>("keepalive", Kind::section, "`{ requests_per_connection: N }`: requests sharing one connection", "{ requests_per_connection: 1 }"),
      required(deferred<S>("mix", Kind::list, "weighted request templates (`clients[].mix[]`)"), "a list of weighted request templates"),
  };
  return fields;
}

const Fields<ClientSpec>& keepalive_fields() {
  using S = ClientSpec;
  static const Fields<S> fields{
      required(integer("requests_per_connection", &S::requests_per_connection, 1, 1'000'000,
                       "requests sharing one connection (one 5-tuple, one L4 pick, one handshake)"),
               "an integer from 1 to 1000000"),
  };
  return fields;
}

const Fields<ClientTlsSpec>& client_tls_fields() {
  using S = ClientTlsSpec;
  static const Fields<S> fields{
      choice("version", &S::version, Names<tls::Version>{{"1.2", tls::Version::tls12}, {"1.3", tls::Version::tls13}},
             "TLS 1.3 (one round trip) or 1.2 (two when full, one when resumed)"),
      percent("resumption", &S::resumption, "share of new connections that resume a session", /*as_share=*/true),
  };
  return fields;
}

const Fields<RetrySpec>& client_retry_fields() {
  using S = RetrySpec;
  static const Fields<S> fields = with_budget(Fields<S>{
      required(integer("max", &S::max_retries, 0, 10, "retries per request, on a timeout, a 5xx or a reset"), "an integer from 0 to 10"),
      quantity<S>("backoff", Kind::duration, [](S& r) -> double& { return r.backoff.base_s; }, false,
                  "the first retry waits a random time below this; each next one below twice as long (full jitter)"),
      quantity<S>("max_backoff", Kind::duration, [](S& r) -> double& { return r.backoff.cap_s; }, false,
                  "the cap of that doubling; at least `backoff`"),
  });
  return fields;
}

const Fields<RequestTemplate>& request_template_fields() {
  using S = RequestTemplate;
  static const Fields<S> fields{
      number("weight", &S::weight, "relative share of the population's requests"),
      one_of("method", &S::method, request_methods(), "the HTTP method"),
      text("host", &S::host, "a host name", "the Host header"),
      text("query", &S::query, "a query string such as q=shoes&page=2", "the query string, without the `?`"),
      deferred<S>("path", Kind::text, "the path, starting with `/`", "/"),
      deferred<S>("headers", Kind::map, "request headers, name to value"),
      deferred<S>("cookies", Kind::map, "cookies, name to value (at most 15)"),
      deferred<S>("request", Kind::size, "the request's size, or a distribution of sizes", "500B"),
      deferred<S>("response", Kind::size, "the response's size, or a distribution of sizes", "2KB"),
  };
  return fields;
}

}  // namespace lbsim::config::schema
