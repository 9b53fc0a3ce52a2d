// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The TCP stack of a node: SYNs and TCP health checks are answered by the kernel at
// once, not queued behind the application's requests (which would count a busy
// server's queue twice, and fail a TCP check that a real kernel passes).
#include <simgrid/s4u.hpp>

#include "engine/transport.hpp"
#include "models/request.hpp"

namespace lbsim::models {

class KernelStack {
public:
  explicit KernelStack(simgrid::s4u::Host* host) : inbox_(host) {}
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
    engine::Transport::send_from(inbox_.host(), *segment->pop_reply(), segment, bytes);
  }
  engine::Inbox inbox_;
  bool listening_ = true;
};

}  // namespace lbsim::models
