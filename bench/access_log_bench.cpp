// SPDX-License-Identifier: GPL-3.0-or-later
// Access-log lines parsed per second on one core (core/traffic/access_log), one reused
// parser and record as `lbsim import traffic` and a replay use them. Prints figures
// (items_per_second: lines/s); asserts none. bench/replay-logs.sh measures the whole
// path from a gzip'd file on disk.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "traffic/access_log.hpp"

namespace {

using namespace lbsim;

// 1 000 distinct lines of a format, cycled: paths, addresses and times vary as in a real log.
std::vector<std::string> lines_of(traffic::LogFormat format) {
  std::vector<std::string> lines;
  for (int i = 0; i < 1000; ++i) {
    const std::string ip = "203.0." + std::to_string(i / 250) + "." + std::to_string(i % 250);
    const std::string path = i % 3 == 0 ? "/api/users/" + std::to_string(1000 + i) + "/orders?page=" + std::to_string(i % 7) : "/static/app." + std::to_string(i % 9) + ".js";
    char at[40];
    std::snprintf(at, sizeof at, "2026-12-06T18:%02d:%02d.%06dZ", i / 60 % 60, i % 60, i * 997 % 1000000);
    switch (format) {
      case traffic::LogFormat::alb:
        lines.push_back("https " + std::string(at) + " app/shop-alb/50dc6c495c0c9188 " + ip + ":" + std::to_string(30000 + i) +
                        " 10.0.1.11:8080 0.000 0.012 0.000 200 200 342 3066 \"GET https://shop.example.com:443" + path +
                        " HTTP/1.1\" \"Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/120.0\" TLS_AES_128_GCM_SHA256 TLSv1.3 "
                        "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api/73e2d6bc24d8a067 "
                        "\"Root=1-58337262-36d228ad5d99923122bbe354\" \"shop.example.com\" "
                        "\"arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012\" 30 " + at +
                        " \"forward\" \"-\" \"-\" \"10.0.1.11:8080\" \"200\" \"-\" \"-\"");
        break;
      case traffic::LogFormat::nginx:
      case traffic::LogFormat::clf:
        lines.push_back(ip + " - - [06/Dec/2026:18:" + (i / 60 % 60 < 10 ? "0" : "") + std::to_string(i / 60 % 60) + ":" + (i % 60 < 10 ? "0" : "") +
                        std::to_string(i % 60) + " +0000] \"GET " + path + " HTTP/1.1\" 200 " + std::to_string(500 + i) +
                        " \"-\" \"Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/120.0\"");
        break;
      case traffic::LogFormat::jsonl:
        lines.push_back("{\"time\": \"" + std::string(at) + "\", \"method\": \"GET\", \"host\": \"shop.example.com\", \"path\": \"" + path +
                        "\", \"status\": 200, \"bytes\": " + std::to_string(500 + i) + ", \"duration_ms\": 12.5, \"client\": \"" + ip + "\"}");
        break;
    }
  }
  return lines;
}

void BM_ParseLogLine(benchmark::State& state, traffic::LogFormat format) {
  const auto lines = lines_of(format);
  traffic::AccessLogParser parser(format);
  traffic::LogRecord record;
  std::string why;
  int column = 0;
  std::size_t i = 0, bytes = 0;
  for (auto _ : state) {
    const std::string& line = lines[i++ % lines.size()];
    bytes += line.size();
    benchmark::DoNotOptimize(parser.parse(line, record, why, column));
    benchmark::DoNotOptimize(record.time_s);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}
BENCHMARK_CAPTURE(BM_ParseLogLine, alb, traffic::LogFormat::alb);
BENCHMARK_CAPTURE(BM_ParseLogLine, nginx, traffic::LogFormat::nginx);
BENCHMARK_CAPTURE(BM_ParseLogLine, jsonl, traffic::LogFormat::jsonl);

}  // namespace

BENCHMARK_MAIN();
