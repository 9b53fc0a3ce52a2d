// SPDX-License-Identifier: GPL-3.0-or-later
// The lbsim program as a user runs it: exit codes, messages and files.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <cmath>
#include <set>
#include <nlohmann/json.hpp>
#include <sstream>
#include <sys/stat.h>

#include "support/catalog_checks.hpp"
#include "support/lbsim_program.hpp"

namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using ::testing::Not;

using Cli = lbsim::test::ProgramTest;
using lbsim::test::Outcome;

TEST_F(Cli, EveryShippedScenarioValidates) {
  int checked = 0;
  for (const auto& entry : fs::recursive_directory_iterator(std::string(LBSIM_SOURCE_DIR) + "/scenarios")) {
    if (entry.path().extension() != ".yaml") continue;
    const Outcome r = lbsim("validate " + entry.path().string());
    EXPECT_EQ(r.exit_code, 0) << entry.path() << "\n" << r.err;
    ++checked;
  }
  EXPECT_GE(checked, 2);
}

TEST_F(Cli, AlgorithmsListsEachPolicyWithItsNatureAndItsOwnKeys) {
  const Outcome r = lbsim("algorithms");
  EXPECT_EQ(r.exit_code, 0);
  for (const char* name : {"round_robin", "smooth_weighted_round_robin", "random", "least_connections",
                           "least_outstanding_requests", "least_request", "source_ip_hash", "flow_hash", "ring_hash", "maglev"})
    EXPECT_THAT(r.out, HasSubstr(std::string("  ") + name + " ")) << name;
  EXPECT_THAT(r.out, HasSubstr("table_size: 3 to 65537000, default 65537"));  // Envoy's Maglev default
  EXPECT_THAT(r.out, HasSubstr("choices: 1 to 16, default 2"));               // power of two choices
  EXPECT_THAT(r.out, HasSubstr("modulo hash: adding a target moves most flows"));
}

TEST_F(Cli, MisspeltKeyIsOneLineWithPositionAndSuggestionAndExitTwo) {
  std::string text = slurp(scenario("two-tier-3az.yaml"));
  const auto at = text.find("  rules:");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 8, "  ruls:");
  const int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n'));
  const fs::path file = write("typo.yaml", text);
  const Outcome r = lbsim("validate " + file.string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_THAT(r.err, StartsWith(file.string() + ":" + std::to_string(line) + ":3: error:"));
  EXPECT_THAT(r.err, HasSubstr("did you mean 'rules'?"));
  EXPECT_TRUE(r.out.empty());
}

TEST_F(Cli, CommandLineDurationsHaveTheScenarioFilesBound) {
  // --duration 1e308h reached SimGrid as an endless run; the file's own bound applies.
  for (const char* bad : {"--duration 1e308h", "--duration 2000000s", "--replications 2 --duration 1e12s", "--stream --tick 1e308h"}) {
    const Outcome r = lbsim("run " + scenario("two-tier-3az.yaml") + " " + bad);
    EXPECT_EQ(r.exit_code, 2) << bad;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_THAT(r.err, HasSubstr("at most 1000000s")) << bad;
  }
}

TEST_F(Cli, TheSeedOnTheCommandLineFollowsTheFilesRule) {
  // --seed -1 and --seed 2^64 both ran as 2^64-1 while the file's `seed:` refused them.
  for (const std::string command : {"run", "trace", "sweep", "compare"}) {
    for (const char* bad : {"-1", "18446744073709551616", "0x10", "1e3", "7s"}) {
      const Outcome r = lbsim(command + " " + scenario("two-tier-3az.yaml") + " --seed " + bad + " --duration 1s");
      EXPECT_EQ(r.exit_code, 2) << command << " --seed " << bad;
      EXPECT_EQ(r.err, std::string("lbsim: error: --seed: expected an integer from 0 to 18446744073709551615, got '") + bad +
                           "' (see lbsim --help)\n");
    }
  }
  const Outcome by_option = lbsim("run " + scenario("l4-only-3az.yaml") + " --duration 0.2s --seed 18446744073709551615");
  const Outcome by_set = lbsim("run " + scenario("l4-only-3az.yaml") + " --duration 0.2s --set seed=18446744073709551615");
  ASSERT_EQ(by_option.exit_code, 0) << by_option.err;
  EXPECT_THAT(by_option.out, HasSubstr("seed 18446744073709551615\n"));
  const auto without_wall_time = [](std::string out) { return out.erase(out.find("  simulated"), out.find('\n', out.find("  simulated")) - out.find("  simulated")); };
  EXPECT_EQ(without_wall_time(by_option.out), without_wall_time(by_set.out));
}

TEST_F(Cli, ValidateOfAScenarioWithNoNodesReportsItsErrorsAndExitsTwo) {
  // The issue's three lines: this died with SIGSEGV.
  const fs::path file = write("bare.yaml", "name: x\nfaults:\n  - { at: 1s, kind: backend_crash, targets: a }\n");
  const Outcome r = lbsim("validate " + file.string());
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr(file.string() + ":3:"));
  EXPECT_THAT(r.err, HasSubstr("matches no backend"));
}

// A scenario whose service times are the samples in `samples` (as the file gives the name).
std::string scenario_with_samples(const std::string& samples) {
  return "name: samples\nduration: 1s\ntopology: { zones: [a] }\n"
         "clients: [ { name: web, arrival: { kind: constant, rate: 10/s }, mix: [ { path: / } ] } ]\n"
         "l4: { target_group: app }\n"
         "target_groups: { app: { per_zone: 1, service_time: { dist: empirical, file: '" + samples + "' } } }\n";
}

TEST_F(Cli, SamplesFilesMustBeRegularFilesOfBoundedSize) {
  // /dev/zero once ended in bad_alloc, a FIFO with no writer hung forever, a folder was "read".
  ASSERT_EQ(::mkfifo((dir_ / "fifo").c_str(), 0600), 0);
  fs::create_directories(dir_ / "folder");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"/dev/zero", "a character device, not a regular file"},
      {"fifo", "a FIFO, not a regular file"},
      {"folder", "a directory, not a regular file"},
      {"missing.txt", "No such file or directory"}};
  for (const auto& [name, why] : cases) {
    const fs::path file = write("s.yaml", scenario_with_samples(name));
    const Outcome r = lbsim("validate " + file.string() + " --allow-path /dev");
    EXPECT_EQ(r.exit_code, 2) << name;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_THAT(r.err, HasSubstr(file.string() + ":6:")) << name;
    EXPECT_THAT(r.err, HasSubstr("cannot read '" + name + "': " + why)) << r.err;
  }
  // Beyond the size limit, unless the user raises it.
  write("big.txt", std::string(1000, '\n') + "5ms\n");
  const fs::path file = write("s.yaml", scenario_with_samples("big.txt"));
  Outcome r = lbsim("validate " + file.string() + " --max-input-size 1KB");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("larger than the 1000 bytes limit (raise it with --max-input-size)"));
  r = lbsim("validate " + file.string() + " --max-input-size 2KB");
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(Cli, AScenarioFileThatIsNotAFileIsRefusedAtOnce) {
  // `lbsim run /dev/zero` took 14 s and 2 GB before bad_alloc.
  for (const std::string& path : {std::string("/dev/zero"), dir_.string()}) {
    const Outcome r = lbsim("validate " + path);
    EXPECT_EQ(r.exit_code, 2) << path;
    EXPECT_THAT(r.err, StartsWith(path + ":1:1: error: cannot read the file: ")) << r.err;
    EXPECT_THAT(r.err, HasSubstr("not a regular file")) << r.err;
  }
}

