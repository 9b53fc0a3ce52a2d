// SPDX-License-Identifier: GPL-3.0-or-later
#include "import/traffic.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <ctime>
#include <set>
#include <tuple>

#include "import/draft.hpp"
#include "import/values.hpp"

namespace lbsim::importing {
namespace {

constexpr std::size_t kFirstMalformedShown = 5;
constexpr std::size_t kTopTemplates = 20;
constexpr std::size_t kMaxSteps = 600;

// Space-separated words, "..." quoted ones taken whole (ALB's and CLF's request fields).
std::vector<std::string_view> log_words(std::string_view line) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && line[i] == ' ') ++i;
    if (i >= line.size()) break;
    if (line[i] == '"') {
      std::size_t close = i + 1;
      while (close < line.size() && !(line[close] == '"' && line[close - 1] != '\\')) ++close;
      words.push_back(line.substr(i + 1, std::min(close, line.size()) - i - 1));
      i = close + 1;
    } else if (line[i] == '[') {
      const std::size_t close = line.find(']', i);
      words.push_back(line.substr(i + 1, (close == std::string_view::npos ? line.size() : close) - i - 1));
      i = close == std::string_view::npos ? line.size() : close + 1;
    } else {
      const std::size_t end = std::min(line.find(' ', i), line.size());
      words.push_back(line.substr(i, end - i));
      i = end;
    }
  }
  return words;
}

std::optional<double> number(std::string_view text) {
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::uint32_t ipv4(std::string_view text) {
  std::uint32_t out = 0;
  for (int part = 0; part < 4; ++part) {
    unsigned value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || value > 255) return 0;
    out = out << 8 | value;
    text.remove_prefix(static_cast<std::size_t>(end - text.data()));
    if (part < 3) {
      if (text.empty() || text[0] != '.') return 0;
      text.remove_prefix(1);
    }
  }
  return out;
}

// Days from 1970-01-01 to a civil date (Howard Hinnant's algorithm): no time zone database.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

// "2026-12-06T10:00:00.186641Z" (UTC), as ALB and most JSON logs write it.
std::optional<double> iso_time(std::string_view t) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0;
  double s = 0;
  if (t.size() < 19 || t[4] != '-' || t[7] != '-' || (t[10] != 'T' && t[10] != ' ') || t[13] != ':' || t[16] != ':') return std::nullopt;
  const auto field = [&](std::size_t at, std::size_t n, int& out) { return std::from_chars(t.data() + at, t.data() + at + n, out).ec == std::errc(); };
  if (!field(0, 4, y) || !field(5, 2, mo) || !field(8, 2, d) || !field(11, 2, h) || !field(14, 2, mi)) return std::nullopt;
  std::size_t end = 17;
  while (end < t.size() && (std::isdigit(static_cast<unsigned char>(t[end])) || t[end] == '.')) ++end;
  const auto seconds = number(t.substr(17, end - 17));
  if (!seconds || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59) return std::nullopt;
  s = *seconds;
  return static_cast<double>(days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 + h * 3600 + mi * 60) + s;
}

// "10/Oct/2026:13:55:36 -0700", as the common log format writes it.
std::optional<double> clf_time(std::string_view t) {
  static constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (t.size() < 26 || t[2] != '/' || t[6] != '/' || t[11] != ':') return std::nullopt;
  int d = 0, y = 0, h = 0, mi = 0, s = 0, zone = 0;
  const auto field = [&](std::size_t at, std::size_t n, int& out) { return std::from_chars(t.data() + at, t.data() + at + n, out).ec == std::errc(); };
  unsigned month = 0;
  for (unsigned m = 0; m < 12; ++m)
    if (t.substr(3, 3) == kMonths[m]) month = m + 1;
  if (month == 0 || !field(0, 2, d) || !field(7, 4, y) || !field(12, 2, h) || !field(15, 2, mi) || !field(18, 2, s) || !field(22, 4, zone)) return std::nullopt;
  const int offset = (zone / 100) * 3600 + (zone % 100) * 60;
  const double local = static_cast<double>(days_from_civil(y, month, static_cast<unsigned>(d)) * 86400 + h * 3600 + mi * 60 + s);
  return t[21] == '-' ? local + offset : local - offset;
}

// "GET https://host:443/path?q HTTP/1.1" (ALB) or "GET /path?q HTTP/1.1" (CLF).
bool read_request_line(std::string_view request, LogRecord& r, std::string& why) {
  const std::size_t first = request.find(' ');
  const std::size_t last = request.rfind(' ');
  if (first == std::string_view::npos || last == first) {
    why = "the request field is not 'METHOD URL PROTOCOL'";
    return false;
  }
  r.method = std::string(request.substr(0, first));
  std::string_view url = request.substr(first + 1, last - first - 1);
  if (const std::size_t scheme = url.find("://"); scheme != std::string_view::npos) {
    url.remove_prefix(scheme + 3);
    const std::size_t slash = url.find('/');
    std::string_view host = url.substr(0, slash);
    r.host = std::string(host.substr(0, host.find(':')));
    url = slash == std::string_view::npos ? "/" : url.substr(slash);
  }
  const std::size_t q = url.find('?');
  r.path = std::string(url.substr(0, q));
  if (q != std::string_view::npos) r.query = std::string(url.substr(q + 1));
  if (r.path.empty() || r.path[0] != '/') {
    why = "the request's path does not start with '/'";
    return false;
  }
  return true;
}

