// SPDX-License-Identifier: GPL-3.0-or-later
#include "util/units.hpp"

#include <gtest/gtest.h>

#include "util/strings.hpp"

namespace lbsim::units {
namespace {

TEST(Units, DurationsScaleToSeconds) {
  EXPECT_DOUBLE_EQ(*parse_duration("100us"), 100e-6);
  EXPECT_DOUBLE_EQ(*parse_duration("20ms"), 0.020);
  EXPECT_DOUBLE_EQ(*parse_duration("2s"), 2.0);
  EXPECT_DOUBLE_EQ(*parse_duration("1.5m"), 90.0);
  EXPECT_DOUBLE_EQ(*parse_duration("1h"), 3600.0);
  EXPECT_DOUBLE_EQ(*parse_duration("250ns"), 250e-9);
  EXPECT_DOUBLE_EQ(*parse_duration("0"), 0.0);
}

TEST(Units, DurationsRejectMissingOrUnknownUnits) {
  EXPECT_FALSE(parse_duration("100"));
  EXPECT_FALSE(parse_duration("10 parsecs"));
  EXPECT_FALSE(parse_duration("ms"));
  EXPECT_FALSE(parse_duration("-5ms"));
  EXPECT_FALSE(parse_duration(""));
}

TEST(Units, BandwidthBitsAndBytes) {
  EXPECT_DOUBLE_EQ(*parse_bandwidth("10Gbps"), 10e9 / 8);  // bits: 1.25 GB/s
  EXPECT_DOUBLE_EQ(*parse_bandwidth("100Mbps"), 12.5e6);
  EXPECT_DOUBLE_EQ(*parse_bandwidth("1GBps"), 1e9);         // bytes
  EXPECT_FALSE(parse_bandwidth("10Gbs"));
  EXPECT_FALSE(parse_bandwidth("10G"));
}

TEST(Units, SizesAreSiUnlessBinary) {
  EXPECT_DOUBLE_EQ(*parse_size("50KB"), 50'000);
  EXPECT_DOUBLE_EQ(*parse_size("2KiB"), 2048);
  EXPECT_DOUBLE_EQ(*parse_size("1MiB"), 1'048'576);
  EXPECT_DOUBLE_EQ(*parse_size("500B"), 500);
  EXPECT_FALSE(parse_size("50kb"));
}

TEST(Units, RatesPerSecond) {
  EXPECT_DOUBLE_EQ(*parse_rate("20000/s"), 20000);
  EXPECT_DOUBLE_EQ(*parse_rate("5/ms"), 5000);
  EXPECT_DOUBLE_EQ(*parse_rate("120/min"), 2);
  EXPECT_FALSE(parse_rate("20000"));
  EXPECT_FALSE(parse_rate("20000/fortnight"));
}

TEST(Strings, EditDistanceMatchesHandCount) {
  EXPECT_EQ(edit_distance("ruls", "rules"), 1u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
}

TEST(Strings, ClosestMatchOnlyForPlausibleTypos) {
  const std::vector<std::string> keys{"rules", "algorithm", "nodes_per_zone"};
  EXPECT_EQ(closest_match("ruls", keys), "rules");
  EXPECT_EQ(closest_match("algoritm", keys), "algorithm");
  EXPECT_FALSE(closest_match("zebra", keys));
}

}  // namespace
}  // namespace lbsim::units
