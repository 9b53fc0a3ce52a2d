// SPDX-License-Identifier: GPL-3.0-or-later
// lbsim import haproxy: HAProxy's word rules, its ACLs and switching rules as lbsim's
// rules in HAProxy's order, its backends as target groups, every directive reported;
// the shipped fixture imports into a scenario that validates, and routes its requests as
// HAProxy's documented order says.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <algorithm>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <sstream>

#include "config/loader.hpp"
#include "import/import.hpp"
#include "l7/rules.hpp"
#include "topology/topology.hpp"
#include "util/random.hpp"

namespace lbsim::importing {
namespace {

Imported import_text(const std::string& text) { return import_configuration(Format::haproxy, {{"haproxy.cfg", text}}); }

config::ScenarioSpec spec_of(const Imported& imported) { return config::load_scenario(imported.yaml, "imported.yaml"); }

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Seeded damage to a text: characters replaced, runs cut, characters inserted.
void corrupt(std::string& text, std::mt19937& random, const std::string& alphabet, int max_edits, std::size_t max_cut) {
  const int edits = 1 + static_cast<int>(random() % static_cast<unsigned>(max_edits));
  for (int e = 0; e < edits && !text.empty(); ++e) {
    const std::size_t at = random() % text.size();
    switch (random() % 3) {
      case 0: text[at] = alphabet[random() % alphabet.size()]; break;
      case 1: text.erase(at, std::min<std::size_t>(text.size() - at, random() % max_cut)); break;
      default: text.insert(at, std::string(1, alphabet[random() % alphabet.size()])); break;
    }
  }
}

const ReportEntry& entry_at(const ImportReport& report, int line) {
  for (const ReportEntry& e : report.entries())
    if (e.at.line == line) return e;
  throw std::runtime_error("no report entry for line " + std::to_string(line));
}

// The group a request goes to, by lbsim's own rule table over the imported rules.
std::string routed(const config::ScenarioSpec& spec, const std::string& method, const std::string& host, const std::string& path,
                   std::vector<l7::Field> headers = {}, std::vector<l7::Field> cookies = {}, std::uint32_t source = (198u << 24) | (18u << 16) | 1u) {
  const l7::RuleTable table(spec.l7->rules);
  l7::RequestView view;
  view.method = method;
  view.host = host;
  const std::size_t q = path.find('?');
  view.path = std::string_view(path).substr(0, q);
  if (q != std::string::npos) view.query = std::string_view(path).substr(q + 1);
  view.headers = headers;
  view.cookies = cookies;
  view.source_ip = source;
  Random random(1);
  const l7::RouteDecision decision = table.route(view, random);
  switch (decision.action) {
    case l7::ActionKind::forward: return spec.target_groups[decision.group].name;
    case l7::ActionKind::fixed_response: return "answer " + std::to_string(decision.status);
    case l7::ActionKind::redirect: return "redirect " + decision.location;
  }
  return "?";
}

TEST(ImportHaproxy, WordsFollowHaproxysQuotingAndCommentRules) {
  const auto lines = haproxy_lines({"x.cfg", "  a 'b c' \"d\\\"e\" f\\ g # a comment\n\n# only a comment\nh#i j\n"});
  ASSERT_EQ(lines.size(), 2u);
  ASSERT_EQ(lines[0].words.size(), 4u);
  EXPECT_EQ(lines[0].words[1].text, "b c");
  EXPECT_EQ(lines[0].words[2].text, "d\"e");
  EXPECT_EQ(lines[0].words[3].text, "f g");
  EXPECT_EQ(lines[0].words[1].column, 5);
  EXPECT_EQ(lines[1].at.line, 4);
  EXPECT_EQ(lines[1].joined(), "h");
}

TEST(ImportHaproxy, MalformedInputIsOneLineNamingFileLineAndColumn) {
  const auto message = [](const std::string& text) {
    try {
      import_text(text);
    } catch (const ImportError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message("frontend f\n    bind ':80\n"), "haproxy.cfg:2:10: error: a ' quote that is never closed");
  EXPECT_EQ(message("    mode http\n"), "haproxy.cfg:1:5: error: 'mode' outside any section: expected global, defaults, frontend, backend or listen first");
  EXPECT_EQ(message("backend\n"), "haproxy.cfg:1:1: error: 'backend': expected a name after it");
  EXPECT_EQ(message("backend b\n    server s1\n"), "haproxy.cfg:2:5: error: 'server': expected a name and an address");
  EXPECT_EQ(message("backend b\n    server s1 10.0.0.1:80 inter soon\n"), "haproxy.cfg:2:33: error: 'soon': expected a time such as 2s or 500ms");
  EXPECT_EQ(message("frontend f from nowhere\n"), "haproxy.cfg:1:17: error: 'from nowhere': no defaults section of that name before it");
  EXPECT_EQ(message("global\n  log \x01\n"), "haproxy.cfg:2:7: error: a control character: expected text");
}

TEST(ImportHaproxy, SwitchingRulesBecomeRulesInHaproxysOrderAndAlternativesBecomeOneRuleEach) {
  const Imported imported = import_text(R"(defaults
    mode http
    timeout server 20s
frontend f
    bind :80
    acl api path_beg /api/ /v1/
    acl beta hdr(x-beta) -m str yes
    use_backend beta if api beta
    use_backend api if api
    default_backend web
backend api
    server a 10.0.0.1:80
backend beta
    server b 10.0.0.2:80
backend web
    server w 10.0.0.3:80
)");
  const config::ScenarioSpec spec = spec_of(imported);
  ASSERT_EQ(spec.l7->rules.size(), 5u) << imported.yaml;  // 2 + 2 alternatives, and the default
  EXPECT_EQ(routed(spec, "GET", "a", "/api/x", {{"x-beta", "yes"}}), "beta");
  EXPECT_EQ(routed(spec, "GET", "a", "/v1/x", {{"x-beta", "yes"}}), "beta");
  EXPECT_EQ(routed(spec, "GET", "a", "/v1/x"), "api");
  EXPECT_EQ(routed(spec, "GET", "a", "/other"), "web");
  EXPECT_DOUBLE_EQ(spec.l7->upstream_timeout_s, 20.0);
  EXPECT_EQ(entry_at(imported.report, 8).verdict, Verdict::mapped);
  EXPECT_NE(entry_at(imported.report, 8).note.find("2 rules"), std::string::npos) << entry_at(imported.report, 8).note;
  EXPECT_NE(imported.yaml.find("# haproxy.cfg:9: use_backend api if api"), std::string::npos) << imported.yaml;
}

// Server weights: as lbsim's per-backend weights, server i being backend i of each zone.
std::string weighted_servers(const std::string& balance) {
  return R"(defaults
    mode http
frontend f
    bind :80
    default_backend web
backend web
)" + balance + R"(
    server w1 10.0.0.1:80 weight 3
    server w2 10.0.0.2:80
    server w3 10.0.0.3:80 weight 300
    server w4 10.0.0.4:80 weight 0
)";
}

TEST(ImportHaproxy, ServerWeightsBecomeBackendWeightsUnderHaproxysWeightedRoundRobin) {
  const Imported imported = import_text(weighted_servers("    balance roundrobin"));
  const config::ScenarioSpec spec = spec_of(imported);
  EXPECT_EQ(spec.l7->algorithm, "smooth_weighted_round_robin") << "HAProxy's roundrobin reads weights";
  const config::TargetGroupSpec& web = spec.target_groups.at(0);
  EXPECT_EQ(web.per_zone, 3u) << "a weight-0 server takes no traffic";
  EXPECT_EQ(topology::weight_of(web, "web-a-0"), 3u);
  EXPECT_EQ(topology::weight_of(web, "web-a-1"), 1u);
  EXPECT_EQ(topology::weight_of(web, "web-a-2"), 256u) << "clamped to lbsim's range";
  EXPECT_EQ(entry_at(imported.report, 11).verdict, Verdict::dropped);
  bool clamped_said = false;
  for (const ReportEntry& e : imported.report.entries())
    clamped_said = clamped_said || (e.at.line == 6 && e.verdict == Verdict::approximated && e.note.find("beyond 256") != std::string::npos);
  EXPECT_TRUE(clamped_said);
}

TEST(ImportHaproxy, ServerWeightsUnderAnAlgorithmThatIgnoresThemAreReportedNotWritten) {
  const Imported imported = import_text(weighted_servers("    balance leastconn"));
  const config::ScenarioSpec spec = spec_of(imported);
  EXPECT_EQ(spec.l7->algorithm, "least_connections");
  EXPECT_TRUE(spec.target_groups.at(0).weights.empty()) << imported.yaml;
  bool said = false;
  for (const ReportEntry& e : imported.report.entries())
    said = said || e.note.find("least_connections ignores weights") != std::string::npos;
  EXPECT_TRUE(said);
}

TEST(ImportHaproxy, WhatLbsimCannotHoldIsDroppedWithItsReasonAndStrictRefusesIt) {
  const Imported imported = import_text(R"(frontend f
    mode http
    bind :80
    acl admin hdr(host) admin.example.com
    acl office src 10.0.0.0/8
    acl v2 path_reg ^/v2/
    http-request deny if admin !office
    use_backend b if v2
    default_backend b
backend b
    server s 10.0.0.1:80
    server t 10.0.0.2:80 backup
)");
  EXPECT_EQ(entry_at(imported.report, 6).verdict, Verdict::dropped);  // a regex
  EXPECT_EQ(entry_at(imported.report, 7).verdict, Verdict::dropped);  // a negation
  EXPECT_NE(entry_at(imported.report, 7).note.find("cannot say 'not'"), std::string::npos);
  EXPECT_EQ(entry_at(imported.report, 8).verdict, Verdict::dropped);  // uses the regex ACL
  EXPECT_EQ(entry_at(imported.report, 12).verdict, Verdict::dropped);  // a backup server
  EXPECT_EQ(spec_of(imported).l7->rules.size(), 1u) << "only the default remains";
}

TEST(ImportHaproxy, EveryLineOfTheShippedFixtureIsReportedAndItsScenarioRoutesAsHaproxyWould) {
  const std::string text = slurp(LBSIM_SOURCE_DIR "/tests/import/fixtures/haproxy.cfg");
  const Imported imported = import_text(text);
  // Every line with a directive has its verdict.
  std::set<int> reported;
  for (const ReportEntry& e : imported.report.entries()) reported.insert(e.at.line);
  for (const ConfigLine& line : haproxy_lines({"haproxy.cfg", text})) EXPECT_TRUE(reported.count(line.at.line)) << "line " << line.at.line << ": " << line.joined();
  const config::ScenarioSpec spec = spec_of(imported);
  EXPECT_EQ(spec.l7->cores, 4u);
  // web (the default backend) balances round robin, which in HAProxy reads the servers'
  // weights: static's and mobile's servers weigh unequally, so lbsim's weighted one.
  EXPECT_EQ(spec.l7->algorithm, "smooth_weighted_round_robin");
  EXPECT_EQ(topology::weight_of(spec.target_groups.at(*spec.find_group("static")), "static-a-0"), 3u);
  EXPECT_EQ(spec.clients.front().tls.enabled, true) << "the listener terminates TLS";
  // HAProxy's order: http-request rules first, then use_backend in order, then the default.
  EXPECT_EQ(routed(spec, "GET", "shop.example.com", "/healthz"), "answer 200");
  EXPECT_EQ(routed(spec, "GET", "shop.example.com", "/api/x", {{"user-agent", "sqlmap/1.0"}}), "answer 403");
  EXPECT_EQ(routed(spec, "GET", "shop.example.com", "/old/page"), "redirect https://shop.example.com/new/");
  EXPECT_EQ(routed(spec, "GET", "admin.example.com", "/", {}, {}, (10u << 24) | (20u << 16) | 5u), "admin");
  EXPECT_EQ(routed(spec, "GET", "shop.example.com", "/api/users", {{"x-beta-user", "true"}}), "beta");
  EXPECT_EQ(routed(spec, "GET", "shop.example.com", "/api/users", {}, {{"beta", "true"}}), "beta");
  EXPECT_EQ(routed(spec, "GET", "shop.example.com", "/static/app.js"), "static");
  EXPECT_EQ(routed(spec, "GET", "shop.example.com", "/img/a.png"), "static");
  EXPECT_EQ(routed(spec, "GET", "shop.example.com", "/x?legacy=1"), "legacy");
  EXPECT_EQ(routed(spec, "GET", "www.example.com", "/api/users"), "api");
  EXPECT_EQ(routed(spec, "GET", "other.example.com", "/api/users"), "web");
  EXPECT_EQ(routed(spec, "GET", "m.example.com", "/"), "mobile") << "hdr_beg(host) -i m.";
  EXPECT_EQ(routed(spec, "GET", "shop.example.com", "/search?q=x"), "search");
  EXPECT_EQ(routed(spec, "GET", "shop.example.com", "/recs/7"), "recs");
  EXPECT_EQ(routed(spec, "GET", "shop.example.com", "/reports/q1"), "reports");
  EXPECT_EQ(routed(spec, "DELETE", "other.example.com", "/api/users/1"), "api") << "is_api is_put: PUT or DELETE on any host";
  // Backends: servers, checks, stickiness, slow start.
  const auto& api = spec.target_groups.at(*spec.find_group("api"));
  EXPECT_EQ(api.per_zone, 3u) << "the backup server is dropped";
  EXPECT_EQ(api.workers, 64u);
  EXPECT_DOUBLE_EQ(api.health_check.interval_s, 3.0);  // the defaults' default-server
  EXPECT_DOUBLE_EQ(api.health_check.timeout_s, 2.0);   // timeout check
  EXPECT_EQ(api.health_check.unhealthy_threshold, 3u);
  EXPECT_EQ(api.health_check.healthy_threshold, 2u);
  EXPECT_TRUE(api.sticky_duration_s.has_value());
  EXPECT_DOUBLE_EQ(*api.sticky_duration_s, 3600.0);
  EXPECT_DOUBLE_EQ(api.slow_start_s, 60.0);
  const auto& web = spec.target_groups.at(*spec.find_group("web"));
  ASSERT_TRUE(web.app_cookie.has_value());
  EXPECT_EQ(*web.app_cookie, "JSESSIONID");
  // The traffic: a request written for each rule, the default's included.
  EXPECT_EQ(spec.clients.front().mix.size(), spec.l7->rules.size());
}

}  // namespace
}  // namespace lbsim::importing

