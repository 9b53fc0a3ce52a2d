// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Deadlines for answers from upstream (an L7 node's connection setup, or its request):
// one timeout, so a list in send order is in deadline order, and a timekeeper actor that
// sleeps until the earliest deadline, or until a first one is set. A request answered in
// time is removed; one that is not is handed to `on_expiry`.
#include <simgrid/s4u.hpp>

#include <functional>
#include <string>

#include "models/request.hpp"

namespace lbsim::models {

class UpstreamDeadlines {
public:
  UpstreamDeadlines(double timeout_s, std::function<void(Request*)> on_expiry);
  void start(simgrid::s4u::Host* host, const std::string& actor_name);

  void push(Request* request, double now);
  void remove(Request* request) { list_.remove(request); }
  void clear() { list_.clear(); }

private:
  void keep_time();

  TimeoutList list_;
  simgrid::s4u::SemaphorePtr armed_;
  bool keeper_idle_ = false;
  std::function<void(Request*)> on_expiry_;
};

}  // namespace lbsim::models
