// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A traced request (engine/trace.hpp) as people read it: text for the terminal, JSON
// for programs and the GUI, and a Mermaid sequence diagram like the article's. Each hop
// shows where its time went (network since the previous hop, queueing, TLS, processing),
// the OSI layer it read up to, the header fields it read and those it rewrote (before and
// after), and why it decided what it did.
#include <nlohmann/json.hpp>

#include <ostream>
#include <string>

#include "results/trace.hpp"
#include "l4/packet.hpp"

namespace lbsim::reports {

std::string format_ip(std::uint32_t ip);
std::string format_mac(const l4::MacAddress& mac);
// One header field's value as text ("203.0.113.50", "tcp", "443").
std::string format_field(const l4::PacketHeader& header, l4::Field field);
// The header fields in their order on the wire, L2 to L4.
inline constexpr l4::Field kHeaderFields[] = {l4::Field::src_mac, l4::Field::dst_mac, l4::Field::src_ip,  l4::Field::dst_ip,
                                              l4::Field::protocol, l4::Field::src_port, l4::Field::dst_port};

// In `language`: the notes and the text trace's own words (names, fields and values stay
// as the wire has them). The JSON carries both: `notes` rendered, `note_ids` for readers
// that render in their own language (the GUI).
void print_trace(std::ostream& out, const results::Trace& trace, text::Language language = text::Language::en);
nlohmann::ordered_json trace_json(const results::Trace& trace, text::Language language = text::Language::en);
std::string trace_mermaid(const results::Trace& trace);

}  // namespace lbsim::reports
