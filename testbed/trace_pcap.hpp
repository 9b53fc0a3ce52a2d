// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A simulated request's journey as a capture (`lbsim trace --pcap FILE`), to open beside
// a testbed capture: each message as a node received it and, where the node rewrote it
// (an L4 node's DNAT or DSR), as it sent it on, so the rewrite shows as two frames in a
// row. Real Ethernet/IPv4/TCP headers with valid checksums, stamped with simulated time
// (from 1970-01-01, so Wireshark's relative times are the trace's); the headers are the
// trace's own, TCP's sequence numbers follow each connection, and a plain-HTTP request
// and response carry their first line (over TLS, frames hold headers only).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "l4/packet.hpp"
#include "results/trace.hpp"

namespace lbsim::testbed {

// TCP flags for a trace message: SYN, SYN-ACK, or data (PSH-ACK).
std::uint8_t tcp_flags_of(std::string_view message);
// One frame: `header`'s MACs, addresses, ports and protocol, `flags`, sequence and
// acknowledgement numbers (TCP), the payload, checksums computed.
std::vector<std::uint8_t> build_frame(const l4::PacketHeader& header, std::uint8_t flags, std::uint32_t sequence = 0,
                                      std::uint32_t acknowledged = 0, std::string_view payload = {});
// Writes the trace's frames to `path`; how many.
std::size_t write_trace_pcap(const results::Trace& trace, const std::string& path);

}  // namespace lbsim::testbed
