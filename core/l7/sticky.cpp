// SPDX-License-Identifier: GPL-3.0-or-later
#include "l7/sticky.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <utility>

#include "l4/flow.hpp"

namespace lbsim::l7 {
namespace {

using Reason = StickyDecision::Reason;

// "tttttttt-eeeeeeeeeeee-cccccccc": fixed widths, so parsing is a check of each position.
constexpr std::size_t kTargetDigits = 8, kExpiryDigits = 12, kTagDigits = 8;
constexpr std::size_t kTagAt = kTargetDigits + 1 + kExpiryDigits + 1;
constexpr std::size_t kCookieLength = kTagAt + kTagDigits;
constexpr std::uint64_t kMaxExpiryMs = (std::uint64_t{1} << (4 * kExpiryDigits)) - 1;

// Lower-case hex only: one spelling per value, so an edited value cannot pass as equal.
std::optional<std::uint64_t> parse_hex(std::string_view digits) {
  std::uint64_t value = 0;
  for (char c : digits) {
    int digit;
    if (c >= '0' && c <= '9') digit = c - '0';
    else if (c >= 'a' && c <= 'f') digit = c - 'a' + 10;
    else return std::nullopt;
    value = value * 16 + static_cast<std::uint64_t>(digit);
  }
  return value;
}

// Whole milliseconds, rounded, for both the stored expiry and the time it is compared
// with: an integer comparison, so 70.0 s is exactly 70 000 ms whatever 70.0 * 1000 does.
std::uint64_t to_ms(double seconds) {
  const double ms = std::round(seconds * 1000.0);
  return static_cast<std::uint64_t>(std::clamp(ms, 0.0, static_cast<double>(kMaxExpiryMs)));
}

std::uint64_t expiry_ms(double now, double duration_s) { return to_ms(now + duration_s); }

double checked_duration(double duration_s) {
  if (!std::isfinite(duration_s) || duration_s <= 0) throw std::invalid_argument("stickiness duration must be positive");
  return duration_s;
}

StickyDecision miss(Reason reason) { return {.target = std::nullopt, .reason = reason, .set_cookie = {}}; }

// Why the cookie a request brought does not stick, or a hit with its target.
StickyDecision read_cookie(const StickyCookieCodec& codec, std::string_view value, double now,
                           const TargetAvailable& available) {
  const auto cookie = codec.decode(value);
  if (!cookie) return miss(Reason::miss_malformed);
  if (to_ms(now) >= cookie->expiry_ms) return miss(Reason::miss_expired);
  if (!available(cookie->target)) return miss(Reason::miss_target_unavailable);
  return {.target = cookie->target, .reason = Reason::hit, .set_cookie = {}};
}

}  // namespace

std::uint32_t StickyCookieCodec::tag(std::string_view text) const {
  return static_cast<std::uint32_t>(l4::hash_name(text, secret_));
}

std::string StickyCookieCodec::encode(const StickyCookie& cookie) const {
  char buffer[kCookieLength + 1];
  std::snprintf(buffer, sizeof buffer, "%08x-%012llx-", static_cast<unsigned>(cookie.target),
                static_cast<unsigned long long>(std::min(cookie.expiry_ms, kMaxExpiryMs)));
  std::snprintf(buffer + kTagAt, sizeof buffer - kTagAt, "%08x", static_cast<unsigned>(tag({buffer, kTagAt})));
  return {buffer, kCookieLength};
}

std::optional<StickyCookie> StickyCookieCodec::decode(std::string_view value) const {
  if (value.size() != kCookieLength || value[kTargetDigits] != '-' || value[kTagAt - 1] != '-') return std::nullopt;
  const auto target = parse_hex(value.substr(0, kTargetDigits));
  const auto expiry = parse_hex(value.substr(kTargetDigits + 1, kExpiryDigits));
  const auto tag_read = parse_hex(value.substr(kTagAt));
  if (!target || !expiry || !tag_read || *tag_read != tag(value.substr(0, kTagAt))) return std::nullopt;
  return StickyCookie{static_cast<std::uint32_t>(*target), *expiry};
}

std::string_view to_string(StickyDecision::Reason reason) {
  switch (reason) {
    case Reason::hit: return "hit";
    case Reason::miss_no_cookie: return "miss_no_cookie";
    case Reason::miss_expired: return "miss_expired";
    case Reason::miss_target_unavailable: return "miss_target_unavailable";
    case Reason::miss_malformed: return "miss_malformed";
  }
  return "?";
}

LbCookieStickiness::LbCookieStickiness(double duration_s, std::uint64_t secret)
    : duration_s_(checked_duration(duration_s)), codec_(secret) {}

std::string LbCookieStickiness::issue(std::uint32_t target, double now) const {
  return codec_.encode({target, expiry_ms(now, duration_s_)});
}

StickyDecision LbCookieStickiness::route(const RequestView& request, double now, const TargetAvailable& available,
                                         const PickTarget& pick) const {
  StickyDecision decision = miss(Reason::miss_no_cookie);
  if (request.has_cookie(kLbCookieName)) {
    decision = read_cookie(codec_, request.cookie(kLbCookieName), now, available);
    if (decision.reason == Reason::hit) return decision;  // the cookie the client holds stays valid as it is
  }
  decision.target = pick();
  if (decision.target) decision.set_cookie = issue(*decision.target, now);
  return decision;
}

AppCookieStickiness::AppCookieStickiness(std::string app_cookie, double duration_s, std::uint64_t secret)
    : app_cookie_(std::move(app_cookie)), duration_s_(checked_duration(duration_s)), codec_(secret) {
  if (app_cookie_.empty()) throw std::invalid_argument("application-based stickiness needs a cookie name");
  if (app_cookie_.starts_with("AWSALB"))
    throw std::invalid_argument("cookie names starting with AWSALB are reserved for the load balancer");
}

std::string AppCookieStickiness::on_app_cookie_set(std::uint32_t target, double now) const {
  return codec_.encode({target, expiry_ms(now, duration_s_)});
}

StickyDecision AppCookieStickiness::route(const RequestView& request, double now, const TargetAvailable& available,
                                          const PickTarget& pick) const {
  StickyDecision decision = miss(Reason::miss_no_cookie);
  if (!request.has_cookie(app_cookie_)) {
    decision.target = pick();  // no session: nothing to stick to, and no AWSALBAPP until the app sets its cookie
    return decision;
  }
  if (request.has_cookie(kAppLbCookieName)) {
    decision = read_cookie(codec_, request.cookie(kAppLbCookieName), now, available);
  }
  if (decision.reason != Reason::hit) decision.target = pick();
  if (decision.target) decision.set_cookie = on_app_cookie_set(*decision.target, now);  // slides the window
  return decision;
}

}  // namespace lbsim::l7