std::optional<LogRecord> parse_alb(std::string_view line, std::string& why) {
  const auto w = log_words(line);
  if (w.size() < 17) {
    why = fmt::format("{} fields where an ALB access log line has at least 17", w.size());
    return std::nullopt;
  }
  LogRecord r;
  const auto time = iso_time(w[1]);
  const auto status = number(w[8]);
  if (!time || !status) {
    why = "its time or status is not ALB's";
    return std::nullopt;
  }
  r.time_s = *time;
  r.status = static_cast<int>(*status);
  r.client = ipv4(w[3].substr(0, w[3].find(':')));
  if (const auto t = number(w[6]); t && *t >= 0) r.service_s = *t;  // -1 when no target answered
  if (const auto b = number(w[10])) r.request_bytes = *b;
  if (const auto b = number(w[11])) r.response_bytes = *b;
  if (!read_request_line(w[12], r, why)) return std::nullopt;
  if (w[15] != "-") r.tls_version = w[15] == "TLSv1.3" ? "1.3" : "1.2";
  if (const std::size_t at = w[16].find("targetgroup/"); at != std::string_view::npos) {
    const std::string_view rest = w[16].substr(at + 12);
    r.group = std::string(rest.substr(0, rest.find('/')));
  }
  return r;
}

std::optional<LogRecord> parse_clf(std::string_view line, std::string& why) {
  const auto w = log_words(line);
  if (w.size() < 7) {
    why = fmt::format("{} fields where the common log format has 7", w.size());
    return std::nullopt;
  }
  LogRecord r;
  const auto time = clf_time(w[3]);
  const auto status = number(w[5]);
  if (!time || !status) {
    why = "its [time] or status is not the common log format's";
    return std::nullopt;
  }
  r.time_s = *time;
  r.status = static_cast<int>(*status);
  r.client = ipv4(w[0]);
  if (const auto b = number(w[6])) r.response_bytes = *b;
  if (!read_request_line(w[4], r, why)) return std::nullopt;
  return r;
}

std::optional<LogRecord> parse_jsonl(std::string_view line, std::string& why) {
  const auto j = nlohmann::json::parse(line, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    why = "not a JSON object";
    return std::nullopt;
  }
  LogRecord r;
  const auto text = [&](std::initializer_list<const char*> keys) -> std::optional<std::string> {
    for (const char* k : keys)
      if (j.contains(k) && j[k].is_string()) return j[k].get<std::string>();
    return std::nullopt;
  };
  const auto num = [&](std::initializer_list<const char*> keys) -> std::optional<double> {
    for (const char* k : keys)
      if (j.contains(k) && j[k].is_number()) return j[k].get<double>();
    return std::nullopt;
  };
  if (const auto t = num({"time", "timestamp", "ts"})) r.time_s = *t;
  else if (const auto s = text({"time", "timestamp", "ts"}); s && iso_time(*s)) r.time_s = *iso_time(*s);
  else {
    why = "no time (a number of seconds, or an ISO 8601 text, under 'time')";
    return std::nullopt;
  }
  r.method = text({"method"}).value_or("GET");
  r.host = text({"host"}).value_or("");
  std::string url = text({"path", "url", "uri"}).value_or("/");
  const std::size_t q = url.find('?');
  r.path = url.substr(0, q);
  if (q != std::string::npos) r.query = url.substr(q + 1);
  if (r.path.empty() || r.path[0] != '/') {
    why = "its path does not start with '/'";
    return std::nullopt;
  }
  r.status = static_cast<int>(num({"status"}).value_or(0));
  r.request_bytes = num({"request_bytes"}).value_or(-1);
  r.response_bytes = num({"response_bytes", "bytes"}).value_or(-1);
  if (const auto ms = num({"duration_ms", "service_ms"})) r.service_s = *ms / 1e3;
  r.group = text({"target_group", "group", "upstream"}).value_or("");
  r.client = ipv4(text({"client", "ip", "remote_addr"}).value_or(""));
  r.tls_version = text({"tls_version"}).value_or("");
  return r;
}

std::string size_text(double bytes) { return fmt::format("{}B", std::llround(std::max(bytes, 1.0))); }

}  // namespace

std::optional<LogFormat> log_format_named(std::string_view name) {
  if (name == "alb") return LogFormat::alb;
  if (name == "nginx") return LogFormat::nginx;
  if (name == "clf") return LogFormat::clf;
  if (name == "jsonl") return LogFormat::jsonl;
  return std::nullopt;
}

