// SPDX-License-Identifier: GPL-3.0-or-later
#include "health/draining.hpp"

#include <stdexcept>

namespace lbsim::health {

Draining::Draining(double delay_s) : delay_(delay_s) {
  if (!(delay_ >= 0.0)) throw std::invalid_argument("deregistration delay cannot be negative");
}

void Draining::begin(double now, std::uint32_t in_flight) {
  if (started_) return;
  started_ = true;
  began_at_ = now;
  in_flight_at_start_ = in_flight;
}

DrainState Draining::state(double now, std::uint32_t in_flight) const {
  if (!started_) return DrainState::registered;
  if (in_flight == 0) return DrainState::drained;
  if (now >= deadline()) return DrainState::expired;
  return DrainState::draining;
}

bool Draining::done(double now, std::uint32_t in_flight) const {
  const DrainState current = state(now, in_flight);
  return current == DrainState::drained || current == DrainState::expired;
}

std::uint32_t Draining::to_cut(double now, std::uint32_t in_flight) const {
  return state(now, in_flight) == DrainState::expired ? in_flight : 0;
}

}  // namespace lbsim::health
