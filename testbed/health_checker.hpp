// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// An L4 node's active TCP health checks, for real: every interval (at the node's own
// phase, drawn as the simulator's prober draws it), a connect() from the node's own
// address to each target's port; a completed handshake within the timeout passes, a
// refusal or silence fails. Verdicts come from core's health::ActiveCheck, so the
// thresholds and the reasons are the simulator's.
#include <poll.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "health/active_check.hpp"

namespace lbsim::testbed {

class TcpHealthChecker {
public:
  using OnChange = std::function<void(std::size_t target, bool healthy, const std::string& reason, double now_s)>;
  using OnPass = std::function<void(std::size_t target, double now_s)>;
  TcpHealthChecker(health::ActiveCheckConfig config, std::vector<std::uint32_t> addresses, std::uint16_t port, double phase_s,
                   OnChange on_change, OnPass on_pass = {});
  TcpHealthChecker(const TcpHealthChecker&) = delete;
  TcpHealthChecker& operator=(const TcpHealthChecker&) = delete;
  ~TcpHealthChecker();

  // Adds the probes in flight to `fds` (from index `first`, which it remembers).
  void add_fds(std::vector<pollfd>& fds);
  // Handles what poll reported for its fds, then starts and times out probes due by `now_s`.
  void service(const std::vector<pollfd>& fds, double now_s);
  // When it next needs servicing without any fd ready.
  double next_deadline_s() const;
  // A dark node checks nothing: probes in flight are abandoned without a verdict, and
  // the verdicts stand until it is back and probing again (at its own phase).
  void set_paused(bool paused, double now_s);

private:
  struct Probe {
    int fd = -1;
    double started_s = 0;
  };
  void finish(std::size_t target, bool answered, double now_s);

  health::ActiveCheckConfig config_;
  std::vector<std::uint32_t> addresses_;
  std::uint16_t port_;
  double next_round_s_;
  std::vector<health::ActiveCheck> checks_;
  std::vector<Probe> probes_;
  std::vector<std::size_t> fd_target_;  // which target each added fd belongs to
  std::size_t first_fd_ = 0;
  OnChange on_change_;
  OnPass on_pass_;
  bool paused_ = false;
};

}  // namespace lbsim::testbed
