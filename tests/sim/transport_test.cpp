// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/transport.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "engine/runtime.hpp"

namespace sg4 = simgrid::s4u;

namespace lbsim::engine {
namespace {

// A 10 MB transfer started first and a 500 B one started 1 ms later, to the same
// inbox over a 10 ms, 1 GB/s link: the small one must be taken first (at 11 ms), not
// held behind the large one (10 ms + two extra TCP windows' round trips + 10 ms of
// transfer = 60 ms) as a mailbox would.
TEST(Transport, DeliversInCompletionOrder) {
  Runtime runtime;
  sg4::NetZone* zone = sg4::create_full_zone("z");
  sg4::Host* a = zone->create_host("a", 1e9);
  sg4::Host* b = zone->create_host("b", 1e9);
  sg4::Link* link = zone->create_link("l", 1e9)->seal();
  Transport::set_link_latency(link, 0.010);  // as build_platform does: propagation is the transport's
  zone->add_route(a->get_netpoint(), b->get_netpoint(), nullptr, nullptr, {sg4::LinkInRoute(link)}, true);
  zone->seal();

  static Inbox* inbox = nullptr;
  Inbox receiving(b);
  inbox = &receiving;
  static int large = 1, small = 2;
  static std::vector<std::pair<int, double>> taken;
  sg4::Actor::create("receiver", b, [] {
    for (int i = 0; i < 2; ++i) {
      const int* what = inbox->take_as<int>();
      taken.emplace_back(*what, sg4::Engine::get_clock());
    }
  });
  sg4::Actor::create("sender", a, [] {
    Transport::send(*inbox, &large, 10e6);
    sg4::this_actor::sleep_for(0.001);
    Transport::send(*inbox, &small, 500);
  });
  runtime.run();

  ASSERT_EQ(taken.size(), 2u);
  EXPECT_EQ(taken[0].first, small);
  EXPECT_EQ(taken[1].first, large);
  EXPECT_NEAR(taken[0].second, 0.011 + 500 / 1e9, 1e-9);
  EXPECT_NEAR(taken[1].second, 0.060, 1e-9);
  EXPECT_EQ(Transport::in_flight(), 0u);
}

TEST(Transport, OneSimulationPerProcess) {
  Runtime first;
  EXPECT_THROW(Runtime second, std::logic_error);
}

}  // namespace
}  // namespace lbsim::engine

namespace lbsim::engine {
namespace {

// Two 2 MB transfers from two hosts into one host's 1 GB/s link, started together,
// share it fairly at 500 MB/s each: both land at 1 ms (latency) + 4 ms. Alone, a 2 MB
// transfer takes 2 ms. A 10 MB one exceeds TCP's 4 MiB window: it waits two more
// round trips (2 x 2 ms) before its 10 ms of transfer.
TEST(Transport, ABottleneckIsSharedFairlyAndBigMessagesPayTheirWindows) {
  Runtime runtime;
  sg4::NetZone* zone = sg4::create_full_zone("z");
  sg4::Host* a = zone->create_host("a", 1e9);
  sg4::Host* b = zone->create_host("b", 1e9);
  sg4::Host* c = zone->create_host("c", 1e9);
  sg4::Link* wide_a = zone->create_link("wa", 100e9)->seal();
  sg4::Link* wide_b = zone->create_link("wb", 100e9)->seal();
  sg4::Link* bottleneck = zone->create_link("into-c", 1e9)->seal();
  Transport::set_link_latency(bottleneck, 0.001);
  zone->add_route(a->get_netpoint(), c->get_netpoint(), nullptr, nullptr, {sg4::LinkInRoute(wide_a), sg4::LinkInRoute(bottleneck)}, true);
  zone->add_route(b->get_netpoint(), c->get_netpoint(), nullptr, nullptr, {sg4::LinkInRoute(wide_b), sg4::LinkInRoute(bottleneck)}, true);
  zone->seal();

  static Inbox* inbox = nullptr;
  Inbox receiving(c);
  inbox = &receiving;
  static int from_a = 1, from_b = 2, alone = 3, big = 4;
  static std::vector<std::pair<int, double>> taken;
  sg4::Actor::create("receiver", c, [] {
    for (int i = 0; i < 4; ++i) {
      const int what = *inbox->take_as<int>();
      taken.emplace_back(what, sg4::Engine::get_clock());
    }
  });
  sg4::Actor::create("sender-a", a, [] {
    Transport::send(*inbox, &from_a, 2e6);
    sg4::this_actor::sleep_until(0.1);
    Transport::send(*inbox, &alone, 2e6);
    sg4::this_actor::sleep_until(0.2);
    Transport::send(*inbox, &big, 10e6);
  });
  sg4::Actor::create("sender-b", b, [] { Transport::send(*inbox, &from_b, 2e6); });
  runtime.run();

  ASSERT_EQ(taken.size(), 4u);
  EXPECT_NEAR(taken[0].second, 0.005, 1e-9);
  EXPECT_NEAR(taken[1].second, 0.005, 1e-9);
  EXPECT_EQ(taken[2].first, alone);
  EXPECT_NEAR(taken[2].second, 0.1 + 0.001 + 0.002, 1e-9);
  EXPECT_EQ(taken[3].first, big);
  EXPECT_NEAR(taken[3].second, 0.2 + 0.001 + 2 * 0.002 + 0.010, 1e-9);
  EXPECT_EQ(Transport::in_flight(), 0u);
}

}  // namespace
}  // namespace lbsim::engine
