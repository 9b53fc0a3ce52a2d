// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/upstream_deadlines.hpp"

#include "engine/runtime.hpp"

namespace lbsim::models {

UpstreamDeadlines::UpstreamDeadlines(double timeout_s, std::function<void(Request*)> on_expiry)
    : list_(timeout_s), armed_(simgrid::s4u::Semaphore::create(0)), on_expiry_(std::move(on_expiry)) {}

void UpstreamDeadlines::start(simgrid::s4u::Host* host, const std::string& actor_name) {
  simgrid::s4u::Actor::create(actor_name, host, [this] { keep_time(); })->daemonize();
}

void UpstreamDeadlines::push(Request* request, double now) {
  const bool was_empty = list_.empty();
  list_.push(request, now);
  if (was_empty && keeper_idle_) {
    keeper_idle_ = false;
    armed_->release();
  }
}

void UpstreamDeadlines::keep_time() {
  for (;;) {
    if (list_.empty()) {
      keeper_idle_ = true;
      armed_->acquire();
      continue;
    }
    const double due = list_.front()->upstream_deadline;
    if (due > engine::Runtime::now()) {
      simgrid::s4u::this_actor::sleep_until(due);
      continue;
    }
    Request* request = list_.front();
    list_.remove(request);
    on_expiry_(request);
  }
}

}  // namespace lbsim::models
