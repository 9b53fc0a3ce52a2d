// SPDX-License-Identifier: GPL-3.0-or-later
// SimGrid's own floor: how many small messages per wall-second SimGrid 3.32 moves between
// actors when nothing else happens, with the engine configured as lbsim configures it
// (CM02, no cross traffic, 256 KiB stacks). `pairs` actor pairs on two hosts a link apart
// bounce one message each (so `pairs` are in flight), about `messages` in all, three ways:
//   mailbox  s4u's put and get: a comm through the network model per message;
//   timer    lbsim's own way for a small message (engine/transport.hpp): a kernel timer
//            for its delay, then a semaphore wakes the receiving actor. No model, no comm:
//            the floor of what one lbsim hop (a timer and an actor switch) can cost.
//   rounds   no actors and no network: `pairs` chains of kernel timers, each setting the
//            next a little later (100 us + a few ns apart per chain), so every message
//            falls on its own instant and costs one engine round and nothing else. In
//            `timer` all pairs share one delay and one round moves all 100 messages.
//            lbsim's dated events (engine/agenda.hpp) fall on distinct instants: this is
//            the least such an instant costs in SimGrid, and bench/run-scenarios.sh holds
//            a scenario's rounds (summary.json's engine.rounds) against it.
// bench/run-scenarios.sh runs it beside the scenarios and prints each scenario's share of
// each floor, measured in the same run.
//   lbsim_simgrid_floor [messages=2000000] [pairs=100] [mailbox|timer|rounds]
#include <simgrid/kernel/Timer.hpp>
#include <simgrid/s4u.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <memory>
#include <string>
#include <vector>

namespace sg4 = simgrid::s4u;

namespace {

int g_token = 0;  // what every message carries: its size is what the network sees

// `rounds` round trips: the one who serves first puts then gets, the other gets then puts.
void bounce(sg4::Mailbox* in, sg4::Mailbox* out, long rounds, bool serves_first) {
  for (long i = 0; i < rounds; ++i) {
    if (serves_first) out->put(&g_token, 100);
    in->get<int>();
    if (!serves_first) out->put(&g_token, 100);
  }
}

// The timer way: a queue and a semaphore per actor, as engine::Inbox has.
struct Inbox {
  sg4::SemaphorePtr ready = sg4::Semaphore::create(0);
  std::deque<int*> queue;
};
constexpr double kDelay = 100e-6;  // the link's latency in the mailbox way

void send_after_delay(Inbox* to) {
  simgrid::kernel::timer::Timer::set(sg4::Engine::get_clock() + kDelay, [to] {
    to->queue.push_back(&g_token);
    to->ready->release();  // in the kernel: the semaphore's fast path, as lbsim's Inbox
  });
}

void take(Inbox* in) {
  in->ready->acquire();
  in->queue.pop_front();
}

void bounce_by_timer(Inbox* in, Inbox* out, long rounds, bool serves_first) {
  for (long i = 0; i < rounds; ++i) {
    if (serves_first) send_after_delay(out);
    take(in);
    if (!serves_first) send_after_delay(out);
  }
}

// The rounds way: a chain of timers, `left` more after this one, `delay` apart.
void chain(long left, double delay) {
  if (left > 0) simgrid::kernel::timer::Timer::set(sg4::Engine::get_clock() + delay, [left, delay] { chain(left - 1, delay); });
}

}  // namespace

// A whole decimal number in [low, high], or 0 when the text is anything else.
long whole(const char* text, long low, long high) {
  char* end = nullptr;
  const long value = std::strtol(text, &end, 10);
  return end != text && *end == '\0' && value >= low && value <= high ? value : 0;
}

int main(int argc, char* argv[]) {
  const long messages = argc > 1 ? whole(argv[1], 1, 1'000'000'000) : 2'000'000;
  const long pairs = argc > 2 ? whole(argv[2], 1, 100'000) : 100;
  const char* way = argc > 3 ? argv[3] : "mailbox";
  const bool by_rounds = std::strcmp(way, "rounds") == 0;
  const bool by_timer = std::strcmp(way, "timer") == 0;
  if (messages == 0 || pairs == 0 || argc > 4 || (!by_rounds && !by_timer && std::strcmp(way, "mailbox") != 0)) {
    std::fprintf(stderr, "lbsim_simgrid_floor: error: expected [messages 1..1000000000] [pairs 1..100000] [mailbox|timer|rounds]\n");
    return 2;
  }
  int sg_argc = 1;
  char name[] = "floor";
  char* sg_argv[] = {name, nullptr};
  sg4::Engine engine(&sg_argc, sg_argv);
  xbt_log_control_set("root.thres:warning");
  sg4::Engine::set_config("network/model:CM02");
  sg4::Engine::set_config("network/crosstraffic:0");
  sg4::Engine::set_config("contexts/stack-size:256");
  auto* zone = sg4::create_full_zone("floor");
  sg4::Host* a = zone->create_host("a", 1e9)->seal();
  sg4::Host* b = zone->create_host("b", 1e9)->seal();
  sg4::Link* link = zone->create_link("ab", 10e9)->set_latency(100e-6)->seal();
  zone->add_route(a->get_netpoint(), b->get_netpoint(), nullptr, nullptr, {sg4::LinkInRoute(link)}, true);
  zone->seal();
  const long rounds = std::max(1L, messages / (2L * pairs));  // two messages a round trip
  std::vector<std::unique_ptr<Inbox>> inboxes;
  for (int p = 0; p < pairs; ++p) {
    const std::string n = std::to_string(p);
    if (by_rounds) {
      // Chain p's delay is p * 7.3 ns longer, so the chains drift apart at once and their
      // instants never coincide (7.3 ns: not a divisor of the base delay).
      chain(2 * rounds, kDelay + static_cast<double>(p) * 7.3e-9);
    } else if (by_timer) {
      Inbox* at_a = inboxes.emplace_back(std::make_unique<Inbox>()).get();
      Inbox* at_b = inboxes.emplace_back(std::make_unique<Inbox>()).get();
      sg4::Actor::create("ping-" + n, a, bounce_by_timer, at_a, at_b, rounds, true);
      sg4::Actor::create("pong-" + n, b, bounce_by_timer, at_b, at_a, rounds, false);
    } else {
      sg4::Mailbox* to_b = sg4::Mailbox::by_name("to-b-" + n);
      sg4::Mailbox* to_a = sg4::Mailbox::by_name("to-a-" + n);
      sg4::Actor::create("ping-" + n, a, bounce, to_a, to_b, rounds, true);
      sg4::Actor::create("pong-" + n, b, bounce, to_b, to_a, rounds, false);
    }
  }
  const auto start = std::chrono::steady_clock::now();
  engine.run();
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const long moved = 2L * rounds * pairs;
  std::printf("%s: %ld messages in %.3f s of wall time: %.0f messages per wall-second (%ld in flight)\n", way, moved, wall,
              moved / wall, pairs);
  return 0;
}
