// SPDX-License-Identifier: GPL-3.0-or-later
#include "reports/capture.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <pcap/pcap.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <map>
#include <memory>
#include <string_view>

#include "reports/trace.hpp"

namespace lbsim::reports {
namespace {

using Payload = CapturedFrame::Payload;
using json = nlohmann::ordered_json;

constexpr std::size_t kEthernetBytes = 14;
constexpr std::uint16_t kVlan = 0x8100, kIpv4 = 0x0800, kArp = 0x0806, kIpv6 = 0x86dd;
constexpr std::size_t kMaxHttpLines = 40;    // of one message's head, shown
constexpr std::size_t kMaxShownChars = 200;  // of one header line
constexpr std::size_t kPairWindow = 256;     // frames back a rewrite's original may be

// Bounds-checked big-endian reads: a frame is whatever was on the wire.
class Bytes {
public:
  explicit Bytes(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}
  bool has(std::size_t offset, std::size_t count) const { return offset <= bytes_.size() && count <= bytes_.size() - offset; }
  std::uint8_t u8(std::size_t at) const { return bytes_[at]; }
  std::uint16_t u16(std::size_t at) const { return static_cast<std::uint16_t>(bytes_[at] << 8 | bytes_[at + 1]); }
  std::uint32_t u24(std::size_t at) const { return std::uint32_t{bytes_[at]} << 16 | std::uint32_t{u16(at + 1)}; }
  std::uint32_t u32(std::size_t at) const { return std::uint32_t{u16(at)} << 16 | u16(at + 2); }
  std::size_t size() const { return bytes_.size(); }
  std::span<const std::uint8_t> from(std::size_t at) const { return bytes_.subspan(std::min(at, bytes_.size())); }
  std::string_view text(std::size_t at, std::size_t count) const {
    return {reinterpret_cast<const char*>(bytes_.data()) + at, count};
  }

private:
  std::span<const std::uint8_t> bytes_;
};

void add(CapturedFrame& f, int layer, std::string name, std::string value) {
  f.fields.push_back({layer, std::move(name), std::move(value), {}});
  f.top_layer = std::max(f.top_layer, layer);
}

l4::MacAddress mac_at(const Bytes& b, std::size_t at) {
  l4::MacAddress mac{};
  for (std::size_t i = 0; i < mac.size(); ++i) mac[i] = b.u8(at + i);
  return mac;
}

std::string tcp_message(std::uint8_t flags) {
  constexpr std::uint8_t fin = 0x01, syn = 0x02, rst = 0x04, ack = 0x10;
  if ((flags & rst) != 0) return "RST";
  if ((flags & syn) != 0) return (flags & ack) != 0 ? "SYN-ACK" : "SYN";
  if ((flags & fin) != 0) return "FIN";
  return "ACK";
}

std::string tcp_flag_list(std::uint8_t flags) {
  static constexpr std::array<std::pair<std::uint8_t, const char*>, 6> kNames{
      {{0x02, "SYN"}, {0x10, "ACK"}, {0x08, "PSH"}, {0x01, "FIN"}, {0x04, "RST"}, {0x20, "URG"}}};
  std::string out;
  for (const auto& [bit, name] : kNames)
    if ((flags & bit) != 0) out += (out.empty() ? "" : ", ") + std::string(name);
  return out.empty() ? "none" : out;
}

// ---- TLS ---------------------------------------------------------------------------

const char* record_name(std::uint8_t type) {
  switch (type) {
    case 20: return "ChangeCipherSpec";
    case 21: return "Alert";
    case 22: return "Handshake";
    case 23: return "ApplicationData";
    case 24: return "Heartbeat";
    default: return "unknown";
  }
}

const char* handshake_name(std::uint8_t type) {
  switch (type) {
    case 1: return "ClientHello";
    case 2: return "ServerHello";
    case 4: return "NewSessionTicket";
    case 8: return "EncryptedExtensions";
    case 11: return "Certificate";
    case 12: return "ServerKeyExchange";
    case 13: return "CertificateRequest";
    case 14: return "ServerHelloDone";
    case 15: return "CertificateVerify";
    case 16: return "ClientKeyExchange";
    case 20: return "Finished";
    default: return "handshake message";
  }
}

std::string version_name(std::uint16_t version) {
  switch (version) {
    case 0x0301: return "TLS 1.0";
    case 0x0302: return "TLS 1.1";
    case 0x0303: return "TLS 1.2";
    case 0x0304: return "TLS 1.3";
    default: return fmt::format("0x{:04x}", version);
  }
}

bool starts_tls_record(const Bytes& p) { return p.has(0, 5) && p.u8(0) >= 20 && p.u8(0) <= 24 && p.u8(1) == 3 && p.u8(2) <= 4; }

// What a hello's extensions say: the server name, the versions, a session offered or taken.
struct HelloFacts {
  std::string sni;
  std::string version;
  bool psk = false;     // TLS 1.3 pre_shared_key: a session offered (ClientHello) or accepted (ServerHello)
  bool ticket = false;  // TLS 1.2 session_ticket with a ticket in it (ClientHello)
};

void read_extensions(const Bytes& b, std::size_t at, std::size_t end, bool client, HelloFacts& facts) {
  while (at + 4 <= end) {
    const std::uint16_t type = b.u16(at), length = b.u16(at + 2);
    const std::size_t data = at + 4;
    if (data + length > end) return;
    if (type == 0 && client && length >= 5) {  // server_name: list length, type 0 (host name), its length
      const std::uint16_t name_length = b.u16(data + 3);
      if (b.u8(data + 2) == 0 && data + 5 + name_length <= data + length) facts.sni = std::string(b.text(data + 5, name_length));
    } else if (type == 43) {  // supported_versions: the client's list, or the server's choice
      if (!client && length == 2) facts.version = version_name(b.u16(data));
      for (std::size_t v = data + 1; client && length >= 1 && v + 2 <= data + 1 + b.u8(data) && v + 2 <= data + length; v += 2)
        if (b.u16(v) == 0x0304) facts.version = "TLS 1.3 offered";
    } else if (type == 41) {
      facts.psk = true;
    } else if (type == 35 && client && length > 0) {
      facts.ticket = true;
    }
    at = data + length;
  }
}

// A hello's facts, when the whole message is in this segment (the usual case).
HelloFacts read_hello(const Bytes& b, std::size_t message, std::size_t end) {
  HelloFacts facts;
  const bool client = b.u8(message) == 1;
  std::size_t at = message + 4 + 2 + 32;  // type, length, legacy version, random
  if (!b.has(at, 1)) return facts;
  at += 1 + b.u8(at);  // session id
  if (client) {
    if (!b.has(at, 2)) return facts;
    at += 2 + b.u16(at);  // cipher suites
    if (!b.has(at, 1)) return facts;
    at += 1 + b.u8(at);  // compression methods
  } else {
    at += 2 + 1;  // the chosen suite and compression
  }
  if (!b.has(at, 2)) return facts;
  const std::size_t extensions_end = std::min<std::size_t>(end, at + 2 + b.u16(at));
  read_extensions(b, at + 2, extensions_end, client, facts);
  return facts;
}

void decode_tls(const Bytes& p, CapturedFrame& f) {
  std::vector<std::string> records;
  std::string first_handshake;
  std::uint16_t record_version = 0;
  std::size_t at = 0;
  while (p.has(at, 5) && starts_tls_record(Bytes(p.from(at)))) {
    const std::uint8_t type = p.u8(at);
    if (record_version == 0) record_version = p.u16(at + 1);
    const std::size_t length = p.u16(at + 3), body = at + 5;
    std::string name = record_name(type);
    if (type == 22 && p.has(body, 1)) {
      const std::uint8_t hs = p.u8(body);
      name += fmt::format(" ({})", handshake_name(hs));
      if (first_handshake.empty()) first_handshake = handshake_name(hs);
      if ((hs == 1 || hs == 2) && p.has(body, 4)) {
        const HelloFacts facts = read_hello(p, body, std::min(p.size(), body + length));
        if (!facts.sni.empty()) add(f, 6, "SNI", facts.sni);
        if (!facts.version.empty()) add(f, 6, hs == 1 ? "TLS versions" : "TLS version", facts.version);
        if (hs == 1 && (facts.psk || facts.ticket))
          f.notes.push_back(facts.psk ? "The client offers a session to resume (a TLS 1.3 pre-shared key from an earlier ticket)."
                                      : "The client offers a session ticket to resume (TLS 1.2).");
        if (hs == 2) f.notes.push_back(facts.psk ? "The server accepts the offered session: a resumed handshake, no certificate."
                                                 : "The server starts a full handshake.");
        if (hs == 1 && !facts.sni.empty())
          f.notes.push_back("The server name (SNI) travels in clear, before any encryption.");
      }
    }
    if (!p.has(body, length)) name += " (continues)";
    records.push_back(std::move(name));
    at = body + length;
  }
  std::string list;
  for (std::size_t i = 0; i < records.size(); ++i) list += (i == 0 ? "" : ", ") + records[i];
  add(f, 6, "TLS records", list);
  add(f, 6, "TLS record version", version_name(record_version));
  // The message is the handshake's, or else the kinds of record the segment carries.
  f.message = "TLS " + first_handshake;
  if (first_handshake.empty()) {
    std::vector<std::string> kinds;
    for (std::size_t i = 0; i < at && p.has(i, 5) && starts_tls_record(Bytes(p.from(i))); i += 5 + p.u16(i + 3))
      if (std::find(kinds.begin(), kinds.end(), record_name(p.u8(i))) == kinds.end()) kinds.emplace_back(record_name(p.u8(i)));
    f.message = "TLS";
    for (std::size_t i = 0; i < kinds.size(); ++i) f.message += (i == 0 ? " " : " + ") + kinds[i];
  }
  if (std::any_of(records.begin(), records.end(), [](const std::string& r) { return r.starts_with("ApplicationData"); }))
    f.notes.push_back("Encrypted: on this link only the TCP header can be read; the HTTP inside is for the node holding the key.");
}

// ---- HTTP --------------------------------------------------------------------------

bool starts_http(const Bytes& p) {
  static constexpr std::string_view kStarts[] = {"GET ", "POST ", "PUT ", "DELETE ", "HEAD ", "OPTIONS ", "PATCH ", "CONNECT ", "TRACE ", "HTTP/1."};
  for (std::string_view s : kStarts)
    if (p.has(0, s.size()) && p.text(0, s.size()) == s) return true;
  return false;
}

std::string shown(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, kMaxShownChars)) out += (c >= 0x20 && c < 0x7f) ? c : '.';
  if (text.size() > kMaxShownChars) out += "…";
  return out;
}

