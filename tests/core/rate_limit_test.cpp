// SPDX-License-Identifier: GPL-3.0-or-later
#include "l7/rate_limit.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace lbsim::l7 {
namespace {

// Times and rates below are binary fractions (0.5, 0.25, 1.25): the arithmetic is exact
// and the expectations are exact too.

TEST(TokenBucket, StartsFullThenRefusesOnceTheBurstIsSpent) {
  TokenBucket bucket(2, 3);
  EXPECT_EQ(bucket.tokens(0.0), 3.0);
  EXPECT_TRUE(bucket.try_take(0.0));
  EXPECT_TRUE(bucket.try_take(0.0));
  EXPECT_TRUE(bucket.try_take(0.0));
  EXPECT_FALSE(bucket.try_take(0.0));
  EXPECT_EQ(bucket.tokens(0.0), 0.0);
}

TEST(TokenBucket, RefillsContinuouslyAtTheRate) {
  TokenBucket bucket(2, 3);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(bucket.try_take(0.0));
  EXPECT_EQ(bucket.tokens(0.5), 1.0);  // 0.5 s at 2/s
  EXPECT_TRUE(bucket.try_take(0.5));
  EXPECT_FALSE(bucket.try_take(0.5));
  EXPECT_EQ(bucket.tokens(1.25), 1.5);  // 0.75 s later
  EXPECT_TRUE(bucket.try_take(1.25));
  EXPECT_FALSE(bucket.try_take(1.25));  // 0.5 left
  EXPECT_EQ(bucket.tokens(1.25), 0.5);  // the refused take took nothing
  EXPECT_TRUE(bucket.try_take(1.5));    // 0.5 + 0.25 s * 2
  EXPECT_EQ(bucket.tokens(1.5), 0.0);
}

TEST(TokenBucket, RefillIsCappedAtTheBurst) {
  TokenBucket bucket(2, 3);
  ASSERT_TRUE(bucket.try_take(0.0));
  EXPECT_EQ(bucket.tokens(0.25), 2.5);
  EXPECT_EQ(bucket.tokens(0.5), 3.0);
  EXPECT_EQ(bucket.tokens(100.0), 3.0);
}

TEST(TokenBucket, TakesFractionsOfATokenAndRefillsFractionally) {
  TokenBucket bucket(1, 1);
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(bucket.try_take(0.0, 0.25));
  EXPECT_FALSE(bucket.try_take(0.0, 0.25));
  EXPECT_EQ(bucket.tokens(0.125), 0.125);
  EXPECT_FALSE(bucket.try_take(0.125, 0.25));
  EXPECT_TRUE(bucket.try_take(0.25, 0.25));  // exactly due
  EXPECT_EQ(bucket.tokens(0.25), 0.0);
}

TEST(TokenBucket, ACostAboveTheBurstNeverPasses) {
  TokenBucket bucket(1, 2);
  EXPECT_FALSE(bucket.try_take(0.0, 3));
  EXPECT_EQ(bucket.tokens(0.0), 2.0);
}

TEST(TokenBucket, ArrivalAtTheInstantItsTokenIsDueIsAllowed) {
  // 0.3 - 0.2 is 0.09999999999999998 in doubles: without the tolerance the request at
  // 0.3 would find 0.9999999999999998 tokens and be refused.
  TokenBucket bucket(10, 1);
  EXPECT_TRUE(bucket.try_take(0.0));
  EXPECT_TRUE(bucket.try_take(0.1));
  EXPECT_TRUE(bucket.try_take(0.2));
  EXPECT_TRUE(bucket.try_take(0.3));
  EXPECT_FALSE(bucket.try_take(0.3));
  EXPECT_EQ(bucket.tokens(0.3), 0.0);
}

TEST(TokenBucket, AStaleTimeAddsNothing) {
  TokenBucket bucket(2, 3);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(bucket.try_take(1.0));
  EXPECT_EQ(bucket.tokens(0.5), 0.0);
  EXPECT_FALSE(bucket.try_take(0.5));
  EXPECT_EQ(bucket.tokens(1.5), 1.0);  // refill still counts from 1.0
}

TEST(TokenBucket, RejectsImpossibleSettings) {
  EXPECT_THROW(TokenBucket(1, 0), std::invalid_argument);
  EXPECT_THROW(TokenBucket(-1, 1), std::invalid_argument);
  EXPECT_NO_THROW(TokenBucket(0, 1));  // a one-off allowance
}

RequestView from(std::uint32_t source_ip) {
  RequestView request;
  request.source_ip = source_ip;
  return request;
}

TEST(RateLimiter, IsolatesSourceAddresses) {
  RateLimiter limiter({.key = RateKey::source_ip, .rate_per_s = 1, .burst = 2});
  const RequestView a = from(0xC6120001u), b = from(0xC6120002u);
  const RateDecision first = limiter.check(a, "default", 0.0);
  EXPECT_TRUE(first.allowed);
  EXPECT_EQ(first.status, 0);
  EXPECT_EQ(first.tokens_left, 1.0);
  EXPECT_TRUE(first.counted);
  EXPECT_TRUE(limiter.check(a, "default", 0.0).allowed);
  const RateDecision refused = limiter.check(a, "default", 0.0);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.status, 429);
  EXPECT_EQ(refused.tokens_left, 0.0);
  // b has its own bucket.
  const RateDecision other = limiter.check(b, "default", 0.0);
  EXPECT_TRUE(other.allowed);
  EXPECT_EQ(other.tokens_left, 1.0);
  EXPECT_EQ(limiter.size(), 2u);
  // a refills at 1/s.
  EXPECT_TRUE(limiter.check(a, "default", 1.0).allowed);
}

