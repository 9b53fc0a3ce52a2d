// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Rate limiting at the L7 tier: a token bucket per key (client address, a header's
// value, or the matched route), refusing with 429 Too Many Requests when a key's
// bucket is empty. Time is passed in: the buckets never read a clock.
#include <cstdint>
#include <list>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "l7/request_view.hpp"

namespace lbsim::l7 {

inline constexpr std::uint16_t kTooManyRequests = 429;

// Holds up to `burst` tokens and gains `rate_per_s` tokens per second, continuously
// (no ticks): after a pause of t seconds it has min(burst, left + t * rate). It starts
// full, so a quiet client may send `burst` requests at once and then `rate_per_s` per
// second on average.
class TokenBucket {
public:
  // Throws std::invalid_argument unless burst > 0 and rate_per_s >= 0 (both finite);
  // a rate of 0 is a one-off allowance that never refills.
  TokenBucket(double rate_per_s, double burst);

  // Takes `tokens` (>= 0) if the bucket holds them at `now`; a refused take takes
  // nothing. Times come in as doubles, and 0.3 - 0.2 is 0.09999999999999998, so a
  // request arriving at the very instant its token is due would be refused by a
  // strict comparison: the bucket accepts a shortfall of at most kTolerance tokens.
  bool try_take(double now, double tokens = 1);
  // Tokens held at `now` (refill included); does not change the bucket.
  double tokens(double now) const;

  double rate_per_s() const { return rate_; }
  double burst() const { return burst_; }

  static constexpr double kTolerance = 1e-9;

private:
  double rate_;
  double burst_;
  double tokens_;
  double last_;  // time `tokens_` was last brought up to date; -inf until the first take
};

enum class RateKey : std::uint8_t { source_ip, header, route };
std::string_view to_string(RateKey key);  // "source_ip", "header", "route"

struct RateLimitSettings {
  RateKey key = RateKey::source_ip;
  std::string header{};  // the header whose value is the key, when key == header
  double rate_per_s = 10;
  double burst = 20;
  std::size_t capacity = 100'000;  // distinct keys remembered at once
};

struct RateDecision {
  bool allowed = true;
  std::uint16_t status = 0;  // kTooManyRequests when refused, 0 when the request goes on
  double tokens_left = 0;    // in the key's bucket after this decision
  bool counted = true;       // false: the request had no key, no bucket was touched
};

// One token bucket per key. Memory is bounded: beyond `capacity` keys the least
// recently used key is forgotten, and comes back later with a full bucket. That
// forgives a key that went quiet (its bucket had been refilling anyway) and is the
// price of bounded memory under a flood of distinct keys.
class RateLimiter {
public:
  // Throws std::invalid_argument on a zero capacity, invalid bucket settings, or a
  // header key without a header name.
  explicit RateLimiter(RateLimitSettings settings);

  // The key of a request under these settings: the source address, the hash of the
  // header's value, or the hash of `route` (the matched rule's label). Nothing when the
  // header is absent: like an AWS WAF rate-based rule, a request missing its key is
  // neither counted nor limited.
  std::optional<std::uint64_t> key_of(const RequestView& request, std::string_view route) const;

  RateDecision check(const RequestView& request, std::string_view route, double now, double cost = 1);
  RateDecision check_key(std::uint64_t key, double now, double cost = 1);

  const RateLimitSettings& settings() const { return settings_; }
  std::size_t size() const { return index_.size(); }
  std::uint64_t evictions() const { return evictions_; }

private:
  struct Entry {
    std::uint64_t key;
    TokenBucket bucket;
  };
  using Lru = std::list<Entry>;  // front = most recently used

  TokenBucket& bucket_for(std::uint64_t key);

  RateLimitSettings settings_;
  Lru lru_;
  std::unordered_map<std::uint64_t, Lru::iterator> index_;
  std::uint64_t evictions_ = 0;
};

}  // namespace lbsim::l7