void decode_http(const Bytes& p, CapturedFrame& f) {
  const std::string_view text = p.text(0, p.size());
  std::size_t at = 0;
  for (std::size_t line_number = 0; line_number < kMaxHttpLines && at < text.size(); ++line_number) {
    const std::size_t end = text.find("\r\n", at);
    const std::string_view line = text.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at);
    if (line.empty()) break;  // the end of the head
    if (line_number == 0) {
      const std::size_t first = line.find(' '), second = line.find(' ', first + 1);
      const std::string_view a = line.substr(0, first);
      const std::string_view b = first == std::string_view::npos ? "" : line.substr(first + 1, second == std::string_view::npos ? std::string_view::npos : second - first - 1);
      if (a.starts_with("HTTP/")) {
        add(f, 7, "status", shown(first == std::string_view::npos ? "" : line.substr(first + 1)));
        f.message = "HTTP " + shown(b);
      } else {
        add(f, 7, "method", shown(a));
        add(f, 7, "path", shown(b));
        f.message = shown(a) + " " + shown(b);
      }
    } else if (const std::size_t colon = line.find(':'); colon != std::string_view::npos) {
      std::string_view value = line.substr(colon + 1);
      while (value.starts_with(' ')) value.remove_prefix(1);
      add(f, 7, shown(line.substr(0, colon)), shown(value));
      if (line.substr(0, colon) == "X-Forwarded-For")
        f.notes.push_back("X-Forwarded-For: the proxy names the client, whose address this connection no longer carries.");
    }
    if (end == std::string_view::npos) break;
    at = end + 2;
  }
  f.notes.push_back("HTTP in clear: every field of the request can be read on this link.");
}

