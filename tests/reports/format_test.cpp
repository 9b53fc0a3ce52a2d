// SPDX-License-Identifier: GPL-3.0-or-later
// The one formatting layer: hand-written expectations for each rule it promises.
#include "reports/format.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace lbsim::reports::format {
namespace {

TEST(Format, SignificantKeepsFourDigitsAndAtMostFourDecimals) {
  EXPECT_EQ(significant(146.276351), "146.3");
  EXPECT_EQ(significant(20.16632705), "20.17");
  EXPECT_EQ(significant(0.041234), "0.0412");  // four decimals at most, not 0.04123
  EXPECT_EQ(significant(1.5), "1.500");
  EXPECT_EQ(significant(123456.7), "123457");   // an integer part is never cut
  EXPECT_EQ(significant(-3.14159), "-3.142");
  EXPECT_EQ(significant(0.00001), "0");         // below the last decimal shown
  EXPECT_EQ(significant(0), "0");
  EXPECT_EQ(significant(std::numeric_limits<double>::quiet_NaN()), kNone);
  EXPECT_EQ(significant(146.276351, 2), "146");
}

TEST(Format, UnitsAreAlwaysWritten) {
  EXPECT_EQ(milliseconds(146.276351), "146.3 ms");
  EXPECT_EQ(seconds(20.16632705), "20.17 s");
  EXPECT_EQ(rate(39871.2), "39.87 k/s");
  EXPECT_EQ(rate(250), "250.0/s");
  EXPECT_EQ(rate(1787.2), "1787/s");
}

TEST(Format, SharesArePercentagesWithSmallOnesStillVisible) {
  EXPECT_EQ(percent(0.670519), "67.1 %");
  EXPECT_EQ(percent(1.0), "100.0 %");
  EXPECT_EQ(percent(0.00052), "0.052 %");
  EXPECT_EQ(percent(0), "0 %");
}

TEST(Format, BytesUseSiPrefixes) {
  EXPECT_EQ(bytes(3346114173.0), "3.346 GB");
  EXPECT_EQ(bytes(1620665150.0), "1.621 GB");
  EXPECT_EQ(bytes(1500), "1.500 kB");
  EXPECT_EQ(bytes(512), "512 B");
  EXPECT_EQ(bytes(2.5e12), "2.500 TB");
}

TEST(Format, CountsGroupThousandsWithNarrowNoBreakSpaces) {
  EXPECT_EQ(count(3346114), "3\u202f346\u202f114");
  EXPECT_EQ(count(999), "999");
  EXPECT_EQ(count(1000), "1\u202f000");
  EXPECT_EQ(count(0), "0");
}

TEST(Format, ChangesAreSignedWithATrueMinus) {
  EXPECT_EQ(milliseconds_change(1.049), "+1.049 ms");
  EXPECT_EQ(bytes_change(-5582755825.0), "\u22125.583 GB");
  EXPECT_EQ(points_change(0.021), "+2.10 pp");
  EXPECT_EQ(milliseconds_change(0), "0 ms");
}

TEST(Format, AbsentFiguresReadAsWords) {
  EXPECT_EQ(seconds_or(nlohmann::ordered_json(nullptr)), kNone);
  EXPECT_EQ(seconds_or(nlohmann::ordered_json(nullptr), kNever), "never");
  EXPECT_EQ(seconds_or(nlohmann::ordered_json(35.0)), "35.00 s");
}

}  // namespace
}  // namespace lbsim::reports::format
