// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/transport.hpp"

#include <simgrid/kernel/Timer.hpp>
#include <simgrid/kernel/resource/Action.hpp>

#include <cmath>
#include <limits>
#include <unordered_map>
#include <utility>
#include <vector>

namespace sg4 = simgrid::s4u;
using simgrid::kernel::resource::Action;

namespace lbsim::engine {
namespace {

struct Delivery {
  Inbox* to;
  void* payload;
  sg4::CommPtr comm;
};

// Keyed by the comm's kernel activity, which is what the completion signal names.
std::unordered_map<const void*, Delivery>& in_flight_map() {
  static std::unordered_map<const void*, Delivery> deliveries;
  return deliveries;
}

// Finished comms, released at the next send: not inside the kernel's completion
// callback (where dropping the last reference would free the activity mid-finish), and
// not as late as when an actor takes the message, so a backlog of messages does not
// keep a backlog of finished transfers alive.
std::vector<sg4::CommPtr>& finished_comms() {
  static std::vector<sg4::CommPtr> finished;
  return finished;
}

void on_network_action_change(simgrid::kernel::resource::NetworkAction& network_action, Action::State /*previous*/) {
  // SimGrid 3.32 installs Action's header but not NetworkAction's; NetworkAction
  // derives from Action alone, so the object is an Action at the same address.
  auto& action = reinterpret_cast<Action&>(network_action);
  if (action.get_state() != Action::State::FINISHED) return;
  auto& deliveries = in_flight_map();
  const auto found = deliveries.find(action.get_activity());
  if (found == deliveries.end()) return;  // not one of ours
  Delivery delivery = std::move(found->second);
  deliveries.erase(found);
  finished_comms().push_back(std::move(delivery.comm));
  delivery.to->arrive({delivery.payload});
}

}  // namespace

Inbox::Inbox(sg4::Host* host) : host_(host), available_(sg4::Semaphore::create(0)) {}

void* Inbox::take() {
  double arrived_at = 0;
  return take(arrived_at);
}

void* Inbox::take(double& arrived_at) {
  available_->acquire();
  Arrival arrival = std::move(queue_.front());
  queue_.pop_front();
  arrived_at = arrival.arrived_at;
  return arrival.payload;
}

void* Inbox::try_take() {
  if (queue_.empty()) return nullptr;
  return take();  // the semaphore holds one token per queued message: no wait
}

void Inbox::arrive(Arrival arrival) {
  arrival.arrived_at = sg4::Engine::get_clock();
  queue_.push_back(std::move(arrival));
  max_waiting_ = std::max(max_waiting_, queue_.size());
  // Runs in the simulation kernel: Semaphore::release takes its kernel fast path there.
  available_->release();
}

void Transport::install() { sg4::Link::on_communication_state_change_cb(on_network_action_change); }

namespace {

// The largest TCP window (CM02's gamma): a message beyond it needs more round trips.
constexpr double kTcpWindowBytes = 4194304.0;
// An Ethernet MTU's worth: a message this small travels as one packet.
constexpr double kOnePacketBytes = 1500.0;

std::unordered_map<const sg4::Link*, double>& link_latencies() {
  static std::unordered_map<const sg4::Link*, double> latencies;
  return latencies;
}

std::uint64_t g_messages = 0;
std::uint64_t g_transfers = 0;

std::size_t& propagating() {
  static std::size_t count = 0;
  return count;
}

// Runs in the simulation kernel when a message's propagation delay has passed.
void start_transfer(sg4::Host* from, Inbox* to, void* payload, double bytes) {
  --propagating();
  if (bytes <= 0) {
    to->arrive({payload});
    return;
  }
  ++g_transfers;
  sg4::CommPtr comm = sg4::Comm::sendto_init(from, to->host());
  comm->set_payload_size(static_cast<std::uint64_t>(std::llround(bytes)));
  // Registered before it starts, so even an instant transfer finds its delivery.
  in_flight_map().emplace(comm->get_impl(), Delivery{to, payload, comm});
  comm->start();
}

}  // namespace

void Transport::set_link_latency(const sg4::Link* link, double latency_s) { link_latencies()[link] = latency_s; }

namespace {
struct HostPairHash {
  std::size_t operator()(const std::pair<const sg4::Host*, const sg4::Host*>& p) const {
    return std::hash<const void*>{}(p.first) * 31 + std::hash<const void*>{}(p.second);
  }
};
}  // namespace

struct Path {
  double latency = 0;
  double bandwidth = 0;  // the narrowest link's
};

// Every message asks: hashed, and the route is computed once per host pair.
const Path& path_between(sg4::Host* from, sg4::Host* to) {
  static std::unordered_map<std::pair<const sg4::Host*, const sg4::Host*>, Path, HostPairHash> cache;
  const std::pair<const sg4::Host*, const sg4::Host*> key{from, to};
  if (const auto found = cache.find(key); found != cache.end()) return found->second;
  std::vector<sg4::Link*> route;
  from->route_to(to, route, nullptr);
  Path path;
  path.bandwidth = std::numeric_limits<double>::infinity();
  for (const sg4::Link* link : route) {
    if (const auto found = link_latencies().find(link); found != link_latencies().end()) path.latency += found->second;
    path.bandwidth = std::min(path.bandwidth, link->get_bandwidth());
  }
  return cache.emplace(key, path).first->second;
}


void Transport::send(Inbox& to, void* payload, double bytes) {
  finished_comms().clear();
  ++g_messages;
  sg4::Host* from = sg4::this_actor::get_host();
  if (from == to.host()) {
    // Same host: no network to cross.
    to.arrive({payload});
    return;
  }
  const Path& path = path_between(from, to.host());
  const double latency = path.latency;
  if (bytes <= kOnePacketBytes) {
    // One packet cannot congest a link by itself: it costs its path's latency and its
    // serialisation on the narrowest link, computed here rather than by the solver.
    const double delay = latency + (std::isfinite(path.bandwidth) ? bytes / path.bandwidth : 0.0);
    Inbox* destination = &to;
    simgrid::kernel::timer::Timer::set(sg4::Engine::get_clock() + delay, [destination, payload] { destination->arrive({payload}); });
    return;
  }
  const double extra_windows = bytes > kTcpWindowBytes ? std::floor((bytes - 1) / kTcpWindowBytes) : 0.0;
  const double delay = latency + extra_windows * 2 * latency;
  ++propagating();
  Inbox* destination = &to;
  simgrid::kernel::timer::Timer::set(sg4::Engine::get_clock() + delay, [from, destination, payload, bytes] {
    start_transfer(from, destination, payload, bytes);
  });
}

std::uint64_t Transport::messages_sent() { return g_messages; }
std::uint64_t Transport::transfers_started() { return g_transfers; }

std::size_t Transport::in_flight() { return in_flight_map().size() + propagating(); }

}  // namespace lbsim::engine
