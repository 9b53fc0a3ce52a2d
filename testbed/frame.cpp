// SPDX-License-Identifier: GPL-3.0-or-later
#include "testbed/frame.hpp"

#include <cstring>

namespace lbsim::testbed {
namespace {

// RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'), in one's-complement arithmetic, for one
// 16-bit word m that became m'.
std::uint16_t adjust(std::uint16_t checksum, std::uint16_t old_word, std::uint16_t new_word) {
  std::uint32_t sum = static_cast<std::uint16_t>(~checksum) + static_cast<std::uint32_t>(static_cast<std::uint16_t>(~old_word)) + new_word;
  sum = (sum & 0xffff) + (sum >> 16);
  sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum);
}
std::uint16_t adjust32(std::uint16_t checksum, std::uint32_t old_value, std::uint32_t new_value) {
  checksum = adjust(checksum, static_cast<std::uint16_t>(old_value >> 16), static_cast<std::uint16_t>(new_value >> 16));
  return adjust(checksum, static_cast<std::uint16_t>(old_value), static_cast<std::uint16_t>(new_value));
}

std::uint32_t sum_words(std::span<const std::uint8_t> bytes, std::uint32_t sum) {
  std::size_t i = 0;
  for (; i + 1 < bytes.size(); i += 2) sum += load16(bytes.data() + i);
  if (i < bytes.size()) sum += static_cast<std::uint32_t>(bytes[i]) << 8;
  return sum;
}

std::uint16_t fold(std::uint32_t sum) {
  while ((sum >> 16) != 0) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum);
}

std::size_t checksum_offset(const Frame& frame) { return frame.transport_offset + (frame.is_tcp() ? 16 : 6); }

}  // namespace

std::uint16_t load16(const std::uint8_t* p) { return static_cast<std::uint16_t>((p[0] << 8) | p[1]); }
std::uint32_t load32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}
void store16(std::uint8_t* p, std::uint16_t v) {
  p[0] = static_cast<std::uint8_t>(v >> 8);
  p[1] = static_cast<std::uint8_t>(v);
}
void store32(std::uint8_t* p, std::uint32_t v) {
  store16(p, static_cast<std::uint16_t>(v >> 16));
  store16(p + 2, static_cast<std::uint16_t>(v));
}

std::string_view to_string(FrameError error) {
  switch (error) {
    case FrameError::none: return "none";
    case FrameError::too_short: return "too short";
    case FrameError::not_ipv4: return "not IPv4";
    case FrameError::bad_ip_header: return "bad IPv4 header";
    case FrameError::fragment: return "IP fragment";
    case FrameError::not_tcp_or_udp: return "neither TCP nor UDP";
    case FrameError::bad_tcp_header: return "bad TCP header";
  }
  return "?";
}

std::size_t Frame::payload_bytes() const {
  const std::size_t header_bytes =
      is_tcp() ? static_cast<std::size_t>((bytes[transport_offset + 12] >> 4) * 4) : std::size_t{8};
  return ip_offset + ip_total_length - transport_offset - header_bytes;
}

bool read_ethernet(std::span<const std::uint8_t> bytes, EthernetView& out) {
  if (bytes.size() < kEthernetHeaderBytes) return false;
  std::memcpy(out.dst.data(), bytes.data(), 6);
  std::memcpy(out.src.data(), bytes.data() + 6, 6);
  out.ether_type = load16(bytes.data() + 12);
  return true;
}

