// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/transport.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "engine/runtime.hpp"

namespace sg4 = simgrid::s4u;

namespace lbsim::engine {
namespace {

// A 10 MB transfer started first and a 500 B one started 1 ms later, to the same
// inbox over a 10 ms, 1 GB/s link: the small one must be taken first (at about
// 11 ms), not held behind the large one (about 20 ms) as a mailbox would.
TEST(Transport, DeliversInCompletionOrder) {
  Runtime runtime;
  sg4::NetZone* zone = sg4::create_full_zone("z");
  sg4::Host* a = zone->create_host("a", 1e9);
  sg4::Host* b = zone->create_host("b", 1e9);
  sg4::Link* link = zone->create_link("l", 1e9)->set_latency(0.010)->seal();
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
  EXPECT_NEAR(taken[0].second, 0.011, 0.001);
  EXPECT_GT(taken[1].second, 0.019);
  EXPECT_EQ(Transport::in_flight(), 0u);
}

TEST(Transport, OneSimulationPerProcess) {
  Runtime first;
  EXPECT_THROW(Runtime second, std::logic_error);
}

}  // namespace
}  // namespace lbsim::engine
