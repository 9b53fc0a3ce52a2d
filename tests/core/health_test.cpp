// SPDX-License-Identifier: GPL-3.0-or-later
#include <gtest/gtest.h>

#include <array>
#include <optional>
#include <span>
#include <vector>

#include "health/active_check.hpp"
#include "health/draining.hpp"
#include "health/outlier.hpp"
#include "health/panic.hpp"
#include "health/slow_start.hpp"

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
  EXPECT_EQ(nlb.healthy_threshold, 3u);
  EXPECT_EQ(nlb.unhealthy_threshold, nlb.healthy_threshold);

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

  const auto nlb = detection_window(ActiveCheckConfig::nlb());  // 30 s, 10 s, 3
  EXPECT_EQ(nlb.shortest_s, 60.0);
  EXPECT_EQ(nlb.longest_s, 100.0);
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

// ---- outlier ejection -------------------------------------------------------------

// Sends `count` responses of one kind from `target` at `now`; true if any ejected it.
bool responses(OutlierDetector& detector, std::size_t target, int count, bool is_5xx, double now) {
  bool ejected = false;
  for (int i = 0; i < count; ++i) ejected = detector.record_response(target, is_5xx, now) || ejected;
  return ejected;
}

TEST(OutlierDetector, DefaultsAreEnvoys) {
  const OutlierConfig config;
  EXPECT_EQ(config.consecutive_5xx, 5u);
  EXPECT_EQ(config.base_ejection_time_s, 30.0);
  EXPECT_EQ(config.max_ejection_percent, 10.0);
  EXPECT_EQ(config.max_ejection_time_s, 300.0);
  EXPECT_FALSE(config.always_eject_one_host);
}

TEST(OutlierDetector, EjectsAtTheFifthConsecutive5xxForThirtySeconds) {
  OutlierDetector detector(10);
  EXPECT_FALSE(responses(detector, 3, 4, true, 100.0));
  EXPECT_EQ(detector.consecutive_5xx(3), 4u);
  EXPECT_FALSE(detector.is_ejected(3, 100.0));
  EXPECT_TRUE(detector.record_response(3, true, 100.0));
  EXPECT_EQ(detector.times_ejected(3), 1u);
  EXPECT_EQ(detector.ejected_until(3), 130.0);
  EXPECT_TRUE(detector.is_ejected(3, 100.0));
  EXPECT_TRUE(detector.is_ejected(3, 129.999));
  EXPECT_FALSE(detector.is_ejected(3, 130.0));  // back in service at exactly base × 1
  EXPECT_EQ(detector.ejected_count(129.0), 1u);
  EXPECT_EQ(detector.ejected_count(130.0), 0u);
}

TEST(OutlierDetector, TheNthEjectionLastsNTimesTheBase) {
  OutlierDetector detector(10);
  EXPECT_TRUE(responses(detector, 0, 5, true, 0.0));  // until 30
  EXPECT_TRUE(responses(detector, 0, 5, true, 200.0));
  EXPECT_EQ(detector.ejected_until(0), 260.0);  // 2 × 30
  EXPECT_TRUE(detector.is_ejected(0, 259.999));
  EXPECT_FALSE(detector.is_ejected(0, 260.0));
  EXPECT_TRUE(responses(detector, 0, 5, true, 300.0));
  EXPECT_EQ(detector.ejected_until(0), 390.0);  // 3 × 30
  EXPECT_EQ(detector.times_ejected(0), 3u);
}

TEST(OutlierDetector, EjectionTimeStopsGrowingAtTheMaximum) {
  OutlierConfig config;
  config.max_ejection_percent = 100.0;  // one target: let it be ejected
  OutlierDetector detector(1, config);
  double now = 0.0;
  for (std::uint32_t nth = 1; nth <= 12; ++nth) {
    ASSERT_TRUE(responses(detector, 0, 5, true, now));
    const double expected = nth <= 10 ? 30.0 * nth : 300.0;
    EXPECT_EQ(detector.ejected_until(0) - now, expected) << "ejection " << nth;
    now = detector.ejected_until(0);
  }
}