TEST_F(Cli, SamplesFilesOutsideTheScenariosFolderAreNotReadUnlessAllowed) {
  // A shared scenario naming ../../etc/passwd had its first line printed in the error.
  fs::create_directories(dir_ / "scenario" / "inner");
  fs::create_directories(dir_ / "elsewhere");
  { std::ofstream(dir_ / "elsewhere" / "secret.txt") << "root:x:0:0:root:/root:/bin/bash\n"; }
  { std::ofstream(dir_ / "elsewhere" / "samples.txt") << "3ms\n"; }
  { std::ofstream(dir_ / "scenario" / "inner" / "samples.txt") << "3ms\n"; }
  fs::create_symlink(dir_ / "elsewhere" / "secret.txt", dir_ / "scenario" / "link.txt");
  for (const std::string& name : std::vector<std::string>{"../elsewhere/secret.txt", (dir_ / "elsewhere" / "secret.txt").string(), "link.txt", "/etc/passwd"}) {
    std::ofstream(dir_ / "scenario" / "s.yaml") << scenario_with_samples(name);
    const Outcome r = lbsim("validate " + (dir_ / "scenario" / "s.yaml").string());
    EXPECT_EQ(r.exit_code, 2) << name;
    EXPECT_THAT(r.err, HasSubstr("lies outside the scenario's folder")) << r.err;
    EXPECT_THAT(r.err, Not(HasSubstr("root:"))) << r.err;
  }
  std::ofstream(dir_ / "scenario" / "s.yaml") << scenario_with_samples("inner/samples.txt");
  EXPECT_EQ(lbsim("validate " + (dir_ / "scenario" / "s.yaml").string()).exit_code, 0);
  std::ofstream(dir_ / "scenario" / "s.yaml") << scenario_with_samples("../elsewhere/samples.txt");
  Outcome r = lbsim("validate " + (dir_ / "scenario" / "s.yaml").string() + " --allow-path " + (dir_ / "elsewhere").string());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  // A child run (here, a sweep point) inherits what its parent may read.
  r = lbsim("sweep " + (dir_ / "scenario" / "s.yaml").string() + " --set 'clients[0].arrival.rate=5/s,10/s' --duration 1s --out " + (dir_ / "sweep").string() +
            " --allow-path " + (dir_ / "elsewhere").string());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  r = lbsim("validate " + (dir_ / "scenario" / "s.yaml").string() + " --allow-path " + (dir_ / "nowhere").string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--allow-path: expected a folder"));
}

TEST_F(Cli, RunWritesTheSummaryWithEveryRequiredField) {
  const Outcome r = lbsim("run " + scenario("two-tier-3az.yaml") + " --duration 1s --out " + (dir_ / "o").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("two-tier-3az"));
  EXPECT_THAT(r.out, HasSubstr("p99"));
  const auto s = summary(dir_ / "o");
  for (const char* key : {"scenario", "seed", "sim_seconds", "wall_seconds", "requests", "throughput_rps", "latency_ms",
                          "zones", "target_groups", "nodes"})
    EXPECT_TRUE(s.contains(key)) << key;
  for (const char* key : {"sent", "completed", "failed"}) EXPECT_TRUE(s["requests"].contains(key)) << key;
  for (const char* key : {"mean", "p50", "p90", "p99", "p999", "max"}) EXPECT_TRUE(s["latency_ms"].contains(key)) << key;
  EXPECT_EQ(s["scenario"], "two-tier-3az");
  EXPECT_EQ(s["zones"].size(), 3u);
  for (const auto& z : s["zones"]) {
    for (const char* tier : {"l4", "l7", "backend"}) EXPECT_TRUE(z["utilization"].contains(tier)) << tier;
    EXPECT_GT(z["utilization"]["backend"].get<double>(), 0.0);
    EXPECT_LT(z["utilization"]["backend"].get<double>(), 1.0);
  }
  EXPECT_EQ(s["target_groups"].size(), 4u);
  for (const auto& n : s["nodes"]) {
    EXPECT_TRUE(n.contains("requests"));
    EXPECT_TRUE(n.contains("utilization"));
  }
  // The printed numbers are the file's numbers.
  EXPECT_THAT(r.out, HasSubstr("sent " + std::to_string(s["requests"]["sent"].get<std::uint64_t>())));
  EXPECT_LE(s["latency_ms"]["p50"].get<double>(), s["latency_ms"]["p99"].get<double>());
}

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// timeseries.csv summed by (series, zone, node, metric).
std::map<std::string, double> csv_totals(const std::string& text) {
  std::map<std::string, double> totals;
  std::istringstream lines(text);
  std::string line;
  std::getline(lines, line);
  EXPECT_EQ(line, "time_s,series,zone,node,metric,value");
  while (std::getline(lines, line)) {
    std::vector<std::string> cells;
    std::istringstream fields(line);
    for (std::string cell; std::getline(fields, cell, ',');) cells.push_back(cell);
    EXPECT_EQ(cells.size(), 6u) << line;
    if (cells.size() == 6) totals[cells[1] + "|" + cells[2] + "|" + cells[3] + "|" + cells[4]] += std::stod(cells[5]);
  }
  return totals;
}

TEST_F(Cli, RunOutWritesTheTimeseriesHistogramsAndTopology) {
  const Outcome r = lbsim("run " + scenario("two-tier-3az.yaml") + " --duration 2s -q --out " + (dir_ / "o").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto s = summary(dir_ / "o");
  const auto totals = csv_totals(slurp(dir_ / "o" / "timeseries.csv"));
  // Every answer is in exactly one interval, overall and in its entry zone's series.
  const auto answered = s["requests"]["completed"].get<double>() + s["requests"]["failed"].get<double>();
  EXPECT_EQ(totals.at("overall|||answered"), answered);
  for (const auto& zone : s["zones"]) {
    const std::string z = zone["zone"];
    EXPECT_EQ(totals.at("zone|" + z + "||answered"), zone["completed"].get<double>() + zone["failed"].get<double>()) << z;
  }
  // Each node's bytes per second, summed over 1 s intervals, are its bytes in the summary
  // (up to the last sample, taken at the end of the last whole interval).
  for (const auto& node : s["nodes"]) {
    const std::string key = "node|" + node["zone"].get<std::string>() + "|" + node["name"].get<std::string>() + "|rx_Bps";
    ASSERT_TRUE(totals.count(key)) << key;
    EXPECT_LE(totals.at(key), node["rx_bytes"].get<double>() * (1 + 1e-9)) << key;
    EXPECT_GT(totals.at(key), 0.9 * node["rx_bytes"].get<double>()) << key;
  }
  for (const std::string file : {"latency.hgrm", "latency-zone-a.hgrm", "latency-group-api.hgrm", "latency-group-static.hgrm",
                                 "latency-tier-l7.hgrm", "latency-tier-backend.hgrm"})
    EXPECT_THAT(slurp(dir_ / "o" / file), HasSubstr("#[Mean")) << file;
  // At 2 % busy, an L7 node's cores rarely queue: its tier time is its 50 us of CPU.
  const std::string l7 = slurp(dir_ / "o" / "latency-tier-l7.hgrm");
  const auto mean_at = l7.find("#[Mean    =");
  ASSERT_NE(mean_at, std::string::npos);
  EXPECT_NEAR(std::stod(l7.substr(mean_at + 11, 20)), 0.050, 0.005);
  EXPECT_THAT(slurp(dir_ / "o" / "topology.dot"), StartsWith("digraph"));
}

TEST_F(Cli, TraceFollowsOneRequestAsTextJsonOrMermaid) {
  Outcome r = lbsim("trace " + scenario("two-tier-3az.yaml") + " --request 3 --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto t = nlohmann::json::parse(r.out);
  EXPECT_EQ(t["request"], 3);
  ASSERT_GE(t["hops"].size(), 6u);
  EXPECT_EQ(t["hops"].front()["tier"], "client");
  std::set<int> layers;
  for (const auto& hop : t["hops"]) layers.insert(hop["osi_layer"].get<int>());
  EXPECT_TRUE(layers.count(4) && layers.count(7)) << "an L4 node and an L7 node both on the way";
  r = lbsim("trace " + scenario("two-tier-3az.yaml") + " --request 3 --format mermaid");
  EXPECT_THAT(r.out, StartsWith("sequenceDiagram\n"));
  r = lbsim("trace " + scenario("two-tier-3az.yaml") + " --request 3");
  EXPECT_THAT(r.out, HasSubstr("request #3 of client-web"));
  EXPECT_THAT(r.out, HasSubstr("rewrites dst_ip (L3): 203.0.113.50 ->"));
  r = lbsim("trace " + scenario("two-tier-3az.yaml") + " --request 999999999");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

TEST_F(Cli, TraceInKoreanSaysEveryNoteAndItsOwnWordsInKoreanAndKeepsTheWireAsItIs) {
  const std::string file = std::string(LBSIM_SOURCE_DIR) + "/scenarios/lessons/03-dnat-vs-dsr.yaml --variant dsr";
  const Outcome english = lbsim("trace " + file + " --request 3");
  const Outcome korean = lbsim("trace " + file + " --request 3 --language ko");
  ASSERT_EQ(korean.exit_code, 0) << korean.err;
  EXPECT_THAT(korean.out, HasSubstr("DSR: MAC 주소만 바꾼다"));
  EXPECT_THAT(korean.out, HasSubstr("TCP 헤더까지만 읽는다"));
  EXPECT_THAT(korean.out, HasSubstr("바꾸는 필드 dst_mac (L2)"));
  EXPECT_THAT(korean.out, HasSubstr(" 요청 "));  // the hop's message, where it has words
  EXPECT_THAT(korean.out, Not(HasSubstr(" request ")));
  // Line for line the same trace: a note line is Korean in one and English in the other,
  // every other line (addresses, times, node names) is the same text in both.
  std::istringstream en(english.out), ko(korean.out);
  std::string e, k;
  int notes = 0, addresses = 0;
  while (std::getline(en, e) && std::getline(ko, k)) {
    if (e.starts_with("             - ")) {
      ++notes;
      EXPECT_NE(e, k);
      EXPECT_TRUE(std::any_of(k.begin(), k.end(), [](char c) { return static_cast<unsigned char>(c) >= 0xEA; })) << k;
    } else if (std::regex_match(e, std::regex(R"( +[0-9.]+:[0-9]+ -> [0-9.]+:[0-9]+)"))) {
      ++addresses;
      EXPECT_EQ(e, k);
    }
  }
  EXPECT_GT(notes, 10);
  EXPECT_GT(addresses, 10);
  EXPECT_EQ(lbsim("trace " + file + " --language kr").exit_code, 2) << "an unknown language is a usage error";
  // JSON keeps the ids for readers that render in their own language.
  const auto json = nlohmann::json::parse(lbsim("trace " + file + " --request 3 --format json --language ko").out);
  const auto& l4 = json["hops"][1];
  ASSERT_EQ(l4["notes"].size(), l4["note_ids"].size());
  EXPECT_EQ(l4["note_ids"][0]["id"], "l4.new_flow");
}

// Terminal columns: a Hangul syllable (three UTF-8 bytes from 0xEA..0xED) takes two.
std::size_t columns_of(const std::string& line) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < line.size();) {
    const auto lead = static_cast<unsigned char>(line[i]);
    const std::size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    width += lead >= 0xEA && lead <= 0xED ? 2 : 1;
    i += length;
  }
  return width;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// The figures a line holds, in order of size: Korean may say them in another order.
std::multiset<std::string> figures_in(const std::string& line) {
  std::multiset<std::string> out;
  static const std::regex figure(R"([0-9]+(\.[0-9]+)?)");
  for (auto it = std::sregex_iterator(line.begin(), line.end(), figure); it != std::sregex_iterator(); ++it) out.insert(it->str());
  return out;
}

using lbsim::test::has_hangul;

TEST_F(Cli, RunInKoreanSaysItsSummaryReportAndTracesInKoreanWithTheSameFigures) {
  const std::string lesson = std::string(LBSIM_SOURCE_DIR) + "/scenarios/lessons/07-two-tier-architecture.yaml --variant two-tier";
  const Outcome english = lbsim("run " + lesson + " --out " + (dir_ / "en").string());
  const Outcome korean = lbsim("run " + lesson + " --language ko --out " + (dir_ / "ko").string());
  ASSERT_EQ(english.exit_code, 0) << english.err;
  ASSERT_EQ(korean.exit_code, 0) << korean.err;
  // The terminal: line for line the same figures; the words Korean.
  const auto en = lines_of(english.out), ko = lines_of(korean.out);
  ASSERT_EQ(en.size(), ko.size()) << korean.out;
  for (std::size_t i = 0; i < en.size(); ++i) {
    if (en[i].find("wall time") != std::string::npos) continue;  // the wall clock differs between two runs
    EXPECT_EQ(figures_in(en[i]), figures_in(ko[i])) << en[i] << "\n" << ko[i];
    // A line with the summary's own words (not a data row of names and figures) is Korean.
    static const std::regex english_words(R"(seed|simulated|sent |mean |latency|requests|failures|zone |group|kind|detect|began|wrote)");
    if (std::regex_search(en[i], english_words)) EXPECT_TRUE(has_hangul(ko[i])) << "still English: " << ko[i];
  }
  EXPECT_THAT(korean.out, HasSubstr("대상 그룹"));
  EXPECT_THAT(korean.out, HasSubstr("L7 티어의 헬스 체크가 대상 3개를 다운으로 표시했다"));
  EXPECT_THAT(korean.out, Not(HasSubstr("target group")));
  // Korean column titles line up over the figures: each title row is as wide as its rows.
  for (std::size_t i = 0; i + 1 < ko.size(); ++i)
    if (ko[i].starts_with("  영역 ") || ko[i].starts_with("  대상 그룹 ") || ko[i].starts_with("  장애 "))
      EXPECT_EQ(columns_of(ko[i]), columns_of(ko[i + 1])) << ko[i] << "\n" << ko[i + 1];
  // summary.json is for machines: the same in both languages but for the wall clock.
  auto en_summary = nlohmann::json::parse(slurp(dir_ / "en" / "summary.json"));
  auto ko_summary = nlohmann::json::parse(slurp(dir_ / "ko" / "summary.json"));
  en_summary.erase("wall_seconds");
  ko_summary.erase("wall_seconds");
  EXPECT_EQ(en_summary, ko_summary);
  // report.html: the page's language, every heading Korean, the same sections and charts.
  const std::string en_html = slurp(dir_ / "en" / "report.html"), ko_html = slurp(dir_ / "ko" / "report.html");
  EXPECT_THAT(ko_html, HasSubstr("<html lang=ko>"));
  EXPECT_THAT(ko_html, HasSubstr("<h2 id=summary>요약</h2>"));
  const std::regex h2("<h2[^>]*>([^<]*)</h2>");
  std::size_t en_headings = std::distance(std::sregex_iterator(en_html.begin(), en_html.end(), h2), std::sregex_iterator());
  std::size_t ko_headings = 0;
  for (auto it = std::sregex_iterator(ko_html.begin(), ko_html.end(), h2); it != std::sregex_iterator(); ++it, ++ko_headings)
    EXPECT_TRUE(has_hangul((*it)[1].str())) << (*it)[1].str();
  EXPECT_EQ(ko_headings, en_headings);
  EXPECT_GE(ko_headings, 8u);
  const auto count = [](const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
  };
  EXPECT_EQ(count(ko_html, "<figure>"), count(en_html, "<figure>"));
  EXPECT_EQ(count(ko_html, "<tr>"), count(en_html, "<tr>"));
  EXPECT_THAT(ko_html, HasSubstr("시간에 따른 p50, p99 지연 시간"));  // a chart's title
  EXPECT_THAT(ko_html, HasSubstr("결론: 지금 구성대로 L4 + L7."));  // the decision guide
  // traces.md: the notes in Korean.
  const std::string traces = slurp(dir_ / "ko" / "traces.md");
  EXPECT_THAT(traces, HasSubstr("# 표본 요청 추적"));
  EXPECT_THAT(traces, HasSubstr("TCP 헤더까지만 읽는다"));
  EXPECT_EQ(lbsim("run " + lesson + " --language kr").exit_code, 2) << "an unknown language is a usage error";
  // Replications: the table's titles and the lines around it.
  const Outcome replicated = lbsim("run " + lesson + " --duration 2s --replications 2 --jobs 2 --language ko --out " + (dir_ / "rep").string());
  ASSERT_EQ(replicated.exit_code, 0) << replicated.err;
  EXPECT_THAT(replicated.out, HasSubstr("반복 실행 2회"));
  EXPECT_THAT(replicated.out, HasSubstr("수치"));
  EXPECT_THAT(slurp(dir_ / "rep" / "report.html"), HasSubstr("<h2>반복 실행 2회</h2>"));
  EXPECT_THAT(slurp(dir_ / "rep" / "replication-1" / "report.html"), HasSubstr("<html lang=ko>"));
}

TEST_F(Cli, AQuizIsAnsweredByTheLessonsOwnRunsAndAWrongQuestionIsCaught) {
  const std::string lesson = std::string(LBSIM_SOURCE_DIR) + "/scenarios/lessons/03-dnat-vs-dsr.yaml";
  const Outcome r = lbsim("quiz " + lesson + " --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto quiz = nlohmann::json::parse(r.out);
  ASSERT_EQ(quiz.size(), 4u);
  // DNAT rewrites the destination address; DSR only the frame's MACs; the DSR answer
  // leaves a backend straight for the client; an L4 node reads up to layer 4.
  EXPECT_EQ(quiz[0]["right"], nlohmann::json::array({"dst_ip"}));
  EXPECT_EQ(quiz[1]["right"], nlohmann::json::array({"src_mac", "dst_mac"}));
  EXPECT_TRUE(quiz[2]["click_node"].get<bool>());
  ASSERT_EQ(quiz[2]["right"].size(), 1u);
  EXPECT_THAT(quiz[2]["right"][0].get<std::string>(), StartsWith("app-"));
  EXPECT_EQ(quiz[3]["right"], nlohmann::json::array({"4"}));
  EXPECT_THAT(quiz[0]["why"].get<std::string>(), HasSubstr("rewrote src_mac, dst_mac, dst_ip"));
  // In Korean, the questions and the explanations.
  const auto korean = nlohmann::json::parse(lbsim("quiz " + lesson + " --format json --language ko").out);
  EXPECT_THAT(korean[1]["question"].get<std::string>(), HasSubstr("DSR에서 L4 노드가 바꾸는 필드는?"));
  EXPECT_THAT(korean[1]["why"].get<std::string>(), HasSubstr("바꾼 필드: src_mac, dst_mac"));
  // A question whose choices hold nothing the run shows is the lesson's mistake: exit 3.
  std::string text = slurp(lesson);
  text.replace(text.find("choices: [src_ip, dst_ip, src_port, dst_port]"), 45, "choices: [src_ip, src_port]");
  const auto wrong = dir_ / "wrong.yaml";
  std::ofstream(wrong) << text;
  const Outcome bad = lbsim("quiz " + wrong.string());
  EXPECT_EQ(bad.exit_code, 3) << bad.err;
  EXPECT_THAT(bad.err, HasSubstr("wrong.yaml:48: quiz[0]: no choice is what the run shows (l4-a-0's hop 2 rewrote src_mac, dst_mac, dst_ip"));
  EXPECT_EQ(lbsim("quiz " + std::string(LBSIM_SOURCE_DIR) + "/scenarios/two-tier-3az.yaml").exit_code, 2) << "no quiz";
}

TEST_F(Cli, FramesReadsATracedRequestsCaptureBackAndRefusesWhatIsNotOne) {
  const std::string pcap = (dir_ / "dnat.pcap").string();
  Outcome r = lbsim("trace " + scenario("compare/dnat-vs-dsr.yaml") + " --variant dnat --request 2 --pcap " + pcap);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = lbsim("frames " + pcap);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // The L4 node's DNAT of the SYN: the frame it got for the VIP, then the one it sent on.
  EXPECT_THAT(r.out, HasSubstr("→ 203.0.113.50:443  SYN\n"));
  EXPECT_THAT(r.out, HasSubstr("SYN   [frame 1 rewritten: src_mac, dst_mac, dst_ip]"));
  r = lbsim("frames " + pcap + " --frame 2");
  EXPECT_THAT(r.out, HasSubstr("L3 dst_ip"));
  EXPECT_THAT(r.out, HasSubstr("(was 203.0.113.50)"));
  r = lbsim("frames " + pcap + " --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["frames"][1]["rewrite_of"], 1);
  for (const std::string bad : {"frames " + scenario("two-tier-3az.yaml"), "frames " + pcap + " --frame 999", "frames " + pcap + " --limit 0"}) {
    r = lbsim(bad);
    EXPECT_EQ(r.exit_code, 2) << bad;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << bad << ": " << r.err;
  }
}

TEST_F(Cli, ImportWritesAScenarioThatRunsAndRefusesMalformedOrDroppedInput) {
  const std::string cfg = (dir_ / "haproxy.cfg").string();
  std::ofstream(cfg) << "frontend f\n    mode http\n    bind :80\n    acl api path_beg /api/\n    use_backend api if api\n"
                        "    default_backend web\n    stats enable\nbackend api\n    server a 10.0.0.1:80 check\nbackend web\n"
                        "    server w 10.0.0.2:80\n";
  const std::string out = (dir_ / "imported.yaml").string();
  Outcome r = lbsim("import haproxy " + cfg + " -o " + out);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("haproxy.cfg:7: dropped: stats enable"));
  EXPECT_EQ(lbsim("validate " + out).exit_code, 0);
  r = lbsim("import haproxy " + cfg + " --strict -o " + out);
  EXPECT_EQ(r.exit_code, 2) << "a dropped line under --strict";
  std::ofstream(cfg) << "backend b\n    server s 'unterminated\n";
  r = lbsim("import haproxy " + cfg);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, cfg + ":2:14: error: a ' quote that is never closed\n");
  r = lbsim("import haproxy " + (dir_ / "absent.cfg").string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_EQ(lbsim("import traefik " + cfg).exit_code, 2) << "not a format it reads";
  // AWS: a folder of `aws elbv2 describe-*` outputs, read in any order.
  const std::string aws = (dir_ / "aws.yaml").string();
  r = lbsim("import aws " + std::string(LBSIM_SOURCE_DIR) + "/tests/import/fixtures/aws -o " + aws);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("rules.json:306: dropped: rule priority 90"));
  r = lbsim("run " + aws + " --duration 2s -q");
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(Cli, ImportTrafficReadsAGzippedAccessLogIntoAScenarioThatRuns) {
  const std::string log = (dir_ / "access.log").string();
  {
    std::ofstream out(log);
    for (int i = 0; i < 300; ++i)
      out << "198.18.0." << i % 50 << " - - [06/Dec/2026:10:00:" << (i / 10 < 10 ? "0" : "") << i / 10 << " +0000] \"GET /items/" << i
          << " HTTP/1.1\" 200 " << 500 + i << " \"-\" \"test\"\n";
    out << "this line is not a log line\n";
  }
  ASSERT_EQ(std::system(("gzip -f " + log).c_str()), 0);
  const std::string out = (dir_ / "traffic.yaml").string();
  Outcome r = lbsim("import traffic " + log + ".gz --format nginx -o " + out);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("import: skipped " + log + ".gz:301: expected [day/Mon/year:hh:mm:ss +zone]"));
  EXPECT_THAT(r.err, HasSubstr("301 lines read, 1 skipped as malformed; 30 s"));
  EXPECT_TRUE(fs::exists(dir_ / "traffic-responses.txt"));
  r = lbsim("run " + out + " --duration 3s -q");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  // Anonymised: the ids in paths are gone, the population's size is not.
  const std::string shared = (dir_ / "shared.yaml").string();
  r = lbsim("import traffic " + log + ".gz --format nginx --anonymise -o " + shared);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string text = slurp(shared);
  EXPECT_THAT(text, HasSubstr("path: /items/1"));
  EXPECT_THAT(text, Not(HasSubstr("/items/0,")));
  EXPECT_THAT(text, HasSubstr("source_ips: 50"));
  // Nothing of the format: refused, positioned.
  r = lbsim("import traffic " + out + " --format alb -o " + (dir_ / "x.yaml").string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("error: no line of the alb format"));
}

// An ALB log of `n` requests, 10 a second from 10:00:00, three on each client connection.
std::string alb_log(int n) {
  std::string text;
  for (int i = 0; i < n; ++i) {
    char at[40];
    std::snprintf(at, sizeof at, "2026-12-06T10:00:%02d.%d00000Z", i / 10, i % 10);
    const std::string client = "203.0.113." + std::to_string(i % 10 + 1) + ":" + std::to_string(40000 + i / 30);
    text += "https " + std::string(at) + " app/shop/1 " + client + " 10.0.1.11:8080 0.000 0.020 0.000 200 200 300 4000 " +
            "\"GET https://shop.example.com:443/api/items/" + std::to_string(i) + " HTTP/1.1\" \"curl/8\" TLS_AES_128_GCM_SHA256 TLSv1.3 " +
            "arn:aws:elasticloadbalancing:r:1:targetgroup/api/7 \"Root=1\" \"shop.example.com\" \"-\" 0 " + at + " \"forward\"\n";
  }
  return text;
}

TEST_F(Cli, ImportTrafficReplayWritesAScenarioThatSendsEveryLoggedRequestAndRunsTheSameTwice) {
  std::ofstream(dir_ / "shop.log") << alb_log(120);
  ASSERT_EQ(std::system(("gzip -f " + (dir_ / "shop.log").string()).c_str()), 0);
  const std::string scenario_file = (dir_ / "replay.yaml").string();
  Outcome r = lbsim("import traffic " + (dir_ / "shop.log.gz").string() + " --format alb --replay -o " + scenario_file);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string text = slurp(scenario_file);
  EXPECT_THAT(text, HasSubstr("arrival: { kind: replay, file: \"shop.log.gz\", format: alb, service_times: logged }"));
  EXPECT_THAT(text, HasSubstr("keepalive: { requests_per_connection: 3 }"));  // 120 requests on 40 client ports
  std::string summaries[2];
  for (int run = 0; run < 2; ++run) {
    const std::string out = (dir_ / ("run" + std::to_string(run))).string();
    r = lbsim("run " + scenario_file + " --out " + out);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(r.out, HasSubstr("replay    web: 120 requests sent from 120 log lines"));
    auto summary = nlohmann::json::parse(slurp(out + "/summary.json"));
    EXPECT_EQ(summary["requests"]["sent"], 120);
    EXPECT_EQ(summary["replays"][0]["sent"], 120);
    summary.erase("wall_seconds");
    summaries[run] = summary.dump();
  }
  EXPECT_EQ(summaries[0], summaries[1]) << "same logs, same seed: the same run";
  // Only the simulator replays logs: the testbed says so before it makes anything.
  r = lbsim("testbed " + scenario_file);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("replays access logs (arrival kind replay), which only the simulator does"));
  // The logs are sent as they are: they cannot be anonymised on the way.
  r = lbsim("import traffic " + (dir_ / "shop.log.gz").string() + " --format alb --replay --anonymise -o " + scenario_file);
  EXPECT_EQ(r.exit_code, 2);
  // A log whose lines are not the format's is refused at its own line, before anything runs.
  std::ofstream(dir_ / "shop.log.gz") << "# cut\nnot an ALB line at all\n";
  r = lbsim("validate " + scenario_file);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("shop.log.gz:2:"));
  EXPECT_THAT(r.err, HasSubstr("expected an ALB access log line (format: alb)"));
}

TEST_F(Cli, EveryMermaidArrowCarriesTheMessageItsSenderSentAsTheTextTraceSays) {
  // lbsim trace --format mermaid once labelled the L4 node's forwarded SYN "SYN-ACK" (the
  // receiver's message) and called the client "(L7)". Each arrow must say what the hop it
  // leaves sent, as the JSON (and text) trace records it, under DNAT, DSR and two tiers.
  for (const std::string args : {"lessons/03-dnat-vs-dsr.yaml --request 3", "lessons/03-dnat-vs-dsr.yaml --request 3 --variant dsr",
                                 "two-tier-3az.yaml --request 3"}) {
    const std::string file = args.substr(0, args.find(' '));
    const Outcome json = lbsim("trace " + scenario(file) + args.substr(args.find(' ')) + " --format json");
    const Outcome mermaid = lbsim("trace " + scenario(file) + args.substr(args.find(' ')) + " --format mermaid");
    ASSERT_EQ(json.exit_code, 0) << json.err;
    ASSERT_EQ(mermaid.exit_code, 0) << mermaid.err;
    const auto hops = nlohmann::json::parse(json.out)["hops"];
    std::vector<std::string> expected;
    for (std::size_t i = 1; i < hops.size(); ++i)
      if (hops[i - 1]["node"] != hops[i]["node"]) expected.push_back(hops[i - 1]["message"].get<std::string>());
    std::vector<std::string> labels;
    std::istringstream lines(mermaid.out);
    for (std::string line; std::getline(lines, line);) {
      const std::size_t arrow = line.find("->>");
      if (arrow == std::string::npos) continue;
      std::string label = line.substr(line.find(": ", arrow) + 2);
      // Less the endpoints the arrow ends with (a message may hold parentheses of its own).
      if (const std::size_t at = label.rfind(" ("); at != std::string::npos && label.find(" -> ", at) != std::string::npos) label.resize(at);
      labels.push_back(label);
    }
    EXPECT_EQ(labels, expected) << args << "\n" << mermaid.out;
    EXPECT_THAT(mermaid.out, HasSubstr("as client-")) << args;
    EXPECT_THAT(mermaid.out, Not(HasSubstr("client-viewers (L7)")));
    EXPECT_THAT(mermaid.out, Not(HasSubstr("client-web (L7)")));
  }
}

TEST_F(Cli, TraceTakesAVariantAndOverrides) {
  // The same request under each forwarding mode: DNAT rewrites the destination IP at the
  // L4 node; DSR only the MACs (the backend answers from the VIP itself).
  const auto l4_rewrites = [&](const std::string& options) {
    const Outcome r = lbsim("trace " + scenario("compare/dnat-vs-dsr.yaml") + " --request 2 --format json " + options);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::set<std::string> fields;
    const auto trace = nlohmann::json::parse(r.out);
    for (const auto& hop : trace["hops"])
      if (hop["tier"] == "l4")
        for (const auto& f : hop["rewrote"]) fields.insert(f.get<std::string>());
    return fields;
  };
  EXPECT_TRUE(l4_rewrites("--variant dnat").count("dst_ip"));
  EXPECT_EQ(l4_rewrites("--variant dsr"), (std::set<std::string>{"dst_mac", "src_mac"}));
  EXPECT_EQ(l4_rewrites("--variant dnat --set l4.forwarding=dsr"), (std::set<std::string>{"dst_mac", "src_mac"}));
  EXPECT_EQ(lbsim("trace " + scenario("compare/dnat-vs-dsr.yaml") + " --variant nope").exit_code, 2);
}

TEST_F(Cli, RouteSaysWhichRuleTakesARequestAndWhy) {
  // Lesson 4: /api/* with the beta cookie passes over the host and header rules and goes
  // to the beta group; without it, the canary rule splits 95:5.
  const std::string lesson = scenario("lessons/04-content-routing.yaml");
  Outcome r = lbsim("route " + lesson + " --request 'GET https://shop.example.com/api/users?page=2' --cookie beta=true");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("priority 10: skipped, host admin.example.com does not match"));
  EXPECT_THAT(r.out, HasSubstr("priority 30: matched"));
  EXPECT_THAT(r.out, HasSubstr("-> beta (weight 1) with shop.example.com/api/users"));
  r = lbsim("route " + lesson + " --request 'GET https://shop.example.com/api/users' --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto d = nlohmann::json::parse(r.out);
  EXPECT_EQ(d["action"], "forward");
  ASSERT_EQ(d["groups"].size(), 2u);
  EXPECT_EQ(d["groups"][0]["group"], "api");
  EXPECT_EQ(d["groups"][0]["weight"].get<int>() + d["groups"][1]["weight"].get<int>(), 100);
  // --samples: one request per rule and one for the default.
  r = lbsim("route " + lesson + " --samples --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out).back()["rule"], "default");
  // Bad input: one line, exit 2; an L4-only layout has no rules.
  for (const char* bad : {"--request 'GET nowhere'", "--request GET", "--request 'GET /' --header novalue", "--request 'GET /' --source 300.1.1.1", ""}) {
    r = lbsim("route " + lesson + " " + std::string(bad));
    EXPECT_EQ(r.exit_code, 2) << bad;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << bad << ": " << r.err;
  }
  EXPECT_EQ(lbsim("route " + scenario("testbed/l4-dnat.yaml") + " --request 'GET /'").exit_code, 2);
}

TEST_F(Cli, ReportHtmlIsSelfContainedAndShowsSummaryJsonsFigures) {
  const Outcome r = lbsim("run " + scenario("failures/zone-outage-two-tier.yaml") + " --duration 100s -q --out " + (dir_ / "o").string());
  ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 3) << r.err;
  EXPECT_TRUE(r.err.empty() || r.err.rfind("lbsim: service-level", 0) == 0) << r.err;  // nothing from Qt
  const std::string html = slurp(dir_ / "o" / "report.html");
  const auto s = summary(dir_ / "o");
  // Opens from disk: no script, nothing fetched.
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("src=\"http"), std::string::npos);
  EXPECT_EQ(html.find("href=\"http"), std::string::npos);
  // Six charts over time and, as the run had a fault, the health timeline: inline SVG.
  EXPECT_EQ(count_of(html, "<svg"), 7u);
  EXPECT_THAT(html, HasSubstr("<h2>Health over time</h2>"));
  EXPECT_THAT(html, HasSubstr("fault: zone_outage b (backends)"));  // its band's legend
  EXPECT_THAT(html, HasSubstr("L7 checks"));                         // the line of the tier that judged
  // The tables show summary.json's values as a person reads them: thousands grouped,
  // units written, 4 significant digits, "–" and "never" instead of null.
  const auto grouped = [](std::uint64_t n) {
    std::string digits = std::to_string(n), out;
    for (std::size_t i = 0; i < digits.size(); ++i) out += (i > 0 && (digits.size() - i) % 3 == 0 ? "\u202f" : "") + digits.substr(i, 1);
    return out;
  };
  const double p99 = s["latency_ms"]["p99"].get<double>();
  ASSERT_TRUE(p99 >= 100 && p99 < 1000) << p99;  // so four significant digits are one decimal
  char p99_text[32];
  std::snprintf(p99_text, sizeof p99_text, "%.1f&nbsp;ms", p99);  // number and unit never part
  EXPECT_THAT(html, HasSubstr("<td>requests sent</td><td>" + grouped(s["requests"]["sent"].get<std::uint64_t>()) + "</td>"));
  EXPECT_THAT(html, HasSubstr(std::string("<td>p99</td><td>") + p99_text + "</td>"));
  EXPECT_THAT(html, HasSubstr("<td>throughput</td><td>"));
  ASSERT_EQ(s["faults"].size(), 1u);
  const auto& f = s["faults"][0];
  EXPECT_THAT(html, HasSubstr("<td>zone_outage b (backends)</td><td>"));
  if (f["time_to_recover_s"].is_null()) {
    EXPECT_THAT(html, HasSubstr("</td><td>never</td><td>"));
  }
  EXPECT_THAT(html, HasSubstr("</td><td>failover</td>"));
  // No table cell holds a bare number with more than four decimals, nor a null.
  const std::regex long_decimals(R"(<td>[^<]*\d\.\d{5,}[^<]*</td>)");
  EXPECT_FALSE(std::regex_search(html, long_decimals));
  EXPECT_EQ(html.find("null"), std::string::npos);
  // Each fault is told in words under the table, with its tier's detection.
  EXPECT_THAT(html, HasSubstr("<p>" + f["narrative"].get<std::string>() + "</p>"));
  EXPECT_THAT(f["narrative"].get<std::string>(), HasSubstr("The L7 tier's health checks marked 4 targets down"));
  EXPECT_EQ(html.find("<td>null</td>"), std::string::npos);
  // The decision guide reaches a verdict.
  EXPECT_THAT(html, HasSubstr("Verdict:"));
}

