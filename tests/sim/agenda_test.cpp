// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/agenda.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/runtime.hpp"

namespace sg4 = simgrid::s4u;

namespace lbsim::engine {
namespace {

// What ran, and SimGrid's clock when it did.
struct Ran {
  int what;
  double at;
};
std::vector<Ran>& ran() {
  static std::vector<Ran> log;
  return log;
}
void note(int what) { ran().push_back({what, sg4::Engine::get_clock()}); }

void one_host() {
  sg4::NetZone* zone = sg4::create_full_zone("z");
  zone->create_host("h", 1e9);
  zone->seal();
}

// Events run at their dates, earliest first whatever order they were scheduled in, with
// SimGrid's clock at the date; equal dates run in the order they were scheduled.
TEST(Agenda, RunsEachEventAtItsDateAndTiesInTheOrderScheduled) {
  Runtime runtime;
  one_host();
  Agenda::at(0.003, [] { note(3); });
  Agenda::at(0.001, [] { note(1); });
  Agenda::at(0.002, [] { note(21); });
  Agenda::at(0.002, [] { note(22); });
  Agenda::at(0.002, [] { note(23); });
  runtime.run();

  const std::vector<int> order{1, 21, 22, 23, 3};
  ASSERT_EQ(ran().size(), order.size());
  for (std::size_t i = 0; i < order.size(); ++i) EXPECT_EQ(ran()[i].what, order[i]) << "event " << i;
  EXPECT_DOUBLE_EQ(ran()[0].at, 0.001);
  EXPECT_DOUBLE_EQ(ran()[1].at, 0.002);
  EXPECT_DOUBLE_EQ(ran()[3].at, 0.002);
  EXPECT_DOUBLE_EQ(ran()[4].at, 0.003);
  EXPECT_EQ(Agenda::pending(), 0u);
  EXPECT_EQ(Agenda::events_run(), 5u);
}

// An event may schedule others: for now (run in the same instant, after it), for later,
// and for before the date SimGrid was asked to come back at (it comes back earlier).
TEST(Agenda, EventsScheduledByEventsRunInOrderEvenBeforeTheDateAlreadyArmed) {
  Runtime runtime;
  one_host();
  Agenda::at(0.010, [] {
    note(10);
    Agenda::at(0.010, [] { note(11); });
    Agenda::at(0.030, [] { note(30); });
    Agenda::at(0.020, [] { note(20); });
  });
  Agenda::at(0.050, [] { note(50); });
  // Scheduled from an actor once SimGrid holds a timer for 0.010: one for 0.005 must
  // not wait for it.
  sg4::Actor::create("late", sg4::Host::by_name("h"), [] {
    sg4::this_actor::sleep_for(0.001);
    Agenda::at(0.005, [] { note(5); });
  });
  runtime.run();

  const std::vector<std::pair<int, double>> expected{{5, 0.005}, {10, 0.010}, {11, 0.010}, {20, 0.020}, {30, 0.030}, {50, 0.050}};
  ASSERT_EQ(ran().size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(ran()[i].what, expected[i].first) << "event " << i;
    EXPECT_DOUBLE_EQ(ran()[i].at, expected[i].second) << "event " << i;
  }
}

// A date already past runs now rather than never; and an action's captures arrive intact.
TEST(Agenda, APastDateRunsNowAndCapturesArriveIntact) {
  Runtime runtime;
  one_host();
  static double seen_value = 0;
  static const char* seen_text = nullptr;
  sg4::Actor::create("past", sg4::Host::by_name("h"), [] {
    sg4::this_actor::sleep_for(0.004);
    const double value = 2.5;
    const char* text = "kept";
    Agenda::at(0.001, [value, text] {
      seen_value = value;
      seen_text = text;
      note(1);
    });
  });
  runtime.run();

  ASSERT_EQ(ran().size(), 1u);
  EXPECT_DOUBLE_EQ(ran()[0].at, 0.004);
  EXPECT_DOUBLE_EQ(seen_value, 2.5);
  EXPECT_EQ(std::string(seen_text), "kept");
}

}  // namespace
}  // namespace lbsim::engine
