// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/runtime.hpp"

#include <xbt/log.h>

#include <stdexcept>

#include "engine/transport.hpp"

namespace lbsim::engine {
namespace {
bool g_engine_created = false;
std::uint64_t g_rounds = 0;
}

Runtime::Runtime() {
  if (g_engine_created) throw std::logic_error("one simulation per process: SimGrid's engine cannot be reset");
  g_engine_created = true;
  xbt_log_control_set("root.thres:warning");
  int argc = 1;
  char name[] = "lbsim";
  char* argv[] = {name, nullptr};
  engine_ = std::make_unique<simgrid::s4u::Engine>(&argc, argv);
  // CM02 has no correction factors. SimGrid's default (LV08) multiplies every
  // message's latency by 13.01 to stand for a fresh TCP flow's slow start; requests
  // on kept-alive connections are not fresh flows, so a small message here costs
  // what its path costs: latency plus serialisation (docs/ARCHITECTURE.md).
  simgrid::s4u::Engine::set_config("network/model:CM02");
  // CM02 would also push each message's ACK stream back along the reverse route, one more
  // solver variable per message for a few percent of the bytes. Left out: 13 % faster.
  simgrid::s4u::Engine::set_config("network/crosstraffic:0");
  // Actors here are small loops (commands and faults are handled in the kernel, on the
  // main stack); a small stack keeps many of them cheap.
  simgrid::s4u::Engine::set_config("contexts/stack-size:256");
  Transport::install();
  simgrid::s4u::Engine::on_time_advance_cb([](double) { ++g_rounds; });
}

void Runtime::run() { engine_->run(); }

std::uint64_t Runtime::rounds() { return g_rounds; }

void Runtime::on_time_advance(std::function<void(double now)> observe) {
  // One simulation per process: the callback lives as long as the engine.
  simgrid::s4u::Engine::on_time_advance_cb([observe = std::move(observe)](double) { observe(now()); });
}

}  // namespace lbsim::engine
