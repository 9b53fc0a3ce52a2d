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
#include "l4/picker.hpp"
#include "l7/rate_limit.hpp"
#include "l7/rules.hpp"
#include "tls/handshake.hpp"
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

struct ArrivalSpec {
  traffic::RateProfile profile = traffic::RateProfile::constant(0);
  bool uniform = false;  // evenly spaced at the current rate instead of Poisson
  // Closed loop: `users` users, each sending, waiting for the answer, then thinking.
  std::uint32_t users = 0;  // 0: open loop
  Distribution think_time = Distribution::exponential(1.0);
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
  std::uint32_t max_retries = 0;      // 0: never retry
  double backoff_base_s = 0.025;      // Envoy's default base interval
  double backoff_max_s = 0.250;       // and its default cap (10 x base)
  double budget_percent = 20;         // retries in flight <= this share of active requests
  std::uint32_t min_retry_concurrency = 3;  // ... but always allow this many (Envoy)
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
// DSR: it rewrites only the destination MAC; the target owns the VIP and answers the
// client directly, so replies never cross the L4 node.
enum class Forwarding { dnat, dsr };

struct L4Spec {
  std::uint32_t nodes_per_zone = 1;
  Forwarding forwarding = Forwarding::dnat;
  std::string algorithm = "flow_hash";
  l4::PickerOptions algorithm_options;
  bool cross_zone = false;          // NLB's default
  std::optional<std::uint32_t> target_group;  // L4-only layouts: where the L4 tier forwards
  std::uint32_t conntrack_capacity = 100'000;
  // Messages per second one node can forward; 0 = no limit beyond its NIC.
  double packets_per_second = 0;
  // How L4 nodes check L7 nodes (a TCP check). In an L4-only layout the target group's
  // own health_check applies to its backends, as on an NLB target group.
  health::ActiveCheckConfig health_check = health::ActiveCheckConfig::nlb();
  double panic_threshold_percent = health::kPanicDisabled;  // NLB: fail open only
  double idle_timeout_s = 350;      // NLB's TCP idle timeout
};

struct L7Spec {
  std::uint32_t nodes_per_zone = 2;
  std::uint32_t cores = 4;
  double cpu_per_request_s = 50e-6;  // HTTP parse + route on one core
  std::uint32_t queue_limit = 4096;  // requests waiting for a core; beyond, 503 at once
  // Kept-alive connections each node may hold to one backend (Envoy's max_connections).
  std::uint32_t backend_connections = 1024;
  std::string algorithm = "round_robin";
  l4::PickerOptions algorithm_options;
  bool cross_zone = true;            // ALB's default: always on
  bool zone_aware = false;           // Envoy's zone-aware routing (cross_zone: zone_aware)
  double panic_threshold_percent = health::kPanicDisabled;  // ALB: fail open only
  std::optional<health::OutlierConfig> outlier_detection;    // Envoy's passive checks; ALB has none
  tls::KeyType tls_key = tls::KeyType::ecdsa_p256;  // the L7 tier terminates TLS
  bool waf = false;                              // inspect with the teaching rule set (403)
  std::optional<l7::RateLimitSettings> rate_limit;  // per node token buckets (429)
  std::vector<l7::Rule> rules;
};


struct TargetGroupSpec {
  std::string name;
  std::uint32_t per_zone = 1;
  std::uint32_t workers = 16;
  std::uint32_t queue_limit = 1000;
  Distribution service_time = Distribution::exponential(0.010);  // seconds
  double error_rate = 0;  // share of requests a backend answers with 500
  double slow_start_s = 0;  // ALB: 30..900 s, 0 = off; a recovered backend ramps up linearly
  std::optional<double> sticky_duration_s;  // ALB's load-balancer cookie (AWSALB) stickiness
  // The certificate key when backends terminate TLS (L4-only layouts: TLS passes through).
  tls::KeyType tls_key = tls::KeyType::ecdsa_p256;
  // Resolved by the loader: ALB's defaults when L7 nodes check the group, NLB's in an
  // L4-only layout; keys the file gives override the preset one by one.
  health::ActiveCheckConfig health_check = health::ActiveCheckConfig::alb();
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

  bool has_l7() const { return l7.has_value(); }
  std::optional<std::uint32_t> find_group(std::string_view name) const;
};

}  // namespace lbsim::config