void decode_payload(const Bytes& p, CapturedFrame& f) {
  f.payload_bytes = p.size();
  if (p.size() == 0) return;
  if (starts_tls_record(p)) {
    f.payload = Payload::tls;
    decode_tls(p, f);
  } else if (starts_http(p)) {
    f.payload = Payload::http;
    decode_http(p, f);
  } else {
    f.payload = Payload::other;
    f.message = fmt::format("data ({} bytes)", p.size());
  }
}

// ---- the lower layers --------------------------------------------------------------

void decode_transport(const Bytes& ip, std::size_t at, std::size_t end, std::uint8_t protocol, CapturedFrame& f) {
  const Bytes segment(ip.from(at).first(end - at));
  if (protocol == 17) {
    if (!segment.has(0, 8)) {
      f.message = "UDP (cut short)";
      return f.notes.push_back("The UDP header is cut short.");
    }
    f.header.protocol = l4::Protocol::udp;
    f.header.src_port = segment.u16(0);
    f.header.dst_port = segment.u16(2);
    add(f, 4, "protocol", "udp");
    add(f, 4, "src_port", std::to_string(f.header.src_port));
    add(f, 4, "dst_port", std::to_string(f.header.dst_port));
    f.message = "UDP";
    return decode_payload(Bytes(segment.from(8)), f);
  }
  if (protocol != 6) {
    add(f, 3, "IP protocol", std::to_string(protocol));
    f.message = fmt::format("IP protocol {}", protocol);
    return;
  }
  f.message = "TCP (malformed)";
  if (!segment.has(0, 20)) return f.notes.push_back("The TCP header is cut short.");
  const std::size_t header_bytes = std::size_t{segment.u8(12)} >> 4 << 2;
  if (header_bytes < 20 || !segment.has(0, header_bytes)) return f.notes.push_back("The TCP header's length is out of the packet.");
  f.header.protocol = l4::Protocol::tcp;
  f.header.src_port = segment.u16(0);
  f.header.dst_port = segment.u16(2);
  f.tcp_seq = segment.u32(4);
  f.tcp_ack = segment.u32(8);
  f.tcp_flags = segment.u8(13);
  add(f, 4, "protocol", "tcp");
  add(f, 4, "src_port", std::to_string(f.header.src_port));
  add(f, 4, "dst_port", std::to_string(f.header.dst_port));
  add(f, 4, "TCP flags", tcp_flag_list(f.tcp_flags));
  add(f, 4, "TCP seq", std::to_string(f.tcp_seq));
  add(f, 4, "TCP ack", std::to_string(f.tcp_ack));
  f.message = tcp_message(f.tcp_flags);
  if (f.message == "SYN") f.notes.push_back("Opens a TCP connection (handshake, 1 of 3).");
  else if (f.message == "SYN-ACK") f.notes.push_back("Accepts the connection (handshake, 2 of 3).");
  else if (f.message == "RST") f.notes.push_back("Resets the connection.");
  else if (f.message == "FIN") f.notes.push_back("Closes this direction of the connection.");
  const Bytes payload(segment.from(header_bytes));
  if (payload.size() > 0) add(f, 4, "TCP payload", fmt::format("{} bytes", payload.size()));
  decode_payload(payload, f);
}

