// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// One request's journey, hop by hop, as the teaching trace shows it (lbsim trace, and a
// sample in every run's output). Recorded only for the requests asked for: a request
// that is not traced carries a null pointer and costs nothing more.
#include <cstdint>
#include <string>
#include <vector>

#include "l4/packet.hpp"
#include "text/messages.hpp"

namespace lbsim::results {

// What one node did with one message of the traced exchange.
struct TraceHop {
  std::string node;        // client-web, l4-a-0, l7-b-1, api-a-0
  std::string tier;        // client, l4, l7, backend
  int layer = 0;           // the highest OSI layer this hop read: 4 (an L4 node) or 7
  std::string message;     // SYN, SYN-ACK, ClientHello, request, response, ...
  double arrived = 0;      // simulated seconds
  double started = 0;      // when the node started on it (arrived + queueing)
  double left = 0;         // when it sent it on
  double tls_s = 0;        // of left - started: TLS handshake CPU
  double processing_s = 0; // of left - started: parsing, routing, service
  std::vector<std::string> read;  // the header fields it based its decision on
  bool has_headers = false;       // the wire headers below are meaningful (L2-L4)
  l4::PacketHeader in, out;       // as received, and as sent on
  l4::FieldChanges rewrote;       // what changed between them
  std::vector<text::Note> notes;  // the decision and why: picker, rule trace, sticky, TLS
};

struct Trace {
  std::uint64_t request = 0;  // the client's request number (1 = its first)
  std::string client;
  std::string method, host, path, query;
  // What the request carried besides (the balancer's own cookies come later, from the jar).
  std::vector<std::pair<std::string, std::string>> headers, cookies;
  std::vector<TraceHop> hops;  // in time order
  double sent_at = 0, answered_at = 0;
  int status = -1;             // HTTP status, or 0 reset / 1 timeout (as results/metrics.hpp)
  bool complete = false;       // the client got an outcome

  // Recording state: the headers of the message now on the wire, and the client-side
  // headers of connections a proxy terminated (for its reply).
  l4::PacketHeader wire;
  std::vector<l4::PacketHeader> terminated;
};

}  // namespace lbsim::results
