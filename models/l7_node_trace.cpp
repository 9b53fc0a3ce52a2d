// SPDX-License-Identifier: GPL-3.0-or-later
// An L7 node's part in a traced request's story: which layer it read, what it
// terminated, which rules it tried, and the connection of its own it sends on. Only
// traced requests (lbsim trace, the GUI's packet view) come here.
#include <algorithm>

#include "engine/runtime.hpp"
#include "models/backend.hpp"
#include "models/l7_node.hpp"
#include "models/tracing.hpp"

namespace lbsim::models {

void L7Node::trace_taken(Request* request, double arrived_at) {
  const topology::Node& me = world_.topology.node(vertex_);
  const bool reply = request->answered;
  const int layer = reply || !request->in_handshake() ? 7 : 6;  // TLS is the presentation layer's
  results::TraceHop& hop = add_hop(request, me, layer, reply, arrived_at);
  hop.started = engine::Runtime::now();
}

void L7Node::trace_route(Request* request, const l7::RequestView& view) {
  results::TraceHop& hop = request->trace->hops.back();
  hop.processing_s = cpu_per_request_s_;
  hop.read = {"method", "host", "path", "query", "headers", "cookies"};
  hop.notes.push_back({"l7.terminates"});
  request->trace->terminated.push_back(request->trace->wire);
  if (world_.spec.l7->waf) hop.notes.push_back({"l7.waf_passed"});
  for (text::Note& note : rules_.trace_notes(view)) hop.notes.push_back(std::move(note));
  // The fields the deciding rule read, by name, so that a view can mark them.
  if (const l7::Rule* rule = rules_.first_match(view))
    for (std::string& field : l7::RuleTable::fields_read(rule->when))
      if (std::find(hop.read.begin(), hop.read.end(), field) == hop.read.end()) hop.read.push_back(std::move(field));
}

void L7Node::trace_upstream(Request* request, const Backend* backend, const char* how) {
  results::Trace& trace = *request->trace;
  results::TraceHop& hop = trace.hops.back();  // this node's: routing, or a connection just set up
  hop.notes.push_back({how});
  // A connection of its own: every address and port differs from the client's.
  const std::uint32_t me = node_address(world_.topology.node(vertex_));
  const std::uint32_t to = node_address(world_.topology.node(backend->vertex()));
  const l4::PacketHeader in = trace.wire;
  trace.wire = {mac_of(me), mac_of(to), me, to, l4::Protocol::tcp, static_cast<std::uint16_t>(40000 + request->l7_slot), topology::kBackendPort};
  hop.left = engine::Runtime::now();
  set_answer_headers(hop, in, trace.wire);
  if (!request->upstream_syn) hop.notes.push_back({"l7.own_connection"});
}

}  // namespace lbsim::models
