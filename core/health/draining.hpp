// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Deregistration with a delay ("connection draining"): a target being taken out stops
// receiving new requests and flows at once, but what it is already serving may finish,
// up to a deadline.
//
// Rules (AWS's deregistration delay, 300 s by default):
// - Until begin(), the target is registered and accepts new traffic.
// - From begin(now, in_flight) on, it accepts nothing new; in-flight work continues.
// - Draining ends at the first moment nothing is in flight (at once if nothing was when
//   it began, as AWS completes such a deregistration immediately), or at the deadline
//   began_at + delay, whichever comes first. The deadline is inclusive: at exactly
//   began_at + delay the target is expired, and whatever is still in flight is cut
//   (the caller resets those connections or fails those requests).
// - A second begin() while draining changes nothing: deregistering again does not
//   extend the deadline.
#include <cstdint>

namespace lbsim::health {

enum class DrainState {
  registered,  // not deregistering: takes new traffic
  draining,    // no new traffic; work in flight, deadline not reached
  drained,     // nothing left in flight
  expired,     // deadline reached with work still in flight: cut it
};

class Draining {
public:
  static constexpr double kAwsDeregistrationDelay = 300.0;  // seconds

  explicit Draining(double delay_s = kAwsDeregistrationDelay);

  void begin(double now, std::uint32_t in_flight);

  bool started() const { return started_; }
  bool accepts_new() const { return !started_; }
  DrainState state(double now, std::uint32_t in_flight) const;
  bool done(double now, std::uint32_t in_flight) const;
  // How many of `in_flight` to cut now: all of them once expired, none before.
  std::uint32_t to_cut(double now, std::uint32_t in_flight) const;

  double delay() const { return delay_; }
  double began_at() const { return began_at_; }
  double deadline() const { return began_at_ + delay_; }  // meaningful once started
  std::uint32_t in_flight_at_start() const { return in_flight_at_start_; }

private:
  double delay_;
  bool started_ = false;
  double began_at_ = 0.0;
  std::uint32_t in_flight_at_start_ = 0;
};

}  // namespace lbsim::health