std::optional<LogRecord> parse_log_line(LogFormat format, std::string_view line, std::string& why) {
  switch (format) {
    case LogFormat::alb: return parse_alb(line, why);
    case LogFormat::nginx:  // nginx's default "combined": the common log format and two fields more
    case LogFormat::clf: return parse_clf(line, why);
    case LogFormat::jsonl: return parse_jsonl(line, why);
  }
  return std::nullopt;
}

std::string path_template(std::string_view path) {
  std::string out;
  std::size_t i = 0;
  while (i < path.size()) {
    const std::size_t end = std::min(path.find('/', i + 1), path.size());
    const std::string_view segment = path.substr(i + 1, end - i - 1);
    const bool digits = !segment.empty() && std::all_of(segment.begin(), segment.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
    const bool hex = segment.size() >= 8 && std::all_of(segment.begin(), segment.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) || c == '-'; }) &&
                     std::any_of(segment.begin(), segment.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
    out += "/";
    out += digits ? "{n}" : hex ? "{id}" : std::string(segment);
    i = end;
  }
  return out.empty() ? "/" : out;
}

void anonymise(LogRecord& r) {
  r.query.clear();
  std::string path = path_template(r.path);
  for (const auto& [name, neutral] : {std::pair<std::string_view, std::string_view>{"{n}", "1"}, {"{id}", "0000000000000000"}})
    for (std::size_t at = path.find(name); at != std::string::npos; at = path.find(name, at + neutral.size())) path.replace(at, name.size(), neutral);
  r.path = path;
  // (Only how many distinct addresses there were is kept; a hash keeps that.)
  std::uint32_t h = 2166136261u;
  for (int shift = 0; shift < 32; shift += 8) h = (h ^ ((r.client >> shift) & 0xff)) * 16777619u;
  r.client = r.client == 0 ? 0 : (h == 0 ? 1 : h);
}

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
  if (t.count++ == 0) t = {1, r.method, r.host, r.path, r.query};
  if (r.response_bytes >= 0) keep_sample(response_sizes_, response_seen_, r.response_bytes);
  if (r.service_s >= 0) keep_sample(service_times_[r.group], service_seen_[r.group], r.service_s);
  if (!r.group.empty()) ++group_requests_[r.group];
  if (r.client != 0 && clients_.size() < kMaxClients) clients_.insert(r.client);
  if (!r.tls_version.empty()) {
    ++tls_requests_;
    ++tls_versions_[r.tls_version];
  }
}

void TrafficProfile::malformed(const SourcePlace& at, const std::string& why) {
  ++malformed_;
  if (first_malformed_.size() < kFirstMalformedShown) first_malformed_.push_back({at, why});
}

ImportedTraffic traffic_scenario(const TrafficProfile& p, const std::string& side_prefix, const std::optional<std::string>& into) {
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
  static const std::set<std::string> kMethods{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
  const std::string response = p.response_sizes().empty() ? std::string("2KB")
                                                          : fmt::format("{{ dist: empirical, file: {}-responses.txt }}", side_prefix);
  std::string mix;
  const auto add = [&](const TrafficProfile::Template& t, const std::string& note) {
    YAML::Node item;
    item["weight"] = t.count;
    item["method"] = kMethods.count(t.method) ? t.method : "GET";
    if (!t.host.empty()) item["host"] = t.host;
    item["path"] = t.path;
    if (!t.query.empty()) item["query"] = t.query;
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
  clients += "  - name: web\n    arrival:\n      kind: step\n      steps:\n" + steps;
  clients += fmt::format("    source_ips: {}  # distinct client addresses seen{}\n", std::clamp<std::size_t>(p.clients(), 1, 16777216),
                         p.clients() >= TrafficProfile::kMaxClients ? " (at least)" : "");
  clients += fmt::format("    tls: {}  # {:.0f} % of the requests over TLS\n", tls, 100.0 * static_cast<double>(p.tls_requests()) / static_cast<double>(std::max<std::uint64_t>(1, p.rows())));
  clients += "    mix:\n" + mix;
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
  out.yaml += fmt::format("name: imported-traffic\nseed: 1\nduration: {}s\n", span);
  out.yaml += "topology:\n  zones: [a]\n  internet: { latency: 20ms, bandwidth: 1Gbps }\n  intra_zone: { latency: 100us, bandwidth: 10Gbps }\n";
  out.yaml += clients;
  out.yaml += "l4:\n  nodes_per_zone: 1\nl7:\n  nodes_per_zone: 1\n  rules:\n";
  out.yaml += fmt::format("    - {{ default: true, forward: {} }}  # the log's target groups, by their share of requests\n", forward);
  out.yaml += "target_groups:\n" + groups;
  return out;
}

}  // namespace lbsim::importing
