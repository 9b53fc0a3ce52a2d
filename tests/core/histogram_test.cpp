// SPDX-License-Identifier: GPL-3.0-or-later
#include "metrics/histogram.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "util/random.hpp"

namespace lbsim::metrics {
namespace {

TEST(Histogram, SmallValuesAreExact) {
  Histogram h;
  for (std::uint64_t v = 1; v <= 100; ++v) h.record(v);
  EXPECT_EQ(h.count(), 100u);
  EXPECT_EQ(h.quantile(0.5), 50u);
  EXPECT_EQ(h.quantile(0.99), 99u);
  EXPECT_EQ(h.quantile(1.0), 100u);
  EXPECT_EQ(h.min(), 1u);
  EXPECT_EQ(h.max(), 100u);
  EXPECT_DOUBLE_EQ(h.mean(), 50.5);
}

TEST(Histogram, BucketsTileTheNumberLine) {
  for (std::size_t b = 0; b + 1 < Histogram::kBucketCount; ++b) {
    ASSERT_EQ(Histogram::bucket_high(b) + 1, Histogram::bucket_low(b + 1)) << b;
    ASSERT_EQ(Histogram::bucket_of(Histogram::bucket_low(b)), b);
    ASSERT_EQ(Histogram::bucket_of(Histogram::bucket_high(b)), b);
  }
  EXPECT_EQ(Histogram::bucket_of(UINT64_MAX), Histogram::kBucketCount - 1);
}

TEST(Histogram, PercentilesWithinOnePercentOfSortedExactValues) {
  Random random(2024);
  std::vector<std::uint64_t> values;
  Histogram h;
  for (int i = 0; i < 200000; ++i) {
    // Lognormal-ish latencies from microseconds to seconds, in nanoseconds.
    const double ns = std::exp(std::log(5e6) + 1.5 * (random.uniform01() + random.uniform01() + random.uniform01() - 1.5));
    const auto v = static_cast<std::uint64_t>(ns);
    values.push_back(v);
    h.record(v);
  }
  std::sort(values.begin(), values.end());
  for (double q : {0.001, 0.1, 0.5, 0.9, 0.99, 0.999, 0.9999}) {
    const auto rank = static_cast<std::size_t>(std::ceil(q * values.size()));
    const double exact = static_cast<double>(values[rank - 1]);
    EXPECT_NEAR(static_cast<double>(h.quantile(q)), exact, exact * 0.01) << "q=" << q;
  }
  EXPECT_EQ(h.max(), values.back());
  EXPECT_EQ(h.min(), values.front());
}

TEST(Histogram, EveryValueReadsBackWithinATenthOfAPercent) {
  // Three significant digits, as HdrHistogram's: replications' percentiles a few tenths of
  // a percent apart must not land in one bucket.
  for (std::uint64_t v = 1000; v < 10'000'000'000ULL; v = v * 1013 / 1000 + 7) {
    Histogram h;  // (neighbours far away, so the median is v's bucket, not clamped to a min or max)
    for (const std::uint64_t x : {v / 2, v, 2 * v}) h.record(x);
    const double read = static_cast<double>(h.quantile(0.5));
    ASSERT_LE(std::abs(read - static_cast<double>(v)), static_cast<double>(v) / 1024) << v;
  }
}

TEST(Histogram, MergeEqualsRecordingEverythingInOne) {
  Histogram a, b, all;
  Random random(5);
  for (int i = 0; i < 10000; ++i) {
    const std::uint64_t v = random.below(1'000'000'000);
    (i % 3 ? a : b).record(v);
    all.record(v);
  }
  a.merge(b);
  EXPECT_EQ(a.count(), all.count());
  EXPECT_DOUBLE_EQ(a.mean(), all.mean());
  for (double q : {0.0, 0.25, 0.5, 0.75, 0.99, 1.0}) EXPECT_EQ(a.quantile(q), all.quantile(q));
}

TEST(Histogram, EmptyReportsZeros) {
  const Histogram h;
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.quantile(0.5), 0u);
  EXPECT_EQ(h.min(), 0u);
  EXPECT_DOUBLE_EQ(h.mean(), 0.0);
}

}  // namespace
}  // namespace lbsim::metrics

#include <sstream>

#include "metrics/time_series.hpp"