TEST_F(Cli, SameSeedGivesAnIdenticalSummary) {
  for (const char* name : {"a", "b"}) {
    const Outcome r = lbsim("run " + scenario("two-tier-3az.yaml") + " --duration 1s --seed 11 -q --out " + (dir_ / name).string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  auto a = summary(dir_ / "a"), b = summary(dir_ / "b");
  a.erase("wall_seconds");
  b.erase("wall_seconds");
  EXPECT_EQ(a.dump(), b.dump());
}

TEST_F(Cli, SameSeedUnderFaultsGivesAnIdenticalSummary) {
  // A zone outage at 60 s: dark nodes, swallowed requests, timeouts, retries, DNS caches.
  for (const char* name : {"a", "b"}) {
    const Outcome r = lbsim("run " + scenario("failures/zone-outage-l4-cross-zone-off.yaml") + " --duration 70s -q --out " +
                            (dir_ / name).string());
    ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 3) << r.err;  // (3: its SLO is missed, as designed)
  }
  auto a = summary(dir_ / "a"), b = summary(dir_ / "b");
  a.erase("wall_seconds");
  b.erase("wall_seconds");
  EXPECT_GT(a["requests"]["lost"].get<std::uint64_t>(), 0u);
  EXPECT_EQ(a.dump(), b.dump());
}

// The stream's lines, parsed, by type.
std::map<std::string, std::vector<nlohmann::json>> stream_lines(const std::string& out) {
  std::map<std::string, std::vector<nlohmann::json>> by_type;
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    const auto event = nlohmann::json::parse(line);  // every line is one JSON object
    by_type[event.at("type").get<std::string>()].push_back(event);
  }
  return by_type;
}

