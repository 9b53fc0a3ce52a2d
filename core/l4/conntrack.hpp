// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Connection tracking: a flow keeps the target it was first given (so keep-alive
// requests and every packet of a TCP stream land on one backend), until it idles out
// or is evicted to make room. Time is passed in: the table never reads a clock.
#include <absl/container/flat_hash_map.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

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
  static constexpr std::uint32_t kNone = UINT32_MAX;
  // Entries live in a slab whose slots are reused, linked in recency order by slot
  // number, and found through a flat hash table of slot numbers: a lookup touches the
  // table's slot and the entry, not a chain of list and map nodes (the table was 10 % of
  // a simulated two-tier run as std::unordered_map + std::list).
  struct Entry {
    FlowKey flow;
    std::uint32_t target;
    double last_seen;
    bool answered = false;
    std::uint32_t newer = kNone, older = kNone;
  };
  std::uint32_t add(const Entry& entry);  // as the most recently used
  void remove(std::uint32_t slot);         // from the index, the recency list and the slab
  void touch(std::uint32_t slot);          // becomes the most recently used
  void unlink(std::uint32_t slot);
  void link_newest(std::uint32_t slot);

  std::size_t capacity_;
  double idle_timeout_;
  std::vector<Entry> entries_;
  std::vector<std::uint32_t> free_slots_;
  std::uint32_t newest_ = kNone, oldest_ = kNone;
  absl::flat_hash_map<FlowKey, std::uint32_t, FlowKeyHash> index_;
  std::uint64_t evictions_ = 0;
  std::uint64_t expirations_ = 0;
  std::function<void(std::uint32_t)> on_forget_;
};

}  // namespace lbsim::l4