namespace lbsim::importing {
namespace {

// Seeded corruptions of the fixture — bytes replaced, lines cut, words swapped — either
// import into a scenario that validates or are refused with a positioned ImportError:
// never a crash, never another exception, never an invalid scenario.
TEST(ImportHaproxy, CorruptedConfigurationsImportOrAreRefusedWithAPosition) {
  const std::string text = slurp(LBSIM_SOURCE_DIR "/tests/import/fixtures/haproxy.cfg");
  std::mt19937 random(11);
  const std::string alphabet = " \t\n#'\"\\{}!|abcdefghijklmnopqrstuvwxyz0123456789/.:-_()";
  int imported = 0, refused = 0;
  for (int trial = 0; trial < 400; ++trial) {
    std::string bent = text;
    corrupt(bent, random, alphabet, 6, 40);
    try {
      const Imported result = import_text(bent);
      EXPECT_NO_THROW(config::load_scenario(result.yaml, "imported.yaml")) << "trial " << trial;
      ++imported;
    } catch (const ImportError& e) {
      EXPECT_EQ(std::string(e.what()).rfind("haproxy.cfg:", 0), 0u) << e.what();
      ++refused;
    }
  }
  EXPECT_GT(imported, 100);
  EXPECT_GT(refused, 10);
}

}  // namespace
}  // namespace lbsim::importing

