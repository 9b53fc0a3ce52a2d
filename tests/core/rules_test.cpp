// SPDX-License-Identifier: GPL-3.0-or-later
#include "l7/rules.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace lbsim::l7 {
namespace {

TEST(Glob, MatchesLikeAlbPathPatterns) {
  EXPECT_TRUE(glob_match("/api/*", "/api/users"));
  EXPECT_TRUE(glob_match("/api/*", "/api/"));
  EXPECT_FALSE(glob_match("/api/*", "/apix"));
  EXPECT_TRUE(glob_match("/static/*.js", "/static/app.js"));
  EXPECT_FALSE(glob_match("/static/*.js", "/static/app.css"));
  EXPECT_TRUE(glob_match("/v?/x", "/v2/x"));
  EXPECT_TRUE(glob_match("/exact", "/exact"));
  EXPECT_FALSE(glob_match("/exact", "/exact/more"));
  EXPECT_TRUE(glob_match("*a*b*", "xxaxxbxx"));
}

PathMatch glob(std::string pattern) { return {PathMatch::Kind::glob, std::move(pattern)}; }

Rule rule(std::uint32_t priority, Conditions when, std::uint32_t group) {
  Rule r;
  r.label = "priority " + std::to_string(priority);
  r.priority = priority;
  r.when = std::move(when);
  r.forward = {{group, 1}};
  return r;
}

Rule default_rule(std::uint32_t group) {
  Rule r;
  r.label = "default";
  r.is_default = true;
  r.forward = {{group, 1}};
  return r;
}

TEST(Rules, EachConditionMustHold) {
  const Field headers[] = {{"X-Beta-User", "true"}};
  const Field cookies[] = {{"user_tier", "premium"}};
  RequestView req;
  req.method = "GET";
  req.host = "Shop.Example.com";
  req.path = "/api/users";
  req.headers = headers;
  req.cookies = cookies;

  EXPECT_TRUE(RuleTable::matches({}, req));  // no condition: matches
  EXPECT_TRUE(RuleTable::matches({.host = "*.example.com"}, req));  // hosts fold case
  EXPECT_FALSE(RuleTable::matches({.host = "*.example.org"}, req));
  EXPECT_TRUE(RuleTable::matches({.path = glob("/api/*")}, req));
  EXPECT_FALSE(RuleTable::matches({.path = glob("/static/*")}, req));
  EXPECT_TRUE(RuleTable::matches({.method = "GET"}, req));
  EXPECT_FALSE(RuleTable::matches({.method = "POST"}, req));
  EXPECT_TRUE(RuleTable::matches({.headers = {{"x-beta-user", "true"}}}, req));  // header names fold case
  EXPECT_FALSE(RuleTable::matches({.headers = {{"x-beta-user", "false"}}}, req));
  EXPECT_FALSE(RuleTable::matches({.headers = {{"x-missing", "*"}}}, req));  // must be present
  EXPECT_TRUE(RuleTable::matches({.cookies = {{"user_tier", "prem*"}}}, req));
  EXPECT_FALSE(RuleTable::matches({.cookies = {{"User_Tier", "premium"}}}, req));  // cookie names are exact
  // ANDed: one failing condition fails the rule.
  EXPECT_FALSE(RuleTable::matches({.path = glob("/api/*"), .method = "POST"}, req));
}

TEST(Rules, LowestPriorityWinsAndTheDefaultCatchesTheRest) {
  RuleTable table({default_rule(0), rule(20, {.path = glob("/api/*")}, 2), rule(10, {.path = glob("/api/admin")}, 1)});
  Random random(1);
  RequestView req;
  req.path = "/api/admin";
  EXPECT_EQ(table.route(req, random).group, 1u);
  EXPECT_EQ(table.route(req, random).rule->label, "priority 10");
  req.path = "/api/users";
  EXPECT_EQ(table.route(req, random).group, 2u);
  req.path = "/other";
  const RouteDecision m = table.route(req, random);
  EXPECT_EQ(m.group, 0u);
  EXPECT_EQ(m.rule->label, "default");
}

TEST(Rules, WeightedForwardSplitsByWeight) {
  Rule canary = default_rule(0);
  canary.forward = {{0, 95}, {1, 5}};
  RuleTable table({canary});
  Random random(7);
  int to_canary = 0;
  const int n = 100000;
  for (int i = 0; i < n; ++i) to_canary += table.route({}, random).group == 1 ? 1 : 0;
  // Binomial(100000, 0.05): sd ~ 69; 5 sd = 345.
  EXPECT_NEAR(to_canary, 5000, 345);
}

TEST(Rules, ZeroWeightTakesNoTraffic) {
  Rule r = default_rule(0);
  r.forward = {{0, 1}, {1, 0}};
  RuleTable table({r});
  Random random(3);
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(table.route({}, random).group, 0u);
}

TEST(Rules, RejectsAmbiguousTables) {
  EXPECT_THROW(RuleTable({rule(1, {}, 0), rule(1, {}, 1)}), std::invalid_argument);
  EXPECT_THROW(RuleTable({default_rule(0), default_rule(1)}), std::invalid_argument);
  Rule empty = default_rule(0);
  empty.forward = {{0, 0}};
  EXPECT_THROW(RuleTable({empty}), std::invalid_argument);
}

TEST(Rules, NoMatchWithoutDefaultSaysSo) {
  RuleTable table({rule(1, {.path = glob("/a")}, 0)});
  Random random(1);
  RequestView req;
  req.path = "/b";
  EXPECT_EQ(table.route(req, random).rule, nullptr);
}

TEST(Rules, PathMatchKinds) {
  const PathMatch exact{PathMatch::Kind::exact, "/api"}, prefix{PathMatch::Kind::prefix, "/api"};
  EXPECT_TRUE(exact.matches("/api"));
  EXPECT_FALSE(exact.matches("/api/users"));
  EXPECT_TRUE(prefix.matches("/api/users"));
  EXPECT_TRUE(prefix.matches("/apiary"));  // a prefix is a string prefix, as Envoy's is
  EXPECT_FALSE(prefix.matches("/ap"));
  EXPECT_TRUE(glob("/api/*/orders").matches("/api/v2/orders"));
}

TEST(Rules, QueryAndSourceConditions) {
  RequestView req;
  req.path = "/search";
  req.query = "q=shoes&lang=ko&debug";
  req.source_ip = *parse_ipv4("198.18.3.4");
  EXPECT_EQ(req.query_param("lang"), "ko");
  EXPECT_EQ(req.query_param("debug"), "");
  EXPECT_FALSE(req.query_param("page"));
  EXPECT_TRUE(RuleTable::matches({.query = {{"lang", "ko"}}}, req));
  EXPECT_FALSE(RuleTable::matches({.query = {{"lang", "en"}}}, req));
  EXPECT_FALSE(RuleTable::matches({.query = {{"page", "*"}}}, req));
  EXPECT_TRUE(RuleTable::matches({.source = {*parse_cidr("10.0.0.0/8"), *parse_cidr("198.18.0.0/15")}}, req));
  EXPECT_FALSE(RuleTable::matches({.source = {*parse_cidr("198.18.4.0/24")}}, req));
}

TEST(Cidr, ParsesAndRejectsHostBits) {
  const auto c = parse_cidr("198.18.0.0/15");
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->contains(*parse_ipv4("198.19.255.255")));
  EXPECT_FALSE(c->contains(*parse_ipv4("198.20.0.0")));
  EXPECT_EQ(c->to_string(), "198.18.0.0/15");
  EXPECT_EQ(parse_cidr("10.1.2.3")->prefix, 32);
  EXPECT_TRUE(parse_cidr("0.0.0.0/0")->contains(0xFFFFFFFFu));
  EXPECT_FALSE(parse_cidr("10.0.0.1/8"));  // host bits set
  EXPECT_FALSE(parse_cidr("10.0.0.0/33"));
  EXPECT_FALSE(parse_cidr("256.0.0.0/8"));
  EXPECT_FALSE(parse_cidr("10.0.0/8"));
}

