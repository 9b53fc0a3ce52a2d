// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A client population. Open loop: requests arrive on a rate profile (Poisson by
// thinning, or evenly spaced) whatever the system's state, so overload shows as queueing
// and errors, not as a slower client. Closed loop: `users` users each send, wait for
// the answer and think, so load falls when the system slows.
// Each client address is one browser (models/browsers.hpp): requests are grouped into
// its connections of `requests_per_connection`, each with its own source port, resolved
// by DNS to one L4 node.
#include <simgrid/s4u.hpp>

#include <memory>
#include <queue>
#include <string>
#include <vector>

#include "models/browsers.hpp"
#include "models/replay_feed.hpp"
#include "models/world.hpp"
#include "traffic/arrivals.hpp"
#include "util/random.hpp"

namespace lbsim::models {

// Client addresses come from 198.18.0.0/15, the benchmarking range (RFC 2544).
using topology::kClientNetwork;

class ClientPopulation {
public:
  ClientPopulation(World& world, std::uint32_t index, topology::Vertex vertex);
  void start();

  results::NodeStats& stats() { return stats_; }
  // What its replay read and sent; nothing unless it replays logs.
  const results::ReplayReport* replay_report() const { return replay_ ? &replay_->report() : nullptr; }
  // Requests sent after the warm-up (all of them without one).
  std::uint64_t measured_requests() const { return measured_requests_; }

  // An L7 node answers an attempt with a copy of its request (see L7Node::take_back):
  // the attempt's timeout follows it.
  void move_timeout(Request* from, Request* to);
  // Faults: no session resumption (as after a certificate rotation), until restored.
  void set_resumption_lost(bool lost) { browsers_.set_resumption_lost(lost); }

private:
  void generate();
  void generate_open_loop();
  void schedule_arrival(double at);  // the next open-loop arrival, or the end of sending
  std::unique_ptr<traffic::ArrivalProcess> arrivals_;
  // A replay: the logs' requests, each sent at its time (`replaying_`: the one due next).
  void generate_replay();
  void schedule_replayed();
  void send_replayed(const traffic::LogRecord& record);
  std::unique_ptr<ReplayFeed> replay_;
  const traffic::LogRecord* replaying_ = nullptr;
  bool sent_all_ = false;
  void generate_closed_loop();
  // A new request from `source_ip` (on its connection), by `user` in a closed loop.
  void send_new_request(std::uint32_t source_ip, std::uint32_t user);
  // `logged_service_s`: a replayed request's service time, if its backend is to take it.
  void send(std::uint32_t source_ip, std::uint32_t user, const MixEntry& what, double request_bytes, double response_bytes,
            double logged_service_s = -1);
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
  void start_sample(Request* request, const MixEntry& what);
  std::unique_ptr<results::Trace> new_trace(Request* request, const MixEntry& what);
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
  // A handshake flight came back: after the client's own TLS work, send the next
  // flight, or the requests that waited for the connection.
  void on_handshake_flight(Request* request);
  void continue_handshake(Request* request);
  // The client's CPU before it sends flight `flight` of its connection's setup (1: the
  // ClientHello's key share; 2: verifying the server's flight, its Finished, and with
  // TLS 1.3 or a resumption the request itself); zero without TLS.
  double client_tls_cpu_before(const Request& request, unsigned flight) const;


  Browsers browsers_;  // the addresses' connections, DNS caches and cookie jars

  // Closed loop: users due to send, earliest first (time, user).
  std::priority_queue<std::pair<double, std::uint32_t>, std::vector<std::pair<double, std::uint32_t>>, std::greater<>> due_;

  std::uint64_t next_id_ = 0;
  std::uint64_t outstanding_ = 0;
  std::uint64_t outstanding_in_warmup_ = 0;  // of those, sent during the warm-up
  std::uint64_t measured_requests_ = 0;
  bool done_sending_ = false;
  bool finished_ = false;  // generate() has reported what was unanswered: the run is over for it
  simgrid::s4u::MutexPtr mutex_;
  simgrid::s4u::ConditionVariablePtr drained_;
  simgrid::s4u::ConditionVariablePtr user_ready_;  // closed loop: a user became due

  std::uint32_t active_retries_ = 0;
  results::NodeStats stats_;
  // Whoever terminates TLS for this client: the L7 tier, or in an L4-only layout the
  // L4 tier's target group. Its key decides what the client verifies.
  tls::KeyType server_key_;
};

}  // namespace lbsim::models
