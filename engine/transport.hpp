// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Message delivery in the order transfers complete.
//
// Propagation and transfer are modelled apart. SimGrid 3.32 registers every
// host-to-host comm in one global list that it scans linearly when the comm ends, so
// each comm in flight slows every completion (measured: 45 % of a two-tier run when
// comms carried their 20 ms internet latency). So links have zero latency in SimGrid;
// a message first waits its path's propagation delay on a kernel timer, then its bytes
// cross the links as a comm. A message that fits in TCP's largest window (4 MiB, CM02's
// gamma) leaves at line rate, as one window does on a warm connection; a larger one
// waits one more round trip per extra window. (CM02's fluid bound, gamma / (2 x
// latency) per flow, would slow even a 50 KB response over a 20 ms path.) Flows share
// a link max-min fairly (CM02 would weight them by latency). A message within TCP's
// initial window (<= 10 x 1448 bytes: SYNs, requests, most small responses, error pages,
// probes) leaves as one burst of back-to-back packets, so it skips the solver: latency,
// plus its wait behind earlier bursts in its sender's NIC (FIFO, as packets are
// serialised: simultaneous small messages leave one after another instead of sharing
// the link fluidly and finishing together), plus its size over the path's narrowest
// link. Bursts do not queue at the receiving end, and bursts and solver flows do not see
// each other's load: a link carrying large transfers and many small messages at once is
// modelled as less busy than it is.
// Bytes are still counted on every node a message crosses.
//
// Why not SimGrid mailboxes: a permanent-receiver mailbox's get() takes the oldest
// *pending* transfer when none has finished yet, and waits for it. A node that
// receives both requests (20 ms away, across the internet) and replies (100 us away,
// from its own zone) would then hold finished replies behind an unfinished request:
// head-of-line blocking worth a whole internet latency. Instead, every transfer is a
// host-to-host comm; when the network model finishes it, its payload is appended to
// the destination's Inbox and one waiting actor is woken. Cost per hop: one kernel
// timer, one comm, one hash-map entry, one semaphore release.
#include <simgrid/s4u.hpp>

#include <cstdint>
#include <deque>
#include <functional>
#include <vector>

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
  // Like take, and says when the message arrived (its wait in this inbox is now − that).
  void* take(double& arrived_at);
  // A message that has already arrived, or nullptr; never blocks.
  void* try_take();

  // A node that is down handles what reaches it at once, in the simulation kernel,
  // instead of queueing it for actors that no longer run: a dark host swallows it, a
  // crashed process's kernel answers with a reset. Installing a diversion also hands
  // it whatever was already queued (from an actor or the kernel). `restore` undoes it.
  using Diversion = std::function<void(void* payload)>;
  void divert(Diversion diversion);
  void restore() { diversion_ = nullptr; }
  bool diverted() const { return static_cast<bool>(diversion_); }
  // A node whose work takes no time handles each message as it arrives, in the
  // simulation kernel, with no actor to wake (an L4 node without a packet-rate limit:
  // the hop then costs no context switch). The handler must not block, and sends with
  // Transport::send_from. A diversion still comes first.
  void set_handler(Diversion handler) { handler_ = std::move(handler); }

  simgrid::s4u::Host* host() const { return host_; }
  // Messages that have arrived and wait for an actor to take them.
  std::size_t waiting() const { return queue_.size(); }
  // The most messages that ever waited here at once.
  std::size_t max_waiting() const { return max_waiting_; }

  struct Arrival {
    void* payload;
    double arrived_at = 0;
  };
  // Called by Transport when a transfer to this inbox completes (kernel context).
  void arrive(Arrival arrival);

private:
  simgrid::s4u::Host* host_;
  std::deque<Arrival> queue_;
  std::size_t max_waiting_ = 0;
  simgrid::s4u::SemaphorePtr available_;
  Diversion diversion_;
  Diversion handler_;
};

class Transport {
public:
  // Hooks the network model's completion signal; the Runtime calls it once.
  static void install();
  // The propagation latency a link stands for (its SimGrid latency is zero).
  static void set_link_latency(const simgrid::s4u::Link* link, double latency_s);
  // Sends `bytes` from the calling actor's host to `to`'s host; `payload` lands in
  // `to` when the last byte arrives.
  static void send(Inbox& to, void* payload, double bytes);
  // The same from a given host; callable from the simulation kernel too (a diversion).
  static void send_from(simgrid::s4u::Host* from, Inbox& to, void* payload, double bytes);

  // Faults on links. A blocked link swallows every message that would cross it (a
  // partition); the drop handler learns of each. A lossy one delays a message by TCP's
  // retransmission timeouts when one of its packets is lost (see transport.cpp). The
  // extra latency adds to the link's own. Each call replaces the link's previous state.
  using DropHandler = std::function<void(void* payload)>;
  static void set_drop_handler(DropHandler handler);
  static void set_link_fault(const simgrid::s4u::Link* link, bool blocked, double extra_latency_s, double loss);
  static void set_seed(std::uint64_t seed);

  // Bytes that crossed a zone boundary (links marked here), by interval of the run.
  static void mark_cross_zone(const simgrid::s4u::Link* link);
  static void set_accounting_interval(double seconds);
  static const std::vector<double>& cross_zone_bytes();
  // Transfers in flight (for tests and leak checks).
  static std::size_t in_flight();
  // The run is over: transfers still going are cancelled and none starts any more.
  // SimGrid would otherwise simulate each to its end, however far: a 100 GB answer on a
  // 1 Mbps link kept a finished 6 s run busy for 250 s of wall time.
  static void abandon_all();
  // Messages sent so far, and how many crossed the network (the rest stayed on a host).
  static std::uint64_t messages_sent();
  static std::uint64_t transfers_started();
};

}  // namespace lbsim::engine