// A summary with the wall-clock figures taken out: what a seed must reproduce.
nlohmann::json without_wall_time(nlohmann::json summary) {
  summary.erase("wall_seconds");
  return summary;
}

TEST_F(Cli, StreamAndRunGiveTheSameSummaryWhateverTheTick) {
  // The stream's summary differed from run's (a group's mean 59.996 vs 59.957 ms) and
  // changed with --tick: watching a run must not change it.
  const std::string file = scenario("two-tier-3az.yaml");
  const Outcome run = lbsim("run " + file + " --duration 3s -q --out " + (dir_ / "run").string());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const nlohmann::json expected = without_wall_time(summary(dir_ / "run"));
  for (const auto& [tick, ticks] : std::vector<std::pair<std::string, std::size_t>>{{"1s", 3}, {"50ms", 60}, {"333ms", 9}}) {
    const Outcome streamed = lbsim("run " + file + " --duration 3s --stream --speed 0 --tick " + tick + " </dev/null");
    ASSERT_EQ(streamed.exit_code, 0) << streamed.err;
    const auto lines = stream_lines(streamed.out);
    ASSERT_EQ(lines.at("end").size(), 1u);
    EXPECT_EQ(without_wall_time(lines.at("end")[0]["summary"]), expected) << "--tick " << tick;
    EXPECT_GE(lines.at("tick").size(), ticks) << "a tick every " << tick << " of the 3 s";
  }
}

