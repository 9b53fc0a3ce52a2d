// SPDX-License-Identifier: GPL-3.0-or-later
#include "l7/rules.hpp"

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
  EXPECT_TRUE(RuleTable::matches({.path = "/api/*"}, req));
  EXPECT_FALSE(RuleTable::matches({.path = "/static/*"}, req));
  EXPECT_TRUE(RuleTable::matches({.method = "GET"}, req));
  EXPECT_FALSE(RuleTable::matches({.method = "POST"}, req));
  EXPECT_TRUE(RuleTable::matches({.headers = {{"x-beta-user", "true"}}}, req));  // header names fold case
  EXPECT_FALSE(RuleTable::matches({.headers = {{"x-beta-user", "false"}}}, req));
  EXPECT_FALSE(RuleTable::matches({.headers = {{"x-missing", "*"}}}, req));  // must be present
  EXPECT_TRUE(RuleTable::matches({.cookies = {{"user_tier", "prem*"}}}, req));
  EXPECT_FALSE(RuleTable::matches({.cookies = {{"User_Tier", "premium"}}}, req));  // cookie names are exact
  // ANDed: one failing condition fails the rule.
  EXPECT_FALSE(RuleTable::matches({.path = "/api/*", .method = "POST"}, req));
}

TEST(Rules, LowestPriorityWinsAndTheDefaultCatchesTheRest) {
  RuleTable table({default_rule(0), rule(20, {.path = "/api/*"}, 2), rule(10, {.path = "/api/admin"}, 1)});
  Random random(1);
  RequestView req;
  req.path = "/api/admin";
  EXPECT_EQ(table.route(req, random).group, 1u);
  EXPECT_EQ(table.route(req, random).rule->label, "priority 10");
  req.path = "/api/users";
  EXPECT_EQ(table.route(req, random).group, 2u);
  req.path = "/other";
  const Match m = table.route(req, random);
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
  RuleTable table({rule(1, {.path = "/a"}, 0)});
  Random random(1);
  RequestView req;
  req.path = "/b";
  EXPECT_EQ(table.route(req, random).rule, nullptr);
}

}  // namespace
}  // namespace lbsim::l7
