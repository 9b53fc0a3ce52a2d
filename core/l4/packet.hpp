// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The headers a balancer reads and rewrites, one OSI layer at a time:
//   L2 Ethernet  source / destination MAC   (meaningful on one link only)
//   L3 IPv4      source / destination address
//   L4 TCP/UDP   protocol, source / destination port
// Each forwarding mode below is a rewrite of some of these fields, and returns which
// ones it changed, so a trace can show "DNAT: dst_ip, dst_port" next to "DSR: dst_mac".
//
// The NAT modes leave the MACs alone: every routed hop rewrites L2 anyway (a router
// puts its own MAC as source and the next hop's as destination), so L2 is not part of
// the NAT decision. DSR is the mode where the balancer forwards at L2 and rewrites
// nothing above it.
#include <array>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "l4/flow.hpp"

namespace lbsim::l4 {

using MacAddress = std::array<std::uint8_t, 6>;

struct PacketHeader {
  MacAddress src_mac{};  // L2
  MacAddress dst_mac{};
  std::uint32_t src_ip = 0;  // L3, host byte order like FlowKey
  std::uint32_t dst_ip = 0;
  Protocol protocol = Protocol::tcp;  // L4
  std::uint16_t src_port = 0;
  std::uint16_t dst_port = 0;
  friend bool operator==(const PacketHeader&, const PacketHeader&) = default;
};

enum class Field : std::uint8_t { src_mac, dst_mac, src_ip, dst_ip, protocol, src_port, dst_port };
inline constexpr std::size_t kFieldCount = 7;

std::string_view to_string(Field field);  // "dst_ip"
int osi_layer(Field field);               // 2, 3 or 4

// The set of fields one rewrite changed. A field is listed only when its value really
// changed: DNAT to a backend that listens on the VIP's own port changes dst_ip alone.
class FieldChanges {
public:
  constexpr FieldChanges() = default;
  constexpr FieldChanges(std::initializer_list<Field> fields) {
    for (Field field : fields) add(field);
  }

  constexpr void add(Field field) { bits_ |= bit(field); }
  constexpr bool contains(Field field) const { return (bits_ & bit(field)) != 0; }
  constexpr bool empty() const { return bits_ == 0; }
  std::size_t size() const;
  bool touches_layer(int layer) const;
  // Union: what a chain of rewrites changed (a full proxy does DNAT then SNAT).
  constexpr FieldChanges operator|(FieldChanges other) const { return FieldChanges(bits_ | other.bits_); }
  friend bool operator==(FieldChanges, FieldChanges) = default;

private:
  constexpr explicit FieldChanges(std::uint8_t bits) : bits_(bits) {}
  static constexpr std::uint8_t bit(Field field) { return static_cast<std::uint8_t>(1u << static_cast<unsigned>(field)); }
  std::uint8_t bits_ = 0;
};

// "dst_ip, dst_port" in Field order, or "none".
std::string to_string(FieldChanges changes);

// DNAT (NLB with client-IP preservation, LVS-NAT): the destination VIP:port becomes the
// backend's. The client address survives, so the backend sees who called; in exchange
// the reply must come back through the balancer to be un-NATed (the balancer keeps the
// reverse mapping in its connection table).
FieldChanges apply_dnat(PacketHeader& header, std::uint32_t backend_ip, std::uint16_t backend_port);
// The backend's reply, passing back through the balancer: its source becomes the VIP
// again, or the client would drop a packet from an address it never called.
FieldChanges dnat_reply(PacketHeader& reply, std::uint32_t vip, std::uint16_t vip_port);

// SNAT: the source becomes the balancer's own address and a port it allocated. An L7
// proxy always does this (it opens its own connection to the backend), an NLB does it
// when client-IP preservation is off. Combined with DNAT it is "full NAT": the backend
// sees only the balancer, and replies return to it by ordinary routing.
FieldChanges apply_snat(PacketHeader& header, std::uint32_t snat_ip, std::uint16_t snat_port);
// The reply arrives addressed to the balancer's SNAT address: its destination becomes
// the client's original address and port again.
FieldChanges snat_reply(PacketHeader& reply, std::uint32_t client_ip, std::uint16_t client_port);

// Forwarding a frame one hop at layer 2: from this node's MAC to the next one's. Every
// forwarder does it (a router, a DNAT balancer); DSR does nothing else.
FieldChanges forward_frame(PacketHeader& header, const MacAddress& from, const MacAddress& to);

// DSR (direct server return, LVS-DR, Maglev): the balancer changes only the Ethernet
// frame: it sends the packet, untouched at L3 and L4, to the backend's MAC from its
// own. The backend holds the VIP on a loopback interface, so it accepts a packet
// addressed to the VIP and answers from the VIP itself.
FieldChanges apply_dsr(PacketHeader& header, const MacAddress& lb_mac, const MacAddress& backend_mac);
// The backend's reply already reads VIP -> client and goes to the client by ordinary
// routing: it never crosses the balancer, which therefore has nothing to rewrite (and
// never sees response bytes: why DSR scales for large downloads). Always empty.
FieldChanges dsr_reply(const PacketHeader& reply);

FlowKey flow_of(const PacketHeader& header);

// "02:00:00:00:00:0a"
std::string format_mac(const MacAddress& mac);
// "L2 02:00:00:00:00:01 > 02:00:00:00:00:0a | L3 198.18.0.7 > 203.0.113.10 | L4 tcp 49152 > 443"
std::string to_string(const PacketHeader& header);

}  // namespace lbsim::l4