TEST_F(Cli, StreamSamplesARequestsWayEveryPeriodWithoutChangingTheRun) {
  // The window's slow mode: one request every 250 ms of simulated time, its way hop by hop.
  const std::string file = scenario("two-tier-3az.yaml");
  const Outcome plain = lbsim("run " + file + " --duration 3s --stream </dev/null");
  const Outcome sampled = lbsim("run " + file + " --duration 3s --stream --sample-every 250ms </dev/null");
  ASSERT_EQ(sampled.exit_code, 0) << sampled.err;
  const auto lines = stream_lines(sampled.out);
  // Sent in [0, 3 s): one sample per 250 ms period, each with its outcome.
  ASSERT_EQ(lines.at("sample").size(), 12u);
  double previous_sent = -1;
  for (const auto& s : lines.at("sample")) {
    const double sent = s["sent_s"].get<double>();
    EXPECT_GT(sent, previous_sent);
    EXPECT_EQ(static_cast<int>(sent / 0.25), static_cast<int>(&s - &lines.at("sample")[0])) << "one per period, in order";
    previous_sent = sent;
    const auto& hops = s["hops"];
    ASSERT_GE(hops.size(), 6u);
    EXPECT_EQ(hops.front()["node"], "client-web");  // from the client and back to it
    EXPECT_EQ(hops.back()["node"], "client-web");
    for (std::size_t i = 1; i < hops.size(); ++i) EXPECT_GE(hops[i]["at_ms"].get<double>(), hops[i - 1]["at_ms"].get<double>());
    EXPECT_EQ(s["status"], "200");
  }
  // Watching a sample changes nothing of the run.
  EXPECT_EQ(without_wall_time(stream_lines(plain.out).at("end")[0]["summary"]), without_wall_time(lines.at("end")[0]["summary"]));
  // Its options mean nothing without --stream: refused, not ignored.
  for (const char* alone : {"--sample-every 100ms", "--tick 1s", "--speed 10x"}) {
    const Outcome r = lbsim("run " + file + " --duration 1s " + alone);
    EXPECT_EQ(r.exit_code, 2) << alone;
    EXPECT_THAT(r.err, HasSubstr("requires --stream")) << alone;
  }
  EXPECT_EQ(lbsim("run " + file + " --duration 1s --stream --sample-every 1ms </dev/null").exit_code, 2);
}

