// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A request in flight, passed by pointer through SimGrid mailboxes. The reply path is
// a small stack of inboxes: each tier that must see the reply pushes its own on the
// way in and the reply pops them on the way out (DNAT pushes the L4 node; DSR, later,
// will not — its replies bypass the L4 tier).
#include <simgrid/kernel/Timer.hpp>

#include "engine/transport.hpp"

#include <array>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <vector>

#include "config/spec.hpp"
#include "results/metrics.hpp"
#include "results/trace.hpp"
#include "l4/flow.hpp"
#include "l7/request_view.hpp"
#include "tls/handshake.hpp"

namespace lbsim::models {

// A request template with the views routing reads, built once per client population.
class MixEntryRecycler;

struct MixEntry {
  const config::RequestTemplate* spec = nullptr;
  std::vector<l7::Field> headers;
  std::vector<l7::Field> cookies;

  l7::RequestView view(std::uint32_t source_ip) const;

  // A replayed request has an entry of its own, recycled once no attempt holds it (a
  // mix's entries live as long as the run: no recycler).
  MixEntryRecycler* recycler = nullptr;
  mutable std::uint32_t holders = 0;
};

class MixEntryRecycler {
public:
  virtual void recycle(const MixEntry* entry) = 0;

protected:
  ~MixEntryRecycler() = default;
};

// One more attempt (a retry, the L7 node's copy) points at `entry`.
inline void hold(const MixEntry* entry) {
  if (entry != nullptr && entry->recycler != nullptr) ++entry->holders;
}
// An attempt that pointed at `entry` is recycled.
inline void let_go(const MixEntry* entry) {
  if (entry != nullptr && entry->recycler != nullptr && --entry->holders == 0) entry->recycler->recycle(entry);
}

// A short error page or redirect: status line, a few headers, a line of text.
inline constexpr double kErrorPageBytes = 150;
// A health-check request or its answer (a TCP handshake or a small HTTP exchange).
inline constexpr double kProbeBytes = 100;
// A bare TCP segment: SYN, SYN-ACK.
inline constexpr double kTcpSegmentBytes = 60;
// TLS 1.2's second round trip: ClientKeyExchange/Finished, and the server's Finished.
inline constexpr double kTlsFinishedBytes = 150;

inline constexpr std::uint32_t kNone = UINT32_MAX;

class TimeoutList;

struct Request {
  std::uint64_t id = 0;
  const MixEntry* what = nullptr;  // method, path, headers, sizes
  std::uint32_t client = 0;        // client population
  std::uint32_t user = UINT32_MAX;  // closed loop: the user waiting for it
  // Client-side: which attempt this is (retries are new attempts, `sent_at` stays the
  // first one's), and whether the client still waits for it.
  std::uint8_t attempt = 0;
  enum class ClientState : std::uint8_t { pending, abandoned } client_state = ClientState::pending;
  simgrid::kernel::timer::Timer* timeout_timer = nullptr;
  double client_deadline = 0;  // when that timer fires
  l4::FlowKey flow;
  std::uint64_t flow_hash = 0;
  std::uint64_t source_hash = 0;
  bool closes_connection = false;  // the last request on its connection (the L4 node sees the FIN)
  // A health-check probe rather than client traffic: answered at once by whoever takes
  // it (after waiting its turn in the target's queue), never counted as a request.
  bool is_probe = false;
  std::uint32_t probe_round = 0;
  std::uint32_t probe_target = 0;
  double sent_at = 0;
  bool measured = true;  // sent after the warm-up: counted in the request statistics
  // What the message now on the wire towards the server weighs: the request itself, or
  // a handshake flight.
  double wire_bytes = 0;
  // This request's sizes, drawn from its template's distributions.
  double request_size = 0;
  double response_size = 0;
  // A replayed request's logged service time (seconds), which its backend takes instead
  // of drawing one; negative: draw from the target group's distribution.
  double logged_service_s = -1;

  // Connection setup, carried by a connection's first request: `flights_left` round
  // trips (TCP's, then TLS's) before the request itself. Flight 0 is TCP; 1 on are TLS.
  std::uint64_t connection = 0;
  std::uint32_t l4_node = 0;        // the L4 node DNS gave this connection
  std::uint8_t flights_left = 0;
  std::uint8_t flight = 0;
  tls::Version tls_version = tls::Version::tls13;
  bool tls_resumed = false;
  bool in_handshake() const { return flights_left > 0; }
  // Refused for overload on arrival: whoever takes it answers 503 at once.
  bool refused = false;
  // The L7 node is opening a pooled connection to a backend for it (a SYN out).
  bool upstream_syn = false;

