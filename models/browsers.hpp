// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The browsers of a client population: each client address is one browser, with one
// keep-alive connection at a time (its 5-tuple, the L4 node DNS gave it, the TCP and TLS
// round trips it still needs), a DNS cache kept for the record's TTL, and a cookie jar
// holding the balancer's stickiness cookie and the application's session. The
// population decides when requests are sent and retried; the browsers decide on which
// connection they travel and what they carry.
#include <memory>
#include <string>
#include <absl/container/flat_hash_map.h>

#include <unordered_map>
#include <vector>

#include "models/world.hpp"
#include "topology/addresses.hpp"
#include "util/random.hpp"

namespace lbsim::models {

// The address every client connects to (the article's example VIP), port 443.
using topology::kVirtualIp;
using topology::kVirtualPort;

class Browsers {
public:
  // `random` draws what the layout makes happen (DNS picks, TLS resumption), apart from
  // the traffic's own stream, so the same seed sends the same traffic in any layout.
  Browsers(World& world, const config::ClientSpec& spec, Random& random);

  // What to send for a request just placed on its browser's connection.
  enum class Send {
    request,    // the connection is up: the request itself
    handshake,  // it opens the connection: a SYN first (its flights are set)
    nothing,    // it waits for the connection another request is opening
  };
  // Puts a request (whose flow.src_ip names its browser) on that browser's connection,
  // opening a new one when the last is used up, and gives it the jar's cookies.
  Send place(Request* request);

  // The connection's handshake is done: the requests that waited for it, to send. None
  // when the connection was abandoned meanwhile (`still_open` false).
  std::vector<Request*> established(std::uint64_t connection, bool& still_open);

  // An attempt on `connection` failed (reset, timeout): it is not used again. Returns
  // the requests that waited for it, to place again.
  std::vector<Request*> abandon(std::uint32_t source_ip, std::uint64_t connection);

  // An answer came back: its Set-Cookie goes in its browser's jar.
  void keep_cookies(const Request& answer);
  // An answer came back over TLS: its connection's session (TLS 1.3 sends the ticket
  // after the handshake) is one later connections may resume. Until the first, a
  // connection whose coin says "resume" has nothing to offer when its ClientHello goes,
  // and shakes hands in full.
  void keep_session() { has_session_ = spec_.tls.enabled; }
  bool has_session() const { return has_session_; }

  // Faults: no session resumption (as after a certificate rotation), until restored.
  void set_resumption_lost(bool lost) { resumption_lost_ = lost; }

private:
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
  // Connections still being set up, and the requests waiting on each.
  struct Connecting {
    bool handshake_started = false;
    std::vector<Request*> waiting;
  };
  // The balancer's cookie and, with application-based stickiness, the app's session.
  struct CookieJar {
    std::string balancer;
    bool balancer_is_app = false;
    const std::string* session = nullptr;  // the session cookie's name, once the app set it
  };

  void open_connection(Connection& connection, std::uint32_t source_ip);
  std::shared_ptr<const std::vector<std::uint32_t>> resolve();

  World& world_;
  const config::ClientSpec& spec_;
  Random& random_;
  // Flat tables: asked once or twice a request, never walked in order.
  absl::flat_hash_map<std::uint32_t, Connection> connections_;  // by source address
  absl::flat_hash_map<std::uint64_t, Connecting> connecting_;
  std::uint64_t last_connection_id_ = 0;
  std::shared_ptr<const std::vector<std::uint32_t>> last_answer_;  // shared by every browser's cache
  bool resumption_lost_ = false;
  bool has_session_ = false;  // the population holds a session to resume (see keep_session)
  bool keeps_cookies_ = false;
  std::unordered_map<std::uint32_t, CookieJar> cookie_jar_;
};

}  // namespace lbsim::models
