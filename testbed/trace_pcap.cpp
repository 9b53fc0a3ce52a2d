// SPDX-License-Identifier: GPL-3.0-or-later
#include "testbed/trace_pcap.hpp"

#include "testbed/frame.hpp"
#include "testbed/pcap_file.hpp"

namespace lbsim::testbed {

std::uint8_t tcp_flags_of(std::string_view message) {
  if (message == "SYN") return kTcpSyn;
  if (message == "SYN-ACK") return kTcpSyn | kTcpAck;
  return kTcpAck | 0x08;  // data: PSH-ACK
}

std::vector<std::uint8_t> build_frame(const l4::PacketHeader& header, std::uint8_t flags) {
  const bool tcp = header.protocol == l4::Protocol::tcp;
  const std::size_t transport = tcp ? 20 : 8;
  std::vector<std::uint8_t> bytes(kEthernetHeaderBytes + 20 + transport, 0);
  std::uint8_t* eth = bytes.data();
  for (std::size_t i = 0; i < 6; ++i) {
    eth[i] = header.dst_mac[i];
    eth[6 + i] = header.src_mac[i];
  }
  store16(eth + 12, kEtherTypeIpv4);
  std::uint8_t* ip = eth + kEthernetHeaderBytes;
  ip[0] = 0x45;
  store16(ip + 2, static_cast<std::uint16_t>(20 + transport));
  store16(ip + 6, 0x4000);  // don't fragment
  ip[8] = 64;
  ip[9] = tcp ? 6 : 17;
  store32(ip + 12, header.src_ip);
  store32(ip + 16, header.dst_ip);
  store16(ip + 10, internet_checksum(std::span<const std::uint8_t>(ip, 20)));
  std::uint8_t* l4 = ip + 20;
  store16(l4, header.src_port);
  store16(l4 + 2, header.dst_port);
  if (tcp) {
    // A SYN starts at sequence 0; everything after it at 1 (relative numbers, as Wireshark shows).
    const bool syn = (flags & kTcpSyn) != 0;
    store32(l4 + 4, syn ? 0 : 1);
    store32(l4 + 8, (flags & kTcpAck) != 0 ? 1 : 0);
    l4[12] = 5 << 4;
    l4[13] = flags;
    store16(l4 + 14, 65535);
  } else {
    store16(l4 + 4, static_cast<std::uint16_t>(transport));
  }
  Frame frame;
  if (parse_frame(bytes, frame) == FrameError::none) store16(l4 + (tcp ? 16 : 6), transport_checksum(frame));
  return bytes;
}

std::size_t write_trace_pcap(const results::Trace& trace, const std::string& path) {
  PcapFile file(path);
  std::size_t frames = 0;
  l4::PacketHeader last;
  std::string last_message;
  const auto write = [&](const l4::PacketHeader& header, const std::string& message, double at) {
    if (header.src_ip == 0 || header.dst_ip == 0) return;  // a hop with no wire of its own
    // A message one node sent and the next received unchanged is one frame on the wire.
    if (header == last && message == last_message) return;
    last = header;
    last_message = message;
    const std::vector<std::uint8_t> bytes = build_frame(header, tcp_flags_of(message));
    file.write(bytes.data(), bytes.size(), at);
    ++frames;
  };
  for (const results::TraceHop& hop : trace.hops) {
    if (!hop.has_headers) continue;
    write(hop.in, hop.message, hop.arrived);
    if (!hop.rewrote.empty()) write(hop.out, hop.message, hop.left);
  }
  return frames;
}

}  // namespace lbsim::testbed
