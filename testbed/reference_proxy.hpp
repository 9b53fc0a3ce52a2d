// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A real proxy as the testbed's L7 node (`l7.engine: haproxy | nginx`): the scenario's L7
// tier exported by `lbsim export` for this node's zone, run in the node's namespace as
// this process's child, so the same scenario runs on the simulator, on lbsim's proxy and
// on HAProxy or nginx. What lbsim models and the proxy cannot express is what
// `lbsim export` reports (docs/EXPORT.md); the testbed adds only the headers its
// processes exchange (a check says it is one; HAProxy names the group that answered).
#include <cstdint>
#include <functional>
#include <istream>
#include <optional>
#include <string_view>
#include <string>

#include "config/spec.hpp"
#include "testbed/l7_proxy.hpp"
#include "testbed/plan.hpp"

namespace lbsim::testbed {

// Writes the configuration, its certificate and side files in `dir`, runs the proxy
// until `stop` is set, and reports its CPU (the proxy's processes' user and kernel time
// over their life, start-up included) and, for HAProxy, its checks' verdicts as it logs
// them, timed as they appear against the run's clock (`start_monotonic_s`). Throws
// std::runtime_error when the proxy does not start (its log is quoted).
L7Report run_reference_proxy(const config::ScenarioSpec& spec, const TestbedPlan& plan, const PlannedNode& self, const std::string& dir,
                             double start_monotonic_s, volatile const int& stop, const std::function<void()>& listening);

// One line of HAProxy's log as a health verdict on a server, if it is one:
// "[WARNING]  (123) : Server api/api-b-0 is DOWN, reason: Layer4 timeout, ..." gives
// group "api", target "api-b-0", healthy false, reason "Layer4 timeout".
struct HaproxyVerdict {
  std::string group, target, reason;
  bool healthy = false;
};
std::optional<HaproxyVerdict> haproxy_verdict(std::string_view line);

// What the proxy's per-request lines (the testbed's export asks for one per request:
// "lbsim-request CONNECTION https=1|on reused=1|r status=200") add up to: requests, and
// TLS handshakes, full or resumed, one per connection (its first line says which).
// Other lines are skipped. HAProxy names a connection by the client's address and
// port; nginx by its own connection serial number.
struct RequestTally {
  std::uint64_t requests = 0, tls_full = 0, tls_resumed = 0;
};
RequestTally tally_requests(std::istream& log);

}  // namespace lbsim::testbed
