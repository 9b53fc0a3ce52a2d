// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/agenda.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <tuple>
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

// The engine's rounds (summary.json's engine.rounds) count distinct instants: five
// events on three instants, and an actor's sleep ending on a fourth, make four rounds.
TEST(Agenda, EngineRoundsCountDistinctInstants) {
  Runtime runtime;
  one_host();
  Agenda::at(0.001, [] { note(1); });
  for (int i = 0; i < 3; ++i) Agenda::at(0.002, [] { note(2); });
  Agenda::at(0.003, [] { note(3); });
  sg4::Actor::create("sleeper", sg4::Host::by_name("h"), [] { sg4::this_actor::sleep_for(0.0025); });
  runtime.run();

  EXPECT_EQ(ran().size(), 5u);
  EXPECT_EQ(Runtime::rounds(), 4u);
}

// Many events on few instants, some scheduling more as they run (for now or later):
// every one runs once, at its date, and the whole run is ordered by (date, the order
// they were scheduled in) — the heap's invariant, checked against a plain sort.
TEST(Agenda, ManyEventsRunOnceEachInDateThenScheduleOrder) {
  Runtime runtime;
  one_host();
  struct Scheduled {
    double date;
    std::uint64_t order;
  };
  static std::vector<Scheduled> scheduled;  // by event number
  static std::vector<std::uint32_t> order_run;
  static std::mt19937_64 random(20261207);
  static auto date_after = [](double now) { return now + 0.001 * static_cast<double>(random() % 40); };
  struct Schedule {
    static void one(double date) {
      const auto number = static_cast<std::uint32_t>(scheduled.size());
      scheduled.push_back({date, scheduled.size()});
      Agenda::at(date, [number] {
        order_run.push_back(number);
        EXPECT_DOUBLE_EQ(sg4::Engine::get_clock(), scheduled[number].date) << "event " << number;
        if (scheduled.size() < 30'000 && random() % 3 == 0) one(date_after(sg4::Engine::get_clock()));
      });
    }
  };
  for (int i = 0; i < 10'000; ++i) Schedule::one(date_after(0));
  runtime.run();

  ASSERT_GT(scheduled.size(), 12'000u);  // events did schedule events
  ASSERT_EQ(order_run.size(), scheduled.size());
  std::vector<bool> seen(scheduled.size(), false);
  for (std::size_t i = 0; i < order_run.size(); ++i) {
    ASSERT_FALSE(seen[order_run[i]]) << "event " << order_run[i] << " ran twice";
    seen[order_run[i]] = true;
    if (i == 0) continue;
    const Scheduled& before = scheduled[order_run[i - 1]];
    const Scheduled& after = scheduled[order_run[i]];
    ASSERT_TRUE(std::tie(before.date, before.order) < std::tie(after.date, after.order)) << "position " << i;
  }
  EXPECT_EQ(Agenda::pending(), 0u);
}

}  // namespace
}  // namespace lbsim::engine
