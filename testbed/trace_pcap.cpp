// SPDX-License-Identifier: GPL-3.0-or-later
#include "testbed/trace_pcap.hpp"

#include <algorithm>
#include <unordered_map>

#include "testbed/frame.hpp"
#include "testbed/pcap_file.hpp"

namespace lbsim::testbed {

std::uint8_t tcp_flags_of(std::string_view message) {
  // "SYN-ACK (to the L7 node)", "SYN (new connection to the backend)": by their prefix.
  if (message.starts_with("SYN-ACK")) return kTcpSyn | kTcpAck;
  if (message.starts_with("SYN")) return kTcpSyn;
  return kTcpAck | 0x08;  // data: PSH-ACK
}

std::vector<std::uint8_t> build_frame(const l4::PacketHeader& header, std::uint8_t flags, std::uint32_t sequence, std::uint32_t acknowledged,
                                      std::string_view payload) {
  const bool tcp = header.protocol == l4::Protocol::tcp;
  const std::size_t transport = tcp ? 20 : 8;
  std::vector<std::uint8_t> bytes(kEthernetHeaderBytes + 20 + transport + payload.size(), 0);
  std::uint8_t* eth = bytes.data();
  for (std::size_t i = 0; i < 6; ++i) {
    eth[i] = header.dst_mac[i];
    eth[6 + i] = header.src_mac[i];
  }
  store16(eth + 12, kEtherTypeIpv4);
  std::uint8_t* ip = eth + kEthernetHeaderBytes;
  ip[0] = 0x45;
  store16(ip + 2, static_cast<std::uint16_t>(20 + transport + payload.size()));
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
    store32(l4 + 4, sequence);
    store32(l4 + 8, (flags & kTcpAck) != 0 ? acknowledged : 0);
    l4[12] = 5 << 4;
    l4[13] = flags;
    store16(l4 + 14, 65535);
  } else {
    store16(l4 + 4, static_cast<std::uint16_t>(transport + payload.size()));
  }
  std::copy(payload.begin(), payload.end(), l4 + transport);
  Frame frame;
  if (parse_frame(bytes, frame) == FrameError::none) store16(l4 + (tcp ? 16 : 6), transport_checksum(frame));
  return bytes;
}

namespace {

// What a message carries, where the trace can say: a plain-HTTP request and its response
// (over TLS they are ciphertext, and the handshake's flights are not the trace's to
// invent, so those frames hold headers only).
std::string payload_of(const results::Trace& trace, std::string_view message, bool tls) {
  if (tls) return {};
  if (message == "request")
    return trace.method + " " + trace.path + " HTTP/1.1\r\nHost: " + (trace.host.empty() ? "lbsim.test" : trace.host) + "\r\n\r\n";
  const std::string_view status = message.starts_with("response ") ? message.substr(9) : std::string_view{};
  const bool is_status = status.size() == 3 && std::all_of(status.begin(), status.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (is_status) return "HTTP/1.1 " + std::string(status) + " \r\nContent-Length: 0\r\n\r\n";  // a reset is no response
  return {};
}

// TCP's sequence numbers, per connection (its two ports: a DNAT rewrite changes an
// address, never a port) and direction, relative as Wireshark shows them: a SYN is
// sequence 0 and takes one; data takes its length. Every copy of one message (as a node
// received it, as it sent it on) carries the same numbers.
class Sequences {
public:
  struct Numbers {
    std::uint32_t sequence = 0, acknowledged = 0;
  };
  Numbers next(const l4::PacketHeader& h, std::string_view message, std::uint8_t flags, std::size_t payload) {
    const auto low = std::min(h.src_port, h.dst_port), high = std::max(h.src_port, h.dst_port);
    Connection& c = connections_[(std::uint32_t{low} << 16) | high];
    if (!c.seen) {
      c.seen = true;
      c.initiator_port = h.src_port;
    }
    const int from = h.src_port == c.initiator_port ? 0 : 1;
    if (message == last_message_ && from == last_from_ && &c == last_connection_) return last_;
    last_message_ = std::string(message);
    last_from_ = from;
    last_connection_ = &c;
    last_ = {c.next[from], c.next[1 - from]};
    c.next[from] += static_cast<std::uint32_t>(payload) + ((flags & kTcpSyn) != 0 ? 1 : 0);
    return last_;
  }

private:
  struct Connection {
    bool seen = false;
    std::uint16_t initiator_port = 0;
    std::uint32_t next[2] = {0, 0};
  };
  std::unordered_map<std::uint32_t, Connection> connections_;
  std::string last_message_;
  int last_from_ = -1;
  const Connection* last_connection_ = nullptr;
  Numbers last_;
};

}  // namespace

std::size_t write_trace_pcap(const results::Trace& trace, const std::string& path) {
  PcapFile file(path);
  bool tls = false;
  for (const auto& hop : trace.hops) tls = tls || hop.message == "ClientHello";
  Sequences sequences;
  std::size_t frames = 0;
  l4::PacketHeader last;
  const auto write = [&](const l4::PacketHeader& header, const std::string& message, double at) {
    if (header.src_ip == 0 || header.dst_ip == 0) return;  // a hop with no wire of its own
    // A frame one node sent and the next received unchanged is one frame on the wire.
    // (Headers alone decide: a node answering in the kernel, such as a backend's
    // SYN-ACK, is labelled with its answer but holds the SYN it received.)
    if (header == last) return;
    last = header;
    const std::uint8_t flags = tcp_flags_of(message);
    const std::string payload = payload_of(trace, message, tls);
    const auto numbers = sequences.next(header, message, flags, payload.size());
    const std::vector<std::uint8_t> bytes = build_frame(header, flags, numbers.sequence, numbers.acknowledged, payload);
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
