// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// lbsim run --stream: the run as a child process a GUI watches and steers. Events go
// out as newline-delimited JSON (reports/stream.hpp); commands come in the same way,
// one JSON object per line:
//   {"cmd": "fault", "fault": {"kind": "zone_outage", "zone": "b", "for": "30s"}}
//   {"cmd": "recover", "fault": 3}   (ends fault 3, as its fault event numbered it)
//   {"cmd": "pause"}   {"cmd": "resume"}   {"cmd": "speed", "value": 10}
// A fault starts, or ends, when its command is read (at the next tick); "speed" is simulated
// seconds per wall second, 0 for as fast as possible. A command that cannot be obeyed
// is answered with a "rejected" line, and the run goes on; cli/stream_commands.hpp says
// what the channel accepts and its bounds. With --sample-every, one request per period of
// simulated time is followed and its way streamed as a "sample" line once it has its
// outcome (the window's slow mode draws it travelling); watching it changes nothing.
#include "config/spec.hpp"
#include "results/metrics.hpp"
#include "reports/stream.hpp"

namespace lbsim::cli {

struct StreamOptions {
  double tick_s = 0.5;
  double speed = 0;    // simulated seconds per wall second; 0: as fast as possible
  int command_fd = 0;  // where commands come from (stdin); -1: none
  double sample_every_s = 0;  // a request's way every this much simulated time ("sample" lines); 0: none
};

results::RunResult run_streamed(const config::ScenarioSpec& spec, const StreamOptions& options, reports::StreamWriter& writer);

}  // namespace lbsim::cli
