// SPDX-License-Identifier: GPL-3.0-or-later
#include "l7/sticky.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace lbsim::l7 {
namespace {

using Reason = StickyDecision::Reason;

constexpr std::uint64_t kSecret = 0x5eed;

// A target group of four targets whose health the test sets, and a pick that hands
// out a scripted sequence and counts its calls.
struct Group {
  std::set<std::uint32_t> down{};
  std::vector<std::uint32_t> picks{};
  std::size_t picked = 0;

  TargetAvailable available() {
    return [this](std::uint32_t t) { return t < 4 && !down.contains(t); };
  }
  PickTarget pick() {
    return [this]() -> std::optional<std::uint32_t> {
      if (picked == picks.size()) return std::nullopt;
      return picks[picked++];
    };
  }
};

// A request carrying the given cookies. It owns their text: a RequestView only points
// at it, and a cookie value often comes from a temporary (sticky.issue(...)).
class Request {
public:
  Request(std::initializer_list<std::pair<std::string, std::string>> cookies = {}) : text_(cookies) {
    for (const auto& [name, value] : text_) cookies_.emplace_back(name, value);
  }
  Request(const Request&) = delete;  // the views point into this object's strings
  RequestView view() const {
    RequestView request;
    request.cookies = cookies_;
    return request;
  }

private:
  std::vector<std::pair<std::string, std::string>> text_;
  std::vector<Field> cookies_;
};

TEST(StickyCookieCodec, EncodesTargetAndExpiryInPrintableHex) {
  const StickyCookieCodec codec(kSecret);
  const std::string value = codec.encode({42, 70'000});
  ASSERT_EQ(value.size(), 30u);
  EXPECT_EQ(value.substr(0, 22), "0000002a-000000011170-");  // 42 and 70 000 in hex
  EXPECT_EQ(codec.decode(value), (StickyCookie{42, 70'000}));
  EXPECT_EQ(value.find_first_not_of("0123456789abcdef-"), std::string::npos);
}

TEST(StickyCookieCodec, RejectsMalformedAndForgedValues) {
  const StickyCookieCodec codec(kSecret);
  const std::string good = codec.encode({42, 70'000});
  std::string forged_target = good;
  forged_target.replace(0, 8, "0000002b");
  std::string forged_expiry = good;
  forged_expiry.replace(9, 12, "ffffffffffff");
  std::string upper = good;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const std::string rejected[] = {"", "garbage", good.substr(0, 29), good + "0", forged_target, forged_expiry,
                                  upper, StickyCookieCodec(kSecret + 1).encode({42, 70'000})};  // another balancer's
  ASSERT_TRUE(codec.decode(good));
  for (const std::string& value : rejected) EXPECT_FALSE(codec.decode(value)) << value;
}

TEST(LbCookieStickiness, FirstRequestPicksAndIssuesACookie) {
  const LbCookieStickiness sticky(60, kSecret);
  Group group{.picks = {2}};
  const StickyDecision d = sticky.route(Request{}.view(), 10.0, group.available(), group.pick());
  EXPECT_EQ(d.reason, Reason::miss_no_cookie);
  EXPECT_EQ(d.target, 2u);
  EXPECT_EQ(sticky.codec().decode(d.set_cookie), (StickyCookie{2, 70'000}));  // issued at 10 s for 60 s
  EXPECT_EQ(group.picked, 1u);
}

TEST(LbCookieStickiness, AValidCookieIsAHitWithoutAPick) {
  const LbCookieStickiness sticky(60, kSecret);
  Group group{.picks = {0}};
  const Request request{{"AWSALB", sticky.issue(2, 10.0)}};
  const StickyDecision d = sticky.route(request.view(), 30.0, group.available(), group.pick());
  EXPECT_EQ(d.reason, Reason::hit);
  EXPECT_EQ(d.target, 2u);
  EXPECT_TRUE(d.set_cookie.empty());  // the window is fixed: nothing new to send
  EXPECT_EQ(group.picked, 0u);
}

TEST(LbCookieStickiness, ExpiresExactlyAtIssuePlusDuration) {
  const LbCookieStickiness sticky(60, kSecret);
  Group group{.picks = {3}};
  const Request request{{"AWSALB", sticky.issue(2, 10.0)}};  // expires at 70 000 ms
  EXPECT_EQ(sticky.route(request.view(), 69.999, group.available(), group.pick()).reason, Reason::hit);
  const StickyDecision d = sticky.route(request.view(), 70.0, group.available(), group.pick());
  EXPECT_EQ(d.reason, Reason::miss_expired);
  EXPECT_EQ(d.target, 3u);
  EXPECT_EQ(sticky.codec().decode(d.set_cookie), (StickyCookie{3, 130'000}));
  // Decimal times too: 60.1 is exactly 60 100 ms, whatever 60.1 * 1000 rounds to.
  const Request decimal{{"AWSALB", sticky.issue(2, 0.1)}};
  group.picks.push_back(3);
  EXPECT_EQ(sticky.route(decimal.view(), 60.099, group.available(), group.pick()).reason, Reason::hit);
  EXPECT_EQ(sticky.route(decimal.view(), 60.1, group.available(), group.pick()).reason, Reason::miss_expired);
}

TEST(LbCookieStickiness, AnUnavailableTargetIsReplaced) {
  const LbCookieStickiness sticky(60, kSecret);
  Group group{.down = {2}, .picks = {1}};
  const Request request{{"AWSALB", sticky.issue(2, 10.0)}};
  const StickyDecision d = sticky.route(request.view(), 20.0, group.available(), group.pick());
  EXPECT_EQ(d.reason, Reason::miss_target_unavailable);
  EXPECT_EQ(d.target, 1u);
  EXPECT_EQ(sticky.codec().decode(d.set_cookie), (StickyCookie{1, 80'000}));
  // A target id the group does not have is unavailable too.
  const Request unknown{{"AWSALB", sticky.issue(9, 10.0)}};
  group.picks.push_back(0);
  EXPECT_EQ(sticky.route(unknown.view(), 20.0, group.available(), group.pick()).reason, Reason::miss_target_unavailable);
}

TEST(LbCookieStickiness, AMalformedCookieIsAMiss) {
  const LbCookieStickiness sticky(60, kSecret);
  Group group{.picks = {0, 1}};
  const Request garbage{{"AWSALB", "not-a-cookie"}};
  const StickyDecision d = sticky.route(garbage.view(), 20.0, group.available(), group.pick());
  EXPECT_EQ(d.reason, Reason::miss_malformed);
  EXPECT_EQ(d.target, 0u);
  EXPECT_FALSE(d.set_cookie.empty());
  const Request empty{{"AWSALB", ""}};  // present but empty is malformed, not absent
  EXPECT_EQ(sticky.route(empty.view(), 20.0, group.available(), group.pick()).reason, Reason::miss_malformed);
}

TEST(LbCookieStickiness, AMissWithNoTargetLeftSendsNoCookie) {
  const LbCookieStickiness sticky(60, kSecret);
  Group group;  // nothing to pick
  const StickyDecision d = sticky.route(Request{}.view(), 0.0, group.available(), group.pick());
  EXPECT_EQ(d.reason, Reason::miss_no_cookie);
  EXPECT_FALSE(d.target);
  EXPECT_TRUE(d.set_cookie.empty());
}

TEST(AppCookieStickiness, FollowsTheApplicationsSession) {
  const AppCookieStickiness sticky("SESSIONID", 60, kSecret);
  Group group{.picks = {1, 2, 3}};

  // 1. No session yet: a normal pick, no balancer cookie.
  const StickyDecision first = sticky.route(Request{}.view(), 0.0, group.available(), group.pick());
  EXPECT_EQ(first.reason, Reason::miss_no_cookie);
  EXPECT_EQ(first.target, 1u);
  EXPECT_TRUE(first.set_cookie.empty());

  // 2. Target 1 answers with Set-Cookie: SESSIONID=...; the balancer adds AWSALBAPP.
  const std::string issued = sticky.on_app_cookie_set(1, 5.0);
  EXPECT_EQ(sticky.codec().decode(issued), (StickyCookie{1, 65'000}));

  // 3. Both cookies back: a hit, and the window slides to now + 60 s.
  const Request session{{"SESSIONID", "abc123"}, {"AWSALBAPP", issued}};
  const StickyDecision hit = sticky.route(session.view(), 20.0, group.available(), group.pick());
  EXPECT_EQ(hit.reason, Reason::hit);
  EXPECT_EQ(hit.target, 1u);
  EXPECT_EQ(sticky.codec().decode(hit.set_cookie), (StickyCookie{1, 80'000}));
  EXPECT_EQ(group.picked, 1u);

  // 4. The refreshed cookie outlives the first one.
  const Request refreshed{{"SESSIONID", "abc123"}, {"AWSALBAPP", hit.set_cookie}};
  EXPECT_EQ(sticky.route(session.view(), 70.0, group.available(), group.pick()).reason, Reason::miss_expired);
  EXPECT_EQ(sticky.route(refreshed.view(), 70.0, group.available(), group.pick()).reason, Reason::hit);
  EXPECT_EQ(group.picked, 2u);  // the expired one re-picked (target 2)

  // 5. The app cookie is gone (logout): not sticky, whatever AWSALBAPP says.
  const Request logged_out{{"AWSALBAPP", hit.set_cookie}};
  const StickyDecision after = sticky.route(logged_out.view(), 30.0, group.available(), group.pick());
  EXPECT_EQ(after.reason, Reason::miss_no_cookie);
  EXPECT_EQ(after.target, 3u);
  EXPECT_TRUE(after.set_cookie.empty());
}

TEST(AppCookieStickiness, ASessionWithoutTheBalancerCookieIsRepointed) {
  const AppCookieStickiness sticky("SESSIONID", 60, kSecret);
  Group group{.down = {1}, .picks = {2, 0}};
  const Request no_lb_cookie{{"SESSIONID", "abc123"}};
  const StickyDecision d = sticky.route(no_lb_cookie.view(), 10.0, group.available(), group.pick());
  EXPECT_EQ(d.reason, Reason::miss_no_cookie);
  EXPECT_EQ(d.target, 2u);
  EXPECT_EQ(sticky.codec().decode(d.set_cookie), (StickyCookie{2, 70'000}));
  // Its target went down: a new target, and AWSALBAPP now points there.
  const Request on_down{{"SESSIONID", "abc123"}, {"AWSALBAPP", sticky.on_app_cookie_set(1, 10.0)}};
  const StickyDecision moved = sticky.route(on_down.view(), 11.0, group.available(), group.pick());
  EXPECT_EQ(moved.reason, Reason::miss_target_unavailable);
  EXPECT_EQ(moved.target, 0u);
  EXPECT_EQ(sticky.codec().decode(moved.set_cookie), (StickyCookie{0, 71'000}));
}

TEST(Stickiness, RejectsImpossibleSettings) {
  EXPECT_THROW(LbCookieStickiness(0, kSecret), std::invalid_argument);
  EXPECT_THROW(AppCookieStickiness("SESSIONID", -1, kSecret), std::invalid_argument);
  EXPECT_THROW(AppCookieStickiness("", 60, kSecret), std::invalid_argument);
  EXPECT_THROW(AppCookieStickiness("AWSALBAPP", 60, kSecret), std::invalid_argument);
  EXPECT_EQ(to_string(Reason::miss_target_unavailable), "miss_target_unavailable");
  EXPECT_EQ(to_string(Reason::hit), "hit");
}

}  // namespace
}  // namespace lbsim::l7
