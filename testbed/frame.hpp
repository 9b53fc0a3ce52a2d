// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Real Ethernet II / IPv4 / TCP-or-UDP frames, as the testbed's forwarder and switch
// read them off an AF_PACKET socket: parsed into core's PacketHeader (the fields a
// balancer decides by and rewrites), and written back after core's rewrite with the IPv4
// and transport checksums updated incrementally (RFC 1624): a rewrite touches a few
// words, so the forwarder never re-sums a payload.
//
// Anything that is not a well-formed IPv4 TCP/UDP frame is refused with the reason
// (counted by the caller), never read past its end: these bytes come off a wire.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "l4/packet.hpp"

namespace lbsim::testbed {

inline constexpr std::size_t kEthernetHeaderBytes = 14;
inline constexpr std::uint16_t kEtherTypeIpv4 = 0x0800;
inline constexpr std::uint16_t kEtherTypeArp = 0x0806;

// TCP flags a forwarder acts on.
inline constexpr std::uint8_t kTcpFin = 0x01;
inline constexpr std::uint8_t kTcpSyn = 0x02;
inline constexpr std::uint8_t kTcpRst = 0x04;
inline constexpr std::uint8_t kTcpAck = 0x10;

enum class FrameError : std::uint8_t {
  none,
  too_short,      // shorter than the headers it announces
  not_ipv4,       // another EtherType (ARP, IPv6): not for a balancer's data path
  bad_ip_header,  // version not 4, header length under 20, total length out of the frame
  fragment,       // a fragment: its ports are in the first one only
  not_tcp_or_udp,
  bad_tcp_header,  // data offset under 20 or past the packet
};
std::string_view to_string(FrameError error);

struct Frame {
  std::span<std::uint8_t> bytes;  // the whole frame, Ethernet header first
  std::size_t ip_offset = kEthernetHeaderBytes;
  std::size_t transport_offset = 0;
  std::size_t ip_total_length = 0;  // the IPv4 packet's own length (the frame may be padded)
  std::uint8_t tcp_flags = 0;       // 0 for UDP
  l4::PacketHeader header;

  bool is_tcp() const { return header.protocol == l4::Protocol::tcp; }
  bool has(std::uint8_t flag) const { return (tcp_flags & flag) != 0; }
  // Bytes of transport payload (HTTP, TLS records) the packet carries.
  std::size_t payload_bytes() const;
};

// The frame's MAC addresses and EtherType, for a switch that reads no further.
struct EthernetView {
  l4::MacAddress dst{};
  l4::MacAddress src{};
  std::uint16_t ether_type = 0;
};
bool read_ethernet(std::span<const std::uint8_t> bytes, EthernetView& out);

// Parses the frame; on refusal returns the reason and leaves `out` unspecified.
FrameError parse_frame(std::span<std::uint8_t> bytes, Frame& out);

// Writes `rewritten` (core's rewrite of frame.header) into the frame's bytes: MACs,
// addresses, ports, with both checksums adjusted for exactly the words that changed.
// A UDP checksum of 0 (none) stays 0. frame.header becomes `rewritten`.
void write_header(Frame& frame, const l4::PacketHeader& rewritten);

// Big-endian (network order) loads and stores, for building and reading frames.
std::uint16_t load16(const std::uint8_t* p);
std::uint32_t load32(const std::uint8_t* p);
void store16(std::uint8_t* p, std::uint16_t value);
void store32(std::uint8_t* p, std::uint32_t value);

// RFC 1071's one's-complement sum of `bytes` (odd length padded with zero), folded and
// complemented: what a checksum field holds. For tests and for building probe packets.
std::uint16_t internet_checksum(std::span<const std::uint8_t> bytes, std::uint32_t initial_sum = 0);
// The TCP/UDP checksum of a parsed frame's transport segment with its pseudo-header,
// computed from scratch (what write_header's incremental update must agree with).
std::uint16_t transport_checksum(const Frame& frame);

}  // namespace lbsim::testbed