void decode_ipv4(const Bytes& b, std::size_t at, CapturedFrame& f) {
  const Bytes ip(b.from(at));
  f.message = "IPv4 (malformed)";
  if (!ip.has(0, 20) || ip.u8(0) >> 4 != 4) return f.notes.push_back("Not a well-formed IPv4 header.");
  const std::size_t header_bytes = std::size_t{ip.u8(0) & 0x0f} << 2;
  const std::size_t total = ip.u16(2);
  if (header_bytes < 20 || total < header_bytes || !ip.has(0, header_bytes))
    return f.notes.push_back("The IPv4 header's lengths are out of the frame.");
  f.has_ip = true;
  f.ip_id = ip.u16(4);
  f.header.src_ip = ip.u32(12);
  f.header.dst_ip = ip.u32(16);
  add(f, 3, "src_ip", format_ip(f.header.src_ip));
  add(f, 3, "dst_ip", format_ip(f.header.dst_ip));
  add(f, 3, "IP TTL", std::to_string(ip.u8(8)));
  add(f, 3, "IP id", std::to_string(f.ip_id));
  f.message = "IPv4";
  // A frame may be padded past the packet; a capture may hold less than the packet.
  const std::size_t end = std::min(total, ip.size());
  if (total > ip.size()) f.notes.push_back(fmt::format("The capture holds {} of the packet's {} bytes.", ip.size(), total));
  if ((ip.u16(6) & 0x1fff) != 0) {
    f.message = "IPv4 fragment";
    return f.notes.push_back("A later fragment: its transport header is in the first one.");
  }
  decode_transport(ip, header_bytes, end, ip.u8(9), f);
}

