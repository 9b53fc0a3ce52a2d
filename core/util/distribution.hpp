// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Random durations and sizes as scenario files describe them: constant, exponential
// (mean), lognormal (median and p99, the way latency is usually quoted), or empirical
// (measured samples, drawn by inverse CDF with linear interpolation).
#include <string>
#include <vector>

#include "util/random.hpp"

namespace lbsim {

class Distribution {
public:
  enum class Kind { constant, exponential, lognormal, empirical };

  static Distribution constant(double value);
  static Distribution exponential(double mean);
  // Lognormal with the given median and 99th percentile (p99 > median > 0):
  // mu = ln(median), sigma = ln(p99 / median) / z_0.99.
  static Distribution lognormal(double median, double p99);
  // From samples (at least one, all >= 0); they are sorted here.
  static Distribution empirical(std::vector<double> samples);

  double sample(Random& random) const;
  double mean() const;  // exact for every kind
  Kind kind() const { return kind_; }
  std::string describe() const;  // "lognormal(median 8ms, p99 40ms)" etc., for reports

private:
  Kind kind_ = Kind::constant;
  double a_ = 0, b_ = 0;         // constant: value; exponential: mean; lognormal: mu, sigma
  std::vector<double> samples_;  // empirical, sorted
};

// The standard normal's 99th percentile.
inline constexpr double kZ99 = 2.3263478740408408;

}  // namespace lbsim