TEST(Rules, RedirectBuildsTheLocationKeepingWhatItDoesNotSet) {
  Rule r = default_rule(0);
  r.action = ActionKind::redirect;
  r.redirect.status = 301;
  r.redirect.protocol = "https";
  RuleTable table({r});
  Random random(1);
  RequestView req;
  req.host = "shop.example.com";
  req.path = "/cart";
  req.query = "id=7";
  const RouteDecision d = table.route(req, random);
  EXPECT_EQ(d.action, ActionKind::redirect);
  EXPECT_EQ(d.status, 301);
  EXPECT_EQ(d.location, "https://shop.example.com/cart?id=7");
}

TEST(Rules, FixedResponseAnswersWithoutATargetGroup) {
  Rule r = default_rule(0);
  r.action = ActionKind::fixed_response;
  r.forward.clear();
  r.fixed.status = 404;
  RuleTable table({r});
  Random random(1);
  const RouteDecision d = table.route({}, random);
  EXPECT_EQ(d.action, ActionKind::fixed_response);
  EXPECT_EQ(d.status, 404);
}

TEST(Rules, RewriteChangesPathAndHostBeforeForwarding) {
  Rule r = default_rule(2);
  r.rewrite_path = std::get<RegexRewrite>(make_rewrite("^/v1/(.*)$", "/api/$1"));
  r.rewrite_host = std::get<RegexRewrite>(make_rewrite("^www\\.", ""));
  RuleTable table({r});
  Random random(1);
  RequestView req;
  req.host = "www.example.com";
  req.path = "/v1/users/42";
  const RouteDecision d = table.route(req, random);
  EXPECT_EQ(d.group, 2u);
  EXPECT_EQ(d.rewritten_path, "/api/users/42");
  EXPECT_EQ(d.rewritten_host, "example.com");
}

