// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// `lbsim testbed`: a scenario realised as real processes and packets on this machine,
// measured into the simulator's result types (RunResult, mode "testbed").
//
// The supervisor (this process) creates one network namespace per node and one for the
// fabric, wires each node's eth0 to a fabric port with a veth pair, configures addresses
// and routes with iproute2, starts the fabric, the L4 forwarders and the backends as
// child processes (`lbsim testbed-node`), and runs each client population on a thread of
// its own inside that population's namespace. Children report their figures as JSON in
// the run's folder when told to stop. docs/TESTBED.md has the whole picture.
#include <atomic>
#include <functional>
#include <iosfwd>
#include <string>

#include "config/spec.hpp"
#include "results/metrics.hpp"

namespace lbsim::testbed {

struct TestbedOptions {
  std::string scenario_file;  // the scenario as children load it (overrides applied)
  std::string lbsim_binary;   // what to run as `lbsim testbed-node`
  std::string work_dir;       // where the children's logs and reports go (made, and removed unless keep)
  bool keep_work_dir = false;
  std::string pcap_dir;       // if set: one capture per node interface there (<node>.pcap)
  std::ostream* log = nullptr;  // progress lines, if any
  // Set (by a signal handler, say) to end the run early: the clients stop sending, the
  // children write their reports, and the result covers the time until then.
  const std::atomic<bool>* interrupted = nullptr;
};

// Throws TestbedUnavailable (no privileges, no namespaces), TestbedRefusal (a layout it
// cannot carry) or std::runtime_error (a child failed; its log is quoted).
results::RunResult run_testbed(const config::ScenarioSpec& spec, const TestbedOptions& options);

enum class NodeRole { fabric, l4, l7, backend };
// The body of `lbsim testbed-node`: runs one child until SIGTERM, then writes its report
// to `<work_dir>/<node>.json`. `start_monotonic_s` is the run's time zero.
// `session_tickets` off: an L7 node resumes no TLS session (scripts/measure-proxy-cpu.sh
// runs one alone that way, to count full handshakes per core).
int run_node(const config::ScenarioSpec& spec, NodeRole role, const std::string& node, const std::string& work_dir,
             double start_monotonic_s, const std::string& pcap_dir = "", bool session_tickets = true);

}  // namespace lbsim::testbed
