// SPDX-License-Identifier: GPL-3.0-or-later
#include "util/distribution.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace lbsim {

Distribution Distribution::constant(double value) {
  Distribution d;
  d.kind_ = Kind::constant;
  d.a_ = value;
  return d;
}

Distribution Distribution::exponential(double mean) {
  Distribution d;
  d.kind_ = Kind::exponential;
  d.a_ = mean;
  return d;
}

Distribution Distribution::lognormal(double median, double p99) {
  if (!(median > 0) || !(p99 > median)) throw std::invalid_argument("lognormal needs p99 > median > 0");
  Distribution d;
  d.kind_ = Kind::lognormal;
  d.a_ = std::log(median);
  d.b_ = std::log(p99 / median) / kZ99;
  return d;
}

Distribution Distribution::empirical(std::vector<double> samples) {
  if (samples.empty()) throw std::invalid_argument("an empirical distribution needs samples");
  if (std::any_of(samples.begin(), samples.end(), [](double v) { return !(v >= 0); }))
    throw std::invalid_argument("empirical samples must be non-negative");
  Distribution d;
  d.kind_ = Kind::empirical;
  std::sort(samples.begin(), samples.end());
  d.samples_ = std::move(samples);
  return d;
}

double Distribution::sample(Random& random) const {
  switch (kind_) {
    case Kind::constant: return a_;
    case Kind::exponential: return random.exponential(a_);
    case Kind::lognormal: return std::exp(a_ + b_ * random.normal());
    case Kind::empirical: {
      if (samples_.size() == 1) return samples_.front();
      // Inverse CDF through the order statistics, linear in between.
      const double position = random.uniform01() * static_cast<double>(samples_.size() - 1);
      const auto below = static_cast<std::size_t>(position);
      const double fraction = position - static_cast<double>(below);
      return samples_[below] + fraction * (samples_[below + 1] - samples_[below]);
    }
  }
  return a_;
}

double Distribution::mean() const {
  switch (kind_) {
    case Kind::constant:
    case Kind::exponential: return a_;
    case Kind::lognormal: return std::exp(a_ + b_ * b_ / 2);
    case Kind::empirical: {
      // The mean of the piecewise-linear inverse CDF: trapezoids between order statistics.
      if (samples_.size() == 1) return samples_.front();
      double area = 0;
      for (std::size_t i = 0; i + 1 < samples_.size(); ++i) area += (samples_[i] + samples_[i + 1]) / 2;
      return area / static_cast<double>(samples_.size() - 1);
    }
  }
  return a_;
}

std::string Distribution::describe() const {
  auto ms = [](double s) { return std::to_string(s * 1e3) + "ms"; };
  switch (kind_) {
    case Kind::constant: return "constant(" + ms(a_) + ")";
    case Kind::exponential: return "exponential(mean " + ms(a_) + ")";
    case Kind::lognormal: return "lognormal(median " + ms(std::exp(a_)) + ", p99 " + ms(std::exp(a_ + b_ * kZ99)) + ")";
    case Kind::empirical: return "empirical(" + std::to_string(samples_.size()) + " samples)";
  }
  return "?";
}

}  // namespace lbsim
