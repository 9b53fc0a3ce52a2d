// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A log-linear latency histogram (HdrHistogram's layout): values below 128 are exact;
// above, each power of two is split into 128 equal buckets, so a reported value is
// within 1/256 (0.4 %) of the true one. Fixed memory whatever the sample count;
// exact count, sum, min and max; mergeable.
#include <array>
#include <cstdint>
#include <limits>

namespace lbsim::metrics {

class Histogram {
public:
  static constexpr int kSubBucketBits = 7;
  static constexpr std::uint64_t kSubBuckets = 1ULL << kSubBucketBits;      // 128
  static constexpr int kOctaves = 64 - kSubBucketBits;                      // covers all uint64
  static constexpr std::size_t kBucketCount = kSubBuckets * (kOctaves + 1);

  void record(std::uint64_t value) {
    ++counts_[bucket_of(value)];
    ++count_;
    sum_ += value;
    if (value < min_) min_ = value;
    if (value > max_) max_ = value;
  }
  void merge(const Histogram& other);

  std::uint64_t count() const { return count_; }
  std::uint64_t min() const { return count_ ? min_ : 0; }
  std::uint64_t max() const { return max_; }
  double mean() const { return count_ ? static_cast<double>(sum_) / static_cast<double>(count_) : 0.0; }
  // The value at quantile q in [0, 1]: the smallest recorded value v such that at
  // least q of all samples are <= v, reported as its bucket's midpoint (clamped to
  // the exact min and max). 0 when empty.
  std::uint64_t quantile(double q) const;

  static std::size_t bucket_of(std::uint64_t value) {
    if (value < kSubBuckets) return static_cast<std::size_t>(value);
    const int msb = 63 - __builtin_clzll(value);
    const int shift = msb - kSubBucketBits;  // >= 0
    return static_cast<std::size_t>((static_cast<std::uint64_t>(shift + 1) << kSubBucketBits) + ((value >> shift) - kSubBuckets));
  }
  static std::uint64_t bucket_low(std::size_t bucket);
  static std::uint64_t bucket_high(std::size_t bucket);  // inclusive

private:
  std::array<std::uint64_t, kBucketCount> counts_{};
  std::uint64_t count_ = 0;
  unsigned __int128 sum_ = 0;
  std::uint64_t min_ = std::numeric_limits<std::uint64_t>::max();
  std::uint64_t max_ = 0;
};

}  // namespace lbsim::metrics
