// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The SimGrid engine, configured on purpose, once per process.
#include <simgrid/s4u.hpp>

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

private:
  std::unique_ptr<simgrid::s4u::Engine> engine_;
};

}  // namespace lbsim::engine