std::string endpoint(std::uint32_t ip, std::uint16_t port, bool with_port) {
  return with_port ? fmt::format("{}:{}", format_ip(ip), port) : format_ip(ip);
}

void summarise(CapturedFrame& f) {
  if (!f.has_ip) {
    f.summary = f.message;
    return;
  }
  const bool ports = f.top_layer >= 4;
  f.summary = fmt::format("{} → {}  {}", endpoint(f.header.src_ip, f.header.src_port, ports), endpoint(f.header.dst_ip, f.header.dst_port, ports),
                          f.message);
}

l4::FieldChanges differences(const l4::PacketHeader& a, const l4::PacketHeader& b) {
  l4::FieldChanges changes;
  for (l4::Field field : kHeaderFields)
    if (format_field(a, field) != format_field(b, field)) changes.add(field);
  return changes;
}

bool same_packet(const CapturedFrame& a, const CapturedFrame& b) {
  return a.has_ip && b.has_ip && a.ip_id == b.ip_id && a.header.protocol == b.header.protocol && a.tcp_seq == b.tcp_seq &&
         a.tcp_ack == b.tcp_ack && a.tcp_flags == b.tcp_flags && a.payload_bytes == b.payload_bytes && a.payload == b.payload;
}

// What a rewrite of these fields is called, for the note.
std::string rewrite_kind(l4::FieldChanges changes) {
  using l4::Field;
  if (changes.contains(Field::dst_ip) && !changes.contains(Field::src_ip)) return " (DNAT: the destination becomes a target)";
  if (changes.contains(Field::src_ip) && !changes.contains(Field::dst_ip)) return " (the reply's source becomes the address the client called)";
  if (!changes.touches_layer(3) && !changes.touches_layer(4)) return " (a layer-2 forward: DSR leaves IP and TCP as they were)";
  return "";
}

void pair_with(CapturedFrame& f, const CapturedFrame& original) {
  f.rewrite_of = original.number;
  f.rewrote = differences(original.header, f.header);
  for (CapturedField& field : f.fields)
    for (l4::Field header_field : kHeaderFields)
      if (field.name == l4::to_string(header_field)) field.before = format_field(original.header, header_field);
  f.notes.insert(f.notes.begin(), fmt::format("The packet of frame {}, as this node sent it on: it rewrote {}{}.", original.number,
                                              l4::to_string(f.rewrote), rewrite_kind(f.rewrote)));
}

// A connection's two directions share one key.
std::array<std::uint64_t, 2> connection_key(const CapturedFrame& f) {
  const std::uint64_t a = std::uint64_t{f.header.src_ip} << 16 | f.header.src_port;
  const std::uint64_t b = std::uint64_t{f.header.dst_ip} << 16 | f.header.dst_port;
  return {std::min(a, b), std::max(a, b)};
}

std::string tier_of(std::string_view node) {
  if (node.starts_with("l4-")) return "l4";
  if (node.starts_with("l7-")) return "l7";
  if (node.starts_with("client")) return "client";
  return {};
}

}  // namespace

