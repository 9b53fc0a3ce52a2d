// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Message delivery in the order transfers complete.
//
// Why not SimGrid mailboxes: a permanent-receiver mailbox's get() takes the oldest
// *pending* transfer when none has finished yet, and waits for it. A node that
// receives both requests (20 ms away, across the internet) and replies (100 us away,
// from its own zone) would then hold finished replies behind an unfinished request:
// head-of-line blocking worth a whole internet latency. Instead, every transfer is a
// host-to-host comm; when the network model finishes it, its payload is appended to
// the destination's Inbox and one waiting actor is woken. Cost per hop: one comm,
// one hash-map entry, one semaphore release.
#include <simgrid/s4u.hpp>

#include <cstdint>
#include <deque>

namespace lbsim::engine {

class Inbox {
public:
  explicit Inbox(simgrid::s4u::Host* host);
  Inbox(const Inbox&) = delete;
  Inbox& operator=(const Inbox&) = delete;

  // Blocks the calling actor until a message has arrived, then returns it. Several
  // actors (a worker pool) may take from one inbox: each message goes to one of them.
  void* take();
  template <typename T> T* take_as() { return static_cast<T*>(take()); }
  // A message that has already arrived, or nullptr; never blocks.
  void* try_take();

  simgrid::s4u::Host* host() const { return host_; }
  // Messages that have arrived and wait for an actor to take them.
  std::size_t waiting() const { return queue_.size(); }

  struct Arrival {
    void* payload;
    simgrid::s4u::CommPtr comm;  // released by the taker, in actor context
  };
  // Called by Transport when a transfer to this inbox completes (kernel context).
  void arrive(Arrival arrival);

private:
  simgrid::s4u::Host* host_;
  std::deque<Arrival> queue_;
  simgrid::s4u::SemaphorePtr available_;
};

class Transport {
public:
  // Hooks the network model's completion signal; the Runtime calls it once.
  static void install();
  // Sends `bytes` from the calling actor's host to `to`'s host; `payload` lands in
  // `to` when the last byte arrives.
  static void send(Inbox& to, void* payload, double bytes);
  // Transfers in flight (for tests and leak checks).
  static std::size_t in_flight();
};

}  // namespace lbsim::engine