FrameError parse_frame(std::span<std::uint8_t> bytes, Frame& out) {
  EthernetView ethernet;
  if (!read_ethernet(bytes, ethernet)) return FrameError::too_short;
  if (ethernet.ether_type != kEtherTypeIpv4) return FrameError::not_ipv4;
  out.bytes = bytes;
  out.ip_offset = kEthernetHeaderBytes;
  if (bytes.size() < out.ip_offset + 20) return FrameError::too_short;
  const std::uint8_t* ip = bytes.data() + out.ip_offset;
  const std::size_t ip_header = static_cast<std::size_t>(ip[0] & 0x0f) * 4;
  out.ip_total_length = load16(ip + 2);
  if ((ip[0] >> 4) != 4 || ip_header < 20 || out.ip_total_length < ip_header || out.ip_offset + out.ip_total_length > bytes.size())
    return FrameError::bad_ip_header;
  // More fragments, or a fragment offset: only a whole datagram carries both ports.
  if ((load16(ip + 6) & 0x3fff) != 0) return FrameError::fragment;
  const std::uint8_t protocol = ip[9];
  if (protocol != 6 && protocol != 17) return FrameError::not_tcp_or_udp;
  out.transport_offset = out.ip_offset + ip_header;
  const std::size_t transport_bytes = out.ip_total_length - ip_header;
  const std::uint8_t* transport = bytes.data() + out.transport_offset;
  if (protocol == 6) {
    if (transport_bytes < 20) return FrameError::bad_tcp_header;
    const std::size_t data_offset = static_cast<std::size_t>(transport[12] >> 4) * 4;
    if (data_offset < 20 || data_offset > transport_bytes) return FrameError::bad_tcp_header;
    out.tcp_flags = transport[13];
  } else {
    if (transport_bytes < 8) return FrameError::too_short;
    out.tcp_flags = 0;
  }
  l4::PacketHeader& h = out.header;
  h.dst_mac = ethernet.dst;
  h.src_mac = ethernet.src;
  h.src_ip = load32(ip + 12);
  h.dst_ip = load32(ip + 16);
  h.protocol = protocol == 6 ? l4::Protocol::tcp : l4::Protocol::udp;
  h.src_port = load16(transport);
  h.dst_port = load16(transport + 2);
  return FrameError::none;
}

void write_header(Frame& frame, const l4::PacketHeader& rewritten) {
  std::uint8_t* b = frame.bytes.data();
  const l4::PacketHeader& was = frame.header;
  std::memcpy(b, rewritten.dst_mac.data(), 6);
  std::memcpy(b + 6, rewritten.src_mac.data(), 6);
  std::uint8_t* ip = b + frame.ip_offset;
  std::uint8_t* transport = b + frame.transport_offset;
  std::uint8_t* transport_checksum_field = b + checksum_offset(frame);
  std::uint16_t ip_sum = load16(ip + 10);
  std::uint16_t l4_sum = load16(transport_checksum_field);
  // UDP over IPv4 may carry no checksum (0); one that became 0 is sent as 0xffff.
  const bool has_l4_sum = frame.is_tcp() || l4_sum != 0;
  if (rewritten.src_ip != was.src_ip) {
    ip_sum = adjust32(ip_sum, was.src_ip, rewritten.src_ip);
    l4_sum = adjust32(l4_sum, was.src_ip, rewritten.src_ip);  // the pseudo-header holds both addresses
    store32(ip + 12, rewritten.src_ip);
  }
  if (rewritten.dst_ip != was.dst_ip) {
    ip_sum = adjust32(ip_sum, was.dst_ip, rewritten.dst_ip);
    l4_sum = adjust32(l4_sum, was.dst_ip, rewritten.dst_ip);
    store32(ip + 16, rewritten.dst_ip);
  }
  if (rewritten.src_port != was.src_port) {
    l4_sum = adjust(l4_sum, was.src_port, rewritten.src_port);
    store16(transport, rewritten.src_port);
  }
  if (rewritten.dst_port != was.dst_port) {
    l4_sum = adjust(l4_sum, was.dst_port, rewritten.dst_port);
    store16(transport + 2, rewritten.dst_port);
  }
  store16(ip + 10, ip_sum);
  if (has_l4_sum) store16(transport_checksum_field, (!frame.is_tcp() && l4_sum == 0) ? 0xffff : l4_sum);
  frame.header = rewritten;
}

std::uint16_t internet_checksum(std::span<const std::uint8_t> bytes, std::uint32_t initial_sum) {
  return fold(sum_words(bytes, initial_sum));
}

std::uint16_t transport_checksum(const Frame& frame) {
  const std::size_t ip_header = frame.transport_offset - frame.ip_offset;
  const std::size_t length = frame.ip_total_length - ip_header;
  std::uint32_t sum = (frame.header.src_ip >> 16) + (frame.header.src_ip & 0xffff) + (frame.header.dst_ip >> 16) +
                      (frame.header.dst_ip & 0xffff) + static_cast<std::uint32_t>(frame.header.protocol) +
                      static_cast<std::uint32_t>(length);
  // The checksum field itself counts as zero.
  const std::size_t field = checksum_offset(frame) - frame.transport_offset;
  std::span<const std::uint8_t> segment(frame.bytes.data() + frame.transport_offset, length);
  sum = sum_words(segment.subspan(0, field), sum);
  sum = sum_words(segment.subspan(field + 2), sum);
  return fold(sum);
}

}  // namespace lbsim::testbed