CapturedFrame decode_frame(std::span<const std::uint8_t> bytes) {
  CapturedFrame f;
  f.bytes = bytes.size();
  const Bytes b(bytes);
  if (!b.has(0, kEthernetBytes)) {
    f.message = "runt frame";
    f.notes.push_back(fmt::format("Only {} bytes: shorter than an Ethernet header.", bytes.size()));
    f.summary = f.message;
    return f;
  }
  f.header.dst_mac = mac_at(b, 0);
  f.header.src_mac = mac_at(b, 6);
  add(f, 2, "src_mac", format_mac(f.header.src_mac));
  add(f, 2, "dst_mac", format_mac(f.header.dst_mac));
  std::size_t at = 12;
  std::uint16_t ether_type = b.u16(at);
  if (ether_type == kVlan && b.has(at, 6)) {
    add(f, 2, "VLAN", std::to_string(b.u16(at + 2) & 0x0fff));
    at += 4;
    ether_type = b.u16(at);
  }
  add(f, 2, "EtherType", fmt::format("0x{:04x}", ether_type));
  at += 2;
  if (ether_type == kIpv4) {
    decode_ipv4(b, at, f);
  } else if (ether_type == kArp) {
    f.message = "ARP";
    if (b.has(at, 28)) {
      const std::uint16_t op = b.u16(at + 6);
      const std::string sender = format_ip(b.u32(at + 14)), target = format_ip(b.u32(at + 24));
      f.message = op == 1 ? fmt::format("ARP who has {}? tell {}", target, sender) : fmt::format("ARP {} is at {}", sender, format_mac(mac_at(b, at + 8)));
    }
    f.notes.push_back("ARP: finding the MAC address that goes with an IP address on this link.");
  } else {
    f.message = ether_type == kIpv6 ? "IPv6 (not decoded)" : fmt::format("EtherType 0x{:04x} (not decoded)", ether_type);
  }
  summarise(f);
  return f;
}

void follow_connections(std::vector<CapturedFrame>& frames) {
  std::map<std::array<std::uint64_t, 2>, Payload> carries;  // what each connection's payload has been
  std::vector<bool> sent_on(frames.size());                  // an original already paired
  for (std::size_t i = 0; i < frames.size(); ++i) {
    CapturedFrame& f = frames[i];
    if (!f.has_ip || f.top_layer < 4) continue;
    const auto key = connection_key(f);
    if (f.payload == Payload::tls || f.payload == Payload::http) {
      carries[key] = f.payload;
    } else if (f.payload == Payload::other) {
      if (const auto known = carries.find(key); known != carries.end()) {
        const bool tls = known->second == Payload::tls;
        f.message = tls ? "TLS (a record continued)" : "HTTP (continued)";
        add(f, tls ? 6 : 7, tls ? "TLS records" : "HTTP", tls ? "the rest of a record begun earlier" : "the rest of a message begun earlier");
        summarise(f);
      }
    }
    if ((f.tcp_flags & 0x02) != 0) carries.erase(key);  // a new connection on these ports
    for (std::size_t back = 1; back <= std::min(i, kPairWindow); ++back) {
      const std::size_t j = i - back;
      // (A retransmission is the same packet with the same headers: not a rewrite.)
      if (sent_on[j] || frames[j].rewrite_of || !same_packet(frames[j], f) || frames[j].header == f.header) continue;
      pair_with(f, frames[j]);
      sent_on[j] = true;
      break;
    }
  }
}

void name_from_file(Capture& capture) {
  std::string node = std::filesystem::path(capture.file).stem().string();
  // A lesson's shipped copy keeps the node's name behind the lesson's number (05-l7-a-0).
  const std::size_t digits = node.find_first_not_of("0123456789");
  if (digits > 0 && digits != std::string::npos && node[digits] == '-') node.erase(0, digits + 1);
  capture.node = node;
  capture.tier = tier_of(node);
}

