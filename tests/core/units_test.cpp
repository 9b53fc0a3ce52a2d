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
  EXPECT_DOUBLE_EQ(*parse_size("1TB"), 1e12);  // the bound the limits name must be writable
  EXPECT_DOUBLE_EQ(*parse_size("1TiB"), 1099511627776.0);
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

namespace lbsim::units {
namespace {

TEST(UnitsFormat, PicksTheLargestUnitThatKeepsAWholeNumber) {
  EXPECT_EQ(format_duration(0.0001), "100us");
  EXPECT_EQ(format_duration(0.020), "20ms");
  EXPECT_EQ(format_duration(350), "350s");
  EXPECT_EQ(format_duration(7200), "2h");
  EXPECT_EQ(format_duration(0.0015), "1.5ms");
  EXPECT_EQ(format_duration(0), "0s");
  EXPECT_EQ(format_bandwidth(10e9 / 8), "10Gbps");
  EXPECT_EQ(format_bandwidth(25e9 / 8), "25Gbps");
  EXPECT_EQ(format_size(500), "500B");
  EXPECT_EQ(format_size(50'000), "50KB");
  EXPECT_EQ(format_rate(20'000), "20000/s");
}

TEST(UnitsFormat, ReadsBackToTheSameValue) {
  for (const double seconds : {1e-9, 2.5e-6, 0.0125, 0.25, 1.0, 86400.0, 1e6})
    EXPECT_DOUBLE_EQ(*parse_duration(format_duration(seconds)), seconds) << format_duration(seconds);
  for (const double bps : {1.0, 125.0, 1.25e6, 3.125e9})
    EXPECT_DOUBLE_EQ(*parse_bandwidth(format_bandwidth(bps)), bps) << format_bandwidth(bps);
  for (const double bytes : {1.0, 1500.0, 2e6, 4.5e9}) EXPECT_DOUBLE_EQ(*parse_size(format_size(bytes)), bytes);
  for (const double rate : {0.5, 1.0, 100.0, 50'000.0}) EXPECT_DOUBLE_EQ(*parse_rate(format_rate(rate)), rate) << format_rate(rate);
}

}  // namespace
}  // namespace lbsim::units
