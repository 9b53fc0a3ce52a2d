// SPDX-License-Identifier: GPL-3.0-or-later
#include "reports/trace.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <map>

#include "reports/format.hpp"
#include "results/metrics.hpp"

namespace lbsim::reports {

using json = nlohmann::ordered_json;

std::string format_ip(std::uint32_t ip) { return fmt::format("{}.{}.{}.{}", ip >> 24, (ip >> 16) & 0xff, (ip >> 8) & 0xff, ip & 0xff); }

std::string format_mac(const l4::MacAddress& m) {
  return fmt::format("{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}", m[0], m[1], m[2], m[3], m[4], m[5]);
}

std::string format_field(const l4::PacketHeader& h, l4::Field f) {
  switch (f) {
    case l4::Field::src_mac: return format_mac(h.src_mac);
    case l4::Field::dst_mac: return format_mac(h.dst_mac);
    case l4::Field::src_ip: return format_ip(h.src_ip);
    case l4::Field::dst_ip: return format_ip(h.dst_ip);
    case l4::Field::protocol: return h.protocol == l4::Protocol::tcp ? "tcp" : "udp";
    case l4::Field::src_port: return std::to_string(h.src_port);
    case l4::Field::dst_port: return std::to_string(h.dst_port);
  }
  return "";
}

namespace {

double ms(double seconds) { return seconds * 1e3; }


std::string endpoints(const l4::PacketHeader& h) {
  return fmt::format("{}:{} -> {}:{}", format_ip(h.src_ip), h.src_port, format_ip(h.dst_ip), h.dst_port);
}

double network_before(const results::Trace& t, std::size_t i) { return i == 0 ? 0.0 : t.hops[i].arrived - t.hops[i - 1].left; }

std::string outcome(const results::Trace& t, text::Language language) {
  if (!t.complete) return text::render({"trace.no_outcome"}, language);
  return text::render({"trace.outcome", {results::status_name(static_cast<std::uint16_t>(t.status)), fmt::format("{:.3f}", ms(t.answered_at - t.sent_at))}},
                      language);
}

// The text trace's column titles, in `language`.
std::vector<std::string> columns(text::Language language) {
  std::vector<std::string> out;
  const std::string all = text::render({"trace.columns"}, language);
  for (std::size_t from = 0;;) {
    const std::size_t bar = all.find('|', from);
    out.push_back(all.substr(from, bar - from));
    if (bar == std::string::npos) return out;
    from = bar + 1;
  }
}

}  // namespace

void print_trace(std::ostream& out, const results::Trace& t, text::Language language) {
  fmt::print(out, "{}\n",
             text::render({"trace.title", {std::to_string(t.request), t.client, t.method, t.host, t.path, outcome(t, language)}}, language));
  const auto c = columns(language);
  fmt::print(out, "  {}  {} {} {} {} {} {} {}   (ms)\n", format::pad(c.at(0), 9, true), format::pad(c.at(1), 14, false), format::pad(c.at(2), 5, false),
             format::pad(c.at(3), 28, false), format::pad(c.at(4), 8, true), format::pad(c.at(5), 8, true), format::pad(c.at(6), 8, true), format::pad(c.at(7), 8, true));
  for (std::size_t i = 0; i < t.hops.size(); ++i) {
    const auto& h = t.hops[i];
    const double queue = h.started - h.arrived;
    fmt::print(out, "  {:>9.3f}  {:<14} L{:<4} {} {:>8.3f} {:>8.3f} {:>8.3f} {:>8.3f}\n", ms(h.arrived - t.sent_at), h.node, h.layer,
               format::pad(text::wire_message(h.message, language), 28), ms(network_before(t, i)), ms(queue), ms(h.tls_s), ms(h.processing_s));
    if (!h.read.empty()) {
      std::string read;
      for (const auto& r : h.read) read += (read.empty() ? "" : ", ") + text::read_field(r, language);
      fmt::print(out, "             {}\n", text::render({"trace.reads", {read}}, language));
    }
    if (h.has_headers) {
      fmt::print(out, "             {}\n", endpoints(h.out));
      for (l4::Field f : kHeaderFields)
        if (h.rewrote.contains(f))
          fmt::print(out, "             {}\n",
                     text::render({"trace.rewrites", {std::string(l4::to_string(f)), std::to_string(l4::osi_layer(f)), format_field(h.in, f),
                                                      format_field(h.out, f)}},
                                  language));
    }
    for (const auto& note : h.notes) fmt::print(out, "             - {}\n", text::render(note, language));
  }
}

json notes_text(const std::vector<text::Note>& notes, text::Language language) {
  json out = json::array();
  for (const auto& note : notes) out.push_back(text::render(note, language));
  return out;
}

json notes_ids(const std::vector<text::Note>& notes) {
  json out = json::array();
  for (const auto& note : notes) out.push_back({{"id", note.id}, {"args", note.args}});
  return out;
}

// Header or cookie fields as an object, name to value, in the request's order.
nlohmann::ordered_json fields_json(const std::vector<std::pair<std::string, std::string>>& fields) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  for (const auto& [name, value] : fields) out[name] = value;
  return out;
}