Capture read_capture(const std::string& path, std::size_t limit) {
  std::array<char, PCAP_ERRBUF_SIZE> error{};
  std::unique_ptr<pcap_t, decltype(&pcap_close)> handle(pcap_open_offline(path.c_str(), error.data()), &pcap_close);
  if (!handle) throw CaptureError(fmt::format("{}: not a readable packet capture ({})", path, error.data()));
  if (pcap_datalink(handle.get()) != DLT_EN10MB)
    throw CaptureError(fmt::format("{}: link type {} where Ethernet (EN10MB) was expected", path,
                                   pcap_datalink_val_to_name(pcap_datalink(handle.get())) ? pcap_datalink_val_to_name(pcap_datalink(handle.get())) : "unknown"));
  Capture capture;
  capture.file = path;
  name_from_file(capture);
  double first_s = 0;
  for (;;) {
    pcap_pkthdr* header = nullptr;
    const u_char* data = nullptr;
    const int got = pcap_next_ex(handle.get(), &header, &data);
    if (got == PCAP_ERROR_BREAK) break;  // the end of the file
    if (got != 1)
      throw CaptureError(fmt::format("{}: frame {}: {}", path, capture.frames.size() + 1, pcap_geterr(handle.get())));
    if (capture.frames.size() == limit) {
      capture.truncated = true;
      break;
    }
    CapturedFrame frame = decode_frame(std::span<const std::uint8_t>(data, header->caplen));
    const double at = static_cast<double>(header->ts.tv_sec) + static_cast<double>(header->ts.tv_usec) * 1e-6;
    if (capture.frames.empty()) first_s = at;
    frame.number = capture.frames.size() + 1;
    frame.time_s = at - first_s;
    frame.bytes = header->len;
    if (header->caplen < header->len) frame.notes.push_back(fmt::format("Captured {} of its {} bytes.", header->caplen, header->len));
    capture.frames.push_back(std::move(frame));
  }
  follow_connections(capture.frames);
  return capture;
}

void print_capture(std::ostream& out, const Capture& c) {
  fmt::print(out, "{}: {} frames{}{}\n", c.file, c.frames.size(), c.truncated ? " (the first; the file holds more)" : "",
             c.node.empty() ? "" : fmt::format(", captured at {}", c.node));
  fmt::print(out, "  {:>5} {:>10}  {:<2} {}\n", "frame", "ms", "L", "endpoints and message");
  for (const CapturedFrame& f : c.frames) {
    fmt::print(out, "  {:>5} {:>10.3f}  L{} {}", f.number, f.time_s * 1e3, f.top_layer, f.summary);
    if (f.rewrite_of) fmt::print(out, "   [frame {} rewritten: {}]", *f.rewrite_of, l4::to_string(f.rewrote));
    out << '\n';
  }
}

void print_frame(std::ostream& out, const CapturedFrame& f) {
  fmt::print(out, "frame {} at {:.3f} ms, {} bytes: {}\n", f.number, f.time_s * 1e3, f.bytes, f.summary);
  for (const CapturedField& field : f.fields) {
    fmt::print(out, "  L{} {:<20} {}", field.layer, field.name, field.value);
    if (!field.before.empty() && field.before != field.value) fmt::print(out, "   (was {})", field.before);
    out << '\n';
  }
  for (const std::string& note : f.notes) fmt::print(out, "  - {}\n", note);
}

json capture_json(const Capture& c) {
  json frames = json::array();
  for (const CapturedFrame& f : c.frames) {
    json fields = json::array();
    for (const CapturedField& field : f.fields) {
      json one = {{"layer", field.layer}, {"field", field.name}, {"value", field.value}};
      if (f.rewrite_of) one["before"] = field.before.empty() ? field.value : field.before;
      fields.push_back(std::move(one));
    }
    json rewrote = json::array();
    for (l4::Field field : kHeaderFields)
      if (f.rewrote.contains(field)) rewrote.push_back(l4::to_string(field));
    json frame = {{"number", f.number}, {"time_ms", f.time_s * 1e3}, {"bytes", f.bytes}, {"osi_layer", f.top_layer},
                  {"message", f.message}, {"summary", f.summary}, {"fields", std::move(fields)}};
    if (f.rewrite_of) frame["rewrite_of"] = *f.rewrite_of;
    frame["rewrote"] = std::move(rewrote);
    frame["notes"] = f.notes;
    frames.push_back(std::move(frame));
  }
  return {{"file", c.file}, {"node", c.node}, {"tier", c.tier}, {"truncated", c.truncated}, {"frames", std::move(frames)}};
}

}  // namespace lbsim::reports
