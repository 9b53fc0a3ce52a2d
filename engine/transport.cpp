// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/transport.hpp"

#include <simgrid/kernel/resource/Action.hpp>

#include <cmath>
#include <unordered_map>

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
  delivery.to->arrive({delivery.payload, std::move(delivery.comm)});
}

}  // namespace

Inbox::Inbox(sg4::Host* host) : host_(host), available_(sg4::Semaphore::create(0)) {}

void* Inbox::take() {
  available_->acquire();
  Arrival arrival = std::move(queue_.front());
  queue_.pop_front();
  return arrival.payload;  // arrival.comm is released here, in actor context
}

void* Inbox::try_take() {
  if (queue_.empty()) return nullptr;
  return take();  // the semaphore holds one token per queued message: no wait
}

void Inbox::arrive(Arrival arrival) {
  queue_.push_back(std::move(arrival));
  // Runs in the simulation kernel: Semaphore::release takes its kernel fast path there.
  available_->release();
}

void Transport::install() { sg4::Link::on_communication_state_change_cb(on_network_action_change); }

void Transport::send(Inbox& to, void* payload, double bytes) {
  sg4::Host* from = sg4::this_actor::get_host();
  if (from == to.host()) {
    // Same host: no network to cross.
    to.arrive({payload, nullptr});
    return;
  }
  sg4::CommPtr comm = sg4::Comm::sendto_init(from, to.host());
  comm->set_payload_size(static_cast<std::uint64_t>(std::llround(bytes)));
  // Registered before it starts, so even an instant transfer finds its delivery.
  in_flight_map().emplace(comm->get_impl(), Delivery{&to, payload, comm});
  comm->start();
}

std::size_t Transport::in_flight() { return in_flight_map().size(); }

}  // namespace lbsim::engine
