// SPDX-License-Identifier: GPL-3.0-or-later
// Retry budget, backoff and circuit breakers, against values worked out by hand from
// Envoy's definitions.
#include <gtest/gtest.h>

#include "resilience/circuit_breaker.hpp"
#include "resilience/retry.hpp"

namespace lbsim::resilience {
namespace {

TEST(RetryBudget, AllowsTheMinimumConcurrencyWhenTheShareIsSmaller) {
  const RetryBudget budget{20, 3};  // 20 % of 10 active = 2 < 3: the minimum rules
  EXPECT_TRUE(budget.allows_another(0, 10));
  EXPECT_TRUE(budget.allows_another(2, 10));
  EXPECT_FALSE(budget.allows_another(3, 10));
}

TEST(RetryBudget, AllowsItsShareOfActiveRequestsWhenThatIsLarger) {
  const RetryBudget budget{20, 3};  // 20 % of 100 active = 20
  EXPECT_TRUE(budget.allows_another(19, 100));
  EXPECT_FALSE(budget.allows_another(20, 100));
  EXPECT_TRUE(RetryBudget({25, 0}).allows_another(2, 12));   // 3 allowed
  EXPECT_FALSE(RetryBudget({25, 0}).allows_another(3, 12));
}

TEST(RetryBudget, AZeroBudgetWithNoMinimumNeverRetries) {
  EXPECT_FALSE(RetryBudget({0, 0}).allows_another(0, 1'000'000));
}

TEST(Backoff, DoublesFromTheBaseUpToTheCap) {
  const Backoff backoff{0.025, 0.250};
  EXPECT_DOUBLE_EQ(backoff.delay(0, 0.5), 0.0125);  // [0, 25 ms)
  EXPECT_DOUBLE_EQ(backoff.delay(1, 0.5), 0.025);   // [0, 50 ms)
  EXPECT_DOUBLE_EQ(backoff.delay(3, 0.5), 0.100);   // [0, 200 ms)
  EXPECT_DOUBLE_EQ(backoff.delay(4, 0.5), 0.125);   // 400 ms capped at 250 ms
  EXPECT_DOUBLE_EQ(backoff.delay(30, 0.5), 0.125);  // no overflow far past the cap
}

TEST(Backoff, FullJitterSpansZeroToTheCeiling) {
  const Backoff backoff{0.010, 1.0};
  EXPECT_DOUBLE_EQ(backoff.delay(2, 0.0), 0.0);
  for (double u = 0; u < 1; u += 0.125) EXPECT_LT(backoff.delay(2, u), 0.040);
}

TEST(CircuitBreaker, AdmitsUpToEachLimitAndNoFurther) {
  const CircuitBreaker breaker{2, 1};
  EXPECT_TRUE(breaker.admits_request(0));
  EXPECT_TRUE(breaker.admits_request(1));
  EXPECT_FALSE(breaker.admits_request(2));
  EXPECT_TRUE(breaker.admits_pending(0));
  EXPECT_FALSE(breaker.admits_pending(1));
}

TEST(CircuitBreaker, DefaultsAreEnvoys) {
  const CircuitBreaker breaker;
  EXPECT_EQ(breaker.max_requests, 1024u);
  EXPECT_EQ(breaker.max_pending_requests, 1024u);
}

}  // namespace
}  // namespace lbsim::resilience
