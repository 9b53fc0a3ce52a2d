// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/transport.hpp"

#include <absl/container/flat_hash_map.h>

#include "engine/agenda.hpp"

#include <simgrid/kernel/resource/Action.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "util/random.hpp"

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

// Finished comms, with the simulated time they finished, released by a later send once
// the clock has moved past that time: never in the kernel round that finishes them
// (dropping the last reference there would free the activity mid-finish), and not as
// late as when an actor takes the message, so a backlog of messages does not keep a
// backlog of finished transfers alive.
struct FinishedComm {
  double at;
  sg4::CommPtr comm;
};
std::deque<FinishedComm>& finished_comms() {
  static std::deque<FinishedComm> finished;
  return finished;
}

void release_finished_comms() {
  const double now = sg4::Engine::get_clock();
  auto& finished = finished_comms();
  while (!finished.empty() && finished.front().at < now) finished.pop_front();
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
  finished_comms().push_back({sg4::Engine::get_clock(), std::move(delivery.comm)});
  delivery.to->arrive({delivery.payload});
}

}  // namespace

Inbox::Inbox(sg4::Host* host) : host_(host), available_(sg4::Semaphore::create(0)) {}

void* Inbox::take() {
  double arrived_at = 0;
  return take(arrived_at);
}

void* Inbox::take(double& arrived_at) {
  // A token may be stale: a diversion took its message straight from the queue.
  do {
    available_->acquire();
  } while (queue_.empty());
  Arrival arrival = std::move(queue_.front());
  queue_.pop_front();
  arrived_at = arrival.arrived_at;
  return arrival.payload;
}

void* Inbox::try_take() {
  if (queue_.empty()) return nullptr;
  return take();  // the semaphore holds one token per queued message: no wait
}

void Inbox::divert(Diversion diversion) {
  diversion_ = std::move(diversion);
  // Straight from the queue, so this works in the kernel too (the semaphore's tokens for
  // these messages go stale; take() skips them).
  while (!queue_.empty()) {
    void* queued = queue_.front().payload;
    queue_.pop_front();
    diversion_(queued);
  }
}

