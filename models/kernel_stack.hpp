// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The TCP stack of a node: SYNs and TCP health checks are answered by the kernel at
// once, not queued behind the application's requests (which would count a busy
// server's queue twice, and fail a TCP check that a real kernel passes).
#include <simgrid/s4u.hpp>

#include "engine/transport.hpp"
#include "models/request.hpp"
#include "models/tracing.hpp"

namespace lbsim::models {

class KernelStack {
public:
  KernelStack(simgrid::s4u::Host* host, const topology::Node& node) : node_(node), inbox_(host) {}
  // A kernel answers at once: each segment is handled as it arrives, with no actor.
  void start() {
    inbox_.set_handler([this](void* payload) { answer(static_cast<Request*>(payload)); });
  }
  engine::Inbox& inbox() { return inbox_; }
  // A crashed process leaves nothing listening: the kernel resets connections and fails
  // TCP checks, at once.
  void set_listening(bool listening) { listening_ = listening; }

private:
  void answer(Request* segment) {
    double bytes = segment->is_probe ? kProbeBytes : kTcpSegmentBytes;
    if (!listening_) {
      bytes = kTcpSegmentBytes;
      segment->reset();  // RST
    } else if (segment->refused) {
      bytes = kErrorPageBytes;
      segment->answer(503, bytes);  // the acceptor sheds load: no core touches it
    } else {
      segment->answer(200, bytes);  // SYN-ACK, or a passed TCP check
    }
    if (segment->trace != nullptr) trace(segment);
    engine::Transport::send_from(inbox_.host(), *segment->pop_reply(), segment, bytes);
  }
  void trace(Request* segment) {
    const double now = simgrid::s4u::Engine::get_clock();
    results::TraceHop& hop = add_hop(segment, node_, 4, true, now);
    hop.message = message_name(*segment, true);
    hop.read = {"TCP flags (SYN)", "dst_port"};
    hop.notes.push_back({listening_ ? "kernel.answers_syn" : "kernel.rst"});
    const l4::PacketHeader in = segment->trace->wire;
    segment->trace->wire = answer_to(in);
    set_answer_headers(hop, in, segment->trace->wire);
  }
  const topology::Node& node_;
  engine::Inbox inbox_;
  bool listening_ = true;
};

}  // namespace lbsim::models
