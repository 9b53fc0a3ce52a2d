// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Fixed-interval time series of a request stream: per interval, how many requests were
// answered, how many failed, and their latency distribution (a coarse histogram, 3 %).
// Memory grows with the simulated duration, never with the number of requests.
#include <cstdint>
#include <map>
#include <vector>

#include "metrics/histogram.hpp"

namespace lbsim::metrics {

struct Interval {
  std::uint64_t answered = 0;
  std::uint64_t failed = 0;
  CoarseHistogram latency_ns;
  std::map<std::uint16_t, std::uint64_t> failures;  // failed answers by code (touched only by failures)
  std::uint64_t lost = 0;  // requests swallowed on the way (a dead node, a cut link)
};

class TimeSeries {
public:
  explicit TimeSeries(double interval_s);

  // An answer at simulated time `now` (seconds) lands in interval floor(now / interval).
  void record(double now, std::uint64_t latency_ns, bool failed, std::uint16_t failure_code = 0);
  void record_lost(double now);
  // Adds another series of the same interval (another client population's), interval by interval.
  void merge(const TimeSeries& other);

  double interval() const { return interval_s_; }
  std::size_t size() const { return intervals_.size(); }
  const Interval& at(std::size_t i) const { return intervals_.at(i); }
  double start_of(std::size_t i) const { return static_cast<double>(i) * interval_s_; }

private:
  Interval& slot(double now);
  double interval_s_;
  std::vector<Interval> intervals_;
};

}  // namespace lbsim::metrics
