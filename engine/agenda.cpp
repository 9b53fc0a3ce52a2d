// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/agenda.hpp"

#include <simgrid/kernel/Timer.hpp>
#include <simgrid/s4u/Engine.hpp>

#include <algorithm>
#include <functional>
#include <vector>

namespace lbsim::engine {
namespace {

// The heap holds small keys; the events themselves stay put in a slab, so a heap step
// moves 24 bytes, not an event. The earliest key on top: std::push_heap keeps the
// greatest first.
struct Key {
  double date;
  std::uint64_t order;  // schedule order: breaks ties between equal dates
  std::uint32_t slot;   // where the event is in the slab
};
struct Later {
  bool operator()(const Key& a, const Key& b) const { return a.date > b.date || (a.date == b.date && a.order > b.order); }
};

struct State {
  std::vector<Key> keys;                // a heap under Later
  std::vector<Agenda::Event> slab;      // events by slot
  std::vector<std::uint32_t> free_slots;
  // Dates SimGrid holds a timer for, earliest on top. Usually one; another is added when
  // an event is scheduled before the earliest, and a stale one fires with nothing due.
  std::vector<double> armed;
  std::uint64_t scheduled = 0;
  std::uint64_t run = 0;
  bool firing = false;
};

State& state() {
  static State s;
  return s;
}

void fire();

void arm(double date) {
  State& s = state();
  s.armed.push_back(date);
  std::push_heap(s.armed.begin(), s.armed.end(), std::greater<>());
  simgrid::kernel::timer::Timer::set(date, [] { fire(); });
}

// Runs every event due now, in order, including those they schedule for now; then asks
// SimGrid to come back at the next one.
void fire() {
  State& s = state();
  const double now = simgrid::s4u::Engine::get_clock();
  while (!s.armed.empty() && s.armed.front() <= now) {
    std::pop_heap(s.armed.begin(), s.armed.end(), std::greater<>());
    s.armed.pop_back();
  }
  s.firing = true;
  while (!s.keys.empty() && s.keys.front().date <= now) {
    std::pop_heap(s.keys.begin(), s.keys.end(), Later());
    const std::uint32_t slot = s.keys.back().slot;
    s.keys.pop_back();
    const Agenda::Event event = s.slab[slot];  // a copy: running it may grow the slab
    s.free_slots.push_back(slot);
    ++s.run;
    event.run(event.action);
  }
  s.firing = false;
  if (!s.keys.empty() && (s.armed.empty() || s.keys.front().date < s.armed.front())) arm(s.keys.front().date);
}

}  // namespace

void Agenda::schedule(double date, const Event& event) {
  State& s = state();
  date = std::max(date, simgrid::s4u::Engine::get_clock());
  std::uint32_t slot;
  if (s.free_slots.empty()) {
    slot = static_cast<std::uint32_t>(s.slab.size());
    s.slab.push_back(event);
  } else {
    slot = s.free_slots.back();
    s.free_slots.pop_back();
    s.slab[slot] = event;
  }
  s.keys.push_back({date, s.scheduled++, slot});
  std::push_heap(s.keys.begin(), s.keys.end(), Later());
  // While firing, the loop runs what is due now and arms for the rest when it is done.
  if (!s.firing && (s.armed.empty() || date < s.armed.front())) arm(date);
}

std::size_t Agenda::pending() { return state().keys.size(); }
std::uint64_t Agenda::events_run() { return state().run; }

}  // namespace lbsim::engine
