// SPDX-License-Identifier: GPL-3.0-or-later
#include "l7/rate_limit.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <utility>

#include "l4/flow.hpp"

namespace lbsim::l7 {

TokenBucket::TokenBucket(double rate_per_s, double burst)
    : rate_(rate_per_s), burst_(burst), tokens_(burst), last_(-std::numeric_limits<double>::infinity()) {
  if (!std::isfinite(burst) || burst <= 0) throw std::invalid_argument("token bucket burst must be positive");
  if (!std::isfinite(rate_per_s) || rate_per_s < 0) throw std::invalid_argument("token bucket rate must not be negative");
}

double TokenBucket::tokens(double now) const {
  // A full bucket gains nothing (this also keeps -inf * 0 out of the sum before the first take).
  if (now <= last_ || tokens_ >= burst_) return tokens_;
  return std::min(burst_, tokens_ + (now - last_) * rate_);
}

bool TokenBucket::try_take(double now, double tokens) {
  tokens_ = this->tokens(now);
  last_ = std::max(last_, now);  // a stale `now` adds nothing and does not rewind the bucket
  if (tokens > tokens_ + kTolerance) return false;
  tokens_ = std::max(0.0, tokens_ - tokens);
  return true;
}

std::string_view to_string(RateKey key) {
  switch (key) {
    case RateKey::source_ip: return "source_ip";
    case RateKey::header: return "header";
    case RateKey::route: return "route";
  }
  return "?";
}

RateLimiter::RateLimiter(RateLimitSettings settings) : settings_(std::move(settings)) {
  if (settings_.capacity == 0) throw std::invalid_argument("rate limiter capacity must be positive");
  if (settings_.key == RateKey::header && settings_.header.empty())
    throw std::invalid_argument("a header-keyed rate limit needs a header name");
  (void)TokenBucket(settings_.rate_per_s, settings_.burst);  // rejects bad settings now, not at the first request
}

std::optional<std::uint64_t> RateLimiter::key_of(const RequestView& request, std::string_view route) const {
  switch (settings_.key) {
    case RateKey::source_ip: return request.source_ip;
    case RateKey::header:
      if (!request.has_header(settings_.header)) return std::nullopt;
      return l4::hash_name(request.header(settings_.header));
    case RateKey::route: return l4::hash_name(route);
  }
  return std::nullopt;
}

RateDecision RateLimiter::check(const RequestView& request, std::string_view route, double now, double cost) {
  const auto key = key_of(request, route);
  if (!key) return {.allowed = true, .status = 0, .tokens_left = 0, .counted = false};
  return check_key(*key, now, cost);
}

RateDecision RateLimiter::check_key(std::uint64_t key, double now, double cost) {
  TokenBucket& bucket = bucket_for(key);
  const bool allowed = bucket.try_take(now, cost);
  return {.allowed = allowed, .status = allowed ? std::uint16_t{0} : kTooManyRequests, .tokens_left = bucket.tokens(now)};
}

TokenBucket& RateLimiter::bucket_for(std::uint64_t key) {
  if (const auto found = index_.find(key); found != index_.end()) {
    lru_.splice(lru_.begin(), lru_, found->second);
    return found->second->bucket;
  }
  if (index_.size() == settings_.capacity) {
    index_.erase(lru_.back().key);
    lru_.pop_back();
    ++evictions_;
  }
  lru_.push_front({key, TokenBucket(settings_.rate_per_s, settings_.burst)});
  index_.emplace(key, lru_.begin());
  return lru_.front().bucket;
}

}  // namespace lbsim::l7
