// SPDX-License-Identifier: GPL-3.0-or-later
#include "l4/packet.hpp"

#include <cstdio>

namespace lbsim::l4 {
namespace {

constexpr std::array<Field, kFieldCount> kAllFields{Field::src_mac,  Field::dst_mac,  Field::src_ip,  Field::dst_ip,
                                                    Field::protocol, Field::src_port, Field::dst_port};

// Writes `value` and records the field only if it differs: the returned changes
// then say what a reader of the packet would actually see change.
template <typename T>
void rewrite(T& slot, const T& value, Field field, FieldChanges& changes) {
  if (slot == value) return;
  slot = value;
  changes.add(field);
}

std::string_view protocol_name(Protocol protocol) {
  switch (protocol) {
    case Protocol::tcp: return "tcp";
    case Protocol::udp: return "udp";
  }
  return "?";
}

}  // namespace

std::string_view to_string(Field field) {
  switch (field) {
    case Field::src_mac: return "src_mac";
    case Field::dst_mac: return "dst_mac";
    case Field::src_ip: return "src_ip";
    case Field::dst_ip: return "dst_ip";
    case Field::protocol: return "protocol";
    case Field::src_port: return "src_port";
    case Field::dst_port: return "dst_port";
  }
  return "?";
}

int osi_layer(Field field) {
  switch (field) {
    case Field::src_mac:
    case Field::dst_mac: return 2;
    case Field::src_ip:
    case Field::dst_ip: return 3;
    case Field::protocol:  // the IP header carries it, but it names the L4 protocol
    case Field::src_port:
    case Field::dst_port: return 4;
  }
  return 0;
}

std::size_t FieldChanges::size() const {
  std::size_t n = 0;
  for (Field field : kAllFields) n += contains(field) ? 1 : 0;
  return n;
}

bool FieldChanges::touches_layer(int layer) const {
  for (Field field : kAllFields) {
    if (contains(field) && osi_layer(field) == layer) return true;
  }
  return false;
}

std::string to_string(FieldChanges changes) {
  if (changes.empty()) return "none";
  std::string text;
  for (Field field : kAllFields) {
    if (!changes.contains(field)) continue;
    if (!text.empty()) text += ", ";
    text += to_string(field);
  }
  return text;
}

namespace {

// Every NAT rewrite is one of these two: DNAT and an SNAT reply change where a packet
// goes, SNAT and a DNAT reply change where it claims to come from.
FieldChanges rewrite_destination(PacketHeader& header, std::uint32_t ip, std::uint16_t port) {
  FieldChanges changes;
  rewrite(header.dst_ip, ip, Field::dst_ip, changes);
  rewrite(header.dst_port, port, Field::dst_port, changes);
  return changes;
}

FieldChanges rewrite_source(PacketHeader& header, std::uint32_t ip, std::uint16_t port) {
  FieldChanges changes;
  rewrite(header.src_ip, ip, Field::src_ip, changes);
  rewrite(header.src_port, port, Field::src_port, changes);
  return changes;
}

}  // namespace

FieldChanges apply_dnat(PacketHeader& header, std::uint32_t backend_ip, std::uint16_t backend_port) {
  return rewrite_destination(header, backend_ip, backend_port);
}

FieldChanges dnat_reply(PacketHeader& reply, std::uint32_t vip, std::uint16_t vip_port) {
  return rewrite_source(reply, vip, vip_port);
}

FieldChanges apply_snat(PacketHeader& header, std::uint32_t snat_ip, std::uint16_t snat_port) {
  return rewrite_source(header, snat_ip, snat_port);
}

FieldChanges snat_reply(PacketHeader& reply, std::uint32_t client_ip, std::uint16_t client_port) {
  return rewrite_destination(reply, client_ip, client_port);
}

FieldChanges forward_frame(PacketHeader& header, const MacAddress& from, const MacAddress& to) {
  FieldChanges changes;
  rewrite(header.src_mac, from, Field::src_mac, changes);
  rewrite(header.dst_mac, to, Field::dst_mac, changes);
  return changes;
}

FieldChanges apply_dsr(PacketHeader& header, const MacAddress& lb_mac, const MacAddress& backend_mac) {
  return forward_frame(header, lb_mac, backend_mac);
}

FieldChanges dsr_reply(const PacketHeader& /*reply*/) { return {}; }

FlowKey flow_of(const PacketHeader& header) {
  return {header.src_ip, header.dst_ip, header.src_port, header.dst_port, header.protocol};
}

std::string format_mac(const MacAddress& mac) {
  char buffer[18];
  std::snprintf(buffer, sizeof buffer, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
  return buffer;
}

std::string to_string(const PacketHeader& header) {
  char src_ip[16];
  char dst_ip[16];
  std::string text = "L2 " + format_mac(header.src_mac) + " > " + format_mac(header.dst_mac);
  text += " | L3 ";
  text += format_ipv4(header.src_ip, src_ip);
  text += " > ";
  text += format_ipv4(header.dst_ip, dst_ip);
  text += " | L4 ";
  text += protocol_name(header.protocol);
  text += ' ' + std::to_string(header.src_port) + " > " + std::to_string(header.dst_port);
  return text;
}

}  // namespace lbsim::l4
