// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// When requests arrive, for an open-loop population. A rate profile r(t) (constant,
// ramp, steps, periodic bursts, a daily sine) drives a non-homogeneous Poisson process,
// sampled exactly by thinning (Lewis & Shedler): candidates at the profile's peak rate,
// each kept with probability r(t) / peak. `uniform` spaces arrivals exactly 1/r apart.
#include <vector>

#include "util/random.hpp"

namespace lbsim::traffic {

struct RateStep {
  double at_s;
  double rate;  // per second, from at_s on
};

class RateProfile {
public:
  static RateProfile constant(double rate);
  static RateProfile ramp(double from_rate, double to_rate, double over_s, double start_s = 0);
  static RateProfile steps(std::vector<RateStep> steps);  // the first must start at 0
  // `base` always; `burst` instead for `burst_s` at the start of every `every_s`, from `first_s`.
  static RateProfile bursts(double base, double burst, double every_s, double burst_s, double first_s);
  // A sine between trough and peak with the given period, at its peak at `peak_at_s`.
  static RateProfile daily(double trough, double peak, double period_s, double peak_at_s);

  double rate_at(double t) const;
  double peak() const { return peak_; }
  bool is_constant() const { return kind_ == Kind::constant; }

private:
  enum class Kind { constant, ramp, steps, bursts, daily };
  Kind kind_ = Kind::constant;
  double a_ = 0, b_ = 0, c_ = 0, d_ = 0, e_ = 0;
  std::vector<RateStep> steps_;
  double peak_ = 0;
};

// A traffic surge: the profile's rate times `factor` over [from_s, until_s).
struct RateMultiplier {
  double from_s;
  double until_s;
  double factor;
};

class ArrivalProcess {
public:
  ArrivalProcess(RateProfile profile, bool uniform, std::vector<RateMultiplier> multipliers = {});
  // The first arrival strictly after `now`; +infinity if the rate stays zero.
  double next_after(double now, Random& random) const;
  // The rate in force at `t`, surges included.
  double rate_at(double t) const;
  // The highest rate it can reach, surges included.
  double peak() const { return peak_; }
  const RateProfile& profile() const { return profile_; }

private:
  RateProfile profile_;
  bool uniform_;
  std::vector<RateMultiplier> multipliers_;
  double peak_;  // the highest rate, surges included: thinning's candidate rate
};

}  // namespace lbsim::traffic
