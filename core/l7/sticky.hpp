// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Session stickiness, as an ALB target group does it: the balancer writes the chosen
// target into a cookie, and a later request that brings the cookie back goes to the
// same target while the cookie is valid and the target can take it. Only an L7
// balancer can do this: the cookie is inside the HTTP request.
//
// Every decision explains itself (hit, or why not), and the cookie to send back comes
// with it. Time is passed in; the pick on a miss is the caller's normal pick.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "l7/request_view.hpp"

namespace lbsim::l7 {

inline constexpr std::string_view kLbCookieName = "AWSALB";      // duration-based stickiness
inline constexpr std::string_view kAppLbCookieName = "AWSALBAPP";  // application-based stickiness

struct StickyCookie {
  std::uint32_t target = 0;
  std::uint64_t expiry_ms = 0;  // simulated time, whole milliseconds
  friend bool operator==(const StickyCookie&, const StickyCookie&) = default;
};

// The printable cookie value: target id, expiry in ms and a tag, in lower-case hex:
//   "0000002a-000000011170-" + 8 hex digits of tag   (target 42, expires at 70 000 ms)
// The tag is 32 bits of a keyed XXH3 hash of the rest, the key being the balancer's
// secret, so a value that was cut, edited or made by another balancer is rejected.
// ALB encrypts its cookies with a rotating key; a keyed hash is enough for a simulator
// (it is not cryptography: it catches accidents and casual forgery, not a determined
// attacker).
class StickyCookieCodec {
public:
  explicit StickyCookieCodec(std::uint64_t secret) : secret_(secret) {}
  std::string encode(const StickyCookie& cookie) const;
  // Nothing unless the value is exactly in the form above with a matching tag.
  std::optional<StickyCookie> decode(std::string_view value) const;

private:
  std::uint32_t tag(std::string_view text) const;
  std::uint64_t secret_;
};

struct StickyDecision {
  enum class Reason : std::uint8_t { hit, miss_no_cookie, miss_expired, miss_target_unavailable, miss_malformed };
  std::optional<std::uint32_t> target;  // empty only when a miss found no target to pick
  Reason reason = Reason::miss_no_cookie;
  std::string set_cookie;  // the balancer's cookie value to send back; empty: none
};
std::string_view to_string(StickyDecision::Reason reason);  // "hit", "miss_expired", ...

// Whether a target is registered and healthy now (an unknown id is simply unavailable).
using TargetAvailable = std::function<bool(std::uint32_t target)>;
// The balancer's normal pick, only called on a miss; nothing if no target can be picked.
using PickTarget = std::function<std::optional<std::uint32_t>()>;

// Duration-based stickiness (ALB's AWSALB). A cookie is valid while now < expiry:
// issued at t for d seconds, it sticks up to but not at t + d (both compared in whole
// milliseconds, rounded, as the cookie stores them). The window is fixed at issue: a
// hit sends no new cookie, so a session re-balances at least every d seconds.
// A cookie is read in this order: malformed, then expired, then target unavailable;
// any miss re-picks and issues a cookie for the new target.
class LbCookieStickiness {
public:
  // Throws std::invalid_argument unless duration_s > 0 (ALB allows 1 s to 7 days).
  LbCookieStickiness(double duration_s, std::uint64_t secret);

  StickyDecision route(const RequestView& request, double now, const TargetAvailable& available,
                       const PickTarget& pick) const;
  std::string issue(std::uint32_t target, double now) const;
  const StickyCookieCodec& codec() const { return codec_; }

private:
  double duration_s_;
  StickyCookieCodec codec_;
};

// Application-based stickiness (ALB's AWSALBAPP): the application decides when a
// session starts by setting its own cookie (named here, e.g. "SESSIONID"); when a
// response sets it, the balancer adds its AWSALBAPP cookie pointing at the target that
// answered (on_app_cookie_set). Then:
//   - a request without the app cookie is not sticky (miss_no_cookie, no AWSALBAPP
//     sent), whatever AWSALBAPP it carries: the session ended when the app's did;
//   - a request with the app cookie is routed by AWSALBAPP as above, and every answer
//     carries a fresh AWSALBAPP (now + duration): the window slides while the session
//     is in use, and a miss re-points the session at the newly picked target.
class AppCookieStickiness {
public:
  // Throws std::invalid_argument unless duration_s > 0 and the app cookie has a name
  // that does not start with "AWSALB" (ALB reserves those).
  AppCookieStickiness(std::string app_cookie, double duration_s, std::uint64_t secret);

  StickyDecision route(const RequestView& request, double now, const TargetAvailable& available,
                       const PickTarget& pick) const;
  // The target's response set the app cookie: the AWSALBAPP value to send with it.
  std::string on_app_cookie_set(std::uint32_t target, double now) const;
  const std::string& app_cookie() const { return app_cookie_; }
  const StickyCookieCodec& codec() const { return codec_; }

private:
  std::string app_cookie_;
  double duration_s_;
  StickyCookieCodec codec_;
};

}  // namespace lbsim::l7
