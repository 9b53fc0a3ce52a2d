// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The SimGrid engine, configured on purpose, once per process.
#include <simgrid/s4u.hpp>

#include <cstdint>
#include <functional>
#include <memory>

namespace lbsim::engine {

class Runtime {
public:
  // Throws std::logic_error if a simulation already ran in this process: SimGrid's
  // engine cannot be reset, so one process runs one simulation.
  Runtime();
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  void run();
  static double now() { return simgrid::s4u::Engine::get_clock(); }
  // The engine's scheduling rounds so far: one per step of simulated time (a step may be
  // of zero length, when more is due at the same instant).
  static std::uint64_t rounds();

  // Calls `observe` after each step of simulated time, with the new clock, without adding
  // an event date: a timer chain for observation would cut every step at its dates, and
  // SimGrid snaps events within 1e-9 s of a step and orders same-date timers by insertion,
  // so watching a run would change its figures. Called from the kernel (main stack); to
  // change the simulation from there, set a timer at now().
  void on_time_advance(std::function<void(double now)> observe);

private:
  std::unique_ptr<simgrid::s4u::Engine> engine_;
};

}  // namespace lbsim::engine
