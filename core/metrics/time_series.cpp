// SPDX-License-Identifier: GPL-3.0-or-later
#include "metrics/time_series.hpp"

#include <cmath>
#include <stdexcept>

namespace lbsim::metrics {

TimeSeries::TimeSeries(double interval_s) : interval_s_(interval_s) {
  if (!(interval_s > 0)) throw std::invalid_argument("a time series needs a positive interval");
}

Interval& TimeSeries::slot(double now) {
  if (now < 0) throw std::invalid_argument("time before the start of the run");
  const auto index = static_cast<std::size_t>(std::floor(now / interval_s_));
  if (index >= intervals_.size()) intervals_.resize(index + 1);
  return intervals_[index];
}

void TimeSeries::record(double now, std::uint64_t latency_ns, bool failed, std::uint16_t failure_code) {
  Interval& interval = slot(now);
  ++interval.answered;
  if (failed) {
    ++interval.failed;
    ++interval.failures[failure_code];
  }
  interval.latency_ns.record(latency_ns);
}

void TimeSeries::record_lost(double now) { ++slot(now).lost; }

void TimeSeries::merge(const TimeSeries& other) {
  if (other.intervals_.size() > intervals_.size()) intervals_.resize(other.intervals_.size());
  for (std::size_t i = 0; i < other.intervals_.size(); ++i) {
    Interval& mine = intervals_[i];
    const Interval& theirs = other.intervals_[i];
    mine.answered += theirs.answered;
    mine.failed += theirs.failed;
    mine.latency_ns.merge(theirs.latency_ns);
    for (const auto& [code, count] : theirs.failures) mine.failures[code] += count;
    mine.lost += theirs.lost;
  }
}

}  // namespace lbsim::metrics
