// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A log-linear histogram (HdrHistogram's layout): values below 2^bits are exact; above,
// each power of two is split into 2^bits equal buckets, so a reported value (a bucket's
// midpoint) is within 1/2^(bits+1) of the true one. Fixed memory whatever the sample
// count; exact count, sum, min and max; mergeable.
//   Histogram (9 bits):      <= 0.1 % error (HdrHistogram's 3 significant digits), 224 KiB
//                            — run-wide latency, where replications are compared
//   CoarseHistogram (4 bits): <= 3.1 % error, 7.6 KiB — one interval of a time series
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <ostream>
#include <utility>

namespace lbsim::metrics {

template <int SubBucketBits>
class BasicHistogram {
public:
  static constexpr std::uint64_t kSubBuckets = 1ULL << SubBucketBits;
  static constexpr int kOctaves = 64 - SubBucketBits;  // covers all of uint64
  static constexpr std::size_t kBucketCount = kSubBuckets * (kOctaves + 1);

  void record(std::uint64_t value) {
    ++counts_[bucket_of(value)];
    ++count_;
    sum_ += value;
    min_ = std::min(min_, value);
    max_ = std::max(max_, value);
  }
  void merge(const BasicHistogram& other) {
    for (std::size_t i = 0; i < kBucketCount; ++i) counts_[i] += other.counts_[i];
    count_ += other.count_;
    sum_ += other.sum_;
    min_ = std::min(min_, other.min_);
    max_ = std::max(max_, other.max_);
  }

  std::uint64_t count() const { return count_; }
  std::uint64_t min() const { return count_ ? min_ : 0; }
  std::uint64_t max() const { return max_; }
  double mean() const { return count_ ? static_cast<double>(sum_) / static_cast<double>(count_) : 0.0; }
  // Standard deviation from the bucket midpoints (within the histogram's precision).
  double stddev() const {
    if (count_ == 0) return 0.0;
    const double m = mean();
    double squares = 0;
    for (std::size_t i = 0; i < kBucketCount; ++i) {
      if (counts_[i] == 0) continue;
      const double mid = static_cast<double>(bucket_low(i)) + static_cast<double>(bucket_high(i) - bucket_low(i)) / 2;
      squares += static_cast<double>(counts_[i]) * (mid - m) * (mid - m);
    }
    return std::sqrt(squares / static_cast<double>(count_));
  }

  // The value at quantile q in [0, 1]: the smallest recorded value v such that at least
  // q of all samples are <= v, reported as its bucket's midpoint (clamped to the exact
  // min and max). 0 when empty.
  std::uint64_t quantile(double q) const { return QuantileWalk(*this).at(q).first; }
  // Samples at or below the bucket that holds quantile q (HdrHistogram's TotalCount).
  std::uint64_t count_at_quantile(double q) const { return QuantileWalk(*this).at(q).second; }

  // quantile(q) and count_at_quantile(q) for q that never decrease, in one pass over the
  // buckets in all: a percentile table of n rows costs one scan, not 2n (write_hgrm's
  // rows each rescanned 28 672 buckets twice: 3 % of a short run). Alone, each of those
  // two is a fresh walk.
  class QuantileWalk {
  public:
    explicit QuantileWalk(const BasicHistogram& histogram) : h_(histogram), through_(histogram.counts_[0]) {}
    // (quantile(q), count_at_quantile(q)); q must not be below the previous call's.
    // The reported value is the bucket's midpoint, clamped to the exact min and max; the
    // count is HdrHistogram's TotalCount.
    std::pair<std::uint64_t, std::uint64_t> at(double q) {
      if (h_.count_ == 0) return {0, 0};
      // The first bucket whose running count reaches the rank: at or past the previous
      // one, since the rank only grows.
      const std::uint64_t rank = h_.rank_of(q);
      while (through_ < rank && bucket_ + 1 < kBucketCount) through_ += h_.counts_[++bucket_];
      if (through_ < rank) return {h_.max_, h_.count_};
      const std::uint64_t low = bucket_low(bucket_), high = bucket_high(bucket_);
      return {std::clamp(low + (high - low) / 2, h_.min_, h_.max_), through_};
    }

  private:
    const BasicHistogram& h_;
    std::size_t bucket_ = 0;
    std::uint64_t through_;  // samples in buckets 0..bucket_
  };

  static std::size_t bucket_of(std::uint64_t value) {
    if (value < kSubBuckets) return static_cast<std::size_t>(value);
    const int msb = 63 - __builtin_clzll(value);
    const int shift = msb - SubBucketBits;  // >= 0
    return static_cast<std::size_t>((static_cast<std::uint64_t>(shift + 1) << SubBucketBits) + ((value >> shift) - kSubBuckets));
  }
  static std::uint64_t bucket_low(std::size_t bucket) {
    if (bucket < kSubBuckets) return bucket;
    const std::uint64_t shift = (bucket >> SubBucketBits) - 1;
    return (kSubBuckets + (bucket & (kSubBuckets - 1))) << shift;
  }
  static std::uint64_t bucket_high(std::size_t bucket) {  // inclusive
    if (bucket < kSubBuckets) return bucket;
    const std::uint64_t shift = (bucket >> SubBucketBits) - 1;
    return bucket_low(bucket) + ((1ULL << shift) - 1);
  }

private:
  std::uint64_t rank_of(double q) const {
    q = std::clamp(q, 0.0, 1.0);
    return std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(count_))));
  }
  std::array<std::uint64_t, kBucketCount> counts_{};
  std::uint64_t count_ = 0;
  unsigned __int128 sum_ = 0;
  std::uint64_t min_ = std::numeric_limits<std::uint64_t>::max();
  std::uint64_t max_ = 0;
};

using Histogram = BasicHistogram<9>;
using CoarseHistogram = BasicHistogram<4>;

// The HdrHistogram percentile-distribution text (.hgrm), which HdrHistogram's plotter
// and most latency tooling read. Values are divided by `unit` (1e6: ns -> ms).
// Percentiles follow HdrHistogram's iteration: 5 ticks per halving of the distance to
// 100 %, then 100 %.
void write_hgrm(std::ostream& out, const Histogram& histogram, double unit = 1e6);

}  // namespace lbsim::metrics
