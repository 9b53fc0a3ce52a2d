// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A packet capture read back for people (`lbsim frames FILE`, and the GUI's teaching
// view): each real frame of a testbed capture (`lbsim testbed --pcap`) or of a traced
// request (`lbsim trace --pcap`) decoded into the OSI layers it carries — Ethernet,
// IPv4, TCP/UDP, then what the payload is: TLS records (their types, the handshake
// message, the SNI a ClientHello names) or HTTP/1.1 in clear (request line, status,
// headers). Each field says its layer, so a viewer lights the same stack a trace does.
//
// A node's capture holds frames as the node received them and as it sent them. When a
// frame leaves as the same packet that came in with some headers changed (an L4 node's
// DNAT, un-DNAT or DSR forward), it is paired with the earlier frame and the changed
// fields are named: the rewrite, seen on real bytes.
//
// The file is read through libpcap; frames are bytes off a wire, so decoding never reads
// past a frame's end and says what it could not decode instead of guessing.
#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <ostream>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "l4/packet.hpp"

namespace lbsim::reports {

// A capture that cannot be read: not a pcap file, a link type other than Ethernet, a
// record cut short. The message names the file and the frame.
class CaptureError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

struct CapturedField {
  int layer = 0;        // OSI layer 2..7
  std::string name;     // src_mac, dst_ip, TCP flags, TLS record, method, Host, ...
  std::string value;
  std::string before;   // its value in the frame this one rewrote (paired frames only)
};

struct CapturedFrame {
  std::size_t number = 0;  // 1 = the file's first, as Wireshark numbers them
  double time_s = 0;       // since the file's first frame
  std::size_t bytes = 0;   // on the wire
  int top_layer = 2;       // the highest layer the frame carries that could be decoded
  std::string message;     // SYN, SYN-ACK, ACK, FIN, RST, TLS ClientHello, GET /path, HTTP 200, ARP, ...
  std::string summary;     // one line: endpoints and message
  std::vector<CapturedField> fields;
  bool has_ip = false;
  l4::PacketHeader header;                // L2-L4 (meaningful up to what has_ip says)
  // What pairing and following a connection need.
  enum class Payload : std::uint8_t { none, tls, http, other } payload = Payload::none;
  std::size_t payload_bytes = 0;
  std::uint16_t ip_id = 0;
  std::uint32_t tcp_seq = 0, tcp_ack = 0;
  std::uint8_t tcp_flags = 0;
  std::optional<std::size_t> rewrite_of;  // the earlier frame this one is, rewritten
  l4::FieldChanges rewrote;
  std::vector<std::string> notes;
};

struct Capture {
  std::string file;
  std::string node;  // from the file name (a testbed capture is <node>.pcap)
  std::string tier;  // l4, l7, client, backend, or empty when the name does not say
  std::vector<CapturedFrame> frames;
  bool truncated = false;  // the file holds more frames than were read (the limit)
};

// Decodes one frame (Ethernet first). Never reads outside `bytes`.
CapturedFrame decode_frame(std::span<const std::uint8_t> bytes);

// Reads `path`, at most `limit` frames, pairing rewritten frames with their originals.
// Throws CaptureError.
Capture read_capture(const std::string& path, std::size_t limit);

// What read_capture does once the frames are decoded one by one: pairs each rewritten
// frame with its original, and names the payload of a segment that continues a TLS
// record or an HTTP message begun in an earlier one.
void follow_connections(std::vector<CapturedFrame>& frames);

// The node and tier a testbed capture's file name says ("l4-a-0.pcap": l4-a-0, l4).
void name_from_file(Capture& capture);

void print_capture(std::ostream& out, const Capture& capture);
// One frame's layers and fields, as a table.
void print_frame(std::ostream& out, const CapturedFrame& frame);
nlohmann::ordered_json capture_json(const Capture& capture);

}  // namespace lbsim::reports
