// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Recording a traced request's hops (engine/trace.hpp). Every call site checks
// `request->trace` first, so an untraced request pays one null test per hop.
// The addresses come from topology/addresses.hpp, shared with the testbed.
#include <string>

#include "results/trace.hpp"
#include "models/request.hpp"
#include "topology/addresses.hpp"

namespace lbsim::models {

inline constexpr std::uint32_t kTraceVip = topology::kVirtualIp;
using topology::mac_of;
using topology::node_address;

// What the message now on the wire is, for the trace: a handshake flight or the request.
// English, which the testbed matches packets against; text::wire_message says it in Korean.
inline std::string message_name(const Request& r, bool reply) {
  if (r.upstream_syn) return reply ? "SYN-ACK (to the L7 node)" : "SYN (new connection to the backend)";
  if (r.in_handshake()) {
    switch (r.flight) {
      case 0: return reply ? "SYN-ACK" : "SYN";
      case 1: return reply ? "ServerHello..Finished" : "ClientHello";
      default: return "Finished";
    }
  }
  if (r.is_probe) return reply ? "health check answer" : "health check";
  return reply ? "response " + std::to_string(r.status) : "request";
}

inline results::TraceHop& add_hop(Request* r, const topology::Node& node, int layer, bool reply, double arrived) {
  results::TraceHop hop;
  hop.node = node.name;
  hop.tier = std::string(topology::to_string(node.kind));
  hop.layer = layer;
  hop.message = message_name(*r, reply);
  hop.arrived = hop.started = hop.left = arrived;
  r->trace->hops.push_back(std::move(hop));
  return r->trace->hops.back();
}

// The reply to a message travels the other way: addresses and ports swap.
inline l4::PacketHeader reversed(const l4::PacketHeader& h) {
  l4::PacketHeader r = h;
  std::swap(r.src_ip, r.dst_ip);
  std::swap(r.src_port, r.dst_port);
  std::swap(r.src_mac, r.dst_mac);
  return r;
}

// The answer to a packet as it arrived: addresses and ports swapped. A packet still
// addressed to the VIP came by DSR: its answer goes straight to the client (one L2
// segment in this picture), not back to the balancer whose MAC it arrived from.
inline l4::PacketHeader answer_to(const l4::PacketHeader& arrived) {
  l4::PacketHeader answer = reversed(arrived);
  if (arrived.dst_ip == kTraceVip) answer.dst_mac = mac_of(arrived.src_ip);
  return answer;
}

inline l4::FieldChanges changed_fields(const l4::PacketHeader& a, const l4::PacketHeader& b) {
  l4::FieldChanges c;
  if (a.src_mac != b.src_mac) c.add(l4::Field::src_mac);
  if (a.dst_mac != b.dst_mac) c.add(l4::Field::dst_mac);
  if (a.src_ip != b.src_ip) c.add(l4::Field::src_ip);
  if (a.dst_ip != b.dst_ip) c.add(l4::Field::dst_ip);
  if (a.src_port != b.src_port) c.add(l4::Field::src_port);
  if (a.dst_port != b.dst_port) c.add(l4::Field::dst_port);
  return c;
}

// A node that forwards a packet (`in` received, `out` sent on) rewrote what differs.
inline void set_headers(results::TraceHop& hop, const l4::PacketHeader& in, const l4::PacketHeader& out) {
  hop.has_headers = true;
  hop.in = in;
  hop.out = out;
  hop.rewrote = changed_fields(in, out);
}

// A node that answers (or speaks on another connection) sends a packet of its own: it
// rewrote nothing, whatever the two headers say.
inline void set_answer_headers(results::TraceHop& hop, const l4::PacketHeader& in, const l4::PacketHeader& out) {
  hop.has_headers = true;
  hop.in = in;
  hop.out = out;
  hop.rewrote = {};
}

}  // namespace lbsim::models