TEST(OutlierDetector, ASuccessResetsTheRun) {
  OutlierDetector detector(10);
  EXPECT_FALSE(responses(detector, 1, 4, true, 0.0));
  EXPECT_FALSE(detector.record_response(1, false, 0.0));
  EXPECT_EQ(detector.consecutive_5xx(1), 0u);
  EXPECT_FALSE(responses(detector, 1, 4, true, 1.0));
  EXPECT_TRUE(detector.record_response(1, true, 1.0));
}

TEST(OutlierDetector, ResponsesWhileEjectedChangeNothing) {
  OutlierDetector detector(10);
  EXPECT_TRUE(responses(detector, 2, 5, true, 0.0));
  EXPECT_FALSE(responses(detector, 2, 20, true, 10.0));
  EXPECT_EQ(detector.consecutive_5xx(2), 0u);
  EXPECT_EQ(detector.times_ejected(2), 1u);
  EXPECT_EQ(detector.ejected_until(2), 30.0);
  // Back at 30 with a fresh run: four more 5xx are not enough.
  EXPECT_FALSE(responses(detector, 2, 4, true, 30.0));
  EXPECT_TRUE(detector.record_response(2, true, 30.0));
  EXPECT_EQ(detector.ejected_until(2), 90.0);
}

TEST(OutlierDetector, NeverEjectsMoreThanTheMaxPercent) {
  OutlierDetector detector(10);  // 10 % of 10: one target at a time
  EXPECT_TRUE(responses(detector, 0, 5, true, 0.0));
  EXPECT_FALSE(responses(detector, 1, 5, true, 1.0));  // 2 of 10 = 20 % > 10 %
  EXPECT_EQ(detector.overflows(), 1u);
  EXPECT_EQ(detector.consecutive_5xx(1), 0u);  // the refused attempt still restarts the run
  EXPECT_FALSE(detector.is_ejected(1, 1.0));
  // Target 0 is back at 30: room for one again.
  EXPECT_FALSE(responses(detector, 1, 4, true, 30.0));
  EXPECT_TRUE(detector.record_response(1, true, 30.0));
  EXPECT_EQ(detector.ejected_count(30.0), 1u);
}

TEST(OutlierDetector, TwentyTargetsAllowTwoEjections) {
  OutlierDetector detector(20);
  EXPECT_TRUE(responses(detector, 0, 5, true, 0.0));
  EXPECT_TRUE(responses(detector, 1, 5, true, 0.0));   // 2 of 20 = 10 %: allowed
  EXPECT_FALSE(responses(detector, 2, 5, true, 0.0));  // 3 of 20 = 15 %
  EXPECT_EQ(detector.ejected_count(0.0), 2u);
}

TEST(OutlierDetector, SmallSetsEjectNothingUnlessOneIsAlwaysAllowed) {
  OutlierDetector strict(5);  // 1 of 5 = 20 % > 10 %
  EXPECT_FALSE(responses(strict, 0, 5, true, 0.0));
  EXPECT_EQ(strict.overflows(), 1u);

  OutlierConfig config;
  config.always_eject_one_host = true;
  OutlierDetector lenient(5, config);
  EXPECT_TRUE(responses(lenient, 0, 5, true, 0.0));
  EXPECT_FALSE(responses(lenient, 1, 5, true, 0.0));  // one is already out
  EXPECT_EQ(lenient.overflows(), 1u);
}

// ---- panic and fail-open ----------------------------------------------------------

TEST(Panic, IsStrictlyBelowTheThreshold) {
  EXPECT_FALSE(in_panic(2, 4, kEnvoyPanicThresholdPercent));  // exactly 50 %: not panic
  EXPECT_TRUE(in_panic(1, 4, kEnvoyPanicThresholdPercent));
  EXPECT_FALSE(in_panic(5, 10, 50.0));
  EXPECT_TRUE(in_panic(4, 10, 50.0));
  EXPECT_FALSE(in_panic(0, 4, kPanicDisabled));
  EXPECT_FALSE(in_panic(0, 0, 50.0));
}

