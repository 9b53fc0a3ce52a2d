// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Real traffic as a scenario's client population (`lbsim import traffic FILE...
// --format alb|nginx|clf|jsonl`): access-log lines, streamed (memory does not grow with
// the log: counts per second, a bounded table of request templates, bounded samples),
// become the arrival profile (per-second counts as a `step` profile), the request mix
// (method, host and path templates: the top ones, the rest grouped by their first path
// segment), response sizes and, from ALB's target_processing_time, each target group's
// service times as empirical distributions, the client address population and the TLS
// share and version. A line that is not one of the format's is counted and skipped, the
// first few reported with their line numbers.
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "import/report.hpp"
#include "traffic/access_log.hpp"

namespace lbsim::importing {

using traffic::LogFormat;
using traffic::log_format_named;
using traffic::LogRecord;
using traffic::parse_log_line;
using traffic::path_template;
using traffic::anonymise;

// What a stream of records adds up to, in bounded memory.
class TrafficProfile {
public:
  void add(const LogRecord& record);
  void malformed(const SourcePlace& at, const std::string& why);

  std::uint64_t rows() const { return rows_; }
  std::uint64_t malformed_lines() const { return malformed_; }
  const std::vector<std::pair<SourcePlace, std::string>>& first_malformed() const { return first_malformed_; }
  double first_s() const { return first_s_; }
  double last_s() const { return last_s_; }
  // Requests in each second from the first record's.
  const std::map<std::int64_t, std::uint32_t>& per_second() const { return per_second_; }

  struct Template {
    std::uint64_t count = 0;
    std::string method, host, path, query, user_agent;  // the first request of the template, as written
  };
  // The request templates by key ("GET shop.example.com /users/{n}"), at most kMaxTemplates.
  const std::unordered_map<std::string, Template>& templates() const { return templates_; }
  const std::vector<double>& response_sizes() const { return response_sizes_; }
  const std::vector<double>& request_sizes() const { return request_sizes_; }
  const std::map<std::string, std::vector<double>>& service_times() const { return service_times_; }
  const std::map<std::string, std::uint64_t>& group_requests() const { return group_requests_; }
  std::size_t clients() const { return clients_.size(); }
  std::uint64_t tls_requests() const { return tls_requests_; }
  // Requests per connection, where the log shows a connection (ALB: the client's address
  // and port); 0 when it does not.
  double requests_per_connection() const;
  const std::map<std::string, std::uint64_t>& tls_versions() const { return tls_versions_; }

  static constexpr std::size_t kMaxTemplates = 10'000, kMaxSamples = 10'000, kMaxClients = 1 << 20;

private:
  void keep_sample(std::vector<double>& samples, std::uint64_t& seen, double value);

  std::uint64_t rows_ = 0, malformed_ = 0;
  std::vector<std::pair<SourcePlace, std::string>> first_malformed_;
  double first_s_ = 0, last_s_ = 0;
  std::map<std::int64_t, std::uint32_t> per_second_;
  std::unordered_map<std::string, Template> templates_;
  std::vector<double> response_sizes_, request_sizes_;
  std::uint64_t response_seen_ = 0, request_seen_ = 0;
  std::map<std::string, std::vector<double>> service_times_;
  std::map<std::string, std::uint64_t> service_seen_, group_requests_;
  std::unordered_set<std::uint32_t> clients_;
  std::unordered_set<std::uint64_t> connections_;  // address and port, up to kMaxClients
  std::uint64_t rows_on_connections_ = 0;          // rows of those connections
  std::uint64_t tls_requests_ = 0;
  std::map<std::string, std::uint64_t> tls_versions_;
  std::mt19937_64 random_{1};  // reservoir sampling: the same log gives the same samples
};

struct ImportedTraffic {
  std::string yaml;  // a scenario (or, with `into`, the given one with these clients)
  std::vector<std::pair<std::string, std::string>> side_files;  // samples files beside it: name, content
  std::string summary;  // what was found: rows, span, peak rate, top paths, what was skipped
};

// The clients a profile describes, as a whole scenario (a layout stated as a default) or,
// with `into` (a scenario file's text), that scenario with its `clients:` replaced.
// `side_prefix` names the samples files ("shop" -> shop-responses.txt, shop-requests.txt).
// `replay_arrival` (a flow mapping, `{ kind: replay, ... }`) replaces the step profile:
// the logs themselves are sent.
ImportedTraffic traffic_scenario(const TrafficProfile& profile, const std::string& side_prefix, const std::optional<std::string>& into,
                                 const std::optional<std::string>& replay_arrival = std::nullopt);

}  // namespace lbsim::importing