TEST(Rules, RewriteTakesDollarGroupsAndReplacesEveryMatch) {
  const auto r = std::get<RegexRewrite>(make_rewrite("o", "0"));
  EXPECT_EQ(rewritten(r, "/foo/bo"), "/f00/b0");
  const auto groups = std::get<RegexRewrite>(make_rewrite("^/(\\w+)/(\\w+)$", "/$2/$1/$$/$&"));
  EXPECT_EQ(rewritten(groups, "/a/b"), "/b/a/$//a/b");
  const auto backslash = std::get<RegexRewrite>(make_rewrite("x", "\\"));
  EXPECT_EQ(rewritten(backslash, "x"), "\\");
}

TEST(Rules, RewriteIsLinearInTheText) {
  // (a+)+$ backtracks exponentially in ECMAScript's engine (2^n steps on a^n b); RE2 is
  // linear, and a 100 000-character path overflows no stack (std::regex recursed per character).
  const auto nested = std::get<RegexRewrite>(make_rewrite("(a+)+$", "x"));
  const std::string hostile = std::string(40, 'a') + "b";
  EXPECT_EQ(rewritten(nested, hostile), hostile);  // no match: unchanged
  const auto api = std::get<RegexRewrite>(make_rewrite("^/api/(.*)$", "/$1"));
  const std::string long_path = "/api/" + std::string(100'000, 'p');
  EXPECT_EQ(rewritten(api, long_path), "/" + std::string(100'000, 'p'));
}

TEST(Rules, RewriteRefusesWhatRe2CannotRunOrTheReplacementCannotFill) {
  using ::testing::HasSubstr;
  const auto error = [](const std::string& pattern, const std::string& replacement) {
    const auto made = make_rewrite(pattern, replacement);
    return std::holds_alternative<RewriteError>(made) ? std::get<RewriteError>(made) : RewriteError{false, "accepted"};
  };
  EXPECT_THAT(error("(a)\\1", "x").message, HasSubstr("expected a valid regular expression (RE2's syntax)"));  // a backreference
  EXPECT_THAT(error("(?=a)", "x").message, HasSubstr("RE2's syntax"));                                          // lookahead
  EXPECT_FALSE(error("(?=a)", "x").in_replacement);
  const RewriteError big = error("[a-z]{1000}", "x");
  EXPECT_THAT(big.message, HasSubstr("program size 1000 or less"));
  const RewriteError missing = error("^/(a)$", "/$2");
  EXPECT_TRUE(missing.in_replacement);
  EXPECT_THAT(missing.message, HasSubstr("name only the pattern's groups"));
  EXPECT_TRUE(error("a", "5$").in_replacement);  // a lone $
}

TEST(Rules, TraceExplainsEachRuleTried) {
  RuleTable table({rule(1, {.path = glob("/api/*"), .headers = {{"x-beta-user", "true"}}}, 1),
                   rule(2, {.path = glob("/static/*")}, 2), default_rule(0)});
  RequestView req;
  req.path = "/api/users";
  const auto lines = table.trace(req);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], "priority 1: skipped, header x-beta-user does not match");
  EXPECT_EQ(lines[1], "priority 2: skipped, path /static/* does not match");
  EXPECT_EQ(lines[2], "default: matched (the default rule takes whatever is left) -> forward");
}

TEST(Rules, AMatchedRuleSaysWhatEachConditionReadAndAskedFor) {
  RuleTable table({rule(1, {.host = "*.example.com", .path = glob("/api/*"), .headers = {{"x-beta-user", "tr*"}}, .cookies = {{"user_tier", "premium"}},
                            .query = {{"page", "*"}}, .source = {*parse_cidr("10.20.0.0/16")}},
                        1),
                   default_rule(0)});
  const std::vector<Field> headers{{"X-Beta-User", "true"}};
  const std::vector<Field> cookies{{"user_tier", "premium"}};
  RequestView req;
  req.host = "shop.example.com";
  req.path = "/api/users";
  req.query = "page=2";
  req.headers = headers;
  req.cookies = cookies;
  req.source_ip = (10u << 24) | (20u << 16) | (3u << 8) | 4u;
  const auto lines = table.trace(req);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0],
            "priority 1: matched on host shop.example.com ~ *.example.com, path /api/users ~ /api/*, header x-beta-user: true ~ tr*, "
            "cookie user_tier=premium ~ premium, query page=2 ~ *, source_ip 10.20.3.4 in 10.20.0.0/16 -> forward");
}

}  // namespace
}  // namespace lbsim::l7