namespace lbsim::metrics {
namespace {

TEST(CoarseHistogram, StaysWithinItsStatedError) {
  CoarseHistogram h;
  std::vector<std::uint64_t> values;
  Random random(8);
  for (int i = 0; i < 50000; ++i) {
    const std::uint64_t v = 1000 + random.below(100'000'000);
    values.push_back(v);
    h.record(v);
  }
  std::sort(values.begin(), values.end());
  for (double q : {0.5, 0.9, 0.99}) {
    const double exact = static_cast<double>(values[static_cast<std::size_t>(std::ceil(q * values.size())) - 1]);
    EXPECT_NEAR(static_cast<double>(h.quantile(q)), exact, exact / 32) << q;  // 1/2^(4+1)
  }
}

// One walk carried on through non-decreasing q answers as a fresh one does for each q
// (quantile() and count_at_quantile()): repeated q, 0 and 1, values spread over many
// octaves and a bucket run that starts empty; and an empty histogram gives zeros. (The
// fresh answers themselves are held to exact sorted values by the tests above.)
TEST(Histogram, QuantileWalkAgreesWithEachQuantileAlone) {
  Histogram empty;
  EXPECT_EQ(Histogram::QuantileWalk(empty).at(0.5), (std::pair<std::uint64_t, std::uint64_t>{0, 0}));

  Histogram h;
  Random random(19);
  for (int i = 0; i < 20000; ++i) h.record(5000 + random.below(1ULL << (10 + random.below(30))));
  std::vector<double> qs{0.0, 0.0, 1e-9, 0.1, 0.25, 0.25, 0.5};
  for (double q = 0.5; qs.size() < 80; q += (1.0 - q) / 7) qs.push_back(q);  // toward 1
  qs.push_back(0.999999);
  qs.push_back(1.0);
  qs.push_back(1.0);
  Histogram::QuantileWalk walk(h);
  for (double q : qs) {
    const auto [value, total] = walk.at(q);
    EXPECT_EQ(value, h.quantile(q)) << q;
    EXPECT_EQ(total, h.count_at_quantile(q)) << q;
  }
}

TEST(Hgrm, FollowsHdrHistogramsPercentileLayout) {
  Histogram h;
  for (std::uint64_t ms = 1; ms <= 1000; ++ms) h.record(ms * 1'000'000);  // 1..1000 ms
  std::ostringstream out;
  write_hgrm(out, h);
  const std::string text = out.str();
  std::istringstream lines(text);
  std::string header, blank, line;
  std::getline(lines, header);
  std::getline(lines, blank);
  EXPECT_EQ(header, "       Value     Percentile TotalCount 1/(1-Percentile)");
  EXPECT_TRUE(blank.empty());
  // Rows: percentiles 0, 10, 20, 30, 40 (5 ticks in the first half), then 50, 55, ...
  std::vector<double> percentiles;
  double median_value = 0;
  std::uint64_t median_total = 0;
  double last_value = 0;
  std::uint64_t last_total = 0;
  while (std::getline(lines, line) && line[0] != '#') {
    std::istringstream row(line);
    double value = 0, percentile = 0;
    std::uint64_t total = 0;
    row >> value >> percentile >> total;
    EXPECT_GE(value, last_value);
    EXPECT_GE(total, last_total);
    last_value = value;
    last_total = total;
    percentiles.push_back(percentile);
    if (percentile == 0.5) {
      median_value = value;
      median_total = total;
    }
  }
  ASSERT_GE(percentiles.size(), 12u);
  for (int i = 0; i < 5; ++i) EXPECT_NEAR(percentiles[i], i * 0.1, 1e-12);
  EXPECT_NEAR(percentiles[5], 0.5, 1e-12);
  EXPECT_NEAR(percentiles[6], 0.55, 1e-12);
  EXPECT_DOUBLE_EQ(percentiles.back(), 1.0);
  EXPECT_NEAR(last_value, 1000.0, 1e-9);  // the max, in ms
  EXPECT_EQ(last_total, 1000u);
  // The median row: 500 ms within the histogram's 0.1 %, and the samples at or below
  // its bucket (500 plus the bucket's 1 ms share of the neighbours at most).
  EXPECT_NEAR(median_value, 500.0, 500.0 / 1024);
  EXPECT_GE(median_total, 500u);
  EXPECT_LE(median_total, 505u);
  EXPECT_NE(text.find("#[Mean    =      500.500"), std::string::npos) << text;
}

TEST(TimeSeries, BucketsByIntervalAndCountsFailures) {
  TimeSeries series(0.5);
  series.record(0.1, 1000, false);
  series.record(0.49, 3000, true);
  series.record(0.5, 5000, false);
  series.record(2.2, 7000, false);
  ASSERT_EQ(series.size(), 5u);  // [0,0.5) [0.5,1) [1,1.5) [1.5,2) [2,2.5)
  EXPECT_EQ(series.at(0).answered, 2u);
  EXPECT_EQ(series.at(0).failed, 1u);
  EXPECT_EQ(series.at(1).answered, 1u);
  EXPECT_EQ(series.at(2).answered, 0u);
  EXPECT_EQ(series.at(4).latency_ns.max(), 7000u);
  EXPECT_DOUBLE_EQ(series.start_of(4), 2.0);
  EXPECT_THROW(TimeSeries(0), std::invalid_argument);
}

}  // namespace
}  // namespace lbsim::metrics