TEST(RateLimiter, KeysByAHeaderValueAndIgnoresRequestsWithoutIt) {
  RateLimiter limiter({.key = RateKey::header, .header = "X-Api-Key", .rate_per_s = 1, .burst = 1});
  const Field key_one[] = {{"x-api-key", "one"}};  // header names fold case
  const Field key_two[] = {{"X-Api-Key", "two"}};
  RequestView one = from(1), one_elsewhere = from(2), two = from(1), none = from(1);
  one.headers = key_one;
  one_elsewhere.headers = key_one;
  two.headers = key_two;
  EXPECT_TRUE(limiter.check(one, "default", 0.0).allowed);
  EXPECT_FALSE(limiter.check(one_elsewhere, "default", 0.0).allowed);  // same key from another address
  EXPECT_TRUE(limiter.check(two, "default", 0.0).allowed);
  for (int i = 0; i < 3; ++i) {
    const RateDecision d = limiter.check(none, "default", 0.0);
    EXPECT_TRUE(d.allowed);
    EXPECT_FALSE(d.counted);
  }
  EXPECT_EQ(limiter.size(), 2u);
}

TEST(RateLimiter, KeysByRoute) {
  RateLimiter limiter({.key = RateKey::route, .rate_per_s = 1, .burst = 1});
  EXPECT_TRUE(limiter.check(from(1), "priority 10", 0.0).allowed);
  EXPECT_FALSE(limiter.check(from(2), "priority 10", 0.0).allowed);  // the route's budget is shared
  EXPECT_TRUE(limiter.check(from(1), "default", 0.0).allowed);
}

TEST(RateLimiter, ForgetsTheLeastRecentlyUsedKeyBeyondItsCapacity) {
  // Rate 0: a bucket never refills, so only eviction can give a key its tokens back.
  RateLimiter limiter({.key = RateKey::source_ip, .rate_per_s = 0, .burst = 1, .capacity = 2});
  EXPECT_TRUE(limiter.check_key(1, 0.0).allowed);
  EXPECT_TRUE(limiter.check_key(2, 1.0).allowed);
  EXPECT_FALSE(limiter.check_key(1, 2.0).allowed);  // key 1 is now the most recent; key 2 the least
  EXPECT_TRUE(limiter.check_key(3, 3.0).allowed);   // evicts key 2
  EXPECT_EQ(limiter.evictions(), 1u);
  EXPECT_EQ(limiter.size(), 2u);
  EXPECT_FALSE(limiter.check_key(1, 4.0).allowed);  // still remembered, still empty
  EXPECT_TRUE(limiter.check_key(2, 5.0).allowed);   // forgotten: back with a full bucket (evicts key 3)
  EXPECT_EQ(limiter.evictions(), 2u);
  EXPECT_EQ(limiter.size(), 2u);
}

TEST(RateLimiter, RejectsImpossibleSettings) {
  EXPECT_THROW(RateLimiter({.capacity = 0}), std::invalid_argument);
  EXPECT_THROW(RateLimiter({.key = RateKey::header}), std::invalid_argument);
  EXPECT_THROW(RateLimiter({.burst = 0}), std::invalid_argument);
  EXPECT_EQ(to_string(RateKey::header), "header");
}

}  // namespace
}  // namespace lbsim::l7
