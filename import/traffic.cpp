// SPDX-License-Identifier: GPL-3.0-or-later
#include "import/traffic.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <tuple>

#include "config/spec.hpp"
#include "import/draft.hpp"
#include "import/values.hpp"

namespace lbsim::importing {
namespace {

constexpr std::size_t kFirstMalformedShown = 5;
constexpr std::size_t kTopTemplates = 20;
constexpr std::size_t kMaxSteps = 600;

std::string size_text(double bytes) { return fmt::format("{}B", std::llround(std::max(bytes, 1.0))); }

}  // namespace

void TrafficProfile::keep_sample(std::vector<double>& samples, std::uint64_t& seen, double value) {
  ++seen;
  if (samples.size() < kMaxSamples) {
    samples.push_back(value);
    return;
  }
  const std::uint64_t slot = std::uniform_int_distribution<std::uint64_t>(0, seen - 1)(random_);
  if (slot < kMaxSamples) samples[slot] = value;
}

void TrafficProfile::add(const LogRecord& r) {
  if (rows_ == 0) first_s_ = last_s_ = r.time_s;
  ++rows_;
  first_s_ = std::min(first_s_, r.time_s);
  last_s_ = std::max(last_s_, r.time_s);
  ++per_second_[static_cast<std::int64_t>(std::floor(r.time_s))];
  // A template per method, host and path shape; past the bound, its first segment's.
  std::string shape = path_template(r.path);
  std::string key = r.method + " " + r.host + " " + shape;
  if (!templates_.count(key) && templates_.size() >= kMaxTemplates) {
    shape = shape.substr(0, shape.find('/', 1)) + "/*";
    key = r.method + " " + r.host + " " + shape;
  }
  Template& t = templates_[key];
  if (t.count++ == 0) t = {1, r.method, r.host, r.path, r.query, r.user_agent};
  if (r.response_bytes >= 0) keep_sample(response_sizes_, response_seen_, r.response_bytes);
  if (r.request_bytes >= 0) keep_sample(request_sizes_, request_seen_, r.request_bytes);
  if (r.service_s >= 0) keep_sample(service_times_[r.group], service_seen_[r.group], r.service_s);
  if (!r.group.empty()) ++group_requests_[r.group];
  if (r.client != 0 && clients_.size() < kMaxClients) clients_.insert(r.client);
  if (r.client != 0 && r.client_port != 0) {
    const std::uint64_t connection = static_cast<std::uint64_t>(r.client) << 16 | r.client_port;
    if (connections_.count(connection) || connections_.size() < kMaxClients) {
      connections_.insert(connection);
      ++rows_on_connections_;
    }
  }
  if (!r.tls_version.empty()) {
    ++tls_requests_;
    ++tls_versions_[r.tls_version];
  }
}

double TrafficProfile::requests_per_connection() const {
  return connections_.empty() ? 0 : static_cast<double>(rows_on_connections_) / static_cast<double>(connections_.size());
}

void TrafficProfile::malformed(const SourcePlace& at, const std::string& why) {
  ++malformed_;
  if (first_malformed_.size() < kFirstMalformedShown) first_malformed_.push_back({at, why});
}

ImportedTraffic traffic_scenario(const TrafficProfile& p, const std::string& side_prefix, const std::optional<std::string>& into,
                                 const std::optional<std::string>& replay_arrival) {
  ImportedTraffic out;
  // The arrival profile: per-second counts, in buckets that keep it to kMaxSteps steps.
  const std::int64_t first = static_cast<std::int64_t>(std::floor(p.first_s()));
  const std::int64_t span = static_cast<std::int64_t>(std::floor(p.last_s())) - first + 1;
  const std::int64_t bucket = std::max<std::int64_t>(1, (span + static_cast<std::int64_t>(kMaxSteps) - 1) / static_cast<std::int64_t>(kMaxSteps));
  std::vector<double> rates(static_cast<std::size_t>((span + bucket - 1) / bucket), 0.0);
  std::uint32_t peak = 0;
  for (const auto& [second, count] : p.per_second()) {
    rates[static_cast<std::size_t>((second - first) / bucket)] += static_cast<double>(count) / static_cast<double>(bucket);
    peak = std::max(peak, count);
  }
  std::string steps;
  double last_rate = -1;
  for (std::size_t i = 0; i < rates.size(); ++i) {
    if (rates[i] == last_rate) continue;
    steps += fmt::format("        - {{ at: {}s, rate: {:g}/s }}\n", static_cast<std::int64_t>(i) * bucket, rates[i]);
    last_rate = rates[i];
  }
  // The mix: the top templates, the rest by their first path segment.
  std::vector<const TrafficProfile::Template*> by_count;
  for (const auto& [key, t] : p.templates()) by_count.push_back(&t);
  std::sort(by_count.begin(), by_count.end(), [](const auto* a, const auto* b) {
    return a->count != b->count ? a->count > b->count : std::tie(a->method, a->host, a->path) < std::tie(b->method, b->host, b->path);
  });
  std::map<std::string, TrafficProfile::Template> rest;
  for (std::size_t i = kTopTemplates; i < by_count.size(); ++i) {
    const auto* t = by_count[i];
    const std::string prefix = t->path.substr(0, t->path.find('/', 1));
    auto& group = rest[t->method + " " + t->host + " " + prefix];
    if (group.count == 0) group = *t;
    else group.count += t->count;
  }
  const auto& methods = config::request_methods();
  const std::string response = p.response_sizes().empty() ? std::string("2KB")
                                                          : fmt::format("{{ dist: empirical, file: {}-responses.txt }}", side_prefix);
  std::string mix;
  const auto add = [&](const TrafficProfile::Template& t, const std::string& note) {
    YAML::Node item;
    item["weight"] = t.count;
    item["method"] = std::find(methods.begin(), methods.end(), t.method) != methods.end() ? t.method : "GET";
    if (!t.host.empty()) item["host"] = t.host;
    item["path"] = t.path;
    if (!t.query.empty()) item["query"] = t.query;
    if (!t.user_agent.empty()) item["headers"]["user-agent"] = t.user_agent;
    if (!p.request_sizes().empty()) item["request"] = YAML::Load(fmt::format("{{ dist: empirical, file: {}-requests.txt }}", side_prefix));
    item["response"] = YAML::Load(response);
    mix += fmt::format("      - {}  # {}\n", flow(item), note);
  };
  for (std::size_t i = 0; i < std::min(kTopTemplates, by_count.size()); ++i)
    add(*by_count[i], fmt::format("{} requests like {} {}", by_count[i]->count, by_count[i]->method, path_template(by_count[i]->path)));
  for (const auto& [key, t] : rest) add(t, fmt::format("{} requests under {}", t.count, key));
  if (!p.response_sizes().empty()) {
    std::string samples = "# response sizes sampled from the access log (lbsim import traffic)\n";
    for (double b : p.response_sizes()) samples += size_text(b) + "\n";
    out.side_files.push_back({side_prefix + "-responses.txt", samples});
  }
  if (!p.request_sizes().empty()) {
    std::string samples = "# request sizes sampled from the access log (lbsim import traffic)\n";
    for (double b : p.request_sizes()) samples += size_text(b) + "\n";
    out.side_files.push_back({side_prefix + "-requests.txt", samples});
  }
  // TLS: the share and the commonest version.
  std::string tls = "none";
  if (p.tls_requests() * 2 > p.rows() && !p.tls_versions().empty()) {
    const auto top = std::max_element(p.tls_versions().begin(), p.tls_versions().end(), [](const auto& a, const auto& b) { return a.second < b.second; });
    tls = fmt::format("{{ version: \"{}\" }}", top->first);
  }
  const double duration = static_cast<double>(span);
  std::string clients = "clients:\n";
  clients += fmt::format("  # From {} access-log lines over {} s: peak {}/s, mean {:.1f}/s; {} skipped as malformed.\n", p.rows(), span, peak,
                         static_cast<double>(p.rows()) / duration, p.malformed_lines());
  if (replay_arrival) clients += "  - name: web\n    arrival: " + *replay_arrival + "  # each logged request at its logged time\n";
  else clients += "  - name: web\n    arrival:\n      kind: step\n      steps:\n" + steps;
  clients += fmt::format("    source_ips: {}  # distinct client addresses seen{}\n", std::clamp<std::size_t>(p.clients(), 1, 16777216),
                         p.clients() >= TrafficProfile::kMaxClients ? " (at least)" : "");
  if (p.requests_per_connection() > 0)
    clients += fmt::format("    keepalive: {{ requests_per_connection: {} }}  # {:.2f} on average: requests per client address and port\n",
                           std::max<long>(1, std::lround(p.requests_per_connection())), p.requests_per_connection());
  clients += fmt::format("    tls: {}  # {:.0f} % of the requests over TLS\n", tls, 100.0 * static_cast<double>(p.tls_requests()) / static_cast<double>(std::max<std::uint64_t>(1, p.rows())));
  clients += replay_arrival ? "    mix:  # a replay sends the logged requests: the mix gives only what a line lacks (sizes)\n" + mix : "    mix:\n" + mix;
  out.summary = fmt::format("traffic: {} lines read, {} skipped as malformed; {} s from the first to the last; peak {}/s; {} request templates, {} client addresses",
                            p.rows() + p.malformed_lines(), p.malformed_lines(), span, peak, p.templates().size(), p.clients());
  if (into) {
    // The given scenario with its top-level clients: replaced, up to the next top-level key.
    const std::string& text = *into;
    const std::size_t start = text.starts_with("clients:") ? 0 : text.find("\nclients:");
    if (start == std::string::npos) throw ImportError({"--into", 1, 1}, "the scenario has no top-level 'clients:' to replace");
    const std::size_t from = start == 0 ? 0 : start + 1;
    std::size_t end = text.find('\n', from);
    while (end != std::string::npos && end + 1 < text.size()) {
      const char next = text[end + 1];
      if (next != ' ' && next != '#' && next != '\n' && next != '-') break;  // the next top-level key
      end = text.find('\n', end + 1);
    }
    out.yaml = text.substr(0, from) + clients + (end == std::string::npos ? "" : text.substr(end + 1));
    // A replay lasts as long as its logs: the run's duration follows them.
    if (replay_arrival) {
      const std::size_t at = out.yaml.starts_with("duration:") ? 0 : out.yaml.find("\nduration:");
      const std::string duration = fmt::format("duration: {}s  # the logs' span, and a second for the last requests (lbsim import traffic --replay)", span + 1);
      if (at == std::string::npos) {
        out.yaml = duration + "\n" + out.yaml;
      } else {
        const std::size_t line = at == 0 ? 0 : at + 1;
        out.yaml.replace(line, out.yaml.find('\n', line) - line, duration);
      }
    }
    return out;
  }
  // A whole scenario: the traffic in front of a layout stated as a default.
  std::string groups;
  if (p.group_requests().empty()) {
    groups = "  app:\n    per_zone: 2\n";
    groups += p.service_times().count("") ? fmt::format("    service_time: {{ dist: empirical, file: {}-service-app.txt }}  # the log's service times\n", side_prefix)
                                          : "    service_time: { dist: exponential, mean: 10ms }  # not in this log: measure it\n";
  } else {
    for (const auto& [group, n] : p.group_requests()) {
      groups += fmt::format("  {}:  # {} requests in the log\n    per_zone: 2\n", group_name(group), n);
      groups += p.service_times().count(group) ? fmt::format("    service_time: {{ dist: empirical, file: {}-service-{}.txt }}  # target_processing_time\n", side_prefix, group_name(group))
                                               : "    service_time: { dist: exponential, mean: 10ms }  # not in this log\n";
    }
  }
  for (const auto& [group, samples] : p.service_times()) {
    std::string text = "# service times sampled from the access log (lbsim import traffic)\n";
    for (double s : samples) text += fmt::format("{:.3f}ms\n", std::max(s * 1e3, 0.001));
    out.side_files.push_back({fmt::format("{}-service-{}.txt", side_prefix, group.empty() ? "app" : group_name(group)), text});
  }
  std::string forward;
  if (p.group_requests().size() <= 1) forward = p.group_requests().empty() ? "app" : group_name(p.group_requests().begin()->first);
  else {
    forward = "[";
    for (const auto& [group, n] : p.group_requests())
      forward += fmt::format("{}{{ group: {}, weight: {} }}", forward.size() > 1 ? ", " : "", group_name(group), std::max<std::uint64_t>(1, n * 999 / p.rows()));
    forward += "]";
  }
  out.yaml = "# Traffic imported from access logs by `lbsim import traffic`; the layout is a stated default:\n"
             "# import your configuration (lbsim import aws|haproxy|nginx|envoy) and use --into to put this traffic in it.\n";
  // (A replay's last request is sent within the span's last second: one more lets it finish.)
  out.yaml += fmt::format("name: imported-traffic\nseed: 1\nduration: {}s\n", replay_arrival ? span + 1 : span);
  out.yaml += "topology:\n  zones: [a]\n  internet: { latency: 20ms, bandwidth: 1Gbps }\n  intra_zone: { latency: 100us, bandwidth: 10Gbps }\n";
  out.yaml += clients;
  out.yaml += "l4:\n  nodes_per_zone: 1\nl7:\n  nodes_per_zone: 1\n  rules:\n";
  out.yaml += fmt::format("    - {{ default: true, forward: {} }}  # the log's target groups, by their share of requests\n", forward);
  out.yaml += "target_groups:\n" + groups;
  return out;
}

}  // namespace lbsim::importing
