// SPDX-License-Identifier: GPL-3.0-or-later
#include "traffic/access_log.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <initializer_list>
#include <iterator>

namespace lbsim::traffic {
namespace {

// ALB's fields up to request_creation_time (the 22nd): the rest are not read.
constexpr std::size_t kAlbWordsRead = 22;

// Space-separated words, "..." quoted ones taken whole (ALB's and CLF's request fields),
// [...] bracketed ones too (CLF's time), at most `most`.
void split_words(std::string_view line, std::vector<std::string_view>& words, std::size_t most) {
  words.clear();
  std::size_t i = 0;
  while (i < line.size() && words.size() < most) {
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
}

int column_of(std::string_view line, std::string_view word) { return static_cast<int>(word.data() - line.data()) + 1; }

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
  return text.empty() ? out : 0;
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

// "10/Oct/2026:13:55:36 -0700", as the common log format writes it.
std::optional<double> clf_time(std::string_view t) {
  static constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (t.size() < 26 || t[2] != '/' || t[6] != '/' || t[11] != ':') return std::nullopt;
  int d = 0, y = 0, h = 0, mi = 0, s = 0, zone = 0;
  const auto field = [&](std::size_t at, std::size_t n, int& out) { return std::from_chars(t.data() + at, t.data() + at + n, out).ec == std::errc(); };
  unsigned month = 0;
  for (unsigned m = 0; m < 12; ++m)
    if (t.substr(3, 3) == kMonths[m]) month = m + 1;
  if (month == 0 || !field(0, 2, d) || !field(7, 4, y) || !field(12, 2, h) || !field(15, 2, mi) || !field(18, 2, s) || !field(22, 4, zone))
    return std::nullopt;
  if (d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return std::nullopt;
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
  r.method.assign(request.substr(0, first));
  std::string_view url = request.substr(first + 1, last - first - 1);
  r.host.clear();
  if (const std::size_t scheme = url.find("://"); scheme != std::string_view::npos) {
    url.remove_prefix(scheme + 3);
    const std::size_t slash = url.find('/');
    const std::string_view host = url.substr(0, slash);
    r.host.assign(host.substr(0, host.find(':')));
    url = slash == std::string_view::npos ? "/" : url.substr(slash);
  }
  const std::size_t q = url.find('?');
  r.path.assign(url.substr(0, q));
  r.query.assign(q == std::string_view::npos ? std::string_view() : url.substr(q + 1));
  if (r.path.empty() || r.path[0] != '/') {
    why = "the request's path does not start with '/'";
    return false;
  }
  return true;
}

void reset(LogRecord& r) {
  r.time_s = 0;
  r.status = 0;
  r.request_bytes = r.response_bytes = r.service_s = -1;
  r.group.clear();
  r.client = 0;
  r.client_port = 0;
  r.tls_version.clear();
  r.user_agent.clear();
}

}  // namespace

std::optional<LogFormat> log_format_named(std::string_view name) {
  if (name == "alb") return LogFormat::alb;
  if (name == "nginx") return LogFormat::nginx;
  if (name == "clf") return LogFormat::clf;
  if (name == "jsonl") return LogFormat::jsonl;
  return std::nullopt;
}

std::string_view log_format_name(LogFormat format) {
  switch (format) {
    case LogFormat::alb: return "alb";
    case LogFormat::nginx: return "nginx";
    case LogFormat::clf: return "clf";
    case LogFormat::jsonl: return "jsonl";
  }
  return "alb";
}

std::string_view log_format_expected(LogFormat format) {
  switch (format) {
    case LogFormat::alb: return "an ALB access log line";
    case LogFormat::nginx: return "an nginx 'combined' log line";
    case LogFormat::clf: return "a common log format line";
    case LogFormat::jsonl: return "a JSON object with a time";
  }
  return "a log line";
}

std::optional<double> iso_time(std::string_view t) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0;
  if (t.size() < 19 || t[4] != '-' || t[7] != '-' || (t[10] != 'T' && t[10] != ' ') || t[13] != ':' || t[16] != ':') return std::nullopt;
  const auto field = [&](std::size_t at, std::size_t n, int& out) {
    const auto [end, ec] = std::from_chars(t.data() + at, t.data() + at + n, out);
    return ec == std::errc() && end == t.data() + at + n;
  };
  if (!field(0, 4, y) || !field(5, 2, mo) || !field(8, 2, d) || !field(11, 2, h) || !field(14, 2, mi)) return std::nullopt;
  std::size_t end = 17;
  while (end < t.size() && (std::isdigit(static_cast<unsigned char>(t[end])) || t[end] == '.')) ++end;
  const auto seconds = number(t.substr(17, end - 17));
  const std::string_view rest = t.substr(end);
  if (!seconds || !(rest.empty() || rest == "Z") || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || !(*seconds < 61)) return std::nullopt;
  return static_cast<double>(days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 + h * 3600 + mi * 60) + *seconds;
}

bool JsonLine::start_object(std::size_t) {
  if (depth == 0) top_is_object = true;
  ++depth;
  current = -1;
  return true;
}

bool JsonLine::key(std::string& name) {
  static constexpr std::string_view kNames[] = {"time", "timestamp", "ts", "method", "host", "path", "url", "uri", "status", "request_bytes",
                                                "response_bytes", "bytes", "duration_ms", "service_ms", "target_group", "group", "upstream",
                                                "client", "ip", "remote_addr", "tls_version", "user_agent"};
  static_assert(std::size(kNames) == static_cast<std::size_t>(JsonKey::count));
  current = -1;
  if (depth != 1) return true;  // a nested object's keys are not the line's
  for (std::size_t k = 0; k < std::size(kNames); ++k)
    if (name == kNames[k]) current = static_cast<int>(k);
  return true;
}

bool JsonLine::string(std::string& v) {
  if (current >= 0) {
    Value& value = values[static_cast<std::size_t>(current)];
    value.kind = Value::Kind::text;
    value.text = v;
  }
  return scalar();
}

bool JsonLine::number(double v) {
  if (current >= 0) {
    Value& value = values[static_cast<std::size_t>(current)];
    value.kind = Value::Kind::number;
    value.number = v;
  }
  return scalar();
}

bool AccessLogParser::parse(std::string_view line, LogRecord& out, std::string& why, int& column) {
  reset(out);
  column = 1;
  switch (format_) {
    case LogFormat::alb: return parse_alb(line, out, why, column);
    case LogFormat::nginx:  // nginx's default "combined": the common log format and two fields more
    case LogFormat::clf: return parse_clf(line, out, why, column);
    case LogFormat::jsonl: return parse_jsonl(line, out, why, column);
  }
  return false;
}

bool AccessLogParser::parse_alb(std::string_view line, LogRecord& r, std::string& why, int& column) {
  split_words(line, words_, kAlbWordsRead);
  const auto& w = words_;
  if (w.size() < 17) {
    why = "only " + std::to_string(w.size()) + " fields where an ALB access log line has at least 17";
    column = static_cast<int>(line.size()) + 1;
    return false;
  }
  const auto time = iso_time(w[1]);
  if (!time) {
    why = "expected ALB's time (2026-12-06T10:00:00.123456Z)";
    column = column_of(line, w[1]);
    return false;
  }
  const auto status = number(w[8]);
  if (!status) {
    why = "expected ALB's elb_status_code (a number)";
    column = column_of(line, w[8]);
    return false;
  }
  r.status = static_cast<int>(*status);
  const std::size_t colon = w[3].rfind(':');
  r.client = ipv4(w[3].substr(0, colon));
  if (colon != std::string_view::npos)
    if (const auto port = number(w[3].substr(colon + 1)); port && *port > 0 && *port < 65536) r.client_port = static_cast<std::uint16_t>(*port);
  // The request came when ALB created it; `time` is when the answer went (the three
  // processing times later) — where request_creation_time is missing, that difference.
  double spent = 0;
  for (int i = 5; i <= 7; ++i)
    if (const auto t = number(w[static_cast<std::size_t>(i)]); t && *t > 0) spent += *t;
  const auto created = w.size() > 21 ? iso_time(w[21]) : std::nullopt;
  r.time_s = created ? *created : *time - spent;
  if (const auto t = number(w[6]); t && *t >= 0) r.service_s = *t;  // -1 when no target answered
  if (const auto b = number(w[10])) r.request_bytes = *b;
  if (const auto b = number(w[11])) r.response_bytes = *b;
  if (!read_request_line(w[12], r, why)) {
    column = column_of(line, w[12]);
    return false;
  }
  if (w[13] != "-") r.user_agent.assign(w[13]);
  if (w[15] != "-") r.tls_version = w[15] == "TLSv1.3" ? "1.3" : "1.2";
  if (const std::size_t at = w[16].find("targetgroup/"); at != std::string_view::npos) {
    const std::string_view rest = w[16].substr(at + 12);
    r.group.assign(rest.substr(0, rest.find('/')));
  }
  return true;
}

bool AccessLogParser::parse_clf(std::string_view line, LogRecord& r, std::string& why, int& column) {
  split_words(line, words_, 9);  // nginx's combined: the referer and the User-Agent after CLF's 7
  const auto& w = words_;
  if (w.size() < 7) {
    why = "only " + std::to_string(w.size()) + " fields where the common log format has 7";
    column = static_cast<int>(line.size()) + 1;
    return false;
  }
  const auto time = clf_time(w[3]);
  if (!time) {
    why = "expected [day/Mon/year:hh:mm:ss +zone] (10/Oct/2026:13:55:36 -0700)";
    column = column_of(line, w[3]);
    return false;
  }
  const auto status = number(w[5]);
  if (!status) {
    why = "expected a status (a number)";
    column = column_of(line, w[5]);
    return false;
  }
  r.time_s = *time;
  r.status = static_cast<int>(*status);
  r.client = ipv4(w[0]);
  if (const auto b = number(w[6])) r.response_bytes = *b;
  if (w.size() > 8 && w[8] != "-") r.user_agent.assign(w[8]);
  if (!read_request_line(w[4], r, why)) {
    column = column_of(line, w[4]);
    return false;
  }
  return true;
}

bool AccessLogParser::parse_jsonl(std::string_view line, LogRecord& r, std::string& why, int& column) {
  // Read as events (SAX): no document is built, only the top-level keys lbsim knows are kept.
  JsonLine& j = json_;
  for (auto& v : j.values) v.kind = JsonLine::Value::Kind::none;
  j.depth = 0;
  j.top_is_object = false;
  j.current = -1;
  if (!nlohmann::json::sax_parse(line.begin(), line.end(), &j, nlohmann::json::input_format_t::json, true) || !j.top_is_object) {
    why = "not a JSON object";
    return false;
  }
  const auto text = [&](std::initializer_list<JsonKey> keys) -> const std::string* {
    for (const JsonKey k : keys)
      if (j.values[static_cast<std::size_t>(k)].kind == JsonLine::Value::Kind::text) return &j.values[static_cast<std::size_t>(k)].text;
    return nullptr;
  };
  const auto num = [&](std::initializer_list<JsonKey> keys) -> std::optional<double> {
    for (const JsonKey k : keys)
      if (j.values[static_cast<std::size_t>(k)].kind == JsonLine::Value::Kind::number) return j.values[static_cast<std::size_t>(k)].number;
    return std::nullopt;
  };
  using K = JsonKey;
  if (const auto t = num({K::time, K::timestamp, K::ts})) r.time_s = *t;
  else if (const std::string* s = text({K::time, K::timestamp, K::ts}); s && iso_time(*s)) r.time_s = *iso_time(*s);
  else {
    why = "no time (a number of seconds, or an ISO 8601 text, under 'time')";
    return false;
  }
  const auto assign = [](std::string& to, const std::string* from, std::string_view otherwise) {
    if (from != nullptr) to = *from;
    else to.assign(otherwise);
  };
  assign(r.method, text({K::method}), "GET");
  assign(r.host, text({K::host}), "");
  const std::string* url = text({K::path, K::url, K::uri});
  const std::string_view whole = url != nullptr ? std::string_view(*url) : std::string_view("/");
  const std::size_t q = whole.find('?');
  r.path.assign(whole.substr(0, q));
  r.query.assign(q == std::string_view::npos ? std::string_view() : whole.substr(q + 1));
  if (r.path.empty() || r.path[0] != '/') {
    why = "its path does not start with '/'";
    column = static_cast<int>(line.find(whole)) + 1;
    return false;
  }
  r.status = static_cast<int>(num({K::status}).value_or(0));
  r.request_bytes = num({K::request_bytes}).value_or(-1);
  r.response_bytes = num({K::response_bytes, K::bytes}).value_or(-1);
  if (const auto ms = num({K::duration_ms, K::service_ms})) r.service_s = *ms / 1e3;
  assign(r.group, text({K::target_group, K::group, K::upstream}), "");
  const std::string* client = text({K::client, K::ip, K::remote_addr});
  r.client = client != nullptr ? ipv4(*client) : 0;
  assign(r.tls_version, text({K::tls_version}), "");
  assign(r.user_agent, text({K::user_agent}), "");
  return true;
}

std::optional<LogRecord> parse_log_line(LogFormat format, std::string_view line, std::string& why) {
  AccessLogParser parser(format);
  LogRecord record;
  int column = 0;
  if (!parser.parse(line, record, why, column)) return std::nullopt;
  return record;
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

}  // namespace lbsim::traffic
