// SPDX-License-Identifier: GPL-3.0-or-later
// lbsim import traffic: access-log lines of each format read field by field (times worked
// out by hand: 2026-12-06T10:00:00Z is 1 796 551 200 s), a profile that adds them up in
// bounded memory, and the clients it becomes — a step profile of the per-second counts,
// the mix by request template with its counts as weights — in a scenario that loads.
#include <gtest/gtest.h>

#include <random>

#include "config/loader.hpp"
#include "import/traffic.hpp"

namespace lbsim::importing {
namespace {

constexpr double kTenAm = 1'796'551'200.0;  // 2026-12-06T10:00:00Z

LogRecord parsed(LogFormat format, const std::string& line) {
  std::string why;
  const auto record = parse_log_line(format, line, why);
  if (!record) throw std::runtime_error("refused: " + why + ": " + line);
  return *record;
}

TEST(ImportTraffic, AnAlbLineGivesItsTimeRequestSizesServiceTimeGroupAndTls) {
  const LogRecord r = parsed(LogFormat::alb,
                             "https 2026-12-06T10:00:00.250000Z app/shop-alb/50dc6c495c0c9188 198.18.0.7:2817 10.0.1.11:8080 0.000 0.012 0.000 200 200 "
                             "34 3066 \"GET https://shop.example.com:443/api/users/42?page=2 HTTP/1.1\" \"curl/8.0\" TLS_AES_128_GCM_SHA256 TLSv1.3 "
                             "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api/73e2d6bc24d8a067 \"Root=1-58337262-36d228ad5d99923122bbe354\" "
                             "\"shop.example.com\" \"arn:aws:acm:us-east-1:123456789012:certificate/x\" 30 2026-12-06T10:00:00.238000Z \"forward\" \"-\" \"-\" "
                             "\"10.0.1.11:8080\" \"200\" \"-\" \"-\"");
  // It arrived at request_creation_time (10:00:00.238), not when its answer was logged (.250).
  EXPECT_DOUBLE_EQ(r.time_s, kTenAm + 0.238);
  EXPECT_EQ(r.client_port, 2817);
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.host, "shop.example.com");
  EXPECT_EQ(r.path, "/api/users/42");
  EXPECT_EQ(r.query, "page=2");
  EXPECT_EQ(r.status, 200);
  EXPECT_DOUBLE_EQ(r.request_bytes, 34);
  EXPECT_DOUBLE_EQ(r.response_bytes, 3066);
  EXPECT_DOUBLE_EQ(r.service_s, 0.012);
  EXPECT_EQ(r.group, "api");
  EXPECT_EQ(r.client, (198u << 24) | (18u << 16) | 7u);
  EXPECT_EQ(r.tls_version, "1.3");
  EXPECT_EQ(r.user_agent, "curl/8.0");
}

TEST(ImportTraffic, CommonAndCombinedLinesGiveTheirLocalTimeInUtcAndJsonLinesTheirKeys) {
  // 13:55:36 at -0700 is 20:55:36 UTC: 1 791 665 736 s.
  const LogRecord clf = parsed(LogFormat::clf, "127.0.0.1 - frank [10/Oct/2026:13:55:36 -0700] \"GET /apache_pb.gif HTTP/1.0\" 200 2326");
  EXPECT_DOUBLE_EQ(clf.time_s, 1'791'665'736.0);
  EXPECT_EQ(clf.path, "/apache_pb.gif");
  EXPECT_DOUBLE_EQ(clf.response_bytes, 2326);
  const LogRecord nginx = parsed(LogFormat::nginx, "198.18.0.9 - - [06/Dec/2026:10:00:01 +0000] \"POST /api/orders HTTP/1.1\" 201 512 \"-\" \"Mozilla/5.0\"");
  EXPECT_DOUBLE_EQ(nginx.time_s, kTenAm + 1);
  EXPECT_EQ(nginx.method, "POST");
  EXPECT_EQ(nginx.user_agent, "Mozilla/5.0") << "combined's last field";
  EXPECT_EQ(clf.user_agent, "") << "the common log format has none";
  const LogRecord json = parsed(LogFormat::jsonl, R"({"time": "2026-12-06T10:00:02Z", "method": "GET", "host": "a", "path": "/x?y=1", "status": 200, "bytes": 10, "duration_ms": 7.5})");
  EXPECT_DOUBLE_EQ(json.time_s, kTenAm + 2);
  EXPECT_EQ(json.query, "y=1");
  EXPECT_DOUBLE_EQ(json.service_s, 0.0075);
  std::string why;
  EXPECT_FALSE(parse_log_line(LogFormat::clf, "not a log line", why));
  EXPECT_FALSE(why.empty());
  EXPECT_FALSE(parse_log_line(LogFormat::jsonl, "{\"time\": 1, \"path\": \"no-slash\"}", why));
  EXPECT_FALSE(parse_log_line(LogFormat::alb, "http 2026-13-40T99:00:00Z x", why));
}

TEST(ImportTraffic, AnAlbLineWithoutItsCreationTimeArrivedItsProcessingTimesBeforeItWasLogged) {
  // Logged at .250 after 1 ms + 12 ms + 2 ms of processing: it arrived at .235.
  const LogRecord r = parsed(LogFormat::alb,
                             "https 2026-12-06T10:00:00.250000Z app/x/1 198.18.0.7:2817 10.0.1.11:8080 0.001 0.012 0.002 200 200 34 3066 "
                             "\"GET https://a:443/b?c HTTP/1.1\" \"ua\" C TLSv1.3 arn:aws:elasticloadbalancing:r:1:targetgroup/api/7 \"t\"");
  EXPECT_NEAR(r.time_s, kTenAm + 0.235, 1e-6);
  // -1 (no target answered) spends nothing.
  const LogRecord none = parsed(LogFormat::alb,
                                "https 2026-12-06T10:00:00.250000Z app/x/1 198.18.0.7:2817 - -1 -1 -1 503 - 34 3066 "
                                "\"GET https://a:443/b HTTP/1.1\" \"ua\" C TLSv1.3 - \"t\"");
  EXPECT_DOUBLE_EQ(none.time_s, kTenAm + 0.25);
  EXPECT_LT(none.service_s, 0);
}

TEST(ImportTraffic, AReusedParserLeavesNothingOfTheLastLineInTheNextRecordAndPointsAtTheBadField) {
  traffic::AccessLogParser parser(LogFormat::alb);
  LogRecord record;
  std::string why;
  int column = 0;
  ASSERT_TRUE(parser.parse("https 2026-12-06T10:00:00.250000Z app/x/1 198.18.0.7:2817 10.0.1.11:8080 0.000 0.012 0.000 200 200 34 3066 "
                           "\"GET https://a:443/b?c HTTP/1.1\" \"ua\" C TLSv1.3 arn:aws:elasticloadbalancing:r:1:targetgroup/api/7 \"t\"",
                           record, why, column));
  ASSERT_TRUE(parser.parse("http 2026-12-06T10:00:01.000000Z app/x/1 - - 0.000 -1 0.000 404 - 10 20 \"GET http://b:80/z HTTP/1.1\" \"ua\" - - - \"t\"",
                           record, why, column));
  EXPECT_EQ(record.host, "b");
  EXPECT_EQ(record.path, "/z");
  EXPECT_EQ(record.query, "");
  EXPECT_EQ(record.group, "");
  EXPECT_EQ(record.client, 0u);
  EXPECT_EQ(record.client_port, 0);
  EXPECT_EQ(record.tls_version, "");
  EXPECT_LT(record.service_s, 0);
  // A bad time: the column of the time field.
  const std::string bad = "https 2026-12-06X10:00:00Z app/x/1 1.2.3.4:5 - 0 0 0 200 200 1 2 \"GET / HTTP/1.1\" \"ua\" - - -";
  EXPECT_FALSE(parser.parse(bad, record, why, column));
  EXPECT_EQ(column, 7);
  EXPECT_NE(why.find("time"), std::string::npos) << why;
}

TEST(ImportTraffic, AJsonLinesOwnKeysCountAndANestedObjectsDoNot) {
  const LogRecord r = parsed(LogFormat::jsonl, R"({"meta": {"path": "/nested", "time": 9}, "tags": [{"time": 8}], "time": 2, "path": "/own", "ip": "10.1.2.3", "client": "10.9.9.9"})");
  EXPECT_DOUBLE_EQ(r.time_s, 2);
  EXPECT_EQ(r.path, "/own");
  EXPECT_EQ(r.client, (10u << 24) | (9u << 16) | (9u << 8) | 9u) << "'client' before 'ip', as documented";
  std::string why;
  EXPECT_FALSE(parse_log_line(LogFormat::jsonl, R"([{"time": 1}])", why)) << "an array is not a line's object";
  EXPECT_FALSE(parse_log_line(LogFormat::jsonl, R"({"meta": {"time": 1}})", why)) << "a nested time is not the line's";
  EXPECT_FALSE(parse_log_line(LogFormat::jsonl, R"({"time": 1, "path": "/a")", why)) << "cut short";
}

TEST(ImportTraffic, PathsKeepTheirShapeAndLoseTheirIds) {
  EXPECT_EQ(path_template("/users/123/orders/9f8e7d6c5b4a"), "/users/{n}/orders/{id}");
  EXPECT_EQ(path_template("/static/app.js"), "/static/app.js");
  EXPECT_EQ(path_template("/"), "/");
  EXPECT_EQ(path_template("/a/3fa85f64-5717-4562-b3fc-2c963f66afa6"), "/a/{id}");
}

TEST(ImportTraffic, AnonymisedRecordsKeepTheirShapeAndLoseWhatNamesSomeone) {
  LogRecord r;
  r.path = "/users/42/orders/9f8e7d6c5b4a";
  r.query = "email=someone@example.com";
  r.client = (198u << 24) | (18u << 16) | 7u;
  anonymise(r);
  EXPECT_EQ(r.path, "/users/1/orders/0000000000000000");
  EXPECT_TRUE(r.query.empty());
  EXPECT_NE(r.client, (198u << 24) | (18u << 16) | 7u);
  LogRecord same;
  same.client = (198u << 24) | (18u << 16) | 7u;
  anonymise(same);
  EXPECT_EQ(same.client, r.client) << "one address stays one: the population's size survives";
}

TEST(ImportTraffic, AProfileBecomesAStepArrivalAndAWeightedMixInAScenarioThatLoads) {
  TrafficProfile p;
  // 3 requests in the first second, 1 in the second, 2 in the fourth: /users/N and /static.
  const double at[] = {0.1, 0.5, 0.9, 1.2, 3.0, 3.7};
  for (int i = 0; i < 6; ++i) {
    LogRecord r;
    r.time_s = kTenAm + at[i];
    r.path = i < 4 ? "/users/" + std::to_string(i) : "/static/app.js";
    r.host = "shop.example.com";
    r.response_bytes = 1000.0 * (i + 1);
    r.client = static_cast<std::uint32_t>(0xC6120000 + i % 3);
    p.add(r);
  }
  p.malformed({"x.log", 7, 0}, "garbage");
  EXPECT_EQ(p.rows(), 6u);
  EXPECT_EQ(p.clients(), 3u);
  EXPECT_EQ(p.templates().size(), 2u) << "/users/{n} and /static/app.js";
  const ImportedTraffic t = traffic_scenario(p, "shop", std::nullopt);
  EXPECT_NE(t.yaml.find("- { at: 0s, rate: 3/s }"), std::string::npos) << t.yaml;
  EXPECT_NE(t.yaml.find("- { at: 1s, rate: 1/s }"), std::string::npos) << t.yaml;
  EXPECT_NE(t.yaml.find("- { at: 2s, rate: 0/s }"), std::string::npos) << t.yaml;
  EXPECT_NE(t.yaml.find("- { at: 3s, rate: 2/s }"), std::string::npos) << t.yaml;
  ASSERT_EQ(t.side_files.size(), 1u);
  EXPECT_EQ(t.side_files[0].first, "shop-responses.txt");
  EXPECT_NE(t.side_files[0].second.find("\n6000B\n"), std::string::npos);
  // It loads, with the samples file read from the side files.
  const auto reader = [&](const std::string& path) -> config::FileContent {
    for (const auto& [name, content] : t.side_files)
      if (path == name) return {content, ""};
    return {std::nullopt, "no such file"};
  };
  const config::ScenarioSpec spec = config::load_scenario(t.yaml, "traffic.yaml", reader);
  ASSERT_EQ(spec.clients.size(), 1u);
  double weights = 0;
  for (const auto& m : spec.clients[0].mix) weights += m.weight;
  EXPECT_DOUBLE_EQ(weights, 6.0) << "each template weighs its requests";
  EXPECT_EQ(spec.clients[0].source_ips, 3u);
  EXPECT_DOUBLE_EQ(spec.duration_s, 4.0);
}

TEST(ImportTraffic, IntoAScenarioReplacesItsClientsOnly) {
  TrafficProfile p;
  LogRecord r;
  r.time_s = kTenAm;
  p.add(r);
  const std::string scenario =
      "name: mine\nduration: 10s\ntopology:\n  zones: [a]\n  internet: { latency: 1ms, bandwidth: 1Gbps }\n  intra_zone: { latency: 100us, bandwidth: 10Gbps }\n"
      "clients:\n  # old\n  - name: old\n    arrival: { kind: poisson, rate: 5/s }\n    mix:\n      - { weight: 1, path: /old }\n"
      "l4:\n  nodes_per_zone: 1\n  target_group: app\ntarget_groups:\n  app: { per_zone: 1 }\n";
  const ImportedTraffic t = traffic_scenario(p, "x", scenario);
  EXPECT_EQ(t.yaml.find("/old"), std::string::npos) << t.yaml;
  EXPECT_NE(t.yaml.find("l4:\n  nodes_per_zone: 1\n  target_group: app"), std::string::npos) << t.yaml;
  EXPECT_NO_THROW(config::load_scenario(t.yaml, "mine.yaml"));
  EXPECT_THROW(traffic_scenario(p, "x", std::string("name: no-clients\n")), ImportError);
}

TEST(ImportTraffic, ConnectionsTheLogShowsGiveRequestsPerConnectionAndReplayReplacesTheSteps) {
  TrafficProfile p;
  // Three requests on 198.18.0.1:1000, one on :1001: 4 requests on 2 connections.
  const std::uint16_t ports[] = {1000, 1000, 1000, 1001};
  for (int i = 0; i < 4; ++i) {
    LogRecord r;
    r.time_s = kTenAm + i;
    r.client = 0xC6120001;
    r.client_port = ports[i];
    r.request_bytes = 100.0 * (i + 1);
    p.add(r);
  }
  EXPECT_DOUBLE_EQ(p.requests_per_connection(), 2.0);
  const ImportedTraffic steps = traffic_scenario(p, "x", std::nullopt);
  EXPECT_NE(steps.yaml.find("keepalive: { requests_per_connection: 2 }  # 2.00 on average"), std::string::npos) << steps.yaml;
  EXPECT_NE(steps.yaml.find("duration: 4s"), std::string::npos) << steps.yaml;
  // Request sizes, as ALB logs them (received_bytes): an empirical distribution beside it.
  EXPECT_NE(steps.yaml.find("request: {dist: empirical, file: x-requests.txt}"), std::string::npos) << steps.yaml;
  ASSERT_EQ(steps.side_files.size(), 1u);
  EXPECT_EQ(steps.side_files[0].first, "x-requests.txt");
  EXPECT_NE(steps.side_files[0].second.find("\n100B\n200B\n300B\n400B\n"), std::string::npos) << steps.side_files[0].second;
  const ImportedTraffic replay = traffic_scenario(p, "x", std::nullopt, std::string("{ kind: replay, file: \"a.log\", format: alb }"));
  EXPECT_NE(replay.yaml.find("arrival: { kind: replay, file: \"a.log\", format: alb }"), std::string::npos) << replay.yaml;
  EXPECT_EQ(replay.yaml.find("steps:"), std::string::npos) << replay.yaml;
  EXPECT_NE(replay.yaml.find("duration: 5s"), std::string::npos) << "the last second's requests have one more to finish";
}

}  // namespace
}  // namespace lbsim::importing