  // Faults. A dead node or a cut link swallowed it: nobody holds it, and whoever times
  // out waiting for it (an L7 node, the client) takes it back.
  bool dropped = false;
  // The L7 node gave up on it (504) and answered with a copy: when it comes back, or is
  // swallowed, it is only recycled.
  bool orphaned = false;
  std::uint32_t admitted_to = kNone;  // the backend whose queue counts it, until it leaves
  std::uint8_t l7_attempt = 0;        // retries the L7 node made for it
  results::Trace* trace = nullptr;     // only for the requests a run traces (models/tracing.hpp)
  // The L7 node's upstream timeout: its place in that node's deadline list.
  TimeoutList* timeout_list = nullptr;
  Request* timeout_prev = nullptr;
  Request* timeout_next = nullptr;
  double upstream_deadline = 0;

  // The balancer cookie the client's jar holds for this source address, if any, and
  // the one the balancer sets in its answer. Fixed buffers: no allocation per request.
  std::array<char, 40> sticky_cookie{};
  std::uint8_t sticky_cookie_length = 0;
  std::array<char, 40> set_cookie{};
  std::uint8_t set_cookie_length = 0;
  // Which balancer cookie those are: AWSALBAPP (application-based) or AWSALB.
  bool sticky_cookie_is_app = false;
  bool set_cookie_is_app = false;
  // The application's session cookie (application-based stickiness): the name of the
  // one the client sends, if any, and whether the backend's answer starts a session.
  const std::string* app_session_cookie = nullptr;
  bool sets_app_session = false;

  bool answered = false;
  std::uint16_t status = results::kStatusReset;
  std::uint32_t entry_zone = kNone;
  std::uint32_t group = kNone;      // target group that served it
  std::uint32_t l7_slot = kNone;    // the backend's slot in the L7 node's candidate list

  // Answers the request: `bytes` is what the answer weighs on the wire.
  void answer(std::uint16_t http_status, double bytes) {
    answered = true;
    status = http_status;
    reply_bytes_ = bytes;
  }
  // A reset carries no HTTP answer: nothing but a RST.
  void reset() { answer(results::kStatusReset, 0); }
  double reply_bytes() const { return reply_bytes_; }

  // What an L7 balancer reads: the template's request plus this client's source address
  // and balancer cookie. The view points into this request.
  l7::RequestView view();
  static void copy_cookie(std::string_view value, std::array<char, 40>& into, std::uint8_t& length);

  void push_reply(engine::Inbox* hop) {
    if (reply_depth_ == reply_path_.size()) throw std::logic_error("reply path deeper than the tiers allow");
    reply_path_[reply_depth_++] = hop;
  }
  engine::Inbox* pop_reply() {
    if (reply_depth_ == 0) throw std::logic_error("reply with nowhere to go");
    return reply_path_[--reply_depth_];
  }

private:
  std::array<engine::Inbox*, 4> reply_path_{};
  std::uint8_t reply_depth_ = 0;
  double reply_bytes_ = 0;
  std::array<l7::Field, config::kMaxTemplateCookies + 2> cookie_fields_{};
};

// Requests waiting for an answer by a deadline `timeout` after they were added. The
// timeout is the same for all, so deadlines are in insertion order: a FIFO, intrusive
// through the requests, removes in O(1) and allocates nothing.
class TimeoutList {
public:
  explicit TimeoutList(double timeout_s) : timeout_s_(timeout_s) {}
  void push(Request* request, double now) {
    request->upstream_deadline = now + timeout_s_;
    request->timeout_list = this;
    request->timeout_prev = tail_;
    request->timeout_next = nullptr;
    (tail_ != nullptr ? tail_->timeout_next : head_) = request;
    tail_ = request;
  }
  void remove(Request* request) {
    if (request->timeout_list != this) return;  // not waiting here (any more)
    (request->timeout_prev != nullptr ? request->timeout_prev->timeout_next : head_) = request->timeout_next;
    (request->timeout_next != nullptr ? request->timeout_next->timeout_prev : tail_) = request->timeout_prev;
    request->timeout_list = nullptr;
    request->timeout_prev = request->timeout_next = nullptr;
  }
  Request* front() const { return head_; }
  bool empty() const { return head_ == nullptr; }
  double timeout() const { return timeout_s_; }
  void clear() {
    while (head_ != nullptr) remove(head_);
  }

private:
  double timeout_s_;
  Request* head_ = nullptr;
  Request* tail_ = nullptr;
};

// Requests are recycled: the hot path allocates only while the number in flight grows.
class RequestPool {
public:
  Request* acquire() {
    if (free_.empty()) {
      storage_.push_back(std::make_unique<Request>());
      return storage_.back().get();
    }
    Request* r = free_.back();
    free_.pop_back();
    return r;
  }
  void release(Request* r) {
    if (r->timeout_list != nullptr) r->timeout_list->remove(r);
    let_go(r->what);
    *r = Request{};
    free_.push_back(r);
  }
  std::size_t allocated() const { return storage_.size(); }

private:
  std::vector<std::unique_ptr<Request>> storage_;
  std::vector<Request*> free_;
};

}  // namespace lbsim::models
