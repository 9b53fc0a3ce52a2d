// SPDX-License-Identifier: GPL-3.0-or-later
#include "traffic/arrivals.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace lbsim::traffic {

RateProfile RateProfile::constant(double rate) {
  RateProfile p;
  p.kind_ = Kind::constant;
  p.a_ = p.peak_ = rate;
  return p;
}

RateProfile RateProfile::ramp(double from_rate, double to_rate, double over_s, double start_s) {
  if (!(over_s > 0)) throw std::invalid_argument("a ramp needs a positive duration");
  RateProfile p;
  p.kind_ = Kind::ramp;
  p.a_ = from_rate;
  p.b_ = to_rate;
  p.c_ = over_s;
  p.d_ = start_s;
  p.peak_ = std::max(from_rate, to_rate);
  return p;
}

RateProfile RateProfile::steps(std::vector<RateStep> steps) {
  if (steps.empty() || steps.front().at_s != 0) throw std::invalid_argument("steps must start at 0");
  if (!std::is_sorted(steps.begin(), steps.end(), [](const RateStep& x, const RateStep& y) { return x.at_s < y.at_s; }))
    throw std::invalid_argument("steps must be in time order");
  RateProfile p;
  p.kind_ = Kind::steps;
  for (const auto& s : steps) p.peak_ = std::max(p.peak_, s.rate);
  p.steps_ = std::move(steps);
  return p;
}

RateProfile RateProfile::bursts(double base, double burst, double every_s, double burst_s, double first_s) {
  if (!(every_s > 0) || !(burst_s > 0) || burst_s > every_s) throw std::invalid_argument("bursts need 0 < length <= period");
  RateProfile p;
  p.kind_ = Kind::bursts;
  p.a_ = base;
  p.b_ = burst;
  p.c_ = every_s;
  p.d_ = burst_s;
  p.e_ = first_s;
  p.peak_ = std::max(base, burst);
  return p;
}

RateProfile RateProfile::daily(double trough, double peak, double period_s, double peak_at_s) {
  if (!(period_s > 0) || trough > peak) throw std::invalid_argument("daily needs trough <= peak and a positive period");
  RateProfile p;
  p.kind_ = Kind::daily;
  p.a_ = trough;
  p.b_ = peak;
  p.c_ = period_s;
  p.d_ = peak_at_s;
  p.peak_ = peak;
  return p;
}

double RateProfile::rate_at(double t) const {
  switch (kind_) {
    case Kind::constant: return a_;
    case Kind::ramp: {
      const double progress = std::clamp((t - d_) / c_, 0.0, 1.0);
      return a_ + (b_ - a_) * progress;
    }
    case Kind::steps: {
      const auto it = std::upper_bound(steps_.begin(), steps_.end(), t, [](double x, const RateStep& s) { return x < s.at_s; });
      return std::prev(it)->rate;
    }
    case Kind::bursts: {
      if (t < e_) return a_;
      const double phase = std::fmod(t - e_, c_);
      return phase < d_ ? b_ : a_;
    }
    case Kind::daily: {
      const double angle = 2 * 3.141592653589793 * (t - d_) / c_;
      return a_ + (b_ - a_) * (1 + std::cos(angle)) / 2;
    }
  }
  return a_;
}

ArrivalProcess::ArrivalProcess(RateProfile profile, bool uniform, std::vector<RateMultiplier> multipliers)
    : profile_(std::move(profile)), uniform_(uniform), multipliers_(std::move(multipliers)), peak_(profile_.peak()) {
  // Overlapping surges multiply; the product of every factor above 1 bounds them all.
  double most = 1;
  for (const auto& m : multipliers_) most *= std::max(1.0, m.factor);
  peak_ *= most;
}

double ArrivalProcess::rate_at(double t) const {
  double rate = profile_.rate_at(t);
  for (const auto& m : multipliers_)
    if (t >= m.from_s && t < m.until_s) rate *= m.factor;
  return rate;
}

double ArrivalProcess::next_after(double now, Random& random) const {
  if (!(peak_ > 0)) return std::numeric_limits<double>::infinity();
  if (uniform_) return now + 1.0 / rate_at(now);  // constant spacing at the current rate
  double t = now;
  for (;;) {
    t += random.exponential(1.0 / peak_);
    if (random.uniform01() * peak_ < rate_at(t)) return t;
  }
}

}  // namespace lbsim::traffic
