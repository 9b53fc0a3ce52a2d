// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// lbsim's own L7 node, for real: an HTTP/1.1 reverse proxy (Boost.Asio + Beast, OpenSSL)
// that makes every decision with core's code, as the simulator's L7 node does — the
// listener rules (l7::RuleTable), the teaching WAF, the rate limiter, stickiness, the
// tier's picker over each group's targets by zone (zone::ZonedTargets: health, ejection,
// slow start, panic), the connection pool's limits (l7::ConnectionPool), the circuit
// breakers, retries and their budget, outlier detection and the active health checks'
// state machine. What it adds is only what real sockets need: parsing, timeouts, and
// answers to clients that do not speak HTTP.
//
// One process per L7 node, in the node's namespace, with `l7.cpu.cores` threads. It
// listens on the VIP's port (TLS when the clients speak it: the L7 tier terminates it
// with `l7.tls.key`, resuming by tickets whose keys every node of the tier shares) and
// talks plain HTTP to backends on topology::kBackendPort over pooled keep-alive
// connections. docs/TESTBED.md, "The L7 node", has the whole picture.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "config/spec.hpp"
#include "results/metrics.hpp"
#include "testbed/plan.hpp"

namespace lbsim::testbed {

// Headers the testbed's own processes exchange (never a routing input).
inline constexpr const char* kGroupHeader = "X-Lbsim-Group";         // the proxy tells the client which target group answered
inline constexpr const char* kStickyHeader = "X-Lbsim-Sticky";       // and, for a sticky group, whether its cookie held ("hit") or not ("miss")
inline constexpr const char* kHealthCheckHeader = "X-Lbsim-Health-Check";  // a check: the backend answers at once, drawing nothing

// Limits on what a client may send: beyond them it gets the status and its connection is
// closed (ALB's limits are of this size: 64 KB of headers).
inline constexpr std::size_t kMaxRequestHeaderBytes = 64 * 1024;
inline constexpr std::size_t kMaxRequestBodyBytes = 1024 * 1024;

struct ClientTimeouts {
  double request_s = 10;    // from a request's first byte to its end (HAProxy's `timeout http-request`: slowloris)
  double idle_s = 60;       // between requests on a kept-alive connection (ALB's idle timeout)
  double handshake_s = 10;  // a TLS handshake
};

struct ProxyOptions {
  ClientTimeouts timeouts;
  // Off: no TLS session resumption at all (no tickets issued), so every handshake is a
  // full one — for a benchmark of handshakes per core.
  bool session_tickets = true;
};

// What hostile or broken clients cost the node: each was answered or closed, counted here.
struct HostileCounts {
  std::uint64_t malformed = 0;     // not HTTP/1.x: 400, closed
  std::uint64_t oversized = 0;     // headers or body beyond the limits: 431 or 413, closed
  std::uint64_t slow = 0;          // a request not complete within its timeout: 408, closed
  std::uint64_t tls_failures = 0;  // a TLS handshake that failed (garbage, wrong version) or timed out: closed
};

struct L7Report {
  results::NodeStats stats;  // busy_seconds: the process's CPU time over the run
  std::vector<results::HealthEvent> health_events;
  HostileCounts hostile;
  std::vector<double> busy_per_second;  // CPU seconds in each second of the run
  double user_seconds = 0, system_seconds = 0;  // busy_seconds split: the proxy's own code, and the kernel's work for it
};

// Serves until `stop` is set; `start_monotonic_s` is the run's time zero. `listening` is
// called once it accepts connections.
L7Report run_l7_proxy(const config::ScenarioSpec& spec, const TestbedPlan& plan, const PlannedNode& self, double start_monotonic_s,
                      volatile const int& stop, const std::function<void()>& listening = {}, const ProxyOptions& options = {});

}  // namespace lbsim::testbed
