// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The kept-alive connections an L7 proxy holds to each backend of a group (Envoy's
// connection pool with max_connections): an idle one is reused, below the limit a new one
// is opened (a TCP round trip), and beyond it a request waits, first come first served,
// unless the caller's circuit breaker refuses it. A connection that ends (a reset, a
// timeout) makes room for a new one. Only the decisions: the caller sends, connects and
// answers; `Waiting` is whatever it queues (the simulator's Request*, the testbed's own).
#include <cstdint>
#include <deque>
#include <vector>

namespace lbsim::l7 {

template <class Waiting>
class ConnectionPool {
public:
  enum class Acquired { reuse, open, wait, overflow };

  ConnectionPool(std::size_t backends, std::uint32_t max_per_backend) : slots_(backends), max_per_backend_(max_per_backend) {}

  // A request for backend `slot`: reuse an idle connection, open one (counted open now),
  // or wait for one (queued here) when `may_wait`, else overflow.
  Acquired acquire(std::size_t slot, Waiting request, bool may_wait) {
    Slot& s = slots_[slot];
    if (s.idle > 0) {
      --s.idle;
      return Acquired::reuse;
    }
    if (s.open < max_per_backend_) {
      ++s.open;
      return Acquired::open;
    }
    if (!may_wait) return Acquired::overflow;
    s.waiting.push_back(request);
    ++pending_;
    return Acquired::wait;
  }

  // An exchange ended with the connection still up: it passes straight to the next
  // request in line (returned, to send on it), or becomes idle (nothing returned).
  bool release(std::size_t slot, Waiting& next) {
    Slot& s = slots_[slot];
    if (s.waiting.empty()) {
      ++s.idle;
      return false;
    }
    next = pop(s);
    return true;
  }

  // An exchange ended with the connection closed: the next request in line, if any, gets
  // a new one in its place (returned, counted open, to connect).
  bool close(std::size_t slot, Waiting& next) {
    Slot& s = slots_[slot];
    if (s.waiting.empty()) {
      --s.open;
      return false;
    }
    next = pop(s);
    return true;
  }

  // Requests waiting for a connection, over every backend (Envoy's pending requests).
  std::uint32_t pending() const { return pending_; }
  std::uint32_t open(std::size_t slot) const { return slots_[slot].open; }
  std::uint32_t idle(std::size_t slot) const { return slots_[slot].idle; }

  // Every connection gone (the proxy died): each waiting request is handed to `drop`.
  template <class Drop>
  void clear(Drop drop) {
    for (std::size_t slot = 0; slot < slots_.size(); ++slot) {
      for (Waiting request : slots_[slot].waiting) drop(slot, request);
      slots_[slot] = {};
    }
    pending_ = 0;
  }

private:
  struct Slot {
    std::uint32_t idle = 0;
    std::uint32_t open = 0;
    std::deque<Waiting> waiting;
  };

  Waiting pop(Slot& s) {
    Waiting next = s.waiting.front();
    s.waiting.pop_front();
    --pending_;
    return next;
  }

  std::vector<Slot> slots_;
  std::uint32_t max_per_backend_;
  std::uint32_t pending_ = 0;
};

}  // namespace lbsim::l7
