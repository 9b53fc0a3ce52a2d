// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// NLB's passive health checks, as lbsim models them. AWS says only that an NLB "observes
// how targets respond to connections" and marks a failing target before its active
// checks do, always on, except for UDP and sticky target groups. The rules lbsim uses:
// - A connection fails when the target answers its handshake with a reset, or has not
//   answered its SYN within kSynAnswerSeconds (by then the client retransmits the SYN,
//   which the node sees go by unanswered), or the client gave up on it before that. A
//   handshake answered resets the count.
// - `threshold` failures in a row (the active check's unhealthy threshold) take the
//   target out of this node's rotation; failures while it is out change nothing.
// - It comes back at the next active probe it passes: nothing else tells the node that
//   it answers again, since the node sends it no live traffic meanwhile.
// One instance per balancer node, as each NLB node judges on its own traffic.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace lbsim::health {

// How long a SYN may wait for its SYN-ACK before the connection counts as failed: TCP's
// initial retransmission timeout (RFC 6298, 2.1: 1 s), when Linux resends an unanswered SYN.
inline constexpr double kSynAnswerSeconds = 1.0;

class PassiveCheck {
public:
  PassiveCheck(std::size_t target_count, std::uint32_t threshold);

  // True when this failure takes the target out.
  bool connection_failed(std::size_t target);
  void connection_succeeded(std::size_t target);
  // True when the target was out and this probe brings it back.
  bool probe_passed(std::size_t target);

  bool out(std::size_t target) const { return out_.at(target); }
  std::uint32_t consecutive_failures(std::size_t target) const { return failures_.at(target); }
  std::uint32_t threshold() const { return threshold_; }

private:
  std::uint32_t threshold_;
  std::vector<std::uint32_t> failures_;
  std::vector<bool> out_;
};

}  // namespace lbsim::health