json trace_json(const results::Trace& t, text::Language language) {
  json hops = json::array();
  for (std::size_t i = 0; i < t.hops.size(); ++i) {
    const auto& h = t.hops[i];
    json hop{{"node", h.node},
             {"tier", h.tier},
             {"osi_layer", h.layer},
             {"message", h.message},
             {"arrived_ms", ms(h.arrived - t.sent_at)},
             {"network_ms", ms(network_before(t, i))},
             {"queue_ms", ms(h.started - h.arrived)},
             {"tls_ms", ms(h.tls_s)},
             {"processing_ms", ms(h.processing_s)},
             {"left_ms", ms(h.left - t.sent_at)},
             {"read", h.read},
             {"notes", notes_text(h.notes, language)},
             {"note_ids", notes_ids(h.notes)}};
    if (h.has_headers) {
      json before = json::object(), after = json::object(), rewrote = json::array();
      for (l4::Field f : kHeaderFields) {
        before[std::string(l4::to_string(f))] = format_field(h.in, f);
        after[std::string(l4::to_string(f))] = format_field(h.out, f);
        if (h.rewrote.contains(f)) rewrote.push_back(l4::to_string(f));
      }
      hop["headers_in"] = before;
      hop["headers_out"] = after;
      hop["rewrote"] = rewrote;
    }
    hops.push_back(hop);
  }
  return {{"request", t.request},
          {"client", t.client},
          {"method", t.method},
          {"host", t.host},
          {"path", t.path},
          {"query", t.query},
          {"headers", fields_json(t.headers)},
          {"cookies", fields_json(t.cookies)},
          {"status", t.complete ? json(results::status_name(static_cast<std::uint16_t>(t.status))) : json(nullptr)},
          {"latency_ms", t.complete ? json(ms(t.answered_at - t.sent_at)) : json(nullptr)},
          {"hops", hops}};
}

std::string trace_mermaid(const results::Trace& t) {
  std::string out = "sequenceDiagram\n";
  std::map<std::string, std::string> alias;  // node name -> participant id (names hold '-')
  for (const auto& h : t.hops) {
    if (alias.count(h.node)) continue;
    alias[h.node] = "P" + std::to_string(alias.size());
    // A balancer by the layer it reads up to; a client or a backend by what it is.
    const std::string role = h.tier == "l4" ? "L4" : h.tier == "l7" ? "L7" : h.tier;
    out += fmt::format("  participant {} as {} ({})\n", alias[h.node], h.node, role);
  }
  for (std::size_t i = 1; i < t.hops.size(); ++i) {
    const auto& from = t.hops[i - 1];
    const auto& to = t.hops[i];
    // The arrow carries what the sender sent: its message, with the headers it sent it with.
    if (from.node != to.node) {
      out += fmt::format("  {}->>{}: {}{}\n", alias[from.node], alias[to.node], from.message,
                         from.has_headers ? " (" + endpoints(from.out) + ")" : "");
    }
    std::string rewrites;
    for (l4::Field f : kHeaderFields)
      if (to.rewrote.contains(f)) rewrites += (rewrites.empty() ? "" : ", ") + std::string(l4::to_string(f)) + " " + format_field(to.in, f) + " to " + format_field(to.out, f);
    if (!rewrites.empty()) out += fmt::format("  Note over {}: rewrites {}\n", alias[to.node], rewrites);
  }
  return out;
}

}  // namespace lbsim::reports