namespace lbsim::importing {
namespace {

// Lines off a disk are anything: seeded corruptions of a line of each format parse or are
// refused with a reason, never an exception or a read past the line.
TEST(ImportTraffic, CorruptedLinesParseOrAreRefusedWithAReason) {
  const std::vector<std::pair<LogFormat, std::string>> lines{
      {LogFormat::alb, "https 2026-12-06T10:00:00.250000Z app/x/1 198.18.0.7:2817 10.0.1.11:8080 0.000 0.012 0.000 200 200 34 3066 \"GET https://a:443/b?c HTTP/1.1\" \"ua\" C TLSv1.3 arn:aws:elasticloadbalancing:r:1:targetgroup/api/7 \"t\""},
      {LogFormat::clf, "127.0.0.1 - frank [10/Oct/2026:13:55:36 -0700] \"GET /a.gif HTTP/1.0\" 200 2326"},
      {LogFormat::jsonl, R"({"time": "2026-12-06T10:00:02Z", "method": "GET", "path": "/x?y=1", "status": 200, "bytes": 10})"}};
  std::mt19937 random(13);
  const std::string alphabet = " \"[]:/.-?{}0123456789abcdefT";
  int parsed = 0, refused = 0;
  for (const auto& [format, line] : lines)
    for (int trial = 0; trial < 2000; ++trial) {
      std::string bent = line;
      for (int e = 0; e < 1 + static_cast<int>(random() % 4); ++e) {
        const std::size_t at = random() % bent.size();
        if (random() % 2) bent[at] = alphabet[random() % alphabet.size()];
        else bent.erase(at, random() % 12);
        if (bent.empty()) bent = "x";
      }
      std::string why;
      const std::string_view view(bent);
      if (parse_log_line(format, view.substr(0, view.size()), why)) ++parsed;
      else {
        EXPECT_FALSE(why.empty());
        ++refused;
      }
    }
  EXPECT_GT(parsed, 100);
  EXPECT_GT(refused, 1000);
}

}  // namespace
}  // namespace lbsim::importing
