// SPDX-License-Identifier: GPL-3.0-or-later
#include "config/loader.hpp"
#include "support/loader_helpers.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

namespace lbsim::config {
namespace {

using ::testing::HasSubstr;

// A small valid two-tier scenario. Line numbers in the tests below refer to it.
const std::string kValid = R"(name: t
seed: 7
duration: 2s
topology:
  zones: [a, b]
clients:
  - name: web
    arrival: { kind: poisson, rate: 100/s }
    mix:
      - { weight: 1, path: /api/users }
l4:
  algorithm: round_robin
l7:
  nodes_per_zone: 1
  rules:
    - { priority: 1, if: { path: /api/* }, forward: api }
    - { default: true, forward: api }
target_groups:
  api: { per_zone: 2, service_time: { dist: exponential, mean: 5ms } }
)";

// Replaces the first occurrence of `from` in the base scenario.
std::string with(const std::string& from, const std::string& to) { return test::replace_first(kValid, from, to); }

using test::errors_of;

Diagnostic only_error_with(const std::string& yaml, const FileReader& files) {
  try {
    load_scenario(yaml, "s.yaml", files);
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.diagnostics().size(), 1u) << e.what();
    return e.diagnostics().front();
  }
  ADD_FAILURE() << "expected the scenario to be rejected";
  return {};
}

using test::only_error;

TEST(Loader, ValidScenarioLoadsWithDefaults) {
  const ScenarioSpec spec = load_scenario(kValid, "s.yaml");
  EXPECT_EQ(spec.name, "t");
  EXPECT_EQ(spec.seed, 7u);
  EXPECT_DOUBLE_EQ(spec.duration_s, 2.0);
  EXPECT_EQ(spec.topology.zones, (std::vector<std::string>{"a", "b"}));
  ASSERT_EQ(spec.clients.size(), 1u);
  EXPECT_DOUBLE_EQ(spec.clients[0].arrival.profile.rate_at(1.0), 100.0);
  EXPECT_FALSE(spec.clients[0].arrival.uniform);
  EXPECT_EQ(spec.clients[0].mix[0].method, "GET");        // default
  EXPECT_DOUBLE_EQ(spec.clients[0].mix[0].request_bytes.mean(), 500);
  EXPECT_EQ(spec.l4.algorithm, "round_robin");
  EXPECT_FALSE(spec.l4.cross_zone);                        // NLB's default
  ASSERT_TRUE(spec.l7);
  EXPECT_TRUE(spec.l7->cross_zone);                        // ALB's default
  ASSERT_EQ(spec.l7->rules.size(), 2u);
  ASSERT_TRUE(spec.l7->rules[0].when.path);
  EXPECT_EQ(spec.l7->rules[0].when.path->pattern, "/api/*");
  EXPECT_TRUE(spec.l7->rules[1].is_default);
  EXPECT_EQ(spec.target_groups[0].service_time.kind(), Distribution::Kind::exponential);
  EXPECT_DOUBLE_EQ(spec.target_groups[0].service_time.mean(), 0.005);
}

TEST(Loader, MisspeltKeyGetsPositionAndSuggestion) {
  const Diagnostic d = only_error(with("  rules:", "  ruls:"));
  EXPECT_EQ(d.file, "s.yaml");
  EXPECT_EQ(d.line, 15);
  EXPECT_EQ(d.column, 3);
  EXPECT_THAT(d.message, HasSubstr("unknown key 'ruls' in l7"));
  EXPECT_THAT(d.message, HasSubstr("did you mean 'rules'?"));
}

TEST(Loader, UnknownKeyWithoutNearMissListsTheValidOnes) {
  const Diagnostic d = only_error(with("  algorithm: round_robin", "  algorithm: round_robin\n  zebra: 1"));
  EXPECT_EQ(d.line, 13);
  EXPECT_EQ(d.column, 3);
  EXPECT_THAT(d.message, HasSubstr("unknown key 'zebra' in l4; expected one of:"));
  EXPECT_THAT(d.message, HasSubstr("cross_zone"));
}

TEST(Loader, WrongTypeNamesWhatWasExpected) {
  const Diagnostic d = only_error(with("  zones: [a, b]", "  zones: a"));
  EXPECT_EQ(d.line, 5);
  EXPECT_EQ(d.column, 10);
  EXPECT_THAT(d.message, HasSubstr("topology.zones: expected a list, got 'a'"));
}

TEST(Loader, OutOfRangeNamesTheRange) {
  const Diagnostic d = only_error(with("  nodes_per_zone: 1", "  nodes_per_zone: 0"));
  EXPECT_EQ(d.line, 14);
  EXPECT_EQ(d.column, 19);
  EXPECT_THAT(d.message, HasSubstr("l7.nodes_per_zone: expected an integer from 1 to 64, got '0'"));
}

TEST(Loader, QuantitiesFiniteOnPaperButNotInPracticeAreRefusedWithTheirBound) {
  // Each of these reached the engine and hung it, aborted SimGrid ("timeout is not finite",
  // "simulate up to -nan") or ran out of memory.
  struct Case {
    std::string from, to, message;
  };
  const std::vector<Case> cases{
      {"rate: 100/s", "rate: 1e308/ms", "clients[0].arrival.rate: expected a positive rate such as 20000/s or 50/ms, at most 10000000/s, got '1e308/ms'"},
      {"duration: 2s", "duration: 1e12s", "duration: expected a positive duration such as 100us, 20ms or 2s, at most 1000000s, got '1e12s'"},
      {"duration: 2s", "duration: 1e308h", "at most 1000000s, got '1e308h'"},
      {"mean: 5ms", "mean: 1e308h", "at most 1000000s"},
      {"duration: 2s", "duration: 2s\ndrain_timeout: 1e308h", "drain_timeout: expected a positive duration such as 100us, 20ms or 2s, at most 1000000s"},
      {"      - { weight: 1, path: /api/users }", "      - { weight: 1, path: /api/users, response: 1e308GiB }", "at most 1TB, got '1e308GiB'"},
      {"duration: 2s", "duration: 2s\nfaults:\n  - { at: 1s, kind: traffic_surge, client: web, factor: 1e9 }",
       "faults[0].factor: expected a number greater than 0 and at most 1000 (the arrival rate is multiplied by it), got '1e9'"},
      {"duration: 2s", "duration: nan", "got 'nan'"},
      {"duration: 2s", "duration: infs", "got 'infs'"},
      {"duration: 2s", "duration: 2s\nslo:\n  - { error_rate: nan% }", "slo[0].error_rate: expected a percentage"},
  };
  for (const Case& c : cases) {
    const auto errors = errors_of(with(c.from, c.to));
    ASSERT_EQ(errors.size(), 1u) << c.to;
    EXPECT_THAT(errors.front().message, HasSubstr(c.message)) << c.to;
    EXPECT_GT(errors.front().line, 0) << c.to;
  }
}

TEST(Loader, LinkLatencyHasTheDurationBound) {
  const auto errors = errors_of(with("topology:\n  zones: [a, b]\n", "topology:\n  zones: [a, b]\n  internet: { latency: 1e308h }\n"));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_THAT(errors.front().message, HasSubstr("topology.internet.latency: expected a duration such as 0, 100us, 20ms or 2s, at most 1000000s"));
}

TEST(Loader, TextThatIsNotUtf8IsRefusedWhereItIs) {
  // A name with byte 0xFF validated, then writing summary.json died (JSON is UTF-8).
  const Diagnostic d = only_error(with("name: t", "name: t\xFFx"));
  EXPECT_EQ(d.line, 1);
  EXPECT_EQ(d.column, 8);
  EXPECT_EQ(d.message, "expected UTF-8 text; byte 0xFF does not begin a UTF-8 character");
  const Diagnostic path = only_error(with("path: /api/users }", "path: /api/\xC0\xAFusers }"));
  EXPECT_EQ(path.line, 10);
  EXPECT_THAT(path.message, HasSubstr("byte 0xC0"));
}

TEST(Loader, MessagesNeverCarryRawControlBytes) {
  // yaml-cpp's own message quotes the offending character: it must not reach a terminal raw.
  try {
    load_scenario("name: \"a\\\x1b\"\n", "s.yaml");
    ADD_FAILURE() << "expected the scenario to be rejected";
  } catch (const ConfigError& e) {
    const std::string text = e.what();
    EXPECT_EQ(text.find('\x1b'), std::string::npos) << text;
    EXPECT_THAT(text, HasSubstr("s.yaml:1:"));
  }
}

TEST(Loader, BadUnitExplainsTheFormat) {
  const Diagnostic d = only_error(with("rate: 100/s", "rate: 100"));
  EXPECT_EQ(d.line, 8);
  EXPECT_EQ(d.column, 37);
  EXPECT_THAT(d.message, HasSubstr("clients[0].arrival.rate: expected a positive rate such as 20000/s"));
}

TEST(Loader, DanglingTargetGroupGetsSuggestion) {
  const Diagnostic d = only_error(with("forward: api }\n    - { default", "forward: apj }\n    - { default"));
  EXPECT_EQ(d.line, 16);
  EXPECT_EQ(d.column, 53);
  EXPECT_THAT(d.message, HasSubstr("l7.rules[0].forward: no target group named 'apj'; did you mean 'api'?"));
}

TEST(Loader, DanglingReferenceWithoutNearMissListsDefinedGroups) {
  const Diagnostic d = only_error(with("forward: api }\n    - { default", "forward: checkout }\n    - { default"));
  EXPECT_THAT(d.message, HasSubstr("no target group named 'checkout'; defined: api"));
}

TEST(Loader, UnknownAlgorithmSuggestsTheClosest) {
  const Diagnostic d = only_error(with("algorithm: round_robin", "algorithm: round_robn"));
  EXPECT_EQ(d.line, 12);
  EXPECT_THAT(d.message, HasSubstr("l4.algorithm: expected one of:"));
  EXPECT_THAT(d.message, HasSubstr("did you mean 'round_robin'?"));
}

TEST(Loader, MissingRequiredKeyPointsAtItsParent) {
  const Diagnostic d = only_error(with("    arrival: { kind: poisson, rate: 100/s }\n", ""));
  EXPECT_EQ(d.line, 7);
  EXPECT_EQ(d.column, 5);
  EXPECT_THAT(d.message, HasSubstr("clients[0]: missing required key 'arrival'"));
}

TEST(Loader, DuplicateKeyIsAnError) {
  const Diagnostic d = only_error(with("seed: 7\n", "seed: 7\nseed: 8\n"));
  EXPECT_EQ(d.line, 3);
  EXPECT_EQ(d.column, 1);
  EXPECT_THAT(d.message, HasSubstr("seed: duplicate key"));
}

TEST(Loader, InvalidYamlReportsTheParserPosition) {
  const Diagnostic d = only_error(with("  zones: [a, b]", "  zones: [a, b"));
  EXPECT_THAT(d.message, HasSubstr("invalid YAML"));
  EXPECT_GE(d.line, 5);
}

TEST(Loader, DuplicatePriorityPointsAtTheSecondRule) {
  const Diagnostic d =
      only_error(with("    - { default: true, forward: api }", "    - { priority: 1, if: { path: /x }, forward: api }\n    - { default: true, forward: api }"));
  EXPECT_EQ(d.line, 17);
  EXPECT_THAT(d.message, HasSubstr("priority 1 is used by an earlier rule"));
}

TEST(Loader, RulesNeedADefault) {
  const Diagnostic d = only_error(with("    - { default: true, forward: api }\n", ""));
  EXPECT_EQ(d.line, 16);
  EXPECT_THAT(d.message, HasSubstr("l7.rules: expected a default rule"));
}

TEST(Loader, L4OnlyLayoutNeedsATargetGroup) {
  std::string yaml = kValid;
  yaml.erase(yaml.find("l7:"), yaml.find("target_groups:") - yaml.find("l7:"));
  const Diagnostic d = only_error(yaml);
  EXPECT_EQ(d.line, 12);
  EXPECT_THAT(d.message, HasSubstr("needs 'target_group'"));
  yaml.replace(yaml.find("  algorithm: round_robin"), 24, "  algorithm: round_robin\n  target_group: api");
  EXPECT_NO_THROW(load_scenario(yaml, "s.yaml"));
}

TEST(Loader, EveryProblemIsReportedInFileOrder) {
  std::string yaml = with("seed: 7", "seed: -1\nbogus: 1");
  yaml.replace(yaml.find("zones: [a, b]"), 13, "zones: []");
  const auto errors = errors_of(yaml);
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_THAT(errors[0].message, HasSubstr("seed"));
  EXPECT_THAT(errors[1].message, HasSubstr("unknown key 'bogus'"));
  EXPECT_THAT(errors[2].message, HasSubstr("topology.zones: expected at least one zone"));
  EXPECT_LT(errors[0].line, errors[1].line);
  EXPECT_LT(errors[1].line, errors[2].line);
}

TEST(Loader, ServiceTimeKeysDependOnTheDistribution) {
  // A constant service time has a 'value', not a 'mean': both problems are named.
  const auto errors = errors_of(with("dist: exponential, mean: 5ms", "dist: constant, mean: 5ms"));
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_THAT(errors[0].message, HasSubstr("target_groups.api.service_time: missing required key 'value'"));
  EXPECT_THAT(errors[1].message,
              HasSubstr("target_groups.api.service_time.mean: not a key of a constant distribution; it takes: dist, value"));
  const Diagnostic d = only_error(with("dist: exponential, mean: 5ms", "dist: constant, value: 1ms, mean: 5ms"));
  EXPECT_THAT(d.message, HasSubstr("mean: not a key of a constant distribution"));
}

TEST(Loader, MisspeltRequiredKeyIsReportedOnceAsTheMisspelling) {
  const Diagnostic d = only_error(with("    arrival:", "    arival:"));
  EXPECT_EQ(d.line, 8);
  EXPECT_THAT(d.message, HasSubstr("unknown key 'arival' in clients[0]; did you mean 'arrival'?"));
}

TEST(Loader, RuleActionsAndConditionsLoad) {
  const ScenarioSpec spec = load_scenario(with("    - { default: true, forward: api }", R"(    - priority: 2
      if: { path: { prefix: /old }, query: { lang: ko }, source_ip: [198.18.0.0/15] }
      redirect: { status: 302, path: /new }
    - { priority: 3, if: { host: "*.example.com" }, fixed_response: { status: 404, body: 1KB } }
    - priority: 4
      if: { method: GET }
      forward: api
      rewrite: { path: { regex: "^/v1/(.*)$", replacement: "/$1" } }
    - { default: true, forward: api })"), "s.yaml");
  const auto& rules = spec.l7->rules;
  ASSERT_EQ(rules.size(), 5u);
  EXPECT_EQ(rules[1].action, l7::ActionKind::redirect);
  EXPECT_EQ(rules[1].redirect.status, 302);
  EXPECT_EQ(rules[1].when.path->kind, l7::PathMatch::Kind::prefix);
  EXPECT_EQ(rules[1].when.query.at(0).name, "lang");
  EXPECT_EQ(rules[1].when.source.at(0).prefix, 15);
  EXPECT_EQ(rules[2].action, l7::ActionKind::fixed_response);
  EXPECT_DOUBLE_EQ(rules[2].fixed.body_bytes, 1000);
  ASSERT_TRUE(rules[3].rewrite_path);
  EXPECT_EQ(rules[3].rewrite_path->replacement, "/$1");
}

TEST(Loader, RuleActionErrors) {
  auto rule_error = [](const std::string& rule) {
    return only_error(with("    - { default: true, forward: api }", rule + "\n    - { default: true, forward: api }"));
  };
  EXPECT_THAT(rule_error("    - { priority: 2, if: { method: GET } }").message, HasSubstr("missing an action"));
  EXPECT_THAT(rule_error("    - { priority: 2, if: { method: GET }, forward: api, fixed_response: { status: 404 } }").message,
              HasSubstr("more than one action"));
  EXPECT_THAT(rule_error("    - { priority: 2, if: { method: GET }, redirect: { status: 200 } }").message,
              HasSubstr("expected an integer from 301 to 308"));
  EXPECT_THAT(rule_error("    - { priority: 2, if: { source_ip: 10.0.0.1/8 }, forward: api }").message,
              HasSubstr("expected an IPv4 CIDR block"));
  const Diagnostic bad_regex = rule_error("    - { priority: 2, if: { method: GET }, forward: api, rewrite: { path: { regex: \"(\", replacement: x } } }");
  EXPECT_THAT(bad_regex.message, HasSubstr("rewrite.path.regex: expected a valid regular expression"));
  EXPECT_EQ(bad_regex.line, 17);
  // RE2 refuses what would make matching slow: a pattern too big; a replacement naming a
  // group the pattern lacks is pointed at the replacement.
  const Diagnostic big = rule_error("    - { priority: 2, if: { method: GET }, forward: api, rewrite: { path: { regex: \"[a-z]{1000}\", replacement: x } } }");
  EXPECT_THAT(big.message, HasSubstr("rewrite.path.regex: expected a regular expression of program size 1000 or less"));
  const Diagnostic group = rule_error("    - { priority: 2, if: { method: GET }, forward: api, rewrite: { path: { regex: \"^/(a)$\", replacement: \"/$2\" } } }");
  EXPECT_THAT(group.message, HasSubstr("rewrite.path.replacement: expected the replacement to name only the pattern's groups"));
  EXPECT_EQ(group.column, 106);
  EXPECT_THAT(rule_error("    - { priority: 2, if: { method: GET }, redirect: {}, rewrite: { host: { regex: a, replacement: b } } }").message,
              HasSubstr("a rewrite applies only to a forward action"));
}

TEST(Loader, AlgorithmTunablesBelongToTheirAlgorithm) {
  const ScenarioSpec spec = load_scenario(with("  algorithm: round_robin", "  algorithm: maglev\n  table_size: 251"), "s.yaml");
  EXPECT_EQ(spec.l4.algorithm_options.maglev_table_size, 251u);
  EXPECT_EQ(spec.l4.algorithm_options.choices, 2u);  // untouched default
  Diagnostic d = only_error(with("  algorithm: round_robin", "  algorithm: round_robin\n  vnodes: 10"));
  EXPECT_THAT(d.message, HasSubstr("l4.vnodes: only for algorithm ring_hash (this one is round_robin)"));
  d = only_error(with("  algorithm: round_robin", "  algorithm: maglev\n  table_size: 1000"));
  EXPECT_THAT(d.message, HasSubstr("expected a prime number"));
  d = only_error(with("  algorithm: round_robin", "  algorithm: least_request\n  choices: 0"));
  EXPECT_THAT(d.message, HasSubstr("l4.choices: expected an integer from 1 to 16"));
}

TEST(Loader, LognormalAndEmpiricalServiceTimes) {
  const ScenarioSpec lognormal =
      load_scenario(with("dist: exponential, mean: 5ms", "dist: lognormal, median: 8ms, p99: 40ms"), "s.yaml");
  EXPECT_EQ(lognormal.target_groups[0].service_time.kind(), Distribution::Kind::lognormal);
  EXPECT_NEAR(lognormal.target_groups[0].service_time.mean(), 0.008 * std::exp(std::pow(std::log(5.0) / kZ99, 2) / 2), 1e-12);

  const FileReader files = [](const std::string& name) -> FileContent {
    if (name == "good.txt") return {"# measured\n1ms\n\n3ms  # slow one\n2ms\n", ""};
    if (name == "bad.txt") return {"1ms\n  fast\n", ""};
    if (name == "garbage.bin") return {"1ms\n" + std::string(100, 'A') + "\n\x01\x02\n", ""};
    return {std::nullopt, "no such file"};
  };
  const std::string empirical = with("dist: exponential, mean: 5ms", "dist: empirical, file: good.txt");
  const ScenarioSpec spec = load_scenario(empirical, "s.yaml", files);
  EXPECT_EQ(spec.target_groups[0].service_time.kind(), Distribution::Kind::empirical);
  EXPECT_DOUBLE_EQ(spec.target_groups[0].service_time.mean(), 0.002);

  // A bad sample is reported in the sample file, at its own line and column.
  Diagnostic d = only_error_with(with("dist: exponential, mean: 5ms", "dist: empirical, file: bad.txt"), files);
  EXPECT_EQ(d.file, "bad.txt");
  EXPECT_EQ(d.line, 2);
  EXPECT_EQ(d.column, 3);
  EXPECT_THAT(d.message, HasSubstr("expected a positive duration such as 100us, 20ms or 2s, at most 1000000s, got 'fast'"));
  d = only_error_with(with("dist: exponential, mean: 5ms", "dist: empirical, file: missing.txt"), files);
  EXPECT_THAT(d.message, HasSubstr("cannot read 'missing.txt': no such file"));
  // A file that is not samples at all: one error, its first bad line cut short.
  d = only_error_with(with("dist: exponential, mean: 5ms", "dist: empirical, file: garbage.bin"), files);
  EXPECT_EQ(d.line, 2);
  EXPECT_THAT(d.message, HasSubstr("got '" + std::string(40, 'A') + "...'"));
  d = only_error_with(with("dist: exponential, mean: 5ms", "dist: lognormal, median: 8ms, p99: 4ms"), files);
  EXPECT_THAT(d.message, HasSubstr("expected a p99 above the median"));
}

TEST(Loader, ArrivalKindsLoadWithTheirOwnKeys) {
  auto arrival = [](const std::string& a) {
    return load_scenario(with("arrival: { kind: poisson, rate: 100/s }", "arrival: " + a), "s.yaml").clients[0].arrival;
  };
  EXPECT_TRUE(arrival("{ kind: constant, rate: 50/s }").uniform);
  EXPECT_DOUBLE_EQ(arrival("{ kind: ramp, from: 10/s, to: 110/s, over: 10s }").profile.rate_at(5), 60);
  EXPECT_DOUBLE_EQ(arrival("{ kind: step, steps: [ { at: 0s, rate: 5/s }, { at: 1s, rate: 9/s } ] }").profile.rate_at(2), 9);
  EXPECT_DOUBLE_EQ(arrival("{ kind: burst, rate: 10/s, burst_rate: 100/s, every: 10s, for: 1s }").profile.rate_at(0.5), 100);
  EXPECT_DOUBLE_EQ(arrival("{ kind: daily, trough: 10/s, peak: 30/s, period: 4s, peak_at: 1s }").profile.rate_at(1), 30);
  Diagnostic d = only_error(with("arrival: { kind: poisson, rate: 100/s }", "arrival: { kind: ramp, from: 10/s, to: 20/s }"));
  EXPECT_THAT(d.message, HasSubstr("missing required key 'over'"));
  d = only_error(with("arrival: { kind: poisson, rate: 100/s }", "arrival: { kind: step, steps: [ { at: 1s, rate: 5/s } ] }"));
  EXPECT_THAT(d.message, HasSubstr("the first step must be at 0s"));
  d = only_error(with("arrival: { kind: poisson, rate: 100/s }", "arrival: { kind: constant, rate: 5/s, over: 3s }"));
  EXPECT_THAT(d.message, HasSubstr("arrival.over: not a key of a constant arrival; it takes: kind, rate"));
}

TEST(Loader, SizesMayBeDistributions) {
  const ScenarioSpec spec = load_scenario(
      with("{ weight: 1, path: /api/users }", "{ weight: 1, path: /api/users, response: { dist: lognormal, median: 20KB, p99: 400KB } }"),
      "s.yaml");
  const auto& response = spec.clients[0].mix[0].response_bytes;
  EXPECT_EQ(response.kind(), Distribution::Kind::lognormal);
  EXPECT_NEAR(response.mean(), 20e3 * std::exp(std::pow(std::log(20.0) / kZ99, 2) / 2), 1e-6);
  const Diagnostic d = only_error(with("{ weight: 1, path: /api/users }", "{ weight: 1, path: /api/users, request: { dist: exponential, mean: 5ms } }"));
  EXPECT_THAT(d.message, HasSubstr("request.mean: expected a size such as 500B"));
}

TEST(Loader, EmptyFileIsExplained) {
  const Diagnostic d = only_error("");
  EXPECT_EQ(d.line, 1);
  EXPECT_THAT(d.message, HasSubstr("the file is empty"));
}

}  // namespace
}  // namespace lbsim::config

namespace lbsim::config {
namespace {

const std::string kApiGroup = "api: { per_zone: 2, service_time: { dist: exponential, mean: 5ms } }";

TEST(Loader, StickinessByTheBalancersCookieOrTheApplications) {
  auto spec = load_scenario(with(kApiGroup, "api: { per_zone: 2, stickiness: { duration: 1h } }"), "s.yaml");
  EXPECT_EQ(spec.target_groups[0].sticky_duration_s, 3600.0);
  EXPECT_FALSE(spec.target_groups[0].app_cookie);
  spec = load_scenario(with(kApiGroup, "api: { per_zone: 2, stickiness: { type: app_cookie, cookie: SESSIONID } }"), "s.yaml");
  EXPECT_EQ(spec.target_groups[0].sticky_duration_s, 86400.0);  // ALB's default: one day
  EXPECT_EQ(spec.target_groups[0].app_cookie, "SESSIONID");
}

TEST(Loader, AppCookieStickinessNeedsTheApplicationsOwnCookie) {
  Diagnostic d = only_error(with(kApiGroup, "api: { per_zone: 2, stickiness: { type: app_cookie } }"));
  EXPECT_THAT(d.message, HasSubstr("stickiness: missing required key 'cookie' (the name of the application's session cookie)"));
  d = only_error(with(kApiGroup, "api: { per_zone: 2, stickiness: { type: app_cookie, cookie: AWSALBAPP } }"));
  EXPECT_THAT(d.message, HasSubstr("the balancer's"));
  d = only_error(with(kApiGroup, "api: { per_zone: 2, stickiness: { type: lb_cookie, cookie: SESSIONID } }"));
  EXPECT_THAT(d.message, HasSubstr("stickiness.cookie: not a key of a lb_cookie stickiness; it takes: type, duration"));
}

TEST(Loader, RangesARangeCannotSayAreCheckedWithTheirOwnWords) {
  Diagnostic d = only_error(with(kApiGroup, "api: { per_zone: 2, slow_start: 10s }"));
  EXPECT_EQ(d.message, "target_groups.api.slow_start: expected 0 (off) or a duration from 30s to 900s, ALB's range");
  EXPECT_EQ(load_scenario(with(kApiGroup, "api: { per_zone: 2, slow_start: 0 }"), "s.yaml").target_groups[0].slow_start_s, 0);
  EXPECT_EQ(load_scenario(with(kApiGroup, "api: { per_zone: 2, slow_start: 45s }"), "s.yaml").target_groups[0].slow_start_s, 45);
  d = only_error(with(kApiGroup, "api: { per_zone: 2, stickiness: { duration: 200h } }"));
  EXPECT_THAT(d.message, HasSubstr("stickiness.duration: expected a duration from 1s to 7 days, ALB's range"));
}

TEST(Loader, AClosedLoopMayThinkForNoTimeAtAll) {
  const auto spec = load_scenario(
      with("arrival: { kind: poisson, rate: 100/s }", "arrival: { kind: closed, users: 3, think_time: { dist: constant, value: 0 } }"),
      "s.yaml");
  EXPECT_EQ(spec.clients[0].arrival.users, 3u);
  EXPECT_EQ(spec.clients[0].arrival.think_time.mean(), 0);
  // A service time of 0 stays an error: only a think time may be nothing.
  const Diagnostic d = only_error(with("dist: exponential, mean: 5ms", "dist: constant, value: 0"));
  EXPECT_THAT(d.message, HasSubstr("expected a positive duration"));
}

TEST(Loader, AWarmUpMustEndBeforeTheRunDoes) {
  const std::string base = with("arrival: { kind: poisson, rate: 100/s }", "arrival: { kind: poisson, rate: 100/s }");
  EXPECT_EQ(load_scenario(test::replace_first(base, "name:", "warmup: 500ms\nname:"), "s.yaml").warmup_s, 0.5);
  const Diagnostic d = only_error(test::replace_first(base, "name:", "warmup: 1h\nname:"));
  EXPECT_EQ(d.line, 1);
  EXPECT_THAT(d.message, HasSubstr("warmup: expected less than the run's duration"));
}

}  // namespace
}  // namespace lbsim::config

// ---- `kind: replay`: the logs are streamed by the run, so the loader reads their heads ----

namespace lbsim::config {
namespace {

const std::string kAlbLine =
    "https 2026-12-06T10:00:00.250000Z app/x/1 198.18.0.7:2817 10.0.1.11:8080 0.000 0.012 0.000 200 200 34 3066 "
    "\"GET https://a:443/b HTTP/1.1\" \"ua\" C TLSv1.3 arn:aws:elasticloadbalancing:r:1:targetgroup/api/7 \"t\"";

// Heads of logs by name: 11 lines over 1 s (10 requests a second), a bad first line, an empty one.
FileReader heads() {
  const auto head = [](const std::string& name) -> FileContent {
    if (name == "good.log") {
      std::string text;  // logged at 10:00:00.0, 00.1, ... 01.0
      for (int i = 0; i <= 10; ++i) text += test::replace_first(kAlbLine, "10:00:00.250000Z", "10:00:0" + std::to_string(i / 10) + "." + std::to_string(i % 10) + "00000Z") + "\n";
      return {text, "", "/logs/good.log"};
    }
    if (name == "bad.log") return {"# a comment\nhttps yesterday app/x/1\n", "", "/logs/bad.log"};
    if (name == "empty.log") return {"\n# nothing\n", "", "/logs/empty.log"};
    return {std::nullopt, "no such file"};
  };
  return FileReader([](const std::string&) { return FileContent{std::nullopt, "not whole"}; }, head);
}

std::string arrival(const std::string& keys) { return with("{ kind: poisson, rate: 100/s }", "{ kind: replay, " + keys + " }"); }

TEST(Loader, AReplayNamesItsLogsWhereTheProgramFoundThemAndEstimatesTheirRate) {
  const ScenarioSpec spec = load_scenario(arrival("file: good.log, format: alb, speed: 2, from: 10m, to: \"2026-12-06T11:00:00Z\""), "s.yaml", heads());
  const ArrivalSpec& a = spec.clients[0].arrival;
  ASSERT_TRUE(a.replay);
  EXPECT_EQ(a.replay->files, (std::vector<std::string>{"good.log"}));
  EXPECT_EQ(a.replay->paths, (std::vector<std::string>{"/logs/good.log"}));
  EXPECT_EQ(a.replay->format, traffic::LogFormat::alb);
  EXPECT_DOUBLE_EQ(a.replay->speed, 2);
  ASSERT_TRUE(a.replay->from && a.replay->to);
  EXPECT_FALSE(a.replay->from->absolute);
  EXPECT_DOUBLE_EQ(a.replay->from->seconds, 600);
  EXPECT_TRUE(a.replay->to->absolute);
  EXPECT_DOUBLE_EQ(a.replay->to->seconds, 1'796'551'200.0 + 3600);
  EXPECT_TRUE(a.replay->logged_service_times);
  // 11 lines (arriving .012 s before they were logged) 0.1 s apart: 10/s, sent twice as fast.
  EXPECT_NEAR(a.profile.rate_at(0), 20, 1e-6);
  const ScenarioSpec both = load_scenario(arrival("file: [good.log, good.log], format: alb, service_times: model"), "s.yaml", heads());
  EXPECT_EQ(both.clients[0].arrival.replay->paths.size(), 2u);
  EXPECT_FALSE(both.clients[0].arrival.replay->logged_service_times);
}

TEST(Loader, AReplaysBadLogIsShownAtItsOwnLineAndColumn) {
  const Diagnostic bad = only_error_with(arrival("file: bad.log, format: alb"), heads());
  EXPECT_EQ(bad.file, "bad.log");
  EXPECT_EQ(bad.line, 2);
  EXPECT_THAT(bad.message, HasSubstr("expected an ALB access log line (format: alb)"));
  const Diagnostic clf = only_error_with(arrival("file: good.log, format: clf"), heads());
  EXPECT_EQ(clf.file, "good.log");
  EXPECT_EQ(clf.line, 1);
  EXPECT_THAT(clf.message, HasSubstr("common log format"));
  EXPECT_THAT(only_error_with(arrival("file: empty.log, format: alb"), heads()).message, HasSubstr("'empty.log' holds no requests"));
  EXPECT_THAT(only_error_with(arrival("file: gone.log, format: alb"), heads()).message, HasSubstr("cannot read 'gone.log': no such file"));
  // A program that streams no files (the fuzzers, a test's whole-file reader) says so.
  EXPECT_THAT(only_error_with(arrival("file: good.log, format: alb"), FileReader([](const std::string&) { return FileContent{}; })).message,
              HasSubstr("no files can be streamed here"));
}

TEST(Loader, AReplaysFromAndToAreTimesAndARampsAreRates) {
  EXPECT_THAT(only_error_with(arrival("file: good.log, format: alb, from: 100/s"), heads()).message, HasSubstr("expected a time in the log, not a rate"));
  EXPECT_THAT(only_error_with(arrival("file: good.log, format: alb, from: 10m, to: 5m"), heads()).message, HasSubstr("to: expected a time after `from`"));
  EXPECT_THAT(only_error_with(arrival("file: good.log, format: alb, from: yesterday"), heads()).message,
              HasSubstr("expected a rate such as 100/s (ramp), or a time in the log (replay)"));
  EXPECT_THAT(only_error_with(arrival("file: good.log, format: apache"), heads()).message, HasSubstr("format: expected one of"));
  EXPECT_THAT(only_error_with(arrival("format: alb"), heads()).message, HasSubstr("file"));
  const Diagnostic ramp = only_error_with(with("{ kind: poisson, rate: 100/s }", "{ kind: ramp, from: 10m, to: 100/s, over: 1s }"), heads());
  EXPECT_THAT(ramp.message, HasSubstr("from: expected a rate such as 100/s"));
}

TEST(Loader, AReplayCannotSurgeItsLogsSendWhatTheyHold) {
  const std::string surge = arrival("file: good.log, format: alb") + "faults:\n  - { at: 1s, kind: traffic_surge, factor: 2, for: 1s }\n";
  EXPECT_THAT(only_error_with(surge, heads()).message, HasSubstr("is a replay (arrival kind replay)"));
}

// ---- per-backend weights ----

std::string weighted(const std::string& weights, const std::string& algorithm = "smooth_weighted_round_robin") {
  return test::replace_first(with("  api: { per_zone: 2, service_time: { dist: exponential, mean: 5ms } }",
                                  "  api: { per_zone: 2, weights: " + weights + ", service_time: { dist: exponential, mean: 5ms } }"),
                             "  nodes_per_zone: 1\n", "  nodes_per_zone: 1\n  algorithm: " + algorithm + "\n");
}

TEST(Loader, WeightsKeepTheirFileOrderForLaterEntriesToOverride) {
  const ScenarioSpec spec = load_scenario(weighted("{ \"api-*\": 2, api-b-1: 7 }"), "s.yaml");
  const auto& w = spec.target_groups[0].weights;
  ASSERT_EQ(w.size(), 2u);
  EXPECT_EQ(w[0].glob, "api-*");
  EXPECT_EQ(w[0].weight, 2u);
  EXPECT_EQ(w[1].glob, "api-b-1");
  EXPECT_EQ(w[1].weight, 7u);
}

TEST(Loader, AWeightGlobThatNamesNoBackendOfItsGroupIsAnErrorWhereItIs) {
  const Diagnostic d = only_error(weighted("{ api-c-0: 3 }"));
  EXPECT_EQ(d.line, 20);
  EXPECT_EQ(d.column, 34);
  EXPECT_THAT(d.message, HasSubstr("target_groups.api.weights.api-c-0: 'api-c-0' matches no backend of group api; its backends are named "
                                   "api-<zone>-<n>, e.g. api-a-0"));
}

TEST(Loader, AWeightOutsideOneTo256NamesTheRange) {
  for (const char* bad : {"0", "257", "1.5", "heavy"}) {
    const Diagnostic d = only_error(weighted(std::string("{ api-a-0: ") + bad + " }"));
    EXPECT_THAT(d.message, HasSubstr("target_groups.api.weights.api-a-0: expected an integer from 1 to 256")) << bad;
  }
}

TEST(Loader, UnequalWeightsUnderAnAlgorithmThatIgnoresThemAreRefusedNotIgnored) {
  const Diagnostic d = only_error(weighted("{ api-a-0: 3 }", "least_outstanding_requests"));
  EXPECT_EQ(d.line, 20);
  EXPECT_THAT(d.message, HasSubstr("target_groups.api.weights: l7.algorithm least_outstanding_requests ignores weights; expected one that "
                                   "reads them: smooth_weighted_round_robin, random, ring_hash, maglev"));
  // Equal weights change nothing, so any algorithm may carry them.
  EXPECT_NO_THROW(load_scenario(weighted("{ \"api-*\": 4 }", "least_outstanding_requests"), "s.yaml"));
}

TEST(Loader, InAnL4OnlyLayoutTheL4AlgorithmMustReadTheWeights) {
  std::string yaml = test::replace_first(kValid, "l7:\n  nodes_per_zone: 1\n  rules:\n    - { priority: 1, if: { path: /api/* }, forward: api }\n    - { default: true, forward: api }\n", "");
  yaml = test::replace_first(yaml, "  algorithm: round_robin\n", "  algorithm: round_robin\n  target_group: api\n");
  yaml = test::replace_first(yaml, "api: { per_zone: 2,", "api: { per_zone: 2, weights: { api-a-0: 2 },");
  const Diagnostic d = only_error(yaml);
  EXPECT_THAT(d.message, HasSubstr("l4.algorithm round_robin ignores weights"));
  EXPECT_NO_THROW(load_scenario(test::replace_first(yaml, "algorithm: round_robin", "algorithm: maglev"), "s.yaml"));
}

// ---- a lesson's quiz ----

std::string quizzed(const std::string& question) { return kValid + "quiz:\n  - " + question + "\n"; }

TEST(Loader, AQuizQuestionNamesAHopAndWhatToAskOfIt) {
  const ScenarioSpec spec = load_scenario(
      quizzed("{ question: { en: Which one, ko: 무엇 }, choices: [src_ip, dst_ip], answer: { request: 2, hop: { tier: l4 }, ask: rewrote } }"),
      "s.yaml");
  ASSERT_EQ(spec.quiz.size(), 1u);
  EXPECT_EQ(spec.quiz[0].question_ko, "무엇");
  EXPECT_EQ(spec.quiz[0].request, 2u);
  EXPECT_EQ(spec.quiz[0].tier, "l4");
  EXPECT_EQ(spec.quiz[0].ask, QuizQuestion::Ask::rewrote);
  EXPECT_EQ(spec.quiz[0].line, 21);
}

TEST(Loader, AQuizQuestionThatCannotBeAnsweredIsRefusedWhereItIs) {
  const std::string base = "{ question: { en: Q, ko: 질문 }, choices: [a, b], answer: { hop: { tier: l4 }, ask: rewrote } }";
  EXPECT_THAT(only_error(quizzed(test::replace_first(base, "ask: rewrote", "ask: colour"))).message,
              HasSubstr("quiz[0].answer.ask: expected one of rewrote, read, layer, node, got 'colour'"));
  EXPECT_THAT(only_error(quizzed(test::replace_first(base, "tier: l4", "note: l7.no_such_note"))).message,
              HasSubstr("quiz[0].answer.hop.note: no trace note 'l7.no_such_note'"));
  EXPECT_THAT(only_error(quizzed(test::replace_first(base, "tier: l4", "tier: l5"))).message,
              HasSubstr("quiz[0].answer.hop.tier: expected one of client, l4, l7, backend, got 'l5'"));
  EXPECT_THAT(only_error(quizzed(test::replace_first(base, "answer: {", "answer: { variant: dsr,"))).message,
              HasSubstr("quiz[0].answer.variant: no variant 'dsr' in this file"));
  // Without choices, a node or header fields are clicked; a layer cannot be.
  EXPECT_TRUE(load_scenario(quizzed(test::replace_first(base, "choices: [a, b], ", "")), "s.yaml").quiz[0].click_fields());
  EXPECT_TRUE(load_scenario(quizzed(test::replace_first(test::replace_first(base, "choices: [a, b], ", ""), "rewrote", "read")), "s.yaml")
                  .quiz[0].click_fields());
  EXPECT_THAT(only_error(quizzed(test::replace_first(test::replace_first(base, "choices: [a, b], ", ""), "rewrote", "layer"))).message,
              HasSubstr("quiz[0]: expected choices (`ask: node` may be answered by clicking the node, `rewrote` and `read` by clicking "
                        "the header fields, but a layer needs choices)"));
  EXPECT_THAT(only_error(quizzed(test::replace_first(base, ", ko: 질문", ""))).message,
              HasSubstr("quiz[0].question: missing required key 'ko'"));
  const Diagnostic d = only_error(quizzed(test::replace_first(base, "ask: rewrote", "ask: rewrote, answer: a")));
  EXPECT_EQ(d.line, 21);
  EXPECT_THAT(d.message, HasSubstr("unknown key 'answer' in quiz[0].answer; expected one of: variant, request, hop or ask"));
}

}  // namespace
}  // namespace lbsim::config