TEST(Panic, AtTheThresholdRoutesToTheHealthyOnly) {
  const std::array<bool, 4> healthy{true, false, true, false};
  const auto routing = routable(std::span<const bool>(healthy), kEnvoyPanicThresholdPercent);
  EXPECT_EQ(routing.mode, RoutingMode::normal);
  EXPECT_EQ(routing.healthy_count, 2u);
  EXPECT_EQ(routing.targets, (std::vector<bool>{true, false, true, false}));
}

TEST(Panic, BelowTheThresholdRoutesToAll) {
  const std::vector<bool> healthy{false, false, true, false};
  const auto routing = routable(healthy, kEnvoyPanicThresholdPercent);
  EXPECT_EQ(routing.mode, RoutingMode::panic);
  EXPECT_EQ(routing.healthy_count, 1u);
  EXPECT_EQ(routing.targets, std::vector<bool>(4, true));
}

TEST(Panic, WithoutPanicFewHealthyTakeEverything) {
  const std::vector<bool> healthy{false, false, true, false};
  const auto routing = routable(healthy, kPanicDisabled);
  EXPECT_EQ(routing.mode, RoutingMode::normal);
  EXPECT_EQ(routing.targets, healthy);
}

TEST(Panic, NoneHealthyFailsOpen) {
  const std::vector<bool> healthy(3, false);
  const auto aws = routable(healthy, kPanicDisabled);
  EXPECT_EQ(aws.mode, RoutingMode::fail_open);
  EXPECT_EQ(aws.targets, std::vector<bool>(3, true));
  EXPECT_EQ(routable(healthy, kEnvoyPanicThresholdPercent).mode, RoutingMode::fail_open);
}

TEST(Panic, EnvoyWithoutFailOpenPanicsOrRoutesNowhere) {
  const std::vector<bool> healthy(3, false);
  const auto panic = routable(healthy, kEnvoyPanicThresholdPercent, WhenNoneHealthy::route_to_none);
  EXPECT_EQ(panic.mode, RoutingMode::panic);
  EXPECT_EQ(panic.targets, std::vector<bool>(3, true));
  const auto nowhere = routable(healthy, kPanicDisabled, WhenNoneHealthy::route_to_none);
  EXPECT_EQ(nowhere.mode, RoutingMode::none_healthy);
  EXPECT_EQ(nowhere.targets, std::vector<bool>(3, false));
}

TEST(Panic, AnEmptySetIsNormal) {
  const auto routing = routable(std::vector<bool>{}, kEnvoyPanicThresholdPercent);
  EXPECT_EQ(routing.mode, RoutingMode::normal);
  EXPECT_TRUE(routing.targets.empty());
}

// ---- slow start -------------------------------------------------------------------

TEST(SlowStart, RampsLinearlyFromTheMinimumWeight) {
  EXPECT_DOUBLE_EQ(weight_factor(0.0, 100.0), 0.1);
  EXPECT_DOUBLE_EQ(weight_factor(5.0, 100.0), 0.1);   // 0.05 is under the 10 % floor
  EXPECT_DOUBLE_EQ(weight_factor(10.0, 100.0), 0.1);  // floor and ramp meet
  EXPECT_DOUBLE_EQ(weight_factor(20.0, 100.0), 0.2);
  EXPECT_DOUBLE_EQ(weight_factor(50.0, 100.0), 0.5);
  EXPECT_DOUBLE_EQ(weight_factor(99.0, 100.0), 0.99);
  EXPECT_EQ(weight_factor(100.0, 100.0), 1.0);  // the window has elapsed
  EXPECT_EQ(weight_factor(1000.0, 100.0), 1.0);
  EXPECT_DOUBLE_EQ(weight_factor(-5.0, 100.0), 0.1);
}

