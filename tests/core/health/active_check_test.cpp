// SPDX-License-Identifier: GPL-3.0-or-later
// Active health checks: the threshold state machine, its presets, and detection times against their closed forms.
#include <gtest/gtest.h>

#include <array>
#include <optional>
#include <span>
#include <vector>

#include "health/active_check.hpp"

namespace lbsim::health {
namespace {

// ---- active checks ----------------------------------------------------------------
static_assert(ActiveCheckConfig::alb().unhealthy_threshold == 2, "presets are usable at compile time");

TEST(ActiveCheck, PresetsAreTheDocumentedDefaults) {
  const auto alb = ActiveCheckConfig::alb();
  EXPECT_EQ(alb.interval_s, 30.0);
  EXPECT_EQ(alb.timeout_s, 5.0);
  EXPECT_EQ(alb.healthy_threshold, 5u);
  EXPECT_EQ(alb.unhealthy_threshold, 2u);

  const auto nlb = ActiveCheckConfig::nlb();
  EXPECT_EQ(nlb.interval_s, 30.0);
  EXPECT_EQ(nlb.timeout_s, 10.0);
  // AWS's CreateTargetGroup reference: TCP checks default to healthy 5, unhealthy 2.
  EXPECT_EQ(nlb.healthy_threshold, 5u);
  EXPECT_EQ(nlb.unhealthy_threshold, 2u);

  const auto haproxy = ActiveCheckConfig::haproxy();
  EXPECT_EQ(haproxy.interval_s, 2.0);
  EXPECT_EQ(haproxy.timeout_s, 2.0);
  EXPECT_EQ(haproxy.healthy_threshold, 2u);
  EXPECT_EQ(haproxy.unhealthy_threshold, 3u);
}

TEST(ActiveCheck, InitialTargetBecomesHealthyAtExactlyTheHealthyThreshold) {
  ActiveCheck check(ActiveCheckConfig::alb());  // healthy threshold 5
  EXPECT_EQ(check.state(), State::initial);
  EXPECT_FALSE(check.receives_traffic());
  for (int probe = 1; probe <= 4; ++probe) {
    const auto transition = check.record(true, 30.0 * probe);
    EXPECT_FALSE(transition.changed()) << "probe " << probe;
    EXPECT_EQ(check.state(), State::initial);
    EXPECT_EQ(check.consecutive_passes(), static_cast<std::uint32_t>(probe));
  }
  const auto fifth = check.record(true, 150.0);
  EXPECT_TRUE(fifth.changed());
  EXPECT_EQ(fifth.from, State::initial);
  EXPECT_EQ(fifth.to, State::healthy);
  EXPECT_EQ(fifth.cause, Cause::reached_healthy_threshold);
  EXPECT_EQ(fifth.reason(), "5 consecutive passes reached healthy threshold 5");
  EXPECT_TRUE(check.receives_traffic());
  EXPECT_EQ(check.state_since(), 150.0);

  const auto sixth = check.record(true, 180.0);  // already healthy: no second transition
  EXPECT_FALSE(sixth.changed());
  EXPECT_EQ(sixth.reason(), "6 consecutive passes; stays healthy");
  EXPECT_EQ(check.state_since(), 150.0);
}

TEST(ActiveCheck, HealthyTargetBecomesUnhealthyAtExactlyTheUnhealthyThreshold) {
  ActiveCheck check(ActiveCheckConfig::alb(), State::healthy);  // unhealthy threshold 2
  const auto first = check.record(false, 30.0);
  EXPECT_FALSE(first.changed());
  EXPECT_EQ(first.reason(), "1 consecutive failure of unhealthy threshold 2; stays healthy");
  EXPECT_EQ(check.state(), State::healthy);

  const auto second = check.record(false, 60.0);
  EXPECT_TRUE(second.changed());
  EXPECT_EQ(second.from, State::healthy);
  EXPECT_EQ(second.to, State::unhealthy);
  EXPECT_EQ(second.cause, Cause::reached_unhealthy_threshold);
  EXPECT_EQ(second.consecutive, 2u);
  EXPECT_EQ(second.threshold, 2u);
  EXPECT_EQ(second.reason(), "2 consecutive failures reached unhealthy threshold 2");
  EXPECT_EQ(check.state_since(), 60.0);
  EXPECT_FALSE(check.receives_traffic());
}

TEST(ActiveCheck, AResultOfTheOtherKindBreaksTheRun) {
  ActiveCheck check(ActiveCheckConfig::alb(), State::healthy);
  check.record(false, 0.0);
  check.record(true, 30.0);
  EXPECT_EQ(check.consecutive_failures(), 0u);
  EXPECT_EQ(check.consecutive_passes(), 1u);
  EXPECT_FALSE(check.record(false, 60.0).changed());  // a run of 1 again, not 2
  EXPECT_EQ(check.state(), State::healthy);
  EXPECT_TRUE(check.record(false, 90.0).changed());
  EXPECT_EQ(check.state(), State::unhealthy);
}

TEST(ActiveCheck, HaproxyFallsAfterThreeAndRisesAfterTwo) {
  ActiveCheck check(ActiveCheckConfig::haproxy());
  EXPECT_FALSE(check.record(false, 2.0).changed());
  EXPECT_FALSE(check.record(false, 4.0).changed());
  const auto fall = check.record(false, 6.0);
  EXPECT_EQ(fall.from, State::initial);
  EXPECT_EQ(fall.to, State::unhealthy);

  EXPECT_FALSE(check.record(true, 8.0).changed());
  const auto rise = check.record(true, 10.0);
  EXPECT_EQ(rise.from, State::unhealthy);
  EXPECT_EQ(rise.to, State::healthy);
  EXPECT_EQ(rise.reason(), "2 consecutive passes reached healthy threshold 2");
}

TEST(ActiveCheck, AnAnswerAfterTheTimeoutOrNoneAtAllIsAFailure) {
  ActiveCheck check(ActiveCheckConfig::alb(), State::healthy);  // timeout 5 s
  const auto on_time = check.record_result(5.0, 0.0);         // exactly the timeout: passes
  EXPECT_TRUE(on_time.passed);
  EXPECT_FALSE(on_time.timed_out);

  const auto late = check.record_result(5.001, 30.0);
  EXPECT_FALSE(late.passed);
  EXPECT_TRUE(late.timed_out);
  EXPECT_EQ(check.consecutive_failures(), 1u);

  const auto silent = check.record_result(std::nullopt, 60.0);
  EXPECT_TRUE(silent.timed_out);
  EXPECT_TRUE(silent.changed());
  EXPECT_EQ(silent.reason(), "probe timed out: 2 consecutive failures reached unhealthy threshold 2");
}

TEST(ActiveCheck, NextCheckIsOneIntervalLater) {
  const ActiveCheck check(ActiveCheckConfig::alb());
  EXPECT_EQ(check.next_check_time(100.0), 130.0);
  EXPECT_EQ(ActiveCheck(ActiveCheckConfig::haproxy()).next_check_time(7.0), 9.0);
}

TEST(ActiveCheck, RejectsMeaninglessConfigs) {
  EXPECT_THROW(ActiveCheck({0.0, 5.0, 5, 2}), std::invalid_argument);
  EXPECT_THROW(ActiveCheck({30.0, 0.0, 5, 2}), std::invalid_argument);
  EXPECT_THROW(ActiveCheck({30.0, 5.0, 0, 2}), std::invalid_argument);
  EXPECT_THROW(ActiveCheck({30.0, 5.0, 5, 0}), std::invalid_argument);
}

// ---- detection time ---------------------------------------------------------------
// Runs the state machine itself against a target that dies at `died_at`: probes start at
// phase + k × interval and are recorded when their outcome is known.
double simulated_detection(const ActiveCheckConfig& config, double died_at, double phase, DeadTarget dead) {
  ActiveCheck check(config, State::healthy);
  double start = phase;
  for (int probe = 0; probe < 1000; ++probe, start = check.next_check_time(start)) {
    if (start < died_at) {
      check.record_result(0.0, start);
      continue;
    }
    const bool silent = dead == DeadTarget::silent;
    const double known_at = silent ? start + config.timeout_s : start;
    const auto transition = silent ? check.record_result(std::nullopt, known_at) : check.record(false, known_at);
    if (transition.changed()) return known_at;
  }
  return -1.0;
}

TEST(DetectionTime, AlbHandComputed) {
  const auto alb = ActiveCheckConfig::alb();  // interval 30, timeout 5, unhealthy 2
  // Probes at 0, 30, 60, 90, 120, 150: dead at 100, the failing ones start at 120 and 150.
  EXPECT_EQ(detection_time(alb, 100.0, 0.0, DeadTarget::silent), 155.0);
  EXPECT_EQ(detection_time(alb, 100.0, 0.0, DeadTarget::refusing), 150.0);
  // A probe starting at the very instant of death fails: 90 and 120.
  EXPECT_EQ(detection_time(alb, 90.0, 0.0, DeadTarget::silent), 125.0);
  // Phase 7.5: probes at 97.5 (passes), 127.5, 157.5.
  EXPECT_EQ(detection_time(alb, 100.0, 7.5, DeadTarget::silent), 162.5);
}

TEST(DetectionTime, WindowsAreTheClosedForms) {
  const auto alb = detection_window(ActiveCheckConfig::alb());
  EXPECT_EQ(alb.shortest_s, 30.0);  // 30 × (2 − 1)
  EXPECT_EQ(alb.longest_s, 65.0);   // 30 × 2 + 5
  const auto alb_silent = detection_window(ActiveCheckConfig::alb(), DeadTarget::silent);
  EXPECT_EQ(alb_silent.shortest_s, 35.0);
  EXPECT_EQ(alb_silent.longest_s, 65.0);
  const auto alb_refusing = detection_window(ActiveCheckConfig::alb(), DeadTarget::refusing);
  EXPECT_EQ(alb_refusing.shortest_s, 30.0);
  EXPECT_EQ(alb_refusing.longest_s, 60.0);

  const auto nlb = detection_window(ActiveCheckConfig::nlb());  // 30 s, 10 s, 2
  EXPECT_EQ(nlb.shortest_s, 30.0);  // 30 × (2 − 1)
  EXPECT_EQ(nlb.longest_s, 70.0);   // 30 × 2 + 10
  const auto haproxy = detection_window(ActiveCheckConfig::haproxy());  // 2 s, 2 s, 3
  EXPECT_EQ(haproxy.shortest_s, 4.0);
  EXPECT_EQ(haproxy.longest_s, 8.0);
}

TEST(DetectionTime, MatchesTheStateMachineAtEveryPhaseAndStaysInTheWindow) {
  for (const auto& config : {ActiveCheckConfig::alb(), ActiveCheckConfig::nlb(), ActiveCheckConfig::haproxy()}) {
    for (const auto dead : {DeadTarget::silent, DeadTarget::refusing}) {
      const auto window = detection_window(config, dead);
      const double died_at = 1000.0;
      for (double phase = 0.0; phase < config.interval_s; phase += 0.5) {
        const double detected = detection_time(config, died_at, phase, dead);
        EXPECT_EQ(detected, simulated_detection(config, died_at, phase, dead)) << "phase " << phase;
        EXPECT_GE(detected - died_at, window.shortest_s) << "phase " << phase;
        EXPECT_LT(detected - died_at, window.longest_s) << "phase " << phase;
      }
    }
  }
}

}  // namespace
}  // namespace lbsim::health
