// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// lbsim's own dated events (a message's arrival, the end of a backend's service or of an
// L7 core's work, a client's next arrival), in one queue behind one SimGrid timer.
//
// Why not a SimGrid timer each: SimGrid 3.32 keeps its timers in a Fibonacci heap, one
// node, one Timer and one type-erased callback allocated per timer, and its pops chase
// pointers through thousands of them (Timer::execute_all was the top symbol of a
// two-tier run's profile).
// Here an event is a fixed-size record in a slab, ordered by a binary heap of small keys
// (date, schedule order, slot), and SimGrid holds only the earliest date, so the engine still advances its clock to every event and the
// network and CPU models see the same instants.
//
// Order: by date, and events due at the same instant in the order they were scheduled.
// (SimGrid's heap ordered such ties by its own history, so an unrelated timer could
// reorder two simultaneous messages; here it cannot.)
#include <cstddef>
#include <cstdint>
#include <new>
#include <type_traits>

namespace lbsim::engine {

class Agenda {
public:
  static constexpr std::size_t kMaxActionBytes = 48;

  // Runs `action` in the simulation kernel at `date` (now, if `date` has passed). The
  // action is a small callable of plain values (pointers, numbers): it is copied
  // byte for byte and never destroyed, so the hot path allocates nothing.
  template <typename Action>
  static void at(double date, const Action& action) {
    static_assert(sizeof(Action) <= kMaxActionBytes, "an agenda action carries at most 48 bytes of captures");
    static_assert(alignof(Action) <= alignof(std::max_align_t));
    static_assert(std::is_trivially_copyable_v<Action> && std::is_trivially_destructible_v<Action>,
                  "an agenda action captures plain values only");
    Event event;
    event.run = [](const void* stored) { (*static_cast<const Action*>(stored))(); };
    new (event.action) Action(action);
    schedule(date, event);
  }

  // Events waiting, and events run so far (for tests and the benchmark).
  static std::size_t pending();
  static std::uint64_t events_run();

  // What runs; its date lives in the heap's key only.
  struct Event {
    void (*run)(const void* action) = nullptr;
    alignas(std::max_align_t) unsigned char action[kMaxActionBytes];
  };

private:
  static void schedule(double date, const Event& event);
};

}  // namespace lbsim::engine