TEST(SlowStart, AlbWindowOfFifteenMinutes) {
  EXPECT_DOUBLE_EQ(weight_factor(45.0, 900.0), 0.1);
  EXPECT_DOUBLE_EQ(weight_factor(180.0, 900.0), 0.2);
  EXPECT_DOUBLE_EQ(weight_factor(450.0, 900.0), 0.5);
  EXPECT_EQ(weight_factor(900.0, 900.0), 1.0);
}

TEST(SlowStart, ZeroWindowIsOffAndMinimumIsAdjustable) {
  EXPECT_EQ(weight_factor(0.0, 0.0), 1.0);
  EXPECT_EQ(weight_factor(0.0, 100.0, 0.0), 0.0);
  EXPECT_DOUBLE_EQ(weight_factor(25.0, 100.0, 0.0), 0.25);
  EXPECT_THROW(weight_factor(0.0, -1.0), std::invalid_argument);
  EXPECT_THROW(weight_factor(0.0, 100.0, 1.5), std::invalid_argument);
}

TEST(SlowStart, AlbAcceptsZeroOrThirtyToNineHundredSeconds) {
  EXPECT_TRUE(is_valid_alb_window(0.0));
  EXPECT_FALSE(is_valid_alb_window(29.0));
  EXPECT_TRUE(is_valid_alb_window(30.0));
  EXPECT_TRUE(is_valid_alb_window(900.0));
  EXPECT_FALSE(is_valid_alb_window(901.0));
}

// ---- draining ---------------------------------------------------------------------

TEST(Draining, DefaultsToAwsDeregistrationDelay) { EXPECT_EQ(Draining().delay(), 300.0); }

TEST(Draining, StopsNewTrafficAndCutsWhatRemainsAtTheDeadline) {
  Draining draining;
  EXPECT_TRUE(draining.accepts_new());
  EXPECT_EQ(draining.state(50.0, 3), DrainState::registered);
  EXPECT_FALSE(draining.done(50.0, 3));

  draining.begin(100.0, 3);
  EXPECT_FALSE(draining.accepts_new());
  EXPECT_EQ(draining.deadline(), 400.0);
  EXPECT_EQ(draining.in_flight_at_start(), 3u);
  EXPECT_EQ(draining.state(150.0, 3), DrainState::draining);
  EXPECT_EQ(draining.state(399.999, 2), DrainState::draining);
  EXPECT_EQ(draining.to_cut(399.999, 2), 0u);
  EXPECT_EQ(draining.state(400.0, 2), DrainState::expired);  // the deadline is inclusive
  EXPECT_TRUE(draining.done(400.0, 2));
  EXPECT_EQ(draining.to_cut(400.0, 2), 2u);
}

TEST(Draining, EndsAsSoonAsNothingIsInFlight) {
  Draining draining;
  draining.begin(100.0, 3);
  EXPECT_FALSE(draining.done(200.0, 1));
  EXPECT_EQ(draining.state(200.0, 0), DrainState::drained);
  EXPECT_TRUE(draining.done(200.0, 0));
  EXPECT_EQ(draining.to_cut(200.0, 0), 0u);

  Draining idle;
  idle.begin(100.0, 0);  // nothing in flight: complete at once
  EXPECT_TRUE(idle.done(100.0, 0));
}

TEST(Draining, DeregisteringAgainDoesNotExtendTheDeadline) {
  Draining draining(60.0);
  draining.begin(10.0, 3);
  draining.begin(40.0, 5);
  EXPECT_EQ(draining.began_at(), 10.0);
  EXPECT_EQ(draining.deadline(), 70.0);
  EXPECT_EQ(draining.in_flight_at_start(), 3u);
}

TEST(Draining, ZeroDelayCutsAtOnce) {
  Draining draining(0.0);
  draining.begin(10.0, 4);
  EXPECT_EQ(draining.state(10.0, 4), DrainState::expired);
  EXPECT_EQ(draining.to_cut(10.0, 4), 4u);
  EXPECT_THROW(Draining(-1.0), std::invalid_argument);
}

}  // namespace
}  // namespace lbsim::health
