// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/agenda.hpp"

#include <simgrid/kernel/Timer.hpp>
#include <simgrid/s4u/Engine.hpp>

#include <algorithm>
#include <functional>
#include <vector>

namespace lbsim::engine {
namespace {

// The earliest event on top: std::push_heap keeps the greatest first.
struct Later {
  bool operator()(const Agenda::Event& a, const Agenda::Event& b) const {
    return a.date > b.date || (a.date == b.date && a.order > b.order);
  }
};

struct State {
  std::vector<Agenda::Event> events;  // a heap under Later
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
  while (!s.events.empty() && s.events.front().date <= now) {
    std::pop_heap(s.events.begin(), s.events.end(), Later());
    const Agenda::Event event = s.events.back();  // a copy: running it may grow the heap
    s.events.pop_back();
    ++s.run;
    event.run(event.action);
  }
  s.firing = false;
  if (!s.events.empty() && (s.armed.empty() || s.events.front().date < s.armed.front())) arm(s.events.front().date);
}

}  // namespace

void Agenda::schedule(Event& event) {
  State& s = state();
  event.date = std::max(event.date, simgrid::s4u::Engine::get_clock());
  event.order = s.scheduled++;
  s.events.push_back(event);
  std::push_heap(s.events.begin(), s.events.end(), Later());
  // While firing, the loop runs what is due now and arms for the rest when it is done.
  if (!s.firing && (s.armed.empty() || event.date < s.armed.front())) arm(event.date);
}

std::size_t Agenda::pending() { return state().events.size(); }
std::uint64_t Agenda::events_run() { return state().run; }

}  // namespace lbsim::engine
