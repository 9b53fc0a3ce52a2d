// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Connection tracking: a flow keeps the target it was first given (so keep-alive
// requests and every packet of a TCP stream land on one backend), until it idles out
// or is evicted to make room. Time is passed in: the table never reads a clock.
#include <cstdint>
#include <functional>
#include <list>
#include <optional>
#include <unordered_map>

#include "l4/flow.hpp"

namespace lbsim::l4 {

class ConnTrack {
public:
  static constexpr double kNlbIdleTimeout = 350.0;  // seconds, AWS NLB's TCP idle timeout

  explicit ConnTrack(std::size_t capacity = 1'000'000, double idle_timeout_s = kNlbIdleTimeout);

  // The flow's target if it is tracked and not idle at `now`; refreshes its idle timer.
  std::optional<std::uint32_t> lookup(const FlowKey& flow, double now);
  // Tracks a new flow (or re-points an existing one), evicting the least recently
  // used flow when full. `awaits_answer`: its SYN is on the way to the target, whose
  // first answer note_answered records (passive health checks judge by it).
  void insert(const FlowKey& flow, std::uint32_t target, double now, bool awaits_answer = false);
  // Forgets the flows idle longer than the timeout at `now` (each through on_forget), as
  // a connection table's timer does. Costs only what it forgets: the least recently used
  // flows are the longest idle.
  void expire_idle(double now);
  // Notes that a tracked flow's target answered it (its handshake's first reply): the
  // target the first time, nothing after that or when the flow is not tracked. (Not a
  // lookup: the idle timer and the LRU order stay as they were.)
  std::optional<std::uint32_t> note_answered(const FlowKey& flow);
  // The target of a tracked flow that still awaits its first answer; nothing when the
  // flow is not tracked or awaits none. (Not a lookup: the idle timer stays as it was.)
  std::optional<std::uint32_t> unanswered(const FlowKey& flow) const;
  // Forgets every flow (a node that lost its state), each through on_forget.
  void clear();
  // Forgets a flow (its FIN or RST went by); its target, if it was tracked.
  std::optional<std::uint32_t> erase(const FlowKey& flow);
  // Called with a flow's target when the table forgets it by itself (idled out, or
  // evicted for room), so whoever counts connections per target can count it closed.
  void on_forget(std::function<void(std::uint32_t target)> forget) { on_forget_ = std::move(forget); }

  std::size_t size() const { return index_.size(); }
  std::uint64_t evictions() const { return evictions_; }
  std::uint64_t expirations() const { return expirations_; }

private:
  struct Entry {
    FlowKey flow;
    std::uint32_t target;
    double last_seen;
    bool answered = false;
  };
  using Lru = std::list<Entry>;  // front = most recently used

  std::size_t capacity_;
  double idle_timeout_;
  Lru lru_;
  std::unordered_map<FlowKey, Lru::iterator, FlowKeyHash> index_;
  std::uint64_t evictions_ = 0;
  std::uint64_t expirations_ = 0;
  std::function<void(std::uint32_t)> on_forget_;
};

}  // namespace lbsim::l4
