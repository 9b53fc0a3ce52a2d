// SPDX-License-Identifier: GPL-3.0-or-later
// Where steady state begins: MSER-5 on series with a planted transient, and the warnings
// a run gets when it is too short for its transient or leaves it in its figures.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "reports/steady_state.hpp"
#include "synthetic_run.hpp"

namespace lbsim::reports {
namespace {

using ::testing::HasSubstr;
using testing::kMs;

// A fixed, small wobble (no random numbers): +-2 % around `level`.
double wobble(std::size_t i, double level) { return level * (1 + 0.02 * std::sin(static_cast<double>(i) * 1.7)); }

TEST(Mser5, FindsAPlantedStepTransient) {
  std::vector<double> series;
  for (std::size_t i = 0; i < 100; ++i) series.push_back(wobble(i, i < 30 ? 10.0 : 1.0));
  EXPECT_EQ(mser5_truncation(series), 30u);
}

TEST(Mser5, FindsADecayingTransientWhereItHasFaded) {
  // 1 + 9 e^(-t/4) with the +-2 % wobble: the decay sinks below the wobble after
  // t = 4 ln(9 / 0.02) = 24.4 s.
  std::vector<double> series;
  for (std::size_t i = 0; i < 200; ++i) series.push_back(wobble(i, 1.0) + 9 * std::exp(-static_cast<double>(i) / 4));
  const auto truncation = mser5_truncation(series);
  ASSERT_TRUE(truncation);
  EXPECT_GE(*truncation, 15u);
  EXPECT_LE(*truncation, 40u);
}

TEST(Mser5, NeverDropsMoreThanHalfAndNeedsTwentyIntervals) {
  std::vector<double> rising;
  for (std::size_t i = 0; i < 40; ++i) rising.push_back(static_cast<double>(i));  // no steady state at all
  EXPECT_LE(*mser5_truncation(rising), 20u);
  EXPECT_FALSE(mser5_truncation(std::vector<double>(19, 1.0)));
  EXPECT_EQ(mser5_truncation(std::vector<double>(20, 1.0)), 0u);  // flat: nothing to drop
}

// A run of `seconds` seconds whose first `transient` seconds answer in 50 ms, then 5 ms.
results::RunResult run_with_transient(std::size_t seconds, std::size_t transient) {
  results::RunResult run;
  for (std::size_t s = 0; s < seconds; ++s) testing::answer(run, s, 10, (s < transient ? 50 : 5) * kMs);
  return run;
}

TEST(SteadyState, AReportedTransientAsksForAWarmUp) {
  const auto spec = testing::scenario("", "100s");
  const auto json = steady_state_json(spec, run_with_transient(100, 20));
  EXPECT_EQ(json["estimate_s"], 20.0);
  EXPECT_DOUBLE_EQ(json["transient_shift"].get<double>(), 9.0);  // 50 ms against 5 ms
  ASSERT_EQ(json["warnings"].size(), 1u);
  EXPECT_THAT(json["warnings"][0].get<std::string>(), HasSubstr("set warmup: 20s or more"));
}

TEST(SteadyState, ARunShorterThanThreeTimesItsTransientIsTooShort) {
  const auto spec = testing::scenario("warmup: 25s\n", "40s");
  const auto json = steady_state_json(spec, run_with_transient(40, 15));
  EXPECT_EQ(json["estimate_s"], 15.0);
  ASSERT_EQ(json["warnings"].size(), 1u);  // the warm-up covers it; the length does not
  EXPECT_THAT(json["warnings"][0].get<std::string>(), HasSubstr("less than three times that: lengthen the run"));
}

TEST(SteadyState, ASteadyRunGetsNoWarning) {
  const auto spec = testing::scenario("", "60s");
  results::RunResult run;
  for (std::size_t s = 0; s < 60; ++s) testing::answer(run, s, 10, static_cast<std::uint64_t>(wobble(s, 5.0) * kMs));
  const auto json = steady_state_json(spec, run);
  EXPECT_TRUE(json["warnings"].empty()) << json.dump();
  EXPECT_LT(std::abs(json["transient_shift"].get<double>()), 0.1);
}

TEST(SteadyState, TooShortARunIsSaidSo) {
  const auto json = steady_state_json(testing::scenario("", "10s"), run_with_transient(10, 0));
  EXPECT_TRUE(json["estimate_s"].is_null());
  EXPECT_THAT(json["warnings"][0].get<std::string>(), HasSubstr("too short to estimate"));
}

}  // namespace
}  // namespace lbsim::reports
