// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A real proxy as the testbed's L7 node (`l7.engine: haproxy | nginx`): the scenario's L7
// tier exported by `lbsim export` for this node's zone, run in the node's namespace as
// this process's child, so the same scenario runs on the simulator, on lbsim's proxy and
// on HAProxy or nginx. What lbsim models and the proxy cannot express is what
// `lbsim export` reports (docs/EXPORT.md); the testbed adds only the headers its
// processes exchange (a check says it is one; HAProxy names the group that answered).
#include <functional>
#include <string>

#include "config/spec.hpp"
#include "testbed/l7_proxy.hpp"
#include "testbed/plan.hpp"

namespace lbsim::testbed {

// Writes the configuration, its certificate and side files in `dir`, runs the proxy
// until `stop` is set, and reports its CPU (the proxy's processes' user and kernel time
// over their life, start-up included). Throws std::runtime_error when the proxy does not
// start (its log is quoted).
L7Report run_reference_proxy(const config::ScenarioSpec& spec, const TestbedPlan& plan, const PlannedNode& self, const std::string& dir,
                             volatile const int& stop, const std::function<void()>& listening);

}  // namespace lbsim::testbed
