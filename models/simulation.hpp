// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// One simulation of a scenario, start to finish. One per process (SimGrid's engine
// cannot be reset): tests that simulate run in their own process.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "config/spec.hpp"
#include "results/metrics.hpp"

namespace lbsim::models {

// A run watched and steered while it goes (lbsim run --stream, the GUI): every `tick_s`
// of simulated time the run calls `on_tick` with the metrics so far, then `poll` for
// faults to inject now. Either may block (a paused run, a real-time pace): simulated
// time stands still meanwhile.
struct LiveHooks {
  double tick_s = 1;
  std::function<void(const results::RunMetrics& metrics, double now)> on_tick;
  std::function<std::vector<config::FaultSpec>(double now)> poll;
  // Faults to end now (indices into the run's faults, as fault events name them), asked
  // after `poll`; `on_rejected_end` hears of an index that was not in force.
  std::function<std::vector<std::size_t>()> take_ends;
  std::function<void(std::size_t fault)> on_rejected_end;
  // A fault `poll` returned that cannot start live, and why.
  std::function<void(const config::FaultSpec& fault, const std::string& why)> on_rejected;
  // A sample of requests followed hop by hop while the run goes on (the window's slow
  // mode draws them travelling): the first client population's first request sent at or
  // after each multiple of `sample_every_s` of simulated time (0: none), handed to
  // `on_sample` once it has its outcome and then forgotten, so memory stays flat.
  double sample_every_s = 0;
  std::function<void(const results::Trace& trace)> on_sample;
};

struct RunOptions {
  const LiveHooks* live = nullptr;
  // Numbers of the first client population's requests to follow hop by hop (1 = its
  // first request); they come back in RunResult::traces.
  std::vector<std::uint64_t> trace;
  // Stop sending once every traced request has its outcome (lbsim trace wants no more).
  bool stop_after_traces = false;
};

results::RunResult run_scenario(const config::ScenarioSpec& spec, RunOptions options = {});

}  // namespace lbsim::models
