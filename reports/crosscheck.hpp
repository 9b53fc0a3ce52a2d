// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The simulator's prediction against the testbed's measurement of the same scenario and
// seed (`lbsim crosscheck`): each figure both produce, its difference and whether that is
// within the tolerance stated for it. A pure function of the two summary.json documents.
//
// Tolerances (issue 14's agreement targets, and docs/TESTBED.md): throughput 2 %; mean and
// p50 latency 10 %; p90 15 %; p99 20 % (relative); each kind of failure 1 point of the
// requests sent, and so the clients' retries; each backend's utilisation 5 points; each L4 node's NIC bytes 25 %
// (the testbed counts every frame's headers and ACKs, the simulator the messages' sizes);
// where TLS is terminated, the number of handshakes 2 % and the share resumed 5 points,
// and the server CPU per handshake 50 % (not gating: see add_tls_rows); each checker's
// and DNS's first reaction to each fault's start and end one check interval.
#include <iosfwd>
#include <nlohmann/json.hpp>
#include <string>

namespace lbsim::reports {

// {"scenario", "seed", "rows": [{"figure", "unit", "predicted", "measured", "difference",
// "tolerance", "kind": "relative"|"points", "pass", "gating"}], "passed", "failed_rows"}
// ("passed": every gating row passes; "failed_rows" counts gating rows only).
// `detection_tolerance_s`: one health-check interval, within which each checker's first
// verdict on a target after a fault starts (and after it ends) must agree.
nlohmann::ordered_json crosscheck_json(const nlohmann::json& predicted, const nlohmann::json& measured, double detection_tolerance_s);

// The table for a terminal: one line per figure, its verdict last.
void print_crosscheck(std::ostream& out, const nlohmann::ordered_json& crosscheck);

// The same table's rows for a page (html::table), header first.
std::vector<std::vector<std::string>> crosscheck_rows(const nlohmann::ordered_json& crosscheck);

// One prediction against several testbed runs of the scenario, one per L7 engine
// (`lbsim crosscheck --engines lbsim,haproxy,nginx`): each engine's measurement and
// difference side by side, the first engine's verdict last (the command's; the others'
// differences beyond tolerance are marked, findings rather than failures).
// Above this share of the host's CPU taken by other guests during a testbed run, its
// latencies read high (3 % took p50 6 % high, 9 % took it 13 %: docs/TESTBED.md).
inline constexpr double kDisturbingStealShare = 0.05;
// crosscheck.json's "host": the stolen share and whether it disturbed the measurement.
nlohmann::ordered_json host_json(double steal_share);

struct EngineCheck {
  std::string engine;
  nlohmann::ordered_json crosscheck;
};
std::vector<std::vector<std::string>> crosscheck_rows(const std::vector<EngineCheck>& checks);
void print_crosscheck(std::ostream& out, const std::vector<EngineCheck>& checks);

}  // namespace lbsim::reports
