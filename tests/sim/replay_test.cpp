// SPDX-License-Identifier: GPL-3.0-or-later
// The `replay` arrival kind: ALB access-log lines written here, with times, addresses,
// paths and service times chosen so that what the run must do is known by hand — which
// requests are sent, when, from where, to which target group, and how long each backend
// holds them — and that memory does not grow with the log.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "cli/scenario_file.hpp"
#include "models/simulation.hpp"

namespace lbsim {
namespace {

constexpr double kTenAm = 1'796'551'200.0;  // 2026-12-06T10:00:00Z

// "2026-12-06T10:MM:SS.ffffffZ" for `offset` seconds after 10:00 (under an hour).
std::string alb_time(double offset) {
  const long micros = std::lround(offset * 1e6);
  char text[64];
  std::snprintf(text, sizeof text, "2026-12-06T10:%02ld:%02ld.%06ldZ", micros / 60'000'000, (micros / 1'000'000) % 60, micros % 1'000'000);
  return text;
}

struct Line {
  double created;          // seconds after 10:00
  std::string path = "/";  // what it asked for
  double service = 0.005;  // target_processing_time
  std::string client = "203.0.113.1";
  int port = 40000;
  std::string agent = "curl/8";
};

// An ALB access-log line: written `service` after it was created (the three processing times).
std::string alb_line(const Line& l) {
  return "https " + alb_time(l.created + l.service) + " app/shop/1 " + l.client + ":" + std::to_string(l.port) + " 10.0.1.11:8080 0.000 " +
         std::to_string(l.service) + " 0.000 200 200 300 4000 \"GET https://shop.example.com:443" + l.path +
         " HTTP/1.1\" \"" + l.agent + "\" TLS_AES_128_GCM_SHA256 TLSv1.3 arn:aws:elasticloadbalancing:r:1:targetgroup/web/7 \"Root=1\" \"shop.example.com\" "
         "\"-\" 0 " + alb_time(l.created) + " \"forward\" \"-\" \"-\" \"10.0.1.11:8080\" \"200\" \"-\" \"-\"";
}

// 200 requests, 20 a second from 10:00:00 (request i at i/20 s), from 50 addresses;
// even ones to /api/items/i, odd ones to /static/app.js.
std::vector<Line> steady_log() {
  std::vector<Line> lines;
  for (int i = 0; i < 200; ++i) {
    Line l;
    l.created = i * 0.05;
    l.path = i % 2 == 0 ? "/api/items/" + std::to_string(i) : "/static/app.js";
    l.client = "203.0.113." + std::to_string(i % 50 + 1);
    l.port = 40000 + i;
    lines.push_back(l);
  }
  return lines;
}

class Replay : public ::testing::Test {
protected:
  std::filesystem::path dir_ = std::filesystem::temp_directory_path() / ("lbsim-replay-" + std::to_string(::getpid()));
  void SetUp() override { std::filesystem::create_directories(dir_); }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void write_log(const std::string& name, const std::vector<std::string>& lines) {
    std::ofstream out(dir_ / name);
    for (const auto& l : lines) out << l << '\n';
  }
  void write_log(const std::string& name, const std::vector<Line>& lines) {
    std::vector<std::string> text;
    for (const auto& l : lines) text.push_back(alb_line(l));
    write_log(name, text);
  }
  // Two tiers: /api/* to `api`, the rest to `web`; `service` is the groups' model;
  // `first_rule` goes before the others.
  results::RunResult run(const std::string& arrival, const std::string& duration = "11s", models::RunOptions options = {},
                         const std::string& service = "{ dist: constant, value: 1ms }", const std::string& first_rule = "") {
    const std::string yaml = "name: replay\nseed: 3\nduration: " + duration + R"(
topology:
  zones: [a]
  internet:   { latency: 1ms, bandwidth: 10Gbps }
  intra_zone: { latency: 100us, bandwidth: 10Gbps }
clients:
  - { name: web, arrival: )" + arrival + R"(, tls: none, mix: [ { path: / } ] }
l4: { nodes_per_zone: 1 }
l7:
  nodes_per_zone: 1
  rules:)" + first_rule + R"(
    - { priority: 2, if: { path: /api/* }, forward: api }
    - { default: true, forward: web }
target_groups:
  api: { per_zone: 1, workers: 64, service_time: )" + service + R"( }
  web: { per_zone: 1, workers: 64, service_time: )" + service + R"( }
)";
    std::ofstream(dir_ / "replay.yaml") << yaml;
    return models::run_scenario(cli::load_scenario_file((dir_ / "replay.yaml").string()), options);
  }
};

TEST_F(Replay, EachLoggedRequestIsSentAtItsLoggedTimeFromItsLoggedAddressWithItsPath) {
  write_log("shop.log", steady_log());
  models::RunOptions options;
  options.trace = {1, 4};
  const auto r = run("{ kind: replay, file: shop.log, format: alb }", "11s", options);
  ASSERT_EQ(r.replays.size(), 1u);
  const auto& report = r.replays[0];
  EXPECT_EQ(report.lines, 200u);
  EXPECT_EQ(report.sent, 200u);
  EXPECT_EQ(report.late + report.malformed + report.before_window, 0u);
  EXPECT_NEAR(report.first_logged_s, kTenAm, 1e-6);
  EXPECT_NEAR(report.last_logged_s, kTenAm + 199 * 0.05, 1e-6);
  EXPECT_EQ(r.metrics.overall.sent, 200u);
  EXPECT_EQ(r.metrics.overall.completed, 200u);
  // Request 1 went at 0 s from 203.0.113.1 for /api/items/0; request 4 at 0.15 s from .4.
  ASSERT_EQ(r.traces.size(), 2u);
  EXPECT_NEAR(r.traces[0].sent_at, 0.0, 1e-6);
  EXPECT_EQ(r.traces[0].path, "/api/items/0");
  EXPECT_EQ(r.traces[0].hops.front().out.src_ip, (203u << 24) | (113u << 8) | 1u);
  EXPECT_NEAR(r.traces[1].sent_at, 0.15, 1e-6);  // (log times are Unix seconds: a double holds them to 0.2 us)
  EXPECT_EQ(r.traces[1].path, "/static/app.js");
  EXPECT_EQ(r.traces[1].hops.front().out.src_ip, (203u << 24) | (113u << 8) | 4u);
}

TEST_F(Replay, ReplayedRequestsAreRoutedByTheirLoggedPaths) {
  write_log("shop.log", steady_log());
  const auto r = run("{ kind: replay, file: shop.log, format: alb }");
  ASSERT_EQ(r.metrics.by_group.size(), 2u);
  EXPECT_EQ(r.metrics.by_group[0].completed, 100u);  // api: the even ones
  EXPECT_EQ(r.metrics.by_group[1].completed, 100u);  // web: the odd ones
}

// 20 requests/s of 50 ms on 64 workers: nothing waits, so a backend holds each for exactly its service time.
std::vector<Line> slow_log() {
  auto lines = steady_log();
  for (auto& l : lines) l.service = 0.050;
  return lines;
}

TEST_F(Replay, ALoggedUserAgentIsAHeaderTheRulesRead) {
  auto lines = steady_log();
  for (std::size_t i = 0; i < lines.size(); i += 10) lines[i].agent = "sqlmap/1.7";  // 20 of them
  write_log("shop.log", lines);
  const auto r = run("{ kind: replay, file: shop.log, format: alb }", "11s", {}, "{ dist: constant, value: 1ms }",
                     "\n    - { priority: 1, if: { header: { user-agent: \"sqlmap*\" } }, fixed_response: { status: 403 } }");
  EXPECT_EQ(r.metrics.overall.sent, 200u);
  EXPECT_EQ(r.metrics.overall.failures_by_status.count(403) ? r.metrics.overall.failures_by_status.at(403) : 0u, 20u);
}

TEST_F(Replay, LoggedServiceTimesAreWhatTheBackendsTake) {
  write_log("shop.log", slow_log());
  const auto logged = run("{ kind: replay, file: shop.log, format: alb }", "11s", {}, "{ dist: constant, value: 5ms }");
  EXPECT_NEAR(logged.metrics.backend_tier_ns.mean() / 1e6, 50.0, 0.5);
}

TEST_F(Replay, TheModelsServiceTimesWhenTheScenarioAsksForThem) {
  write_log("shop.log", slow_log());
  const auto model = run("{ kind: replay, file: shop.log, format: alb, service_times: model }", "11s", {}, "{ dist: constant, value: 5ms }");
  EXPECT_NEAR(model.metrics.backend_tier_ns.mean() / 1e6, 5.0, 0.1);
}

TEST_F(Replay, FromToAndSpeedChooseWhatIsSentAndWhen) {
  write_log("shop.log", steady_log());
  models::RunOptions options;
  options.trace = {1};
  // [2 s, 6 s) of the log: requests 40 to 119, twice as fast — the last at (5.95 - 2) / 2 = 1.975 s.
  const auto r = run("{ kind: replay, file: shop.log, format: alb, from: 2s, to: 6s, speed: 2 }", "3s", options);
  ASSERT_EQ(r.replays.size(), 1u);
  EXPECT_EQ(r.replays[0].sent, 80u);
  EXPECT_EQ(r.metrics.overall.sent, 80u);
  EXPECT_EQ(r.replays[0].before_window, 40u);
  EXPECT_NEAR(r.replays[0].first_logged_s, kTenAm + 2, 1e-6);
  EXPECT_NEAR(r.replays[0].last_logged_s, kTenAm + 5.95, 1e-6);
  EXPECT_EQ(r.traces.at(0).path, "/api/items/40");
}

TEST_F(Replay, FromAndToMayBeTheClocksTimes) {
  write_log("shop.log", steady_log());
  const auto r = run("{ kind: replay, file: shop.log, format: alb, from: \"2026-12-06T10:00:02Z\", to: \"2026-12-06T10:00:06Z\", speed: 2 }", "3s");
  EXPECT_EQ(r.replays.at(0).sent, 80u);
  EXPECT_EQ(r.replays.at(0).before_window, 40u);
}

TEST_F(Replay, TheRunsEndStopsIt) {
  write_log("shop.log", steady_log());
  const auto r = run("{ kind: replay, file: shop.log, format: alb }", "1s");  // the log's first second: 20 requests
  EXPECT_EQ(r.metrics.overall.sent, 20u);
}

// Shuffled within each second, as a log written when answers go could be.
std::vector<Line> shuffled_log() {
  auto lines = steady_log();
  std::mt19937 random(7);
  for (std::size_t i = 0; i < lines.size(); i += 20) std::shuffle(lines.begin() + static_cast<long>(i), lines.begin() + static_cast<long>(i + 20), random);
  return lines;
}

TEST_F(Replay, LinesOutOfOrderWithinItsWindowAreSentInTimeOrder) {
  write_log("shuffled.log", shuffled_log());
  models::RunOptions options;
  options.trace = {1, 2, 3};
  const auto r = run("{ kind: replay, file: shuffled.log, format: alb }", "11s", options);
  EXPECT_EQ(r.replays.at(0).sent, 200u);
  EXPECT_EQ(r.replays.at(0).late + r.replays.at(0).before_window, 0u);
  ASSERT_EQ(r.traces.size(), 3u);
  EXPECT_EQ(r.traces[0].path, "/api/items/0");
  EXPECT_EQ(r.traces[1].path, "/static/app.js");
  EXPECT_EQ(r.traces[2].path, "/api/items/2");
  EXPECT_NEAR(r.traces[2].sent_at, 0.10, 1e-6);
}

TEST_F(Replay, ALineFurtherOutOfOrderThanTheWindowIsSentLate) {
  // One request logged after every line of its next 15 s: beyond the 10 s the replay reorders.
  auto lines = shuffled_log();
  for (int i = 200; i < 300; ++i) lines.push_back({i * 0.05, "/static/more.js"});
  Line straggler = lines[0];
  straggler.created = 0.001;
  straggler.path = "/straggler";
  lines.push_back(straggler);
  write_log("straggler.log", lines);
  const auto r = run("{ kind: replay, file: straggler.log, format: alb }", "16s");
  EXPECT_EQ(r.replays.at(0).sent, 301u);
  EXPECT_EQ(r.replays.at(0).late, 1u);
}

TEST_F(Replay, SeveralLogsAreMergedByTimeAndMalformedLinesAreSkippedWithTheirLineNumber) {
  const auto lines = steady_log();
  std::vector<std::string> even, odd;
  for (std::size_t i = 0; i < lines.size(); ++i) (i % 2 == 0 ? even : odd).push_back(alb_line(lines[i]));
  odd.insert(odd.begin() + 4, "https not-a-time and too few fields");
  write_log("node-1.log", even);
  write_log("node-2.log", odd);
  models::RunOptions options;
  options.trace = {1, 2};
  const auto r = run("{ kind: replay, file: [node-2.log, node-1.log], format: alb }", "11s", options);
  const auto& report = r.replays.at(0);
  EXPECT_EQ(report.sent, 200u);
  EXPECT_EQ(report.late, 0u);
  EXPECT_EQ(report.malformed, 1u);
  ASSERT_EQ(report.first_malformed.size(), 1u);
  EXPECT_EQ(report.first_malformed[0].rfind("node-2.log:5: column ", 0), 0u) << report.first_malformed[0];
  EXPECT_EQ(r.traces.at(0).path, "/api/items/0");  // node-1's first, though node-2 is named first
  EXPECT_EQ(r.traces.at(1).path, "/static/app.js");
}

TEST_F(Replay, AGzipLogIsReadAsItIs) {
  write_log("shop.log", steady_log());
  ASSERT_EQ(std::system(("gzip -f " + (dir_ / "shop.log").string()).c_str()), 0);
  const auto r = run("{ kind: replay, file: shop.log.gz, format: alb }");
  EXPECT_EQ(r.replays.at(0).sent, 200u);
  EXPECT_EQ(r.metrics.overall.completed, 200u);
}

TEST_F(Replay, MemoryDoesNotGrowWithTheLog) {
  // 40 000 requests at 1 000/s: the replay reads 10 s of log ahead to reorder it, and has
  // an entry per request in flight — not one per line.
  std::ofstream out(dir_ / "long.log");
  for (int i = 0; i < 40'000; ++i) {
    Line l;
    l.created = i * 0.001;
    l.path = "/api/items/" + std::to_string(i);
    l.client = "203.0.113." + std::to_string(i % 200 + 1);
    out << alb_line(l) << '\n';
  }
  out.close();
  const auto r = run("{ kind: replay, file: long.log, format: alb }", "41s");
  const auto& report = r.replays.at(0);
  EXPECT_EQ(report.sent, 40'000u);
  EXPECT_LE(report.records_held, 11'000u);  // 10 s of the log, and the line that showed it
  EXPECT_LE(report.entries_made, r.requests_allocated);
  EXPECT_LT(report.entries_made, 400u);  // ~1 000/s x ~8 ms in flight, far from 40 000
}

}  // namespace
}  // namespace lbsim
