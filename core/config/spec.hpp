// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The scenario as plain data. Units are normalised on load: seconds, bytes,
// bytes per second, events per second. Defaults here are the ones the docs name
// (docs/SCENARIOS.md); the loader fills them in where a file is silent.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "health/active_check.hpp"
#include "health/outlier.hpp"
#include "health/panic.hpp"
#include "balancing/picker.hpp"
#include "l7/rate_limit.hpp"
#include "l7/rules.hpp"
#include "resilience/circuit_breaker.hpp"
#include "resilience/retry.hpp"
#include "tls/handshake.hpp"
#include "traffic/access_log.hpp"
#include "traffic/arrivals.hpp"
#include "util/distribution.hpp"

namespace lbsim::config {

struct LinkSpec {
  double latency_s = 0;
  double bandwidth_Bps = 0;
};

struct TopologySpec {
  std::vector<std::string> zones;
  LinkSpec internet{0.020, 10e9 / 8};
  LinkSpec intra_zone{100e-6, 25e9 / 8};
  LinkSpec inter_zone{1e-3, 10e9 / 8};
};

// A time in an access log: an instant (seconds since the Unix epoch, `absolute`) or an
// offset from the log's first request.
struct LogTime {
  double seconds = 0;
  bool absolute = false;
};

// `kind: replay`: the requests of access logs, each sent at its logged time (divided by
// `speed`) from its logged client address with its method, host, path and sizes.
struct ReplaySpec {
  std::vector<std::string> files;  // as the scenario names them (for messages)
  std::vector<std::string> paths;  // where the simulator opens them (the program's reader resolved them)
  traffic::LogFormat format = traffic::LogFormat::alb;
  double speed = 1;
  std::optional<LogTime> from, to;  // the part of the logs to replay; the whole when absent
  // `logged`: a request the log gives a service time (ALB's target_processing_time) takes
  // that long at its backend; `model`: the target group's distribution, for every request.
  bool logged_service_times = true;
};

struct ArrivalSpec {
  // With `replay`: the rate its logs' first lines show, for estimates (cost, limits) only.
  traffic::RateProfile profile = traffic::RateProfile::constant(0);
  bool uniform = false;  // evenly spaced at the current rate instead of Poisson
  // Closed loop: `users` users, each sending, waiting for the answer, then thinking.
  std::uint32_t users = 0;  // 0: open loop
  Distribution think_time = Distribution::exponential(1.0);
  std::optional<ReplaySpec> replay;
  bool closed() const { return users > 0; }
};

struct RequestTemplate {
  double weight = 1;
  std::string method = "GET";
  std::string host;
  std::string path = "/";
  std::string query;  // without the '?'
  std::vector<std::pair<std::string, std::string>> headers;
  std::vector<std::pair<std::string, std::string>> cookies;
  Distribution request_bytes = Distribution::constant(500);
  Distribution response_bytes = Distribution::constant(2000);
};

// The methods a request template may have.
inline const std::vector<std::string>& request_methods() {
  static const std::vector<std::string> methods{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
  return methods;
}

// Cookies a request template may carry (lbsim adds the balancer's own on top).
inline constexpr std::size_t kMaxTemplateCookies = 15;

struct ClientTlsSpec {
  bool enabled = true;  // port 443: HTTPS
  tls::Version version = tls::Version::tls13;
  double resumption = 0;  // share of new connections that resume a session
};

// Retries as a client library does them (Envoy's and gRPC's shape): on a timeout, a
// 5xx or a reset, after an exponential backoff with full jitter, within a budget.
struct RetrySpec {
  std::uint32_t max_retries = 0;  // 0: never retry
  resilience::Backoff backoff;
  resilience::RetryBudget budget;
};

struct ClientSpec {
  std::string name;
  ClientTlsSpec tls;
  std::optional<double> timeout_s;  // give up on an attempt after this long
  RetrySpec retries;
  ArrivalSpec arrival;
  std::uint32_t source_ips = 1000;
  std::uint32_t requests_per_connection = 1;
  std::vector<RequestTemplate> mix;
};

// DNAT: the L4 node rewrites the destination address and the reply returns through it.
// DSR: it rewrites only the frame's MACs (a layer-2 forward); the target owns the VIP and answers the
// client directly, so replies never cross the L4 node.
enum class Forwarding { dnat, dsr };

struct L4Spec {
  std::uint32_t nodes_per_zone = 1;
  Forwarding forwarding = Forwarding::dnat;
  std::string algorithm = "flow_hash";
  balancing::PickerOptions algorithm_options;
  bool cross_zone = false;          // NLB's default
  std::optional<std::uint32_t> target_group;  // L4-only layouts: where the L4 tier forwards
  std::uint32_t conntrack_capacity = 100'000;
  // Messages per second one node can forward; 0 = no limit beyond its NIC.
  double packets_per_second = 0;
  // How L4 nodes check L7 nodes (a TCP check). In an L4-only layout the target group's
  // own health_check applies to its backends, as on an NLB target group.
  health::ActiveCheckConfig health_check = health::ActiveCheckConfig::nlb();
  double panic_threshold_percent = health::kPanicDisabled;  // NLB: fail open only
  // NLB's passive checks (health/passive_check.hpp): on, as NLB's always are. They need
  // to see the target's answer, so only under DNAT; and never for a sticky target group.
  bool passive_health_checks = true;
  double idle_timeout_s = 350;      // NLB's TCP idle timeout
  // The TTL of the balancer's DNS record (NLB: 60 s). Clients cache an answer this long,
  // so a node DNS stops announcing keeps receiving new connections until it expires.
  double dns_ttl_s = 60;
};

// Retries by the L7 node to another backend (Envoy's retry policy: retry_on
// "reset,connect-failure,5xx", num_retries, a retry budget). Off by default, as on ALB.
struct L7RetrySpec {
  std::uint32_t max_retries = 0;
  bool on_5xx = true;       // a 5xx answer from the backend
  bool on_reset = true;     // a reset, or a refused connection
  bool on_timeout = false;  // the upstream timeout (a retried request restarts its clock)
  resilience::RetryBudget budget;
};

struct L7Spec {
  std::uint32_t nodes_per_zone = 2;
  std::uint32_t cores = 4;
  // HTTP parse + route + TLS records on one core: HTTPS keep-alive through HAProxy 2.6 and
  // nginx 1.22 on this project's machines took 31-35 us (scripts/measure-proxy-cpu.sh).
  double cpu_per_request_s = 35e-6;
  std::uint32_t queue_limit = 4096;  // requests waiting for a core; beyond, 503 at once
  // Kept-alive connections each node may hold to one backend (Envoy's max_connections).
  std::uint32_t backend_connections = 1024;
  std::string algorithm = "round_robin";
  balancing::PickerOptions algorithm_options;
  bool cross_zone = true;            // ALB's default: always on
  bool zone_aware = false;           // Envoy's zone-aware routing (cross_zone: zone_aware)
  double panic_threshold_percent = health::kPanicDisabled;  // ALB: fail open only
  std::optional<health::OutlierConfig> outlier_detection;    // Envoy's passive checks; ALB has none
  tls::KeyType tls_key = tls::KeyType::ecdsa_p256;  // the L7 tier terminates TLS
  bool waf = false;                              // inspect with the teaching rule set (403)
  std::optional<l7::RateLimitSettings> rate_limit;  // per node token buckets (429)
  std::vector<l7::Rule> rules;
  // How long a node waits for a backend's answer before it answers 504 itself (ALB's
  // idle timeout, 60 s by default; Envoy's route timeout is 15 s).
  double upstream_timeout_s = 60;
  L7RetrySpec retries;                        // Envoy's retry policy; ALB does not retry
  std::optional<resilience::CircuitBreaker> circuit_breakers;  // Envoy's; ALB has none
  // Testbed only: what runs as each L7 node there — lbsim's own proxy, or HAProxy or
  // nginx configured by `lbsim export`. The simulator models the tier the same way.
  std::string engine = "lbsim";
};


// One entry of a group's `weights`: the backends a glob names weigh this much.
struct TargetWeight {
  std::string glob;         // over the group's backend names, e.g. app-*-0 or app-a-*
  std::uint32_t weight = 1; // 1..256, HAProxy's range
};

struct TargetGroupSpec {
  std::string name;
  std::uint32_t per_zone = 1;
  // Balancing weights (HAProxy's and nginx's per-server `weight`), in file order: a later
  // entry overrides an earlier one, so `{ "app-*": 2, app-a-0: 5 }` reads as it looks.
  // Backends no entry names weigh 1. Read by the weighted algorithms only.
  std::vector<TargetWeight> weights;
  std::uint32_t workers = 16;
  std::uint32_t queue_limit = 1000;
  Distribution service_time = Distribution::exponential(0.010);  // seconds
  double error_rate = 0;  // share of requests a backend answers with 500
  double slow_start_s = 0;  // ALB: 30..900 s, 0 = off; a recovered backend ramps up linearly
  std::optional<double> sticky_duration_s;  // ALB's stickiness: its cookie's duration
  // Application-based stickiness (AWSALBAPP) following this session cookie of the
  // backends'; absent: duration-based stickiness (AWSALB), if any.
  std::optional<std::string> app_cookie;
  // The certificate key when backends terminate TLS (L4-only layouts: TLS passes through).
  tls::KeyType tls_key = tls::KeyType::ecdsa_p256;
  // Deregistration delay: how long in-flight requests may finish after a backend is
  // deregistered before they are cut (AWS: 300 s).
  double deregistration_delay_s = 300;
  // Resolved by the loader: ALB's defaults when L7 nodes check the group, NLB's in an
  // L4-only layout; keys the file gives override the preset one by one.
  health::ActiveCheckConfig health_check = health::ActiveCheckConfig::alb();
};

// One event on the failure timeline: something breaks at `at_s` and, with `for_s`,
// recovers after it. What a fault touches is named the way `lbsim topology` prints it
// (node names such as api-b-0 or l7-a-1, as globs: api-b-*); the loader checks that
// every name matches something of the right kind.
enum class FaultKind {
  zone_outage,          // zone: its L7 nodes and backends go dark (whole_zone: its L4 nodes too)
  backend_crash,        // targets: the process dies, its kernel resets connections
  slow_backend,         // targets: service times x factor (a gray failure)
  backend_errors,       // targets: answer 500 with probability error_rate
  node_loss,            // targets: L4 or L7 nodes vanish (dark: no answers, no resets)
  link_degradation,     // link: extra latency, a lower bandwidth, packet loss
  partition,            // zones[0] and zones[1] cannot reach each other
  tls_resumption_loss,  // client (or all): no session resumption, as after a certificate rotation
  traffic_surge,        // client (or all): arrival rate x factor
  zonal_shift,          // zone: DNS and cross-zone balancing stop sending new traffic there
  deregistration,       // targets: deregistered, in-flight requests drain, then are cut
};

struct FaultSpec {
  FaultKind kind = FaultKind::zone_outage;
  double at_s = 0;
  std::optional<double> for_s;  // absent: until the end of the run
  std::string zone;             // zone_outage, zonal_shift
  bool whole_zone = false;      // zone_outage: `scope: zone` takes the zone's L4 nodes down too
  bool backends_only = false;   // zone_outage: `scope: backends` spares the zone's L7 nodes
  std::vector<std::string> zones;  // partition: exactly two
  std::string targets;          // glob over node names (backend_*, node_loss, deregistration)
  double factor = 1;            // slow_backend (> 1), traffic_surge (> 0)
  double error_rate = 0;        // backend_errors, 0..1
  std::string link;             // link_degradation: "inter-a-b" (between zones) or "edge-a" (a zone's internet edge)
  double extra_latency_s = 0;   // link_degradation
  std::optional<double> bandwidth_Bps;  // link_degradation: the link's bandwidth while degraded
  double loss = 0;              // link_degradation: packet loss probability, 0..1
  std::string client;           // traffic_surge, tls_resumption_loss: one population, or empty for all
  std::string label;            // for reports: "zone_outage b" (set by the loader)
  int line = 0;                 // where the file declares it
};

std::string_view to_string(FaultKind kind);

// A service-level objective checked after the run; any miss makes `lbsim run` exit 3.
struct SloObjective {
  enum class Metric { p50, p90, p99, p999, mean, error_rate };
  Metric metric = Metric::p99;
  double threshold = 0;            // seconds for latencies, a share (0..1) for error_rate
  std::optional<double> window_s;  // also in every window of this length, not only overall
  std::string text;                // as the file states it, for reports: "p99 <= 250ms per 10s"
  int line = 0;
};

// A lesson's question whose answer the run itself gives, not a stored letter: the hop of a
// traced request it points at is found in the trace, and what it asks of that hop (the
// fields it rewrote or read, the layer it read up to, the node) is the answer.
// `lbsim quiz` and the GUI's quiz ask it.
struct QuizQuestion {
  enum class Ask { rewrote, read, layer, node };
  std::string question_en, question_ko;
  // Empty: click the node on the layout (ask: node), or the header fields on a drawn
  // packet (ask: rewrote or read, its layer 2 to 4 fields).
  std::vector<std::string> choices;
  std::string variant;               // the run: a variant of the file, or the file itself
  std::uint64_t request = 3;         // which request of the first client population
  std::string tier;                  // the first hop of this tier (client, l4, l7, backend) ...
  std::string note;                  // ... that carries this note (a text::Note id), if given
  Ask ask = Ask::rewrote;
  std::string why_en, why_ko;        // optional: what the teacher adds after the answer
  int line = 0;
  bool click_node() const { return choices.empty() && ask == Ask::node; }
  bool click_fields() const { return choices.empty() && (ask == Ask::rewrote || ask == Ask::read); }
};

struct ScenarioSpec {
  std::string source_file;  // for messages and reports
  std::string name;
  std::string description;
  std::uint64_t seed = 1;
  double duration_s = 10;
  TopologySpec topology;
  std::vector<ClientSpec> clients;
  L4Spec l4;
  std::optional<L7Spec> l7;  // absent: an L4-only layout
  std::vector<TargetGroupSpec> target_groups;
  std::vector<FaultSpec> faults;   // in time order
  std::vector<SloObjective> slo;
  // After `duration`, how long answers may still come in before the run ends; requests
  // unanswered by then are reported as unanswered (a run never hangs on a lost request).
  double drain_timeout_s = 120;
  // Requests sent before this are left out of the request statistics (counts, latency,
  // errors, by zone and group); they still load the system, and the per-second series
  // and node figures cover the whole run, so the transient stays visible.
  double warmup_s = 0;
  // The file's `variants:` (their names, in file order), and which one this spec is
  // (empty: the file as written). A variant is the file with its overrides applied
  // (config/variants.hpp); `lbsim compare` runs each.
  std::vector<std::string> variant_names;
  std::vector<QuizQuestion> quiz;  // a lesson's questions (the simulation ignores them)
  std::string variant;

  bool has_l7() const { return l7.has_value(); }
  std::optional<std::uint32_t> find_group(std::string_view name) const;
  // The traffic surges of the timeline that apply to `client` (those naming it or none).
  std::vector<traffic::RateMultiplier> surges_of(const ClientSpec& client) const;
};

}  // namespace lbsim::config