void Inbox::arrive(Arrival arrival) {
  if (diversion_) {
    diversion_(arrival.payload);
    return;
  }
  if (handler_) {
    handler_(arrival.payload);
    return;
  }
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
// TCP's initial window (RFC 6928: 10 segments of 1448 bytes): a message this small leaves
// as one back-to-back burst of packets, even on a fresh connection.
constexpr double kBurstBytes = 10 * 1448.0;

// What lbsim adds to a SimGrid link: its propagation latency (zero in SimGrid) and faults.
struct LinkState {
  double latency = 0;
  double extra_latency = 0;
  double loss = 0;
  bool blocked = false;
  bool cross_zone = false;
  double busy_until = 0;  // a shared link: when the bursts already queued on it are through
};

std::unordered_map<const sg4::Link*, LinkState>& link_states() {
  static std::unordered_map<const sg4::Link*, LinkState> states;
  return states;
}

Transport::DropHandler& drop_handler() {
  static Transport::DropHandler handler;
  return handler;
}

Random& loss_random() {
  static Random random(1);
  return random;
}

struct CrossZoneAccount {
  double interval = 1;
  std::vector<double> bytes;
};
CrossZoneAccount& cross_zone_account() {
  static CrossZoneAccount account;
  return account;
}

std::uint64_t g_messages = 0;
std::uint64_t g_transfers = 0;

std::size_t& propagating() {
  static std::size_t count = 0;
  return count;
}

bool& abandoned() {
  static bool over = false;
  return over;
}

// Runs in the simulation kernel when a message's propagation delay has passed.
void start_transfer(sg4::Host* from, Inbox* to, void* payload, double bytes) {
  --propagating();
  if (abandoned()) return;  // the run is over: nobody would read it
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

namespace {
struct Path {
  double latency = 0;
  double bandwidth = 0;  // the narrowest link's
  double loss = 0;       // a packet's chance to be lost somewhere on the path
  bool blocked = false;
  bool cross_zone = false;
  // The sender's own link, when it is shared (a NIC, not a FATPIPE that gives every flow
  // all of it): bursts queue on it.
  bool sends_on_shared_link = false;
  LinkState* first_link = nullptr;  // stable: the map's nodes never move
  double first_link_serialisation = 0;  // seconds per byte
};

// Every message asks for its path: hashed in a flat table, and the route computed once
// per host pair (and again after a link fault changes what a route costs). (Not by
// netpoint number: those count within a zone, so hosts of two zones share them.)
using PathCache = absl::flat_hash_map<std::pair<const sg4::Host*, const sg4::Host*>, Path>;
PathCache& path_cache() {
  static PathCache cache;
  return cache;
}

const Path& path_between(sg4::Host* from, sg4::Host* to) {
  const std::pair<const sg4::Host*, const sg4::Host*> key{from, to};
  if (const auto found = path_cache().find(key); found != path_cache().end()) return found->second;
  std::vector<sg4::Link*> route;
  from->route_to(to, route, nullptr);
  Path path;
  path.bandwidth = std::numeric_limits<double>::infinity();
  double delivered = 1;
  for (const sg4::Link* link : route) {
    LinkState& state = link_states()[link];
    if (link == route.front() && link->get_sharing_policy() != sg4::Link::SharingPolicy::FATPIPE && link->get_bandwidth() > 0) {
      path.sends_on_shared_link = true;
      path.first_link = &state;
      path.first_link_serialisation = 1 / link->get_bandwidth();
    }
    path.latency += state.latency + state.extra_latency;
    delivered *= 1 - state.loss;
    path.blocked = path.blocked || state.blocked;
    path.cross_zone = path.cross_zone || state.cross_zone;
    path.bandwidth = std::min(path.bandwidth, link->get_bandwidth());
  }
  path.loss = 1 - delivered;
  return path_cache().emplace(key, path).first->second;
}

// A lost packet costs TCP a retransmission timeout: Linux's minimum, 200 ms, doubling
// while the retransmission is lost too. Coarse on purpose — fast retransmit would
// recover some losses in one round trip — and it keeps a lossy link visible as tail
// latency, which is what users see of it.
double retransmission_delay(double bytes, double packet_loss) {
  constexpr double kSegmentBytes = 1448;
  constexpr double kMinRtoSeconds = 0.2, kMaxRtoSeconds = 120;
  const double packets = std::max(1.0, std::ceil(bytes / kSegmentBytes));
  const double message_loss = 1 - std::pow(1 - packet_loss, packets);
  double delay = 0;
  for (double rto = kMinRtoSeconds; rto <= kMaxRtoSeconds && loss_random().uniform01() < message_loss; rto *= 2) delay += rto;
  return delay;
}

// How long a burst waits in its sender's transmit queue: the first link of a host's
// route is its own NIC, which sends the bursts handed to it one after another (FIFO in
// the order they were sent, exact since they all start there at once). So simultaneous
// bursts leave spread out by their serialisation and do not meet again downstream, where
// a fluid model would have them share every link and finish together. Further links are
// not queued on: bursts reach them at different times from different distances, and
// ordering them by arrival would cost an event per link.
double queueing_delay(const Path& path, double bytes, double now) {
  if (!path.sends_on_shared_link) return 0;
  LinkState& nic = *path.first_link;
  const double start = std::max(now, nic.busy_until);
  nic.busy_until = start + bytes * path.first_link_serialisation;
  return start - now;
}

void count_cross_zone(double bytes) {
  CrossZoneAccount& account = cross_zone_account();
  const auto index = static_cast<std::size_t>(sg4::Engine::get_clock() / account.interval);
  if (index >= account.bytes.size()) account.bytes.resize(index + 1, 0.0);
  account.bytes[index] += bytes;
}
}  // namespace

void Transport::set_link_latency(const sg4::Link* link, double latency_s) { link_states()[link].latency = latency_s; }

void Transport::mark_cross_zone(const sg4::Link* link) { link_states()[link].cross_zone = true; }

void Transport::set_link_fault(const sg4::Link* link, bool blocked, double extra_latency_s, double loss) {
  LinkState& state = link_states()[link];
  state.blocked = blocked;
  state.extra_latency = extra_latency_s;
  state.loss = loss;
  path_cache().clear();
}

void Transport::set_drop_handler(DropHandler handler) { drop_handler() = std::move(handler); }
void Transport::set_seed(std::uint64_t seed) { loss_random() = Random::stream(seed, "transport-loss"); }
void Transport::set_accounting_interval(double seconds) { cross_zone_account().interval = seconds; }
const std::vector<double>& Transport::cross_zone_bytes() { return cross_zone_account().bytes; }

void Transport::send(Inbox& to, void* payload, double bytes) { send_from(sg4::this_actor::get_host(), to, payload, bytes); }

void Transport::send_from(sg4::Host* from, Inbox& to, void* payload, double bytes) {
  release_finished_comms();
  ++g_messages;
  if (from == to.host()) {
    // Same host: no network to cross.
    to.arrive({payload});
    return;
  }
  const Path& path = path_between(from, to.host());
  if (path.blocked) {
    if (drop_handler()) drop_handler()(payload);
    return;
  }
  if (path.cross_zone) count_cross_zone(bytes);
  const double latency = path.latency + (path.loss > 0 ? retransmission_delay(bytes, path.loss) : 0.0);
  if (bytes <= kBurstBytes) {
    // A burst within TCP's initial window: its path's latency, its queueing behind the
    // bursts before it in its sender's NIC, and its serialisation on the narrowest link,
    // computed here rather than by the fluid solver.
    const double now = sg4::Engine::get_clock();
    const double delay = latency + queueing_delay(path, bytes, now) + (std::isfinite(path.bandwidth) ? bytes / path.bandwidth : 0.0);
    Inbox* destination = &to;
    Agenda::at(now + delay, [destination, payload] { destination->arrive({payload}); });
    return;
  }
  const double extra_windows = bytes > kTcpWindowBytes ? std::floor((bytes - 1) / kTcpWindowBytes) : 0.0;
  const double delay = latency + extra_windows * 2 * path.latency;
  ++propagating();
  Inbox* destination = &to;
  Agenda::at(sg4::Engine::get_clock() + delay, [from, destination, payload, bytes] {
    start_transfer(from, destination, payload, bytes);
  });
}

std::uint64_t Transport::messages_sent() { return g_messages; }
std::uint64_t Transport::transfers_started() { return g_transfers; }

void Transport::abandon_all() {
  abandoned() = true;
  std::vector<sg4::CommPtr> comms;
  for (auto& [activity, delivery] : in_flight_map()) comms.push_back(delivery.comm);
  in_flight_map().clear();
  for (auto& comm : comms) comm->cancel();
}

std::size_t Transport::in_flight() { return in_flight_map().size() + propagating(); }

}  // namespace lbsim::engine
