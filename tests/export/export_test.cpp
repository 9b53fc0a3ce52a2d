// SPDX-License-Identifier: GPL-3.0-or-later
// lbsim export: each rule, action and setting as the proxy's own configuration, and
// every key that does not map exactly named in the report. The files' validity is
// proven by haproxy -c and nginx -t on every shipped scenario (export_configs_test.sh).
#include "export/export.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/loader.hpp"

namespace lbsim::exporting {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

config::ScenarioSpec scenario(const std::string& l7_extra, const std::string& groups_extra = "", const std::string& cross_zone = "true") {
  return config::load_scenario(R"(name: shop
topology: { zones: [a, b] }
clients: [ { name: web, arrival: { rate: 10/s }, mix: [ { path: / } ] } ]
l4: {}
l7:
  nodes_per_zone: 1
  cross_zone: )" + cross_zone + R"(
  algorithm: least_request
)" + l7_extra + R"(
  rules:
    - { priority: 20, if: { path: /api/* }, forward: [ { group: api, weight: 90 }, { group: canary, weight: 10 } ] }
    - { priority: 5, if: { host: "*.example.com", method: POST, header: { x-beta: "yes" } }, redirect: { status: 302, host: beta.example.com } }
    - { priority: 10, if: { cookie: { tier: premium }, query: { v: "2" }, source_ip: [ 10.0.0.0/8 ] }, fixed_response: { status: 503, body: 64B } }
    - { default: true, forward: api }
target_groups:
  api: { per_zone: 2)" + groups_extra + R"( }
  canary: { per_zone: 1 }
)",
                               "shop.yaml");
}

std::size_t position(const std::string& text, const std::string& what) {
  const auto at = text.find(what);
  EXPECT_NE(at, std::string::npos) << "missing: " << what << "\nin:\n" << text;
  return at;
}

TEST(ExportHelpers, GlobsBecomeAnchoredRegexes) {
  EXPECT_EQ(glob_to_regex("/api/*"), "^\\/api\\/.*$");
  EXPECT_EQ(glob_to_regex("*.example.com"), "^.*\\.example\\.com$");
  EXPECT_EQ(glob_to_regex("v?"), "^v.$");
  EXPECT_EQ(glob_to_regex("a+b(c)"), "^a\\+b\\(c\\)$");
}

TEST(ExportHelpers, DurationsInTheUnitsProxiesRead) {
  EXPECT_EQ(duration(30), "30s");
  EXPECT_EQ(duration(0.5), "500ms");
  EXPECT_EQ(duration(0.0015), "2ms");  // no finer than a millisecond: rounded up
  EXPECT_EQ(duration(90), "90s");
}

TEST(ExportHelpers, ServersAreTheTestbedsAddresses) {
  const auto spec = scenario("");
  const auto all = servers_of(spec, 0, std::nullopt);
  ASSERT_EQ(all.size(), 4u);  // two per zone
  EXPECT_EQ(all[0].name, "api-a-0");
  EXPECT_EQ(all[0].address, "10.1.20.1:8080");  // zone a = 1, group 0 = tier 20, first = 1
  EXPECT_EQ(all[3].address, "10.2.20.2:8080");
  const auto canary_b = servers_of(spec, 1, 1u);
  ASSERT_EQ(canary_b.size(), 1u);
  EXPECT_EQ(canary_b[0].address, "10.2.21.1:8080");
}

TEST(HaproxyExport, RulesClaimTheRequestInPriorityOrderThenAct) {
  const Export e = export_l7(scenario(""), Proxy::haproxy);
  ASSERT_EQ(e.configs.size(), 1u);
  const std::string& cfg = e.configs[0].text;
  // Claims: priority 5, 10, 20, then the default, each only if no earlier one did.
  const auto p5 = position(cfg, "set-var(txn.lbsim_rule) str(p5) if !{ var(txn.lbsim_rule) -m found }");
  const auto p10 = position(cfg, "set-var(txn.lbsim_rule) str(p10)");
  const auto p20 = position(cfg, "set-var(txn.lbsim_rule) str(p20) if !{ var(txn.lbsim_rule) -m found } { path -m reg '^\\/api\\/.*$' }");
  const auto def = position(cfg, "set-var(txn.lbsim_rule) str(default) if !{ var(txn.lbsim_rule) -m found }\n");
  EXPECT_LT(p5, p10);
  EXPECT_LT(p10, p20);
  EXPECT_LT(p20, def);
  // Every condition of a rule, ANDed on its claim line.
  position(cfg, "{ req.hdr(host),field(1,:) -i -m reg '^.*\\.example\\.com$' } { method POST } { req.hdr(x-beta) -m reg '^yes$' }");
  position(cfg, "{ req.cook(tier) -m reg '^premium$' } { urlp(v) -m reg '^2$' } { src 10.0.0.0/8 }");
  // The redirect keeps the request's path and query; the fixed response reads its body file.
  position(cfg, "http-request redirect location 'https://beta.example.com%[path]?%[query]' code 302 if { var(txn.lbsim_rule) -m str p5 } { query -m found }");
  position(cfg, "http-request return status 503 content-type 'text/plain' file './fixed-p10.body' if { var(txn.lbsim_rule) -m str p10 }");
  ASSERT_EQ(e.configs[0].side_files.size(), 1u);
  EXPECT_EQ(e.configs[0].side_files[0].content.size(), 64u);
  // 90:10 by one draw out of 100: [0, 90) api, [90, 100) canary; use_backend after every http-request.
  position(cfg, "http-request set-var(txn.lbsim_draw) rand(100) if { var(txn.lbsim_rule) -m str p20 }");
  const auto api = position(cfg, "use_backend api if { var(txn.lbsim_rule) -m str p20 } { var(txn.lbsim_draw) -m int ge 0 } { var(txn.lbsim_draw) -m int lt 90 }");
  position(cfg, "use_backend canary if { var(txn.lbsim_rule) -m str p20 } { var(txn.lbsim_draw) -m int ge 90 } { var(txn.lbsim_draw) -m int lt 100 }");
  position(cfg, "use_backend api if { var(txn.lbsim_rule) -m str default }");
  EXPECT_GT(api, cfg.rfind("http-request"));
  // least_request with two choices is HAProxy's power of two choices, exactly.
  position(cfg, "balance random(2)");
  // Every zone's backends (cross_zone on), with ALB's health check preset.
  position(cfg, "server api-b-1 10.2.20.2:8080");
  position(cfg, "default-server check inter 30s fall 2 rise 5 maxconn 1024");
  position(cfg, "bind :443 ssl crt './lbsim-ecdsa-p256.pem'");
  EXPECT_TRUE(e.terminates_tls);
}

TEST(HaproxyExport, WhatDoesNotMapIsNamedWithItsKey) {
  const Export e = export_l7(scenario("  waf: true\n  rate_limit: { key: source_ip, rate: 50/s, burst: 10 }\n  retries: { max: 2 }\n"),
                             Proxy::haproxy);
  const std::string report = mapping_report(e);
  EXPECT_THAT(report, HasSubstr("approximated l7.waf: "));
  EXPECT_THAT(report, HasSubstr("approximated l7.rate_limit: "));
  EXPECT_THAT(report, HasSubstr("approximated l7.retries.budget: "));
  EXPECT_THAT(report, HasSubstr("dropped      l7.queue_limit: "));
  EXPECT_THAT(report, HasSubstr("dropped      target_groups.canary.deregistration_delay: "));
  EXPECT_THAT(report, Not(HasSubstr("l7.algorithm")));  // least_request(2) maps exactly
  const std::string& cfg = e.configs[0].text;
  position(cfg, "http-request deny deny_status 429 if { sc_http_req_rate(0) gt 60 }");  // rate + burst in a second
  position(cfg, "retries 2");
  position(cfg, "retry-on conn-failure empty-response 500 502 503 504");
}

TEST(HaproxyExport, WithoutCrossZoneEachZoneGetsItsOwnBackends) {
  const Export e = export_l7(scenario("", ", slow_start: 30s, stickiness: { type: lb_cookie, duration: 1h }", "false"), Proxy::haproxy);
  ASSERT_EQ(e.configs.size(), 2u);
  EXPECT_EQ(e.configs[0].file_name, "haproxy-a.cfg");
  EXPECT_THAT(e.configs[0].text, HasSubstr("server api-a-1 10.1.20.2:8080 cookie api-a-1"));
  EXPECT_THAT(e.configs[0].text, Not(HasSubstr("10.2.20.")));
  EXPECT_THAT(e.configs[1].text, HasSubstr("server api-b-0 10.2.20.1:8080"));
  EXPECT_THAT(e.configs[0].text, HasSubstr("cookie AWSALB insert indirect nocache maxlife 3600s"));
  EXPECT_THAT(e.configs[0].text, HasSubstr("slowstart 30s"));
}

TEST(NginxExport, RulesMarkTheirConditionsAndTheFirstCompleteOneClaims) {
  const Export e = export_l7(scenario(""), Proxy::nginx);
  ASSERT_EQ(e.configs.size(), 1u);
  const std::string& cfg = e.configs[0].text;
  // Priority 5 has three conditions: all three marks, and nothing claimed before it.
  const auto p5 = position(cfg, "if ($lbsim_p5_claim = \":xxx\") { set $lbsim_rule p5; }");
  const auto p10 = position(cfg, "if ($lbsim_p10_claim = \":xxx\") { set $lbsim_rule p10; }");
  const auto p20 = position(cfg, "if ($lbsim_p20_claim = \":x\") { set $lbsim_rule p20; }");
  EXPECT_LT(p5, p10);
  EXPECT_LT(p10, p20);
  position(cfg, "if ($host ~* \"^.*\\.example\\.com$\") { set $lbsim_p5 \"${lbsim_p5}x\"; }");
  position(cfg, "if ($http_x_beta ~ \"^yes$\")");
  position(cfg, "if ($cookie_tier ~ \"^premium$\")");
  position(cfg, "geo $lbsim_p10_source { default 0; 10.0.0.0/8 1; }");
  position(cfg, "split_clients \"${request_id}\" $lbsim_p20_group { 90.00% api; * canary; }");
  position(cfg, "if ($lbsim_rule = p20) { proxy_pass http://$lbsim_p20_group; }");
  position(cfg, "if ($lbsim_rule = p5) { return 302 https://beta.example.com$uri$is_args$args; }");
  position(cfg, "random two least_conn;");
  position(cfg, "server 10.2.21.1:8080 max_fails=2 fail_timeout=30s max_conns=1024;");
  const std::string report = mapping_report(e);
  EXPECT_THAT(report, HasSubstr("approximated target_groups.api.health_check: nginx open source has no active health checks"));
}

TEST(Export, BackendWeightsBecomeEachProxysServerWeight) {
  auto spec = scenario("");
  spec.l7->algorithm = "smooth_weighted_round_robin";
  spec.target_groups[0].weights = {{"api-*-0", 3}, {"api-b-0", 5}};
  const std::string haproxy = export_l7(spec, Proxy::haproxy).configs[0].text;
  EXPECT_THAT(haproxy, HasSubstr("server api-a-0 10.1.20.1:8080 weight 3\n"));
  EXPECT_THAT(haproxy, HasSubstr("server api-a-1 10.1.20.2:8080\n"));  // weight 1 is HAProxy's default
  EXPECT_THAT(haproxy, HasSubstr("server api-b-0 10.2.20.1:8080 weight 5\n"));
  const std::string nginx = export_l7(spec, Proxy::nginx).configs[0].text;
  EXPECT_THAT(nginx, HasSubstr("server 10.1.20.1:8080 weight=3 max_fails="));
  EXPECT_THAT(nginx, HasSubstr("server 10.2.20.1:8080 weight=5 max_fails="));
  EXPECT_THAT(nginx, HasSubstr("server 10.1.20.2:8080 max_fails="));
}

TEST(NginxExport, NamesNginxCannotMakeAVariableOfAreFoundInTheHeaderItself) {
  // $cookie_NAME and $arg_NAME take letters, digits and '_' only.
  auto spec = scenario("");
  l7::Rule& rule = spec.l7->rules.front();
  rule.when = {};
  rule.when.cookies.push_back({"session-id", "abc*"});
  rule.when.query.push_back({"page-size", "5?"});
  const std::string cfg = export_l7(spec, Proxy::nginx).configs[0].text;
  position(cfg, "$http_cookie ~ \"(^|;\\s*)session-id=abc[^;]*(;|$)\"");
  position(cfg, "$args ~ \"(^|&)page-size=5[^&](&|$)\"");
}

TEST(NginxExport, ABackslashReachesPcreAsWritten) {
  // nginx's parser reads \\ as one backslash but leaves \. alone: a literal backslash
  // (regex \\) must be written \\\ so that PCRE still sees \\, not \b.
  auto spec = scenario("");
  l7::Rule& rule = spec.l7->rules.front();
  rule.when = {};
  rule.when.headers.push_back({"x-path", "a\\b.c"});
  position(export_l7(spec, Proxy::nginx).configs[0].text, "$http_x_path ~ \"^a\\\\\\b\\.c$\"");
}

TEST(Export, AnL4OnlyLayoutHasNothingToExport) {
  const auto spec = config::load_scenario(R"(name: l4
topology: { zones: [a] }
clients: [ { name: web, arrival: { rate: 10/s }, mix: [ { path: / } ] } ]
l4: { target_group: app }
target_groups: { app: { per_zone: 1 } }
)",
                                          "l4.yaml");
  EXPECT_THROW(export_l7(spec, Proxy::haproxy), std::invalid_argument);
}

}  // namespace
}  // namespace lbsim::exporting