namespace lbsim::importing {
namespace {

std::vector<InputFile> aws_fixture() {
  std::vector<InputFile> files;
  std::vector<std::filesystem::path> paths;
  for (const auto& entry : std::filesystem::directory_iterator(LBSIM_SOURCE_DIR "/tests/import/fixtures/aws")) paths.push_back(entry.path());
  std::sort(paths.begin(), paths.end(), std::greater<>());  // any order will do: the reverse of the names'
  for (const auto& path : paths) files.push_back({path.filename().string(), slurp(path.string())});
  return files;
}

TEST(ImportAws, AnNlbInFrontOfAnAlbBecomesTheTwoTierLayoutWithItsZonesRulesAndGroups) {
  const Imported imported = import_configuration(Format::aws, aws_fixture());
  const config::ScenarioSpec spec = config::load_scenario(imported.yaml, "imported.yaml");
  EXPECT_EQ(spec.topology.zones, (std::vector<std::string>{"a", "b"})) << "us-east-1a and us-east-1b";
  ASSERT_TRUE(spec.l7.has_value()) << "the NLB's target group is of type alb: two tiers";
  EXPECT_FALSE(spec.l4.cross_zone);
  EXPECT_DOUBLE_EQ(spec.l7->upstream_timeout_s, 30.0) << "the ALB's idle timeout";
  EXPECT_EQ(spec.clients.front().tls.enabled, true) << "the ALB's HTTPS listener";
  // ALB's rules in priority order, each value of a condition one rule.
  EXPECT_EQ(routed(spec, "GET", "admin.example.com", "/", {}, {}, (10u << 24) | (20u << 16) | 7u), "admin");
  EXPECT_EQ(routed(spec, "GET", "admin.example.com", "/"), "web") << "from outside 10.20.0.0/16";
  EXPECT_EQ(routed(spec, "GET", "shop.example.com", "/api/users", {{"x-beta-user", "true"}}), "beta");
  const std::string v1 = routed(spec, "GET", "shop.example.com", "/v1/users");
  EXPECT_TRUE(v1 == "api" || v1 == "canary") << v1;
  EXPECT_EQ(routed(spec, "GET", "shop.example.com", "/old/page"), "redirect https://shop.example.com/new/");
  EXPECT_EQ(routed(spec, "GET", "shop.example.com", "/maintenance"), "answer 503");
  EXPECT_EQ(routed(spec, "GET", "shop.example.com", "/x?legacy=1"), "legacy");
  EXPECT_EQ(routed(spec, "POST", "shop.example.com", "/upload"), "api") << "past the authentication it does not model";
  EXPECT_EQ(routed(spec, "GET", "shop.example.com", "/upload"), "web");
  // Target groups: targets per zone from their health, checks, attributes.
  const auto& web = spec.target_groups.at(*spec.find_group("web"));
  EXPECT_EQ(web.per_zone, 3u);
  EXPECT_DOUBLE_EQ(web.health_check.interval_s, 10.0);
  ASSERT_TRUE(web.app_cookie.has_value());
  EXPECT_EQ(*web.app_cookie, "SESSIONID");
  EXPECT_DOUBLE_EQ(web.deregistration_delay_s, 120.0);
  const auto& api = spec.target_groups.at(*spec.find_group("api"));
  EXPECT_EQ(api.per_zone, 4u);
  EXPECT_DOUBLE_EQ(api.slow_start_s, 60.0);
  EXPECT_DOUBLE_EQ(api.health_check.timeout_s, 2.0);
  // What it could not hold, said.
  bool dropped_value_only_query = false, approximated_auth = false;
  for (const ReportEntry& e : imported.report.entries()) {
    dropped_value_only_query |= e.verdict == Verdict::dropped && e.directive == "rule priority 90";
    approximated_auth |= e.verdict == Verdict::approximated && e.note.find("authentication") != std::string::npos;
  }
  EXPECT_TRUE(dropped_value_only_query);
  EXPECT_TRUE(approximated_auth);
}

TEST(ImportAws, MalformedOrUnknownJsonIsOneLineWithItsPosition) {
  const auto message = [](const std::string& text) {
    try {
      import_configuration(Format::aws, {{"lb.json", text}});
    } catch (const ImportError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message("{\n  \"LoadBalancers\": [\n    { \"LoadBalancerArn\": \"x\" }\n  ]\n}\n"),
            "lb.json:3:5: error: 'LoadBalancerName': expected a string");
  EXPECT_EQ(message("{ \"Listeners\": 3 }"), "lb.json:1:16: error: 'Listeners': expected a list");
  EXPECT_EQ(message("{ \"Things\": [] }").rfind("lb.json:1:1: error: expected the output of an `aws elbv2 describe-*` command", 0), 0u);
  EXPECT_EQ(message("{ \"LoadBalancers\": [ }").rfind("lb.json:1:", 0), 0u) << message("{ \"LoadBalancers\": [ }");
  EXPECT_EQ(message("{ \"TargetGroups\": [] }").rfind("lb.json:1:1: error: no load balancer", 0), 0u);
}

}  // namespace
}  // namespace lbsim::importing

namespace lbsim::importing {
namespace {

// As for HAProxy: seeded corruptions of one of the AWS files at a time import into a
// valid scenario or are refused with a position in the file corrupted.
TEST(ImportAws, CorruptedDescriptionsImportOrAreRefusedWithAPosition) {
  const std::vector<InputFile> files = aws_fixture();
  std::mt19937 random(5);
  const std::string alphabet = " \n\"{}[]:,0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_/.#*";
  int imported = 0, refused = 0;
  for (int trial = 0; trial < 300; ++trial) {
    std::vector<InputFile> bent = files;
    InputFile& victim = bent[random() % bent.size()];
    corrupt(victim.text, random, alphabet, 4, 30);
    try {
      const Imported result = import_configuration(Format::aws, bent);
      EXPECT_NO_THROW(config::load_scenario(result.yaml, "imported.yaml")) << "trial " << trial;
      ++imported;
    } catch (const ImportError& e) {
      EXPECT_EQ(std::string(e.what()).find(".json:"), std::string(e.what()).find(':') - 5) << e.what();
      ++refused;
    }
  }
  EXPECT_GT(imported, 30);
  EXPECT_GT(refused, 30);
}

}  // namespace
}  // namespace lbsim::importing

namespace lbsim::importing {
namespace {

// The includes as a map (the importer reads nothing itself).
IncludeReader includes_from(std::map<std::string, std::string> files) {
  return [files](const std::string& pattern, const std::string&) {
    std::vector<InputFile> out;
    for (const auto& [name, text] : files)
      if (name == pattern || (pattern.ends_with("*.conf") && name.starts_with(pattern.substr(0, pattern.size() - 6)))) out.push_back({name, text});
    return out;
  };
}

TEST(ImportNginx, ServersAndLocationsBecomeRulesInNginxsMatchingOrder) {
  const std::string dir = LBSIM_SOURCE_DIR "/tests/import/fixtures/nginx/";
  const Imported imported = import_configuration(
      Format::nginx, {{"nginx.conf", slurp(dir + "nginx.conf")}},
      includes_from({{"mime.types.conf", slurp(dir + "mime.types.conf")}, {"conf.d/upstreams.conf", slurp(dir + "conf.d/upstreams.conf")}}));
  const config::ScenarioSpec spec = config::load_scenario(imported.yaml, "imported.yaml");
  EXPECT_EQ(spec.l7->cores, 4u);
  EXPECT_EQ(spec.l7->algorithm, "least_connections") << "the first upstream that names a method: api's least_conn";
  EXPECT_DOUBLE_EQ(spec.l7->upstream_timeout_s, 30.0);
  // nginx: the server by Host, then = exact, then the longest prefix (regexes dropped).
  EXPECT_EQ(routed(spec, "GET", "admin.example.com", "/api/users"), "admin");
  EXPECT_EQ(routed(spec, "GET", "shop.example.com", "/healthz"), "answer 200");
  EXPECT_EQ(routed(spec, "GET", "shop.example.com", "/healthz/x"), "web") << "= is exact";
  EXPECT_EQ(routed(spec, "GET", "shop.example.com", "/api/v2/users"), "api");
  EXPECT_EQ(routed(spec, "GET", "shop.example.com", "/api/users"), "api");
  EXPECT_EQ(routed(spec, "GET", "shop.example.com", "/static/app.js"), "static");
  EXPECT_EQ(routed(spec, "GET", "shop.example.com", "/old/page"), "redirect https://shop.example.com/new/");
  EXPECT_EQ(routed(spec, "GET", "other.example.com", "/anything"), "web") << "the default server takes other hosts";
  // proxy_pass with a URI rewrites the location's prefix into it.
  const l7::Rule* v2 = nullptr;
  for (const l7::Rule& r : spec.l7->rules)
    if (r.when.path && r.when.path->pattern == "/api/v2/") v2 = &r;
  ASSERT_NE(v2, nullptr);
  ASSERT_TRUE(v2->rewrite_path.has_value());
  EXPECT_EQ(l7::rewritten(*v2->rewrite_path, "/api/v2/users"), "/v2/users");
  // Upstreams: servers but the backup one; nginx's passive checks as outlier ejection.
  EXPECT_EQ(spec.target_groups.at(*spec.find_group("api")).per_zone, 3u);
  EXPECT_EQ(spec.target_groups.at(*spec.find_group("web")).per_zone, 3u);
  ASSERT_TRUE(spec.l7->outlier_detection.has_value());
  EXPECT_EQ(spec.l7->outlier_detection->consecutive_5xx, 3u);
  ASSERT_TRUE(spec.l7->rate_limit.has_value());
  EXPECT_EQ(entry_at(imported.report, 46).verdict, Verdict::dropped) << "the regex location";
}

TEST(ImportNginx, MalformedInputIsOneLineNamingFileLineAndColumn) {
  const auto message = [](const std::string& text) {
    try {
      import_configuration(Format::nginx, {{"nginx.conf", text}});
    } catch (const ImportError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message("http {\n  server {\n    listen 80;\n"), "nginx.conf:2:10: error: a '{' that is never closed");
  EXPECT_EQ(message("http { }\n}\n"), "nginx.conf:2:1: error: a '}' that closes no block");
  EXPECT_EQ(message("http {\n  upstream a { server 10.0.0.1 }\n}\n"), "nginx.conf:2:32: error: 'server': expected ';' before '}'");
  EXPECT_EQ(message("events { }\n"), "nginx.conf:1:1: error: no http { } block: nothing lbsim can model (expected nginx's http context)");
  EXPECT_EQ(message("http { server { return \"x; } }"), "nginx.conf:1:24: error: a \" quote that is never closed");
}

}  // namespace
}  // namespace lbsim::importing

namespace lbsim::importing {
namespace {

TEST(ImportNginx, CorruptedConfigurationsImportOrAreRefusedWithAPosition) {
  const std::string dir = LBSIM_SOURCE_DIR "/tests/import/fixtures/nginx/";
  const std::string text = slurp(dir + "nginx.conf");
  const IncludeReader include = includes_from({{"conf.d/upstreams.conf", slurp(dir + "conf.d/upstreams.conf")}});
  std::mt19937 random(3);
  const std::string alphabet = " \t\n#'\"\\{};=~^$abcdefghijklmnopqrstuvwxyz0123456789/.:-_()";
  int imported = 0, refused = 0;
  for (int trial = 0; trial < 400; ++trial) {
    std::string bent = text;
    corrupt(bent, random, alphabet, 6, 40);
    try {
      const Imported result = import_configuration(Format::nginx, {{"nginx.conf", bent}}, include);
      EXPECT_NO_THROW(config::load_scenario(result.yaml, "imported.yaml")) << "trial " << trial;
      ++imported;
    } catch (const ImportError& e) {
      const std::string what = e.what();
      EXPECT_TRUE(what.rfind("nginx.conf:", 0) == 0 || what.rfind("conf.d/upstreams.conf:", 0) == 0) << what;
      ++refused;
    }
  }
  EXPECT_GT(imported, 50);
  EXPECT_GT(refused, 50);
}

}  // namespace
}  // namespace lbsim::importing

namespace lbsim::importing {
namespace {

Imported import_envoy_text(const std::string& text) { return import_configuration(Format::envoy, {{"envoy.yaml", text}}); }

TEST(ImportEnvoy, VirtualHostsAndRoutesBecomeRulesInEnvoysOrderAndClustersGroups) {
  const Imported imported = import_envoy_text(slurp(LBSIM_SOURCE_DIR "/tests/import/fixtures/envoy/envoy.yaml"));
  const config::ScenarioSpec spec = config::load_scenario(imported.yaml, "imported.yaml");
  EXPECT_EQ(spec.topology.zones, (std::vector<std::string>{"a", "b"})) << "the localities' zones";
  EXPECT_EQ(spec.l7->algorithm, "least_request");
  EXPECT_TRUE(spec.l7->zone_aware);
  EXPECT_DOUBLE_EQ(spec.l7->upstream_timeout_s, 15.0);
  ASSERT_TRUE(spec.l7->outlier_detection.has_value());
  EXPECT_EQ(spec.l7->outlier_detection->consecutive_5xx, 5u);
  ASSERT_TRUE(spec.l7->rate_limit.has_value());
  EXPECT_EQ(spec.clients.front().tls.enabled, true);
  // The virtual host by domain first, then its routes in order.
  EXPECT_EQ(routed(spec, "GET", "admin.example.com", "/api/x"), "admin");
  EXPECT_EQ(routed(spec, "GET", "shop.example.com", "/healthz"), "answer 200");
  EXPECT_EQ(routed(spec, "GET", "shop.example.com", "/api/x", {{"x-beta-user", "true"}}), "beta");
  const std::string api = routed(spec, "GET", "shop.example.com", "/api/x");
  EXPECT_TRUE(api == "api" || api == "canary") << api;
  EXPECT_EQ(routed(spec, "GET", "shop.example.com", "/search?legacy=1"), "legacy");
  EXPECT_EQ(routed(spec, "GET", "shop.example.com", "/search"), "web");
  EXPECT_EQ(routed(spec, "GET", "shop.example.com", "/old/x"), "redirect https://shop.example.com/new/");
  EXPECT_EQ(routed(spec, "GET", "shop.example.com", "/static/a.css"), "static");
  EXPECT_EQ(routed(spec, "GET", "shop.example.com", "/v2/users"), "web") << "the regex route is dropped";
  EXPECT_EQ(spec.target_groups.at(*spec.find_group("web")).per_zone, 2u);
  EXPECT_EQ(spec.target_groups.at(*spec.find_group("api")).per_zone, 3u);
  EXPECT_DOUBLE_EQ(spec.target_groups.at(*spec.find_group("api")).health_check.interval_s, 3.0);
  bool regex_dropped = false;
  for (const ReportEntry& e : imported.report.entries()) regex_dropped |= e.verdict == Verdict::dropped && e.note.find("regex") != std::string::npos;
  EXPECT_TRUE(regex_dropped);
}

// What Envoy would forward, by its documented rewrites: prefix_rewrite replaces the matched
// prefix; regex_rewrite replaces every match, \N naming a group.
TEST(ImportEnvoy, RouteRewritesRewriteThePathAsEnvoyWould) {
  const Imported imported = import_envoy_text(slurp(LBSIM_SOURCE_DIR "/tests/import/fixtures/envoy/envoy.yaml"));
  const config::ScenarioSpec spec = config::load_scenario(imported.yaml, "imported.yaml");
  const l7::RuleTable table(spec.l7->rules);
  const auto forwarded = [&](const std::string& path) {
    l7::RequestView view;
    view.method = "GET";
    view.host = "shop.example.com";
    view.path = path;
    Random random(1);
    const l7::RouteDecision d = table.route(view, random);
    return spec.target_groups[d.group].name + " " + d.rewritten_path.value_or(path);
  };
  EXPECT_EQ(forwarded("/recs/42"), "recs /recommendations/42");
  EXPECT_EQ(forwarded("/reports/2025/q1/summary"), "reports /archive/2025/q1/summary");
  EXPECT_EQ(forwarded("/reports/latest"), "reports /reports/latest") << "no match of the pattern: the path as it was";
  EXPECT_EQ(entry_at(imported.report, 61).verdict, Verdict::mapped);
  EXPECT_EQ(entry_at(imported.report, 66).verdict, Verdict::mapped);
}

TEST(ImportEnvoy, MalformedOrMisshapenInputIsOneLineWithItsPosition) {
  const auto message = [](const std::string& text) {
    try {
      import_envoy_text(text);
    } catch (const ImportError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message("admin: {}\n"), "envoy.yaml:1:1: error: expected an Envoy bootstrap with static_resources (listeners and clusters)");
  EXPECT_EQ(message("static_resources:\n  clusters: [ { name: a\n").rfind("envoy.yaml:", 0), 0u);
  EXPECT_EQ(message("static_resources:\n  clusters:\n  - { lb_policy: RANDOM }\n"), "envoy.yaml:3:5: error: 'name': expected a string");
  EXPECT_EQ(message("static_resources:\n  clusters:\n  - name: a\n    health_checks: [ { interval: 5, timeout: 1s, healthy_threshold: 1, unhealthy_threshold: 1 } ]\n"),
            "envoy.yaml:4:34: error: 'interval': expected a duration such as 5s or 0.25s");
}

TEST(ImportEnvoy, CorruptedConfigurationsImportOrAreRefusedWithAPosition) {
  const std::string text = slurp(LBSIM_SOURCE_DIR "/tests/import/fixtures/envoy/envoy.yaml");
  std::mt19937 random(9);
  const std::string alphabet = " \n:-{}[],\"'#abcdefghijklmnopqrstuvwxyz0123456789/._*";
  int imported = 0, refused = 0;
  for (int trial = 0; trial < 300; ++trial) {
    std::string bent = text;
    corrupt(bent, random, alphabet, 4, 30);
    try {
      const Imported result = import_envoy_text(bent);
      EXPECT_NO_THROW(config::load_scenario(result.yaml, "imported.yaml")) << "trial " << trial;
      ++imported;
    } catch (const ImportError& e) {
      EXPECT_EQ(std::string(e.what()).rfind("envoy.yaml:", 0), 0u) << e.what();
      ++refused;
    }
  }
  EXPECT_GT(imported, 30);
  EXPECT_GT(refused, 30);
}

}  // namespace
}  // namespace lbsim::importing