TEST_F(Cli, StreamTicksAndObeysFaultCommandsFromStdin) {
  // Commands are read at each tick; the first tick is at 1 s, so the outage starts at the
  // run's first event after it (a tick adds no event of its own: watching must not change
  // the run), within a few microseconds at this scenario's rate.
  const fs::path commands = write("commands", R"({"cmd": "fault", "fault": {"kind": "zone_outage", "zone": "b", "for": "1s"}}
{"cmd": "launch the missiles"}
{"cmd": "fault", "fault": {"kind": "zone_outage", "zone": "nowhere"}}
)");
  const Outcome r = lbsim("run " + scenario("two-tier-3az.yaml") + " --duration 3s --stream --tick 1s < " + commands.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto lines = stream_lines(r.out);
  ASSERT_EQ(lines["start"].size(), 1u);
  EXPECT_EQ(lines["start"][0]["zones"].size(), 3u);
  ASSERT_GE(lines["tick"].size(), 3u);
  EXPECT_DOUBLE_EQ(lines["tick"][0]["t"].get<double>(), 1.0);
  EXPECT_GT(lines["tick"][0]["answered"].get<std::uint64_t>(), 0u);
  ASSERT_EQ(lines["fault"].size(), 2u);  // starts at 1 s, ends at 2 s
  EXPECT_EQ(lines["fault"][0]["label"], "zone_outage b");
  EXPECT_EQ(lines["fault"][0]["kind"], "zone_outage");  // structured: no reader parses the label
  EXPECT_EQ(lines["fault"][0]["zone"], "b");
  EXPECT_EQ(lines["fault"][0]["scope"], "targets");
  EXPECT_TRUE(lines["fault"][0]["starts"].get<bool>());
  const double started = lines["fault"][0]["t"].get<double>();
  EXPECT_GT(started, 1.0);
  EXPECT_LT(started, 1.001);
  EXPECT_FALSE(lines["fault"][1]["starts"].get<bool>());
  EXPECT_DOUBLE_EQ(lines["fault"][1]["t"].get<double>(), started + 1.0);
  ASSERT_EQ(lines["rejected"].size(), 2u);  // the unknown command, and the unknown zone
  EXPECT_THAT(lines["rejected"][1]["error"].get<std::string>(), HasSubstr("nowhere"));
  // Zone b went dark for a second: its requests were swallowed, and the summary says so.
  ASSERT_EQ(lines["end"].size(), 1u);
  const auto& summary = lines["end"][0]["summary"];
  EXPECT_GT(summary["requests"]["lost"].get<std::uint64_t>(), 0u);
  ASSERT_EQ(summary["faults"].size(), 1u);
  EXPECT_EQ(summary["faults"][0]["label"], "zone_outage b");
  std::uint64_t lost_in_ticks = 0;
  for (const auto& tick : lines["tick"]) lost_in_ticks += tick["lost"].get<std::uint64_t>();
  EXPECT_EQ(lost_in_ticks, summary["requests"]["lost"].get<std::uint64_t>());
}

TEST_F(Cli, StreamAnswersHostileCommandLinesWithOneRejectionEachAndRunsOn) {
  // Each of these once killed the child the GUI watches (SIGABRT on bytes that are not
  // UTF-8, SIGSEGV on deep nesting); now each is one "rejected" line and the run ends normally.
  const fs::path commands = write("commands", std::string("{\"cmd\": \"pa\xFFuse\"}\n") + "\xFF\xFE not even JSON\n" +
                                                  "{\"cmd\": \"fault\", \"fault\": " + std::string(60000, '[') + "}\n" +
                                                  std::string(100000, 'x') + "\n" + "{\"cmd\": \"speed\", \"value\": 1e-300}\n");
  const Outcome r = lbsim("run " + scenario("two-tier-3az.yaml") + " --duration 2s --stream --tick 1s < " + commands.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto lines = stream_lines(r.out);  // every line still one valid JSON object
  ASSERT_EQ(lines["rejected"].size(), 5u);
  EXPECT_THAT(lines["rejected"][0]["error"].get<std::string>(), HasSubstr("not UTF-8: byte \\xFF at column 12"));
  EXPECT_EQ(lines["rejected"][0]["command"], "{\"cmd\": \"pa\\xFFuse\"}");
  EXPECT_THAT(lines["rejected"][1]["error"].get<std::string>(), HasSubstr("not UTF-8"));
  EXPECT_THAT(lines["rejected"][2]["error"].get<std::string>(), HasSubstr("nested deeper than 16"));
  EXPECT_THAT(lines["rejected"][3]["error"].get<std::string>(), HasSubstr("at most 65536 bytes"));
  EXPECT_THAT(lines["rejected"][4]["error"].get<std::string>(), HasSubstr("from 0.001 to 1000000"));
  ASSERT_EQ(lines["end"].size(), 1u);
}

TEST_F(Cli, StreamWithEndlessInputWithoutNewlinesStillRunsToItsEnd) {
  // stdin from /dev/zero once held the run at t = 0 while memory grew 3 MB/s.
  const Outcome r = lbsim("run " + scenario("two-tier-3az.yaml") + " --duration 3s --stream --tick 100ms < /dev/zero");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto lines = stream_lines(r.out);
  ASSERT_GE(lines["tick"].size(), 30u);  // every 100 ms through 3 s (and the drain after)
  EXPECT_GE(lines["tick"].back()["t"].get<double>(), 3.0);
  ASSERT_EQ(lines["rejected"].size(), 1u);  // one line too long, however long it goes on
  ASSERT_EQ(lines["end"].size(), 1u);
}

TEST_F(Cli, StreamSpeedAndTickOutsideTheirRangesAreRefused) {
  // --speed 1e-300x made a tick's wall-clock wait overflow the clock; --tick 1us floods the watcher.
  for (const char* bad : {"--speed 1e-300x", "--speed 1e9x"}) {
    const Outcome r = lbsim("run " + scenario("two-tier-3az.yaml") + " --duration 1s --stream " + bad);
    EXPECT_EQ(r.exit_code, 2) << bad;
    EXPECT_THAT(r.err, HasSubstr("a factor from 0.001x to 1000000x")) << bad;
  }
  for (const char* bad : {"--tick 1us", "--tick 0s"}) {
    const Outcome r = lbsim("run " + scenario("two-tier-3az.yaml") + " --duration 1s --stream " + bad);
    EXPECT_EQ(r.exit_code, 2) << bad;
    EXPECT_THAT(r.err, HasSubstr("at least 10ms")) << bad;
  }
}

TEST_F(Cli, StreamRecoverEndsAFaultBeforeItsTime) {
  // Read at the first tick (1 s): an outage meant to last 1 s, ended at once by its index
  // (the first fault of a file without faults is 0), and an index that is not in force.
  const fs::path commands = write("commands", R"({"cmd": "fault", "fault": {"kind": "zone_outage", "zone": "b", "for": "1s"}}
{"cmd": "recover", "fault": 0}
{"cmd": "recover", "fault": 7}
)");
  const Outcome r = lbsim("run " + scenario("two-tier-3az.yaml") + " --duration 3s --stream --tick 1s < " + commands.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto lines = stream_lines(r.out);
  ASSERT_EQ(lines["fault"].size(), 2u);  // started and ended at 1 s; nothing more at 2 s
  EXPECT_TRUE(lines["fault"][0]["starts"].get<bool>());
  EXPECT_EQ(lines["fault"][0]["fault"], 0);
  EXPECT_FALSE(lines["fault"][1]["starts"].get<bool>());
  EXPECT_DOUBLE_EQ(lines["fault"][1]["t"].get<double>(), lines["fault"][0]["t"].get<double>());
  ASSERT_EQ(lines["rejected"].size(), 1u);
  EXPECT_THAT(lines["rejected"][0]["error"].get<std::string>(), HasSubstr("fault 7 is not in force"));
}

TEST_F(Cli, StreamTicksCarryEachNodesUtilization) {
  // 200 requests a second, evenly spaced, each holding one of the backend's 2 workers for
  // 5 ms: utilization = 200 × 0.005 / 2 = 0.5 in every second (offered load, no queue).
  // Plain HTTP: no TLS handshake holds a worker besides.
  const fs::path file = write("util.yaml", R"(name: util
duration: 4s
topology: { zones: [a] }
clients: [ { name: web, arrival: { kind: constant, rate: 200/s }, tls: none, mix: [ { path: / } ] } ]
l4: { target_group: app }
target_groups: { app: { per_zone: 1, workers: 2, service_time: { dist: constant, value: 5ms } } }
)");
  const Outcome r = lbsim("run " + file.string() + " --stream --tick 1s");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto lines = stream_lines(r.out);
  int with_nodes = 0;
  for (const auto& tick : lines["tick"]) {
    if (!tick.contains("nodes")) continue;
    ++with_nodes;
    const double t = tick["t"].get<double>();
    if (t < 2 || t > 4) continue;  // whole seconds of steady traffic
    EXPECT_NEAR(tick["nodes"]["app-a-0"].get<double>(), 0.5, 0.02) << "at t = " << t;
    EXPECT_EQ(tick["span_s"].get<double>(), 1.0);  // one timeline interval closed per 1 s tick
    EXPECT_NEAR(tick["throughput_rps"].get<double>(), 200, 1) << "at t = " << t;
    EXPECT_EQ(tick["nodes"]["client-web"].get<double>(), 0.0);  // clients do no modelled work
  }
  EXPECT_GE(with_nodes, 3);
}

TEST_F(Cli, WarnsWhenMostRequestsPaidAHandshakeBecauseConnectionsOutliveTheRun) {
  // 400 requests a second from 2000 addresses, up to 20 requests per connection: in 2 s a
  // browser sends 0.4 request on average, so nearly every request opens its connection
  // (the chance that an address sent before is about 1 - (1 - e^-0.4) / 0.4 = 18 %).
  // From 4 addresses over 20 s, one request in 20 does (each connection's first).
  const auto share_and_warnings = [&](const std::string& name, const std::string& ips, const std::string& duration) {
    const fs::path file = write(name + ".yaml", "name: " + name + "\nduration: " + duration + R"(
topology: { zones: [a] }
clients: [ { name: web, arrival: { kind: constant, rate: 400/s }, source_ips: )" + ips + R"(, tls: none,
             keepalive: { requests_per_connection: 20 }, mix: [ { path: / } ] } ]
l4: { target_group: app }
target_groups: { app: { per_zone: 1, workers: 8, service_time: { dist: constant, value: 1ms } } }
)");
    const Outcome r = lbsim("run " + file.string() + " -q --out " + (dir_ / name).string());
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return summary(dir_ / name)["steady_state"];
  };
  const auto short_run = share_and_warnings("short", "2000", "2s");
  EXPECT_NEAR(short_run["new_connection_share"].get<double>(), 0.82, 0.05);
  EXPECT_THAT(short_run["warnings"].dump(), HasSubstr("opened a new connection and paid its handshake"));
  const auto long_run = share_and_warnings("long", "4", "20s");
  EXPECT_NEAR(long_run["new_connection_share"].get<double>(), 1.0 / 20, 0.01);
  EXPECT_THAT(long_run["warnings"].dump(), ::testing::Not(HasSubstr("handshake")));
}

TEST_F(Cli, VariantsOfAFileSendTheSameTrafficOnTheSameSeed) {
  // Lesson 7: zone b's backends fail at 8 s. Behind the L7 tier almost nothing fails;
  // without it clients time out and retry. Retries and new connections draw from their
  // own random stream, so the traffic itself (when, what, from where) stays the same.
  const std::string file = scenario("lessons/07-two-tier-architecture.yaml");
  for (const char* variant : {"two-tier", "l4-only"}) {
    const Outcome r = lbsim("run " + file + " --variant " + variant + " -q --out " + (dir_ / variant).string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  const auto a = summary(dir_ / "two-tier"), b = summary(dir_ / "l4-only");
  EXPECT_EQ(a["requests"]["sent"], b["requests"]["sent"]);
  EXPECT_LT(a["requests"]["retries"].get<std::uint64_t>(), b["requests"]["retries"].get<std::uint64_t>());
}

TEST_F(Cli, DifferentSeedGivesDifferentLatencies) {
  for (const char* seed : {"1", "2"}) {
    const Outcome r = lbsim("run " + scenario("l4-only-3az.yaml") + " --duration 1s -q --seed " + seed + " --out " + (dir_ / seed).string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  const auto a = summary(dir_ / "1"), b = summary(dir_ / "2");
  EXPECT_EQ(a["seed"], 1);
  EXPECT_EQ(b["seed"], 2);
  EXPECT_NE(a["latency_ms"].dump(), b["latency_ms"].dump());
  EXPECT_NE(a["requests"]["sent"], b["requests"]["sent"]);
}

TEST_F(Cli, TopologyPrintsGraphviz) {
  const Outcome r = lbsim("topology " + scenario("two-tier-3az.yaml") + " --dot");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, StartsWith("digraph lbsim {"));
  EXPECT_THAT(r.out, HasSubstr("cluster_a"));
  EXPECT_THAT(r.out, HasSubstr("\"client-web\" -> \"l4-a-0\""));
}

TEST_F(Cli, BadArgumentsExitTwoWithOneLine) {
  Outcome r = lbsim("run " + scenario("two-tier-3az.yaml") + " --duration soon");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--duration: expected a positive duration"));
  r = lbsim("run /nonexistent/x.yaml");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, StartsWith("/nonexistent/x.yaml:1:1: error: cannot read the file"));
  r = lbsim("frobnicate");
  EXPECT_EQ(r.exit_code, 2);
  r = lbsim("run");
  EXPECT_EQ(r.exit_code, 2);
}

// One zone, one backend, 100 requests a second for a second: a run in a blink, with the
// objectives given.
std::string tiny_scenario_with_slo(const std::string& objectives) {
  return "name: tiny-slo\n"
         "duration: 1s\n"
         "topology:\n  zones: [a]\n"
         "clients:\n  - { name: web, arrival: { rate: 100/s }, mix: [ { path: / } ] }\n"
         "l4: {}\n"
         "l7: { nodes_per_zone: 1, rules: [ { default: true, forward: api } ] }\n"
         "target_groups:\n  api: { per_zone: 1 }\n"
         "slo:\n" +
         objectives;
}

TEST_F(Cli, MissedObjectiveExitsThreeAfterWritingTheSummary) {
  const fs::path file = write("strict.yaml", tiny_scenario_with_slo("  - { p99: 1us }\n  - { error_rate: 100% }\n"));
  const Outcome r = lbsim("run " + file.string() + " --out " + (dir_ / "o").string());
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_THAT(r.out, HasSubstr("FAIL  p99 <= 1us"));
  EXPECT_THAT(r.out, HasSubstr("PASS  error_rate <= 100%"));
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_THAT(r.err, HasSubstr("p99 <= 1us"));
  EXPECT_THAT(r.err, ::testing::Not(HasSubstr("error_rate")));
  const auto s = summary(dir_ / "o");
  EXPECT_FALSE(s["slo"]["passed"].get<bool>());
  ASSERT_EQ(s["slo"]["objectives"].size(), 2u);
  EXPECT_EQ(s["slo"]["objectives"][0]["text"], "p99 <= 1us");
  EXPECT_FALSE(s["slo"]["objectives"][0]["passed"].get<bool>());
  EXPECT_TRUE(s["slo"]["objectives"][1]["passed"].get<bool>());
}

TEST_F(Cli, MetObjectiveExitsZero) {
  const fs::path file = write("lax.yaml", tiny_scenario_with_slo("  - { p99: 10s, window: 1s }\n"));
  const Outcome r = lbsim("run " + file.string() + " --out " + (dir_ / "o").string());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("PASS  p99 <= 10s per 1s"));
  EXPECT_TRUE(r.err.empty()) << r.err;
  EXPECT_TRUE(summary(dir_ / "o")["slo"]["passed"].get<bool>());
}

// ---- lbsim compare and variants ----

nlohmann::json comparison(const fs::path& out_dir) {
  std::ifstream in(out_dir / "comparison.json");
  return nlohmann::json::parse(in);
}

// The comparison's row of one metric.
nlohmann::json metric_row(const nlohmann::json& c, const std::string& key) {
  for (const auto& m : c["metrics"])
    if (m["key"] == key) return m;
  ADD_FAILURE() << "no metric " << key;
  return nlohmann::json::object();
}

TEST_F(Cli, CompareOfAScenarioWithItselfShowsZeroDeltas) {
  const std::string file = scenario("two-tier-3az.yaml");
  const Outcome r = lbsim("compare " + file + " " + file + " --duration 1s --out " + (dir_ / "c").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto c = comparison(dir_ / "c");
  ASSERT_EQ(c["runs"].size(), 2u);
  EXPECT_EQ(c["runs"][0]["name"], "two-tier-3az");
  EXPECT_EQ(c["runs"][1]["name"], "two-tier-3az-2");
  EXPECT_EQ(c["seed"], 42);
  EXPECT_GE(c["metrics"].size(), 15u);
  for (const auto& m : c["metrics"]) {
    EXPECT_EQ(m["values"][0], m["values"][1]) << m["key"];
    if (m["deltas"][1].is_null()) continue;
    EXPECT_EQ(m["deltas"][1]["absolute"].get<double>(), 0.0) << m["key"];
    EXPECT_EQ(m["deltas"][1]["percent"].get<double>(), 0.0) << m["key"];
  }
  EXPECT_GT(metric_row(c, "requests.sent")["values"][0].get<double>(), 0);
  // Every printed difference is a zero.
  EXPECT_THAT(r.out, HasSubstr("requests sent"));
  EXPECT_THAT(r.out, HasSubstr("0 (0.0 %)"));
  EXPECT_THAT(r.out, ::testing::Not(HasSubstr("(+")));
  EXPECT_THAT(r.out, ::testing::Not(HasSubstr("(-")));
  EXPECT_THAT(r.out, ::testing::Not(HasSubstr("n/a")));
  // Both runs are the same run.
  auto a = summary(dir_ / "c" / "two-tier-3az"), b = summary(dir_ / "c" / "two-tier-3az-2");
  a.erase("wall_seconds");
  b.erase("wall_seconds");
  EXPECT_EQ(a.dump(), b.dump());
  EXPECT_THAT(slurp(dir_ / "c" / "comparison.md"), HasSubstr("| metric | two-tier-3az | two-tier-3az-2 |"));
}

TEST_F(Cli, CompareOfAVariantsFileRunsOneColumnPerVariant) {
  const Outcome r = lbsim("compare " + scenario("compare/dnat-vs-dsr.yaml") + " --duration 1s --seed 5 --jobs 1 --out " +
                          (dir_ / "c").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto c = comparison(dir_ / "c");
  ASSERT_EQ(c["runs"].size(), 2u);
  EXPECT_EQ(c["runs"][0]["name"], "dnat-vs-dsr:dnat");
  EXPECT_EQ(c["runs"][0]["variant"], "dnat");
  EXPECT_EQ(c["runs"][1]["name"], "dnat-vs-dsr:dsr");
  EXPECT_EQ(c["runs"][1]["variant"], "dsr");
  EXPECT_THAT(r.out, HasSubstr("dnat-vs-dsr:dnat  dnat-vs-dsr:dsr"));
  for (const char* variant : {"dnat", "dsr"}) {
    const auto s = summary(dir_ / "c" / (std::string("dnat-vs-dsr:") + variant));
    EXPECT_EQ(s["scenario"], std::string("dnat-vs-dsr/") + variant);
    EXPECT_EQ(s["seed"], 5);
    EXPECT_EQ(s["duration_s"], 1.0);
  }
  // The busiest backend and target group, not an average over the tier.
  for (int v = 0; v < 2; ++v) {
    const auto s = summary(dir_ / "c" / c["runs"][v]["name"].get<std::string>());
    double node = 0, group = 0;
    for (const auto& n : s["nodes"])
      if (n["kind"] == "backend") node = std::max(node, n["utilization"].get<double>());
    for (const auto& g : s["target_groups"]) group = std::max(group, g["utilization"].get<double>());
    EXPECT_EQ(metric_row(c, "utilization_busiest_node.backend")["values"][v].get<double>(), node);
    EXPECT_EQ(metric_row(c, "utilization_busiest_group")["values"][v].get<double>(), group);
  }
  // Same traffic; replies bypass the L4 tier under DSR.
  const auto sent = metric_row(c, "requests.sent");
  EXPECT_EQ(sent["values"][0], sent["values"][1]);
  const auto nic = metric_row(c, "l4_nic_bytes");
  EXPECT_LT(nic["values"][1].get<double>(), 0.1 * nic["values"][0].get<double>());
  EXPECT_LT(nic["deltas"][1]["percent"].get<double>(), -90.0);
}

TEST_F(Cli, CompareWithReplicationsMarksWhatDiffersSignificantlyFromTheBaseline) {
  const Outcome r = lbsim("compare " + scenario("compare/dnat-vs-dsr.yaml") + " --duration 1s --replications 3 --baseline dnat-vs-dsr:dsr --out " +
                          (dir_ / "c").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto c = comparison(dir_ / "c");
  EXPECT_EQ(c["runs"][0]["name"], "dnat-vs-dsr:dsr");  // the baseline comes first
  for (int k = 1; k <= 3; ++k) EXPECT_TRUE(fs::exists(dir_ / "c" / "dnat-vs-dsr:dnat" / ("replication-" + std::to_string(k)) / "summary.json"));
  // Replies cross the L4 node only under DNAT: a difference far above the seeds' noise.
  const auto nic = metric_row(c, "l4_nic_bytes");
  EXPECT_TRUE(nic["deltas"][1]["significant_at_95"].get<bool>());
  // Same traffic and seeds for both: the requests sent are equal, so not significant.
  EXPECT_FALSE(metric_row(c, "requests.sent")["deltas"][1]["significant_at_95"].get<bool>());
  // The value is the mean over the replications' own summaries.
  double mean = 0;
  for (int k = 1; k <= 3; ++k)
    mean += summary(dir_ / "c" / "dnat-vs-dsr:dnat" / ("replication-" + std::to_string(k)))["throughput_rps"].get<double>() / 3;
  EXPECT_NEAR(metric_row(c, "throughput_rps")["values"][1].get<double>(), mean, 1e-6 * mean);
  EXPECT_THAT(r.out, HasSubstr(" *"));
  EXPECT_THAT(r.out, HasSubstr("(n.s.)"));

  const Outcome bad = lbsim("compare " + scenario("compare/dnat-vs-dsr.yaml") + " --baseline nope --out " + (dir_ / "d").string());
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, HasSubstr("--baseline nope: error: no run named 'nope'; the runs are: dnat-vs-dsr:dnat or dnat-vs-dsr:dsr"));
}

TEST_F(Cli, CompareWithABadVariantExitsTwoWithOneLine) {
  std::string text = slurp(scenario("compare/dnat-vs-dsr.yaml"));
  text += "  - name: typo\n    set: { l4.forwarding: dsx }\n";
  const int line = static_cast<int>(std::count(text.begin(), text.end(), '\n'));
  const fs::path file = write("bad.yaml", text);
  const Outcome r = lbsim("compare " + file.string() + " --duration 1s --out " + (dir_ / "c").string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_THAT(r.err, StartsWith(file.string() + ":" + std::to_string(line) + ":27: error: variant 'typo': l4.forwarding:"));
  EXPECT_TRUE(r.out.empty()) << r.out;
  EXPECT_FALSE(fs::exists(dir_ / "c"));  // nothing ran
}

TEST_F(Cli, CompareExitsThreeNamingTheRunsThatMissedTheirObjectives) {
  const fs::path strict = write("strict.yaml", tiny_scenario_with_slo("  - { p99: 1us }\n"));
  const fs::path lax = write("lax.yaml", tiny_scenario_with_slo("  - { p99: 10s }\n"));
  const Outcome r = lbsim("compare " + lax.string() + " " + strict.string() + " --out " + (dir_ / "c").string());
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_THAT(r.err, HasSubstr("run 'strict' missed its service-level objectives: p99 <= 1us"));
  const auto c = comparison(dir_ / "c");
  EXPECT_EQ(metric_row(c, "slo")["values"], nlohmann::json::parse(R"(["met", "MISSED"])"));
  EXPECT_EQ(c["runs"][1]["slo_missed"][0], "p99 <= 1us");
}

TEST_F(Cli, RunOfAFileWithVariantsRunsTheFileAndSaysHowToRunThem) {
  const std::string file = scenario("compare/dnat-vs-dsr.yaml");
  Outcome r = lbsim("run " + file + " --duration 1s --out " + (dir_ / "base").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "this file has variants dnat, dsr: lbsim compare " + file +
                       " runs them side by side (run one with --variant NAME)\n");
  EXPECT_EQ(summary(dir_ / "base")["scenario"], "dnat-vs-dsr");
  r = lbsim("run " + file + " --variant dsr --duration 1s -q --out " + (dir_ / "dsr").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.err.empty()) << r.err;
  EXPECT_EQ(summary(dir_ / "dsr")["scenario"], "dnat-vs-dsr/dsr");
  r = lbsim("run " + file + " --variant dssr");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_THAT(r.err, HasSubstr("no variant 'dssr'; the file's variants are: dnat, dsr (did you mean 'dsr'?)"));
}

TEST_F(Cli, ValidateChecksEveryVariant) {
  std::string text = slurp(scenario("compare/l4-only-vs-two-tier.yaml"));
  // Without the override that names the L4 tier's group, the L4-only variant is invalid.
  const auto at = text.find("      l4.target_group: app\n");
  ASSERT_NE(at, std::string::npos);
  text.erase(at, std::string("      l4.target_group: app\n").size());
  const Outcome r = lbsim("validate " + write("v.yaml", text).string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_THAT(r.err, HasSubstr("error: variant 'l4-only': l4: an L4-only layout (no l7 section) needs 'target_group'"));
  const Outcome ok = lbsim("validate " + scenario("compare/l4-only-vs-two-tier.yaml"));
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_THAT(ok.out, HasSubstr("--variant l4-only: ok (l4-only-vs-two-tier/l4-only, l4-only, 3 zones)"));
}

// ---- lbsim run --set and lbsim sweep ----

TEST_F(Cli, RunSetAppliesAnOverrideAndChecksItLikeAVariant) {
  const fs::path file = write("tiny.yaml", tiny_scenario_with_slo("  - { p99: 10s }\n"));
  // A scalar, and a whole mapping: evenly spaced arrivals, 50 in the run's second.
  Outcome r = lbsim("run --set l7.nodes_per_zone=3 --set 'clients[0].arrival={ kind: constant, rate: 50/s }' " + file.string() +
                    " -q --out " + (dir_ / "o").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto s = summary(dir_ / "o");
  EXPECT_EQ(std::count_if(s["nodes"].begin(), s["nodes"].end(), [](const auto& n) { return n["kind"] == "l7"; }), 3);
  EXPECT_NEAR(s["requests"]["sent"].get<double>(), 50, 1);
  EXPECT_EQ(s["scenario"], "tiny-slo");

  const auto one_error = [&](const std::string& set) {
    const Outcome bad = lbsim("run " + file.string() + " --set " + set);
    EXPECT_EQ(bad.exit_code, 2) << set;
    EXPECT_EQ(std::count(bad.err.begin(), bad.err.end(), '\n'), 1) << bad.err;
    EXPECT_TRUE(bad.out.empty()) << bad.out;
    return bad.err;
  };
  // A problem with the override names it; one it causes in the file says it was given.
  EXPECT_THAT(one_error("l4.forwarding=dsx"), StartsWith("--set l4.forwarding=dsx: error: l4.forwarding: expected one of"));
  EXPECT_THAT(one_error("l7.nodes_per_zon=2"),
              StartsWith("--set l7.nodes_per_zon=2: error: unknown key 'nodes_per_zon' in l7; did you mean 'nodes_per_zone'?"));
  EXPECT_THAT(one_error("l9.nodes=2"), StartsWith("--set l9.nodes=2: error: l9.nodes: the top level has no key 'l9'"));
  EXPECT_THAT(one_error("l7.nodes_per_zone"), StartsWith("--set l7.nodes_per_zone: error: expected PATH=VALUE"));
  const std::string caused = one_error("'l7=~'");  // without its L7 tier, l4 needs a target group
  EXPECT_THAT(caused, StartsWith(file.string() + ":"));
  EXPECT_THAT(caused, HasSubstr(": error: with --set l7=~: l4: an L4-only layout"));
}

TEST_F(Cli, ReplicationsSayTheWarmUpAndHowManyOfThemSaturated) {
  // One worker at 10 ms a request, offered 150/s: 150 % busy, saturated in every replication.
  const fs::path file = write("hot.yaml", "name: hot\nduration: 5s\nwarmup: 1s\n"
                                          "topology:\n  zones: [a]\n"
                                          "clients:\n  - { name: web, arrival: { rate: 150/s }, timeout: 60s, mix: [ { path: / } ] }\n"
                                          "l4: { target_group: api }\n"
                                          "target_groups:\n  api: { per_zone: 1, workers: 1, service_time: { dist: constant, value: 10ms } }\n");
  const Outcome r = lbsim("run " + file.string() + " --replications 2 --jobs 2 --out " + (dir_ / "r").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("warm-up: requests sent in the first 1 s are left out of every figure"));
  EXPECT_THAT(r.out, HasSubstr("warning: saturated: api-a-0 (api) at 95 % busy or more"));
  EXPECT_THAT(r.out, HasSubstr("saturation was flagged in 2 of 2 replications"));
}

TEST_F(Cli, ReplicationsGiveEachFigureAMeanAndAnIntervalOverIndependentSeeds) {
  const fs::path file = write("tiny.yaml", tiny_scenario_with_slo("  - { p99: 10s }\n"));
  const Outcome r = lbsim("run " + file.string() + " --replications 4 --jobs 2 --out " + (dir_ / "r").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("4 replications"));
  EXPECT_THAT(r.out, HasSubstr("95 % interval"));
  const auto s = summary(dir_ / "r");
  const auto& reps = s["replications"];
  EXPECT_EQ(reps["count"], 4);
  // The first replication is the plain run: the file's seed, and summary.json is its own.
  EXPECT_EQ(reps["seeds"][0], s["seed"]);
  std::set<std::uint64_t> seeds;
  for (const auto& seed : reps["seeds"]) seeds.insert(seed.get<std::uint64_t>());
  EXPECT_EQ(seeds.size(), 4u);
  for (int k = 1; k <= 4; ++k) {
    const auto own = summary(dir_ / "r" / ("replication-" + std::to_string(k)));
    EXPECT_EQ(own["seed"], reps["seeds"][k - 1]);
    EXPECT_EQ(own["latency_ms"]["p50"], reps["figures"]["p50_ms"]["values"][k - 1]);
  }
  // The interval is the mean +- t(3) s / sqrt(4), worked out here from the four values.
  const auto& p50 = reps["figures"]["p50_ms"];
  double mean = 0, squares = 0;
  for (const auto& v : p50["values"]) mean += v.get<double>() / 4;
  for (const auto& v : p50["values"]) squares += (v.get<double>() - mean) * (v.get<double>() - mean);
  EXPECT_NEAR(p50["mean"].get<double>(), mean, 1e-9);
  EXPECT_NEAR(p50["half_width"].get<double>(), 3.182 * std::sqrt(squares / 3) / 2, 1e-3 * (1 + mean));
  EXPECT_GT(p50["half_width"].get<double>(), 0);  // independent seeds: the runs differ
  // report.html beside it: the intervals first, then replication 1's own tables and charts.
  const std::string html = slurp(dir_ / "r" / "report.html");
  const auto intervals = html.find("<h2>Over 4 replications</h2>");
  ASSERT_NE(intervals, std::string::npos);
  EXPECT_LT(intervals, html.find("<h2>Summary</h2>"));
  EXPECT_NE(html.find("<td>p50_ms</td>", intervals), std::string::npos);
  EXPECT_EQ(count_of(html, "<svg"), 6u);

  const Outcome streamed = lbsim("run " + file.string() + " --replications 2 --stream");
  EXPECT_EQ(streamed.exit_code, 2);
  EXPECT_THAT(streamed.err, HasSubstr("cannot --stream"));
}

// sweep.csv as rows of cells (no value in these tests holds a comma).
std::vector<std::vector<std::string>> csv_rows(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    std::vector<std::string> cells;
    std::istringstream fields(line + ",");  // so that a trailing empty cell is kept
    for (std::string cell; std::getline(fields, cell, ',');) cells.push_back(cell);
    rows.push_back(cells);
  }
  return rows;
}

// The highest utilization among a summary's nodes of one kind.
double max_utilization(const nlohmann::json& s, const std::string& kind) {
  double most = 0;
  for (const auto& n : s["nodes"])
    if (n["kind"] == kind) most = std::max(most, n["utilization"].get<double>());
  return most;
}

TEST_F(Cli, SweepOfTwoByTwoWritesOneRowPerPointWithThatPointsFigures) {
  const fs::path file = write("tiny.yaml", tiny_scenario_with_slo("  - { p99: 10s }\n"));
  const Outcome r = lbsim("sweep " + file.string() + " --set l7.nodes_per_zone=1..2 --set 'clients[0].arrival.rate=50/s,100/s' --out " +
                          (dir_ / "s").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto rows = csv_rows(slurp(dir_ / "s" / "sweep.csv"));
  ASSERT_EQ(rows.size(), 5u);
  const std::vector<std::string> header{"l7.nodes_per_zone", "clients[0].arrival.rate", "sent", "completed", "failed", "error_rate",
                                        "throughput_rps", "p50_ms", "p90_ms", "p99_ms", "p999_ms", "mean_ms", "backend_util_max",
                                        "l7_util_max", "l4_util_max", "slo_passed"};
  EXPECT_EQ(rows[0], header);
  // The grid in the order given, the last --set varying fastest.
  const std::vector<std::pair<std::string, std::string>> grid{{"1", "50/s"}, {"1", "100/s"}, {"2", "50/s"}, {"2", "100/s"}};
  const auto points = nlohmann::json::parse(slurp(dir_ / "s" / "sweep.json"))["points"];
  ASSERT_EQ(points.size(), 4u);
  for (std::size_t i = 0; i < grid.size(); ++i) {
    const auto& row = rows[i + 1];
    ASSERT_EQ(row.size(), header.size());
    EXPECT_EQ(std::pair(row[0], row[1]), grid[i]);
    const auto s = summary(points[i]["dir"].get<std::string>());
    // The run is that point's: as many L7 nodes as the row says.
    EXPECT_EQ(std::count_if(s["nodes"].begin(), s["nodes"].end(), [](const auto& n) { return n["kind"] == "l7"; }), std::stoi(row[0]));
    const auto cell = [&](const std::string& key) {
      return nlohmann::json::parse(row[std::find(header.begin(), header.end(), key) - header.begin()]);
    };
    for (const char* count : {"sent", "completed", "failed"}) EXPECT_EQ(cell(count), s["requests"][count]) << count;
    EXPECT_EQ(cell("throughput_rps"), s["throughput_rps"]);
    for (const char* p : {"p50", "p90", "p99", "p999", "mean"}) EXPECT_EQ(cell(std::string(p) + "_ms"), s["latency_ms"][p]) << p;
    const double completed = s["requests"]["completed"], failed = s["requests"]["failed"];
    EXPECT_EQ(cell("error_rate").get<double>(), failed / (completed + failed));
    for (const char* kind : {"backend", "l7", "l4"})
      EXPECT_EQ(cell(std::string(kind) + "_util_max").get<double>(), max_utilization(s, kind)) << kind;
    EXPECT_EQ(cell("slo_passed"), s["slo"]["passed"]);
  }
  EXPECT_LT(std::stoi(rows[1][2]), std::stoi(rows[2][2]));  // 50/s sends fewer than 100/s
  EXPECT_THAT(r.out, ::testing::Not(HasSubstr("knee")));     // only a one-dimensional sweep has one
}

TEST_F(Cli, SweepWithReplicationsGivesEachPointTheMeanAndIntervalOfItsReplications) {
  const fs::path file = write("tiny.yaml", tiny_scenario_with_slo("  - { p99: 10s }\n"));
  // One value is not an axis: every point runs with two L7 nodes.
  const Outcome r = lbsim("sweep " + file.string() + " --set 'clients[0].arrival.rate=50/s,100/s' --set l7.nodes_per_zone=2 --replications 3 --out " +
                          (dir_ / "s").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto sweep = nlohmann::json::parse(slurp(dir_ / "s" / "sweep.json"));
  ASSERT_EQ(sweep["grid"].size(), 1u);
  EXPECT_EQ(sweep["set"], nlohmann::json::parse(R"(["l7.nodes_per_zone=2"])"));
  const auto rows = csv_rows(slurp(dir_ / "s" / "sweep.csv"));
  ASSERT_EQ(rows.size(), 3u);
  const auto column = [&](const std::string& key) { return std::find(rows[0].begin(), rows[0].end(), key) - rows[0].begin(); };
  ASSERT_LT(column("p99_ms_ci95"), static_cast<std::ptrdiff_t>(rows[0].size()));
  for (int i = 0; i < 2; ++i) {
    const auto& point = sweep["points"][i];
    std::vector<double> p99;
    std::set<std::uint64_t> seeds;
    for (int k = 1; k <= 3; ++k) {
      const auto s = summary(fs::path(point["dir"].get<std::string>()) / ("replication-" + std::to_string(k)));
      EXPECT_EQ(std::count_if(s["nodes"].begin(), s["nodes"].end(), [](const auto& n) { return n["kind"] == "l7"; }), 2);
      p99.push_back(s["latency_ms"]["p99"].get<double>());
      seeds.insert(s["seed"].get<std::uint64_t>());
    }
    EXPECT_EQ(seeds.size(), 3u);  // independent seeds
    // Mean and half-width by hand: t(0.975, 2 dof) = 4.303 times the standard error.
    const double mean = (p99[0] + p99[1] + p99[2]) / 3;
    double squares = 0;
    for (double v : p99) squares += (v - mean) * (v - mean);
    const double half = 4.3027 * std::sqrt(squares / 2) / std::sqrt(3.0);
    EXPECT_NEAR(point["figures"]["p99_ms"].get<double>(), mean, 1e-9 * mean);
    EXPECT_NEAR(std::stod(rows[i + 1][column("p99_ms")]), mean, 1e-9 * mean);
    EXPECT_NEAR(std::stod(rows[i + 1][column("p99_ms_ci95")]), half, 1e-3 * half + 1e-9);
    EXPECT_EQ(point["replications"]["count"], 3);
  }
  EXPECT_THAT(r.out, HasSubstr("the mean of 3 replications"));
  EXPECT_THAT(r.out, HasSubstr(" ±"));
  // The page links each point to its (first replication's) report.
  EXPECT_THAT(slurp(dir_ / "s" / "sweep.html"), HasSubstr("href=\"./rate=50_s/replication-1/report.html\""));
}

TEST_F(Cli, SweepNeedsAnAxisWithTwoValues) {
  const fs::path file = write("tiny.yaml", tiny_scenario_with_slo("  - { p99: 10s }\n"));
  const Outcome r = lbsim("sweep " + file.string() + " --set l7.nodes_per_zone=2 --out " + (dir_ / "s").string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_THAT(r.err, HasSubstr("expected a --set PATH=RANGE with two or more values"));
  EXPECT_FALSE(fs::exists(dir_ / "s"));
}

TEST_F(Cli, CompareTakesVariantAndSetLikeRun) {
  // The file runs 3000/s; --set makes every run 500/s, --variant keeps only dsr.
  const Outcome r = lbsim("compare " + scenario("compare/dnat-vs-dsr.yaml") + " --variant dsr --set 'clients[0].arrival.rate=500/s' --duration 2s --out " +
                          (dir_ / "c").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto c = comparison(dir_ / "c");
  ASSERT_EQ(c["runs"].size(), 1u);
  EXPECT_EQ(c["runs"][0]["name"], "dnat-vs-dsr:dsr");
  const auto s = summary(dir_ / "c" / "dnat-vs-dsr:dsr");
  EXPECT_THAT(s["scenario"].get<std::string>(), ::testing::EndsWith("/dsr"));
  // Poisson at 500/s for 2 s: about 1000 requests (3000/s would send about 6000).
  EXPECT_NEAR(s["requests"]["sent"].get<double>(), 1000, 150);

  const Outcome bad = lbsim("compare " + scenario("compare/dnat-vs-dsr.yaml") + " --variant nope --out " + (dir_ / "d").string());
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, HasSubstr("--variant nope: error: no file given declares a variant named 'nope'"));
  EXPECT_FALSE(fs::exists(dir_ / "d"));
}

TEST_F(Cli, SweepFindsTheKneeAtTheFirstRateAboveTheBackendsCapacity) {
  // L4-only, one backend with one worker and a constant 10 ms service: it serves at most
  // 1 / 10 ms = 100 requests a second. Arrivals evenly spaced at a rate up to 100/s are at
  // least 10 ms apart, so none waits and every latency is the path plus 10 ms, the same at
  // 20/s and 80/s. At 140/s the backlog grows by 140 - 100 = 40 requests a second: request
  // k waits k x (10 ms - 1/140 s) = k x 2.86 ms, so in a 2 s run (280 requests) the p99
  // request (k = 277) waits 791 ms, far above twice the first point's p99. The rates
  // 20..200 step 60 are 20, 80, 140, 200: the knee is between 80/s and 140/s.
  const fs::path file = write("one-backend.yaml", R"(name: one-backend
duration: 2s
topology:
  zones: [a]
clients:
  - { name: web, arrival: { kind: constant, rate: 10/s }, tls: none, mix: [ { path: / } ] }
l4: { target_group: app }
target_groups:
  app: { per_zone: 1, workers: 1, service_time: { dist: constant, value: 10ms } }
)");
  const Outcome r = lbsim("sweep " + file.string() + " --set 'clients[0].arrival.rate=20/s..200/s:60/s' --out " + (dir_ / "s").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto sweep = nlohmann::json::parse(slurp(dir_ / "s" / "sweep.json"));
  EXPECT_EQ(sweep["grid"][0]["values"], nlohmann::json::parse(R"(["20/s", "80/s", "140/s", "200/s"])"));
  const auto p99 = [&](int i) { return sweep["points"][i]["figures"]["p99_ms"].get<double>(); };
  EXPECT_EQ(p99(0), p99(1));
  EXPECT_NEAR(p99(2) - p99(0), 791, 0.01 * 791);  // the histograms' error is 0.4 %
  const auto& knee = sweep["knee"]["found"];
  EXPECT_EQ(knee["point"], 2);
  EXPECT_EQ(knee["previous"], 1);
  EXPECT_TRUE(knee["p99"].get<bool>());
  EXPECT_FALSE(knee["errors"].get<bool>());
  EXPECT_THAT(r.out, HasSubstr("p99 knee between rate 80/s ("));
  EXPECT_THAT(r.out, HasSubstr(") and 140/s ("));
  EXPECT_EQ(sweep["knee"]["text"].get<std::string>().rfind("p99 knee between rate 80/s", 0), 0u);
  // sweep.html draws latency and errors against the rate, and states the knee.
  const std::string html = slurp(dir_ / "s" / "sweep.html");
  EXPECT_EQ(count_of(html, "<svg"), 2u);
  EXPECT_THAT(html, HasSubstr("p99 knee between rate 80/s"));
}

TEST_F(Cli, TwoDimensionalSweepDrawsOneCurvePerValueOfTheFirstAxis) {
  const fs::path file = write("workers.yaml", R"(name: workers
duration: 1s
topology: { zones: [a] }
clients:
  - { name: web, arrival: { kind: constant, rate: 10/s }, tls: none, mix: [ { path: / } ] }
l4: { target_group: app }
target_groups:
  app: { per_zone: 1, workers: 1, service_time: { dist: constant, value: 10ms } }
)");
  const Outcome r = lbsim("sweep " + file.string() + " --set target_groups.app.workers=1,2 --set 'clients[0].arrival.rate=50/s..250/s:100/s' --out " +
                          (dir_ / "s").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string html = slurp(dir_ / "s" / "sweep.html");
  EXPECT_EQ(count_of(html, "<svg"), 2u);
  // Qt writes legend labels as SVG text: one p99 curve per worker count.
  EXPECT_THAT(html, HasSubstr("workers 1: p99"));
  EXPECT_THAT(html, HasSubstr("workers 2: p99"));
}

TEST_F(Cli, ComparisonPageOverlaysEveryRunsCharts) {
  const std::string file = scenario("compare/dnat-vs-dsr.yaml");
  const Outcome r = lbsim("compare " + file + " --duration 2s --out " + (dir_ / "c").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string html = slurp(dir_ / "c" / "comparison.html");
  EXPECT_EQ(count_of(html, "<svg"), 2u);  // latency distribution and p99 over time
  for (const std::string run : {"dnat-vs-dsr:dnat", "dnat-vs-dsr:dsr"}) {
    EXPECT_THAT(html, HasSubstr("href=\"./" + run + "/report.html\"")) << run;
    EXPECT_TRUE(fs::exists(dir_ / "c" / run / "report.html")) << run;
  }
  EXPECT_EQ(html.find("<script"), std::string::npos);
}

TEST_F(Cli, SweepWithABadSetExitsTwoWithOneLineBeforeAnythingRuns) {
  const std::string file = scenario("two-tier-3az.yaml");
  const std::pair<std::string, std::string> cases[] = {
      {"--set l9.nodes=1..2", "--set l9.nodes=1: error: l9.nodes: the top level has no key 'l9'"},  // no such path
      {"--set l7.nodes_per_zone=1..x", "--set l7.nodes_per_zone=1..x: error: expected a range"},
      {"--set l7.nodes_per_zone=4..1", "--set l7.nodes_per_zone=4..1: error: the range is empty"},
      {"--set l7.nodes_per_zone=0..2", "--set l7.nodes_per_zone=0: error: l7.nodes_per_zone: expected an integer"},
      {"--set 'clients[0].arrival.rate=10/s..50ms:10/s'", "error: the unit must be the same"},
      {"--set l7.nodes_per_zone=1..64 --set l7.cpu.cores=1..200", "lbsim: error: the grid (64 x 200) has more than 10000 points"},
  };
  for (const auto& [sets, message] : cases) {
    const Outcome r = lbsim("sweep " + file + " " + sets + " --out " + (dir_ / "s").string());
    EXPECT_EQ(r.exit_code, 2) << sets;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_THAT(r.err, HasSubstr(message)) << sets;
    EXPECT_TRUE(r.out.empty()) << r.out;
    EXPECT_FALSE(fs::exists(dir_ / "s")) << sets;  // nothing ran
  }
}

}  // namespace
