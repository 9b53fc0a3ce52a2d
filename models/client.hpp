// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A client population. Open loop: requests arrive on a rate profile (Poisson by
// thinning, or evenly spaced) whatever the system's state, so overload shows as queueing
// and errors, not as a slower client. Closed loop: `users` users each send, wait for
// the answer and think, so load falls when the system slows.
// Requests are grouped into connections of `requests_per_connection`; each connection
// has its own source address and port, resolved by DNS to one L4 node.
#include <simgrid/s4u.hpp>

#include <memory>
#include <queue>
#include <string>
#include <unordered_map>
#include <vector>

#include "models/world.hpp"
#include "traffic/arrivals.hpp"
#include "util/random.hpp"

namespace lbsim::models {

// The address every client connects to (the article's example VIP), port 443.
inline constexpr std::uint32_t kVirtualIp = (203u << 24) | (0u << 16) | (113u << 8) | 50u;
inline constexpr std::uint16_t kVirtualPort = 443;
// Client addresses come from 198.18.0.0/15, the benchmarking range (RFC 2544).
inline constexpr std::uint32_t kClientNetwork = (198u << 24) | (18u << 16);

class ClientPopulation {
public:
  ClientPopulation(World& world, std::uint32_t index, topology::Vertex vertex);
  void start();

  results::NodeStats& stats() { return stats_; }

  // An L7 node answers an attempt with a copy of its request (see L7Node::take_back):
  // the attempt's timeout follows it.
  void move_timeout(Request* from, Request* to);
  // Faults: no session resumption (as after a certificate rotation), until restored.
  void set_resumption_lost(bool lost) { resumption_lost_ = lost; }

private:
  void generate();
  void generate_open_loop();
  void schedule_arrival(double at);  // the next open-loop arrival, or the end of sending
  std::unique_ptr<traffic::ArrivalProcess> arrivals_;
  bool sent_all_ = false;
  void generate_closed_loop();
  // A new request from `source_ip` (on its connection), by `user` in a closed loop.
  void send_new_request(std::uint32_t source_ip, std::uint32_t user);
  // Puts an attempt on its address's connection (opening one if needed) and arms its timeout.
  void dispatch(Request* request);
  void place_on_connection(Request* request);
  void arm_timeout(Request* request);
  void arm_timeout_at(Request* request, double deadline);
  // An attempt failed with a reset or a timeout: its connection is not used again, and
  // requests that waited for it to open go on a new one.
  void abandon_connection(std::uint32_t source_ip, std::uint64_t connection);
  // An attempt's answer came back (or its timeout fired): finish it, or retry it.
  void complete_attempt(Request* request);
  void on_timeout(Request* request);
  bool may_retry(const Request* request) const;
  void schedule_retry(const Request* request);
  // The request as the user sees it is over: record it once, from its first attempt.
  void finish(Request* request, std::uint16_t status);
  void on_answer(Request* request);  // an answer (or handshake flight) came back
  void start_trace(Request* request, const MixEntry& what);
  void trace_send(Request* request);
  void trace_answer(Request* request);
  const topology::Node* node_ = nullptr;
  const MixEntry& draw_mix_entry();

  World& world_;
  const config::ClientSpec& spec_;
  std::uint32_t index_;
  simgrid::s4u::Host* host_;
  engine::Inbox inbox_;
  // Two streams, so that the traffic (when, from which address, what) is the same in any
  // layout on the same seed: what the layout makes happen (new connections' DNS picks
  // and TLS resumption, retries' backoff) draws from the second.
  Random random_;
  Random connection_random_;
  std::vector<MixEntry> mix_;
  std::vector<double> mix_cumulative_;

  // Sends the request (or handshake flight) on the wire to its connection's L4 node.
  void transmit(Request* request, double bytes);
  // A handshake flight came back: send the next, or the requests that waited for it.
  void continue_handshake(Request* request);

  // Connections still being set up, and the requests waiting on each.
  struct Connecting {
    bool handshake_started = false;
    std::vector<Request*> waiting;
  };
  std::unordered_map<std::uint64_t, Connecting> connecting_;

  // Each client address is one browser with one keep-alive connection at a time, used
  // for `requests_per_connection` requests, then closed (its FIN rides on the last).
  struct Connection {
    std::uint64_t id = 0;
    l4::FlowKey flow;
    std::uint64_t flow_hash = 0, source_hash = 0;
    std::uint32_t l4_node = 0;
    std::uint32_t requests_left = 0;
    std::uint8_t flights = 0;  // handshake round trips it needs
    bool resumed = false;
    std::uint16_t next_port = 0;  // ephemeral ports of this address, in order
    // This browser's DNS cache: the L4 nodes it last resolved, until the TTL runs out.
    std::shared_ptr<const std::vector<std::uint32_t>> resolved;
    double resolved_until = -1;
  };
  std::shared_ptr<const std::vector<std::uint32_t>> resolve();
  std::shared_ptr<const std::vector<std::uint32_t>> last_answer_;
  bool resumption_lost_ = false;
  std::unordered_map<std::uint32_t, Connection> connections_;  // by source address
  void open_connection(Connection& connection, std::uint32_t source_ip);
  std::uint64_t last_connection_id_ = 0;

  // Cookies by client address: each address is one browser with one jar, holding the
  // balancer's cookie and, with application-based stickiness, the app's session.
  struct CookieJar {
    std::string balancer;
    bool balancer_is_app = false;
    const std::string* session = nullptr;  // the session cookie's name, once the app set it
  };
  bool keeps_cookies_ = false;
  std::unordered_map<std::uint32_t, CookieJar> cookie_jar_;

  // Closed loop: users due to send, earliest first (time, user).
  std::priority_queue<std::pair<double, std::uint32_t>, std::vector<std::pair<double, std::uint32_t>>, std::greater<>> due_;

  std::uint64_t next_id_ = 0;
  std::uint64_t outstanding_ = 0;
  bool done_sending_ = false;
  simgrid::s4u::MutexPtr mutex_;
  simgrid::s4u::ConditionVariablePtr drained_;
  simgrid::s4u::ConditionVariablePtr user_ready_;  // closed loop: a user became due

  std::uint32_t active_retries_ = 0;
  results::NodeStats stats_;
};

}  // namespace lbsim::models
